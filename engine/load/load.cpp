#include "load/load.hpp"

#include <unicode/locid.h>
#include <unicode/uloc.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <map>
#include <set>
#include <string_view>

#include "load/evidence.hpp"
#include "load/facts.hpp"
#include "load/fields.hpp"
#include "load/schema.hpp"
#include "load/source_lines.hpp"
#include "load/yaml_reader.hpp"
#include "model/file_bytes.hpp"

namespace fs = std::filesystem;

namespace dossier::load {

namespace {

constexpr std::size_t kMaxCaseBytes = 1 << 20;    // 1 MiB
constexpr std::size_t kMaxClauseBytes = 1 << 20;  // 1 MiB
constexpr std::size_t kMaxSchemaBytes = 1 << 20;  // 1 MiB
constexpr int kMaxAge = 120;

const char* const kSchemaNames[] = {"case", "clause", "sources", "expert", "report", "facts"};

// Diagnostics appended since `from`, to tell whether a file (or one value) already has a
// problem, so that one mistake is reported once.
class Since {
  public:
    explicit Since(const Diagnostics& diags) : diags_(diags), from_(diags.size()) {}
    bool errors() const {
        return std::any_of(diags_.begin() + static_cast<long>(from_), diags_.end(),
                           [](const Diagnostic& d) { return d.severity == Severity::error; });
    }
    bool reported_at(const Span& s) const {
        return std::any_of(
            diags_.begin() + static_cast<long>(from_), diags_.end(), [&](const Diagnostic& d) {
                return d.span.line == s.line && d.span.column == s.column && d.span.file == s.file;
            });
    }

  private:
    const Diagnostics& diags_;
    std::size_t from_;
};

// Validates `root` against the named schema when it was loaded. Without it, only the shape
// every format shares (a map at the top) is checked, so later code can rely on it.
bool validate_as(const Schemas& schemas, const char* name, const Value& root,
                 const std::string& noun, Diagnostics& diags) {
    const Schema* schema = schemas.set() ? schemas.set()->find(name) : nullptr;
    if (schema) {
        // A value the YAML reader already reported (an impossible date read on past) is not
        // reported again by the schema.
        Diagnostics found;
        bool ok = validate(*schema, root, noun, found);
        for (Diagnostic& d : found) {
            bool seen = std::any_of(diags.begin(), diags.end(), [&](const Diagnostic& e) {
                return e.span.line == d.span.line && e.span.column == d.span.column &&
                       e.span.file == d.span.file;
            });
            if (!seen) diags.push_back(std::move(d));
        }
        return ok;
    }
    if (root.kind == Value::Kind::map) return true;
    error(diags, root.span, "type.expected-map", noun + " must be a map");
    return false;
}

// --- what the schemas cannot say ---------------------------------------------------------

// ICU lists ISO 3166-1 alpha-2 codes, plus the exceptionally reserved DG, EA and IC that are
// regions but not countries; XK (Kosovo, user-assigned) stays, since cases concern it.
bool known_country(const std::string& code) {
    if (code == "DG" || code == "EA" || code == "IC") return false;
    for (const char* const* c = icu::Locale::getISOCountries(); *c; ++c)
        if (code == *c) return true;
    return false;
}

bool icu_has_language(const std::string& language) {
    // The ids Locale::getAvailableLocales makes its list from, without making an icu::Locale of
    // each of them (800 in ICU 72: most of the time it takes to load a case). An available id
    // is canonical, so its language is what comes before the first separator.
    for (int32_t i = 0, count = uloc_countAvailable(); i < count; ++i) {
        std::string_view id = uloc_getAvailable(i);
        if (id.substr(0, id.find_first_of("_-@")) == language) return true;
    }
    return false;
}

// Empty when ICU knows the locale; otherwise why not.
std::string locale_problem(const std::string& tag) {
    UErrorCode status = U_ZERO_ERROR;
    icu::Locale locale = icu::Locale::forLanguageTag(tag, status);
    if (U_FAILURE(status) || locale.isBogus() || !*locale.getLanguage())
        return "is not a BCP 47 language tag such as en-GB";
    std::string language = locale.getLanguage();
    // "en-GBX" reads as the extended language "gbx": the data check below catches it.
    if (!icu_has_language(language))
        return "names a language (\"" + language + "\") that ICU has no data for";
    std::string region = locale.getCountry();
    bool numeric = region.size() == 3 && std::all_of(region.begin(), region.end(),
                                                     [](char c) { return c >= '0' && c <= '9'; });
    if (!region.empty() && !numeric && !known_country(region))
        return "names a region (\"" + region + "\") that is not an ISO 3166-1 country code";
    return {};
}

// The reference names the output file: no hidden files, no option-like names, no "..".
bool safe_reference(const std::string& r) {
    if (r.empty() || r.size() > 100 || r[0] == '.' || r[0] == '-') return false;
    return std::all_of(r.begin(), r.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               c == '.' || c == '_' || c == '-';
    });
}

void check_country(const Value& map, std::string_view key, const std::string& path,
                   const Since& since, Diagnostics& diags) {
    const Value* v = map.find(key);
    if (!v || !is_scalar(v) || since.reported_at(v->span) || known_country(v->text)) return;
    error(diags, v->span, "value.country",
          path + ": unknown country code \"" + v->text + "\" (ISO 3166-1 alpha-2, e.g. GB)");
}

std::string initials(const std::string& name) {
    std::string out;
    bool start = true;
    for (std::size_t i = 0; i < name.size();) {
        auto b = static_cast<unsigned char>(name[i]);
        std::size_t len = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : 4;
        if (name[i] == ' ' || name[i] == '-') {
            start = true;
        } else if (start) {
            out += name.substr(i, len);
            start = false;
        }
        i += len;
    }
    return out;
}

Value text_value(std::string s) {
    Value v;
    v.kind = Value::Kind::string;
    v.text = std::move(s);
    return v;
}

Value date_value(const Date& d) {
    Value v;
    v.kind = Value::Kind::date;
    v.date = d;
    v.text = d.iso();
    return v;
}

// The expert profile `path` that the case file `case_path` names at `from`.
std::optional<Expert> load_expert(const std::string& path, const std::string& case_path, Span from,
                                  const Schemas& schemas, Diagnostics& diags) {
    FileProblem problem;
    auto text = read_regular_file(path, kMaxCaseBytes, problem);
    if (!text) {
        error(diags, from, "expert.unreadable",
              "expert: cannot read the expert profile \"" + path + "\": " + problem.reason);
        return std::nullopt;
    }
    Since since(diags);
    ReadLimits partial;
    partial.partial = true;
    bool began_as_map = false;
    auto root = read_yaml(path, *text, diags, 1, partial, &began_as_map);
    // The case's own folder: a profile reached from it by an absolute path or "..", or through
    // a symlink that leads out of it, is not the case's to show.
    allow_echo_if(path, began_as_map, {real_path(fs::path(case_path).parent_path())});
    if (!root) return std::nullopt;
    if (!validate_as(schemas, "expert", *root, "the expert profile", diags) &&
        root->kind != Value::Kind::map)
        return std::nullopt;
    check_country(*root, "country", "country", since, diags);
    Expert e;
    e.file = path;
    e.name = text_at(*root, "name");
    e.title = text_at(*root, "title");
    e.affiliation = text_at(*root, "affiliation");
    e.contact = text_at(*root, "contact");
    e.summary = text_at(*root, "summary");
    e.independence = text_at(*root, "independence");
    e.publications = texts_at(*root, "publications");
    e.languages = texts_at(*root, "languages");
    e.courts = texts_at(*root, "courts");
    read_expertise(*root, e);
    e.root = std::move(*root);
    if (since.errors()) return std::nullopt;
    return e;
}

// Ids of clauses.include / clauses.exclude: the same id in both lists, and ids the library
// does not have.
void check_clause_lists(const Case& c, const Library* library, const Since& since,
                        Diagnostics& diags) {
    for (const Value& in : c.include)
        for (const Value& ex : c.exclude)
            if (in.text == ex.text)
                error(diags, ex.span, "clauses.both",
                      "clauses.exclude: clause \"" + ex.text + "\" is also included (line " +
                          std::to_string(in.span.line) + ")");
    if (!library) return;
    std::vector<std::string> ids;
    for (const Clause& cl : library->clauses) ids.push_back(cl.id);
    auto check = [&](const std::vector<Value>& list, const char* field) {
        for (std::size_t i = 0; i < list.size(); ++i) {
            const Value& v = list[i];
            if (since.reported_at(v.span) || library->find_clause(v.text)) continue;
            auto hint = did_you_mean(v.text, ids);
            error(diags, v.span, "case.unknown-clause",
                  std::string(field) + ": unknown clause \"" + v.text + "\"" +
                      (hint.empty() ? "" : "; " + hint.front()));
        }
    };
    check(c.include, "clauses.include");
    check(c.exclude, "clauses.exclude");
    for (std::size_t q = 0; q < c.instructions.questions.size(); ++q)
        check(c.instructions.questions[q].see,
              ("instructions.questions[" + std::to_string(q) + "].see").c_str());

    // Keys of the case's own source records, and of the range of opinion's citations.
    std::vector<std::string> keys;
    for (const Source& s : library->sources) keys.push_back(s.key);
    auto known_source = [&](const std::string& key, const Span& at, const std::string& field) {
        if (since.reported_at(at) || library->find_source(key)) return;
        error(diags, at, "case.unknown-source",
              field + ": no source \"" + key + "\" in the library's sources.yaml files",
              did_you_mean(key, keys));
    };
    for (const auto& [key, record] : c.accessed) known_source(key, record.span, "sources");
    for (std::size_t v = 0; v < c.range_of_opinion.items.size(); ++v)
        for (const Value& key : c.range_of_opinion.items[v].cite)
            known_source(key.text, key.span, "range_of_opinion[" + std::to_string(v) + "].cite");
}

// Dates that are possible but almost certainly typing mistakes.
void check_plausible_dates(const Case& c, const Value& root, Diagnostics& diags) {
    const Value* applicant = root.find("applicant");
    if (c.applicant.born && applicant) {
        const Span& at = applicant->find("born")->span;
        const Date& b = *c.applicant.born;
        int age =
            c.date.year - b.year -
            ((c.date.month < b.month || (c.date.month == b.month && c.date.day < b.day)) ? 1 : 0);
        if (b > c.date)
            warning(diags, at, "date.implausible",
                    "applicant.born: " + b.iso() + " is after the report date " + c.date.iso());
        else if (age > kMaxAge)
            warning(diags, at, "date.implausible",
                    "applicant.born: the applicant would be " + std::to_string(age) +
                        " years old on the report date " + c.date.iso());
    }
    if (c.instructions.received && c.instructions.received > c.date)
        warning(diags, root.find("instructions")->find("received")->span, "date.implausible",
                "instructions.received: " + c.instructions.received->iso() +
                    " is after the report date " + c.date.iso());
}

// schemas/case.schema.json is `dossier schema` for the built-in library: it lists that
// library's facts (no others allowed) and clause ids. The engine checks both against the library
// it actually loaded, built-in and --clauses packs, with messages that say what to write
// (load_case, check_facts), so it validates with those two parts relaxed to their shape.
void relax_library_parts(Value& schema) {
    Value* properties = schema.find("properties");
    if (Value* facts = properties ? properties->find("facts") : nullptr;
        facts && facts->kind == Value::Kind::map) {
        std::erase_if(facts->fields, [](const auto& f) { return f.first == "properties"; });
        Value ref;
        ref.kind = Value::Kind::map;
        Value target;
        target.kind = Value::Kind::string;
        target.text = "#/$defs/fact_value";
        ref.set("$ref", std::move(target));
        facts->set("additionalProperties", std::move(ref));
    }
    Value* defs = schema.find("$defs");
    Value* ids = defs ? defs->find("clause_ids") : nullptr;
    if (Value* items = ids ? ids->find("items") : nullptr; items && items->kind == Value::Kind::map)
        std::erase_if(items->fields, [](const auto& f) { return f.first == "enum"; });
}

}  // namespace

Schemas load_schemas(const std::string& dir, Diagnostics& diags) {
    auto set = std::make_shared<SchemaSet>();
    for (const char* name : kSchemaNames) {
        std::string path = (fs::path(dir) / (std::string(name) + ".schema.json")).string();
        auto text = read_file(path, kMaxSchemaBytes, diags);
        if (!text) continue;
        auto root = read_json(path, *text, diags);
        allow_echo_if(path, root && root->kind == Value::Kind::map, {real_path(dir)});
        if (!root) continue;
        if (std::string_view(name) == "case") relax_library_parts(*root);
        if (auto schema = compile_schema(path, *root, diags))
            set->by_name.emplace(name, std::move(*schema));
    }
    Schemas out;
    out.set_ = std::move(set);
    return out;
}

std::optional<Case> load_case(const std::string& path, const Date& today, const Schemas& schemas,
                              const Library* library, Diagnostics& diags) {
    Since since(diags);
    auto text = read_file(path, kMaxCaseBytes, diags);
    if (!text) return std::nullopt;
    // The case file itself was named by whoever runs the command (or found by batch as a
    // case): its lines are shown, made printable.
    allow_echo(path);
    ReadLimits partial;
    partial.partial = true;
    auto root = read_yaml(path, *text, diags, 1, partial);
    if (!root) return std::nullopt;
    validate_as(schemas, "case", *root, "the case file", diags);
    if (root->kind != Value::Kind::map) return std::nullopt;
    if (library) {
        // A fact whose key or value is already reported (an impossible date, a map where the
        // schema wants a scalar) is not reported again.
        Diagnostics found;
        check_facts(*root, library->vocabulary, found);
        // Compared with what was reported before, never with the facts' own findings: two
        // mistakes on adjacent lines are both reported.
        const std::size_t before = diags.size();
        for (Diagnostic& d : found) {
            auto end = diags.begin() + static_cast<long>(before);
            bool seen = std::any_of(diags.begin(), end, [&](const Diagnostic& e) {
                return e.span.file == d.span.file &&
                       (e.span.line == d.span.line || e.span.line + 1 == d.span.line);
            });
            if (!seen) diags.push_back(std::move(d));
        }
    }

    Case c;
    c.file = path;
    c.reference = text_at(*root, "reference");
    if (const Value* v = root->find("reference");
        is_scalar(v) && !since.reported_at(v->span) && !safe_reference(c.reference))
        error(diags, v->span, "value.reference",
              "reference: \"" + c.reference +
                  "\" is not safe as a file name (letters, digits, "
                  "'.', '_' and '-', not starting with '.' or '-')");
    c.language = text_at(*root, "language", "en-GB");
    if (const Value* v = root->find("language"); is_scalar(v) && !since.reported_at(v->span))
        if (std::string problem = locale_problem(c.language); !problem.empty())
            error(diags, v->span, "value.language", "language: \"" + c.language + "\" " + problem);
    c.jurisdiction = text_at(*root, "jurisdiction", "generic");
    c.date = date_at(*root, "date").value_or(today);
    c.country = text_at(*root, "country");
    check_country(*root, "country", "country", since, diags);
    check_country(*root, "signed_in", "signed_in", since, diags);
    c.grounds = texts_at(*root, "grounds");
    if (const Value* a = root->find("applicant"); a && a->kind == Value::Kind::map) {
        c.applicant.name = text_at(*a, "name");
        c.applicant.pseudonym = text_at(*a, "pseudonym", initials(c.applicant.name));
        c.applicant.gender = text_at(*a, "gender", "unspecified");
        c.applicant.born = date_at(*a, "born");
        c.applicant.aliases = texts_at(*a, "aliases");
        c.applicant.nationality = text_at(*a, "nationality");
        check_country(*a, "nationality", "applicant.nationality", since, diags);
    }
    if (const Value* in = root->find("instructions"); in && in->kind == Value::Kind::map) {
        c.instructions.firm = text_at(*in, "firm");
        c.instructions.solicitor = text_at(*in, "solicitor");
        c.instructions.received = date_at(*in, "received");
    }
    read_evidence(*root, c, diags);
    if (const Value* cl = root->find("clauses"); cl && cl->kind == Value::Kind::map) {
        c.include = scalars_at(*cl, "include");
        c.exclude = scalars_at(*cl, "exclude");
    }
    check_clause_lists(c, library, since, diags);
    c.notes = text_at(*root, "notes");
    if (const Value* n = root->find("notes")) c.notes_span = n->span;
    check_plausible_dates(c, *root, diags);

    if (const Value* e = root->find("expert"); is_scalar(e) && !since.reported_at(e->span)) {
        fs::path p = fs::path(path).parent_path() / e->text;
        if (auto expert = load_expert(p.lexically_normal().string(), path, e->span, schemas, diags))
            c.expert = std::move(*expert);
    }
    std::string signed_in = text_at(*root, "signed_in");
    if (signed_in.empty()) signed_in = text_at(c.expert.root, "country");

    // Defaults go into the tree too, so that conditions and variables see them.
    root->set("language", text_value(c.language));
    root->set("jurisdiction", text_value(c.jurisdiction));
    root->set("date", date_value(c.date));
    if (!signed_in.empty()) root->set("signed_in", text_value(signed_in));
    // The expert's claimed fields, so that conditions can test them (`exists(expertise)`).
    if (const Value* x = c.expert.root.find("expertise")) root->set("expertise", *x);
    if (Value* a = root->find("applicant"); a && a->kind == Value::Kind::map) {
        a->set("pseudonym", text_value(c.applicant.pseudonym));
        a->set("gender", text_value(c.applicant.gender));
    }
    c.root = std::move(*root);
    if (since.errors()) return std::nullopt;
    return c;
}

namespace {

// The clause folders (built-in and --clauses), resolved: the library's files inside them may be
// shown under diagnostics.
using Folders = std::vector<fs::path>;

// read_yaml for one of the library's files, noting whether its lines may be shown.
std::optional<Value> read_library_yaml(const std::string& path, const std::string& text,
                                       Diagnostics& diags, const Folders& folders,
                                       int first_line = 1) {
    bool began_as_map = false;
    auto root = read_yaml(path, text, diags, first_line, {}, &began_as_map);
    allow_echo_if(path, began_as_map, folders);
    return root;
}

void load_sources(const std::string& path, Library& lib, std::map<std::string, std::string>& owner,
                  const Schemas& schemas, const Folders& folders, Diagnostics& diags) {
    auto text = read_file(path, kMaxClauseBytes, diags);
    if (!text) return;
    auto root = read_library_yaml(path, *text, diags, folders);
    if (!root) return;
    Since since(diags);
    validate_as(schemas, "sources", *root, "sources.yaml", diags);
    if (root->kind != Value::Kind::map) return;
    for (const auto& [key, v] : root->fields) {
        if (v.kind != Value::Kind::map) continue;  // reported by the schema
        if (auto it = owner.find(key); it != owner.end()) {
            error(diags, v.key_span, "source.duplicate",
                  "source \"" + key + "\" is also defined in " + it->second);
            continue;
        }
        owner[key] = path;
        Source s;
        s.key = key;
        s.author = text_at(v, "author");
        s.title = text_at(v, "title");
        s.url = text_at(v, "url");
        s.published = date_at(v, "published");
        s.accessed = date_at(v, "accessed");
        s.span = v.key_span;
        lib.sources.push_back(std::move(s));
    }
}

void load_clause(const std::string& path, Library& lib, std::map<std::string, std::string>& owner,
                 const Schemas& schemas, const Folders& folders, Diagnostics& diags) {
    auto text = read_file(path, kMaxClauseBytes, diags);
    if (!text) return;
    if (!check_utf8(path, *text, diags)) return;
    // Front matter: "---" on line 1, YAML, "---" on a line of its own.
    if (text->rfind("---\n", 0) != 0) {
        error(diags, {path, 1, 1}, "clause.front-matter",
              "a clause file starts with a \"---\" line and YAML front matter");
        return;
    }
    std::size_t end = text->find("\n---", 3);
    while (end != std::string::npos && end + 4 < text->size() && (*text)[end + 4] != '\n' &&
           (*text)[end + 4] != '\r')
        end = text->find("\n---", end + 4);
    if (end == std::string::npos) {
        error(diags, {path, 1, 1}, "clause.front-matter",
              "the front matter has no closing \"---\"");
        return;
    }
    std::string front = text->substr(4, end + 1 - 4);
    auto root = read_library_yaml(path, front, diags, folders, 2);
    if (!root) return;
    Since since(diags);
    validate_as(schemas, "clause", *root, "the front matter", diags);
    if (root->kind != Value::Kind::map) return;
    std::size_t body_start = text->find('\n', end + 1);
    body_start = body_start == std::string::npos ? text->size() : body_start + 1;
    int body_line = 1 + static_cast<int>(std::count(
                            text->begin(), text->begin() + static_cast<long>(body_start), '\n'));
    Clause c;
    c.id = text_at(*root, "id");
    c.title = text_at(*root, "title");
    c.section = text_at(*root, "section");
    if (const Value* o = root->find("order"); o && o->kind == Value::Kind::number)
        c.order = static_cast<int>(o->number);
    if (const Value* w = root->find("when"); is_scalar(w)) {
        c.when = w->text;
        c.when_span = w->span;
        // A quoted scalar's mark is at its opening quote; the condition starts after it.
        std::string_view line = line_of(*text, w->span.line);
        std::size_t byte = 0;
        for (int col = 1; byte < line.size(); ++byte) {
            if ((static_cast<unsigned char>(line[byte]) & 0xC0) == 0x80) continue;
            if (col++ == w->span.column) break;
        }
        if (byte < line.size() && (line[byte] == '"' || line[byte] == '\'')) ++c.when_span.column;
    }
    c.requires_ = texts_at(*root, "requires");
    c.excludes = texts_at(*root, "excludes");
    c.then = text_at(*root, "then");
    c.reviewed = date_at(*root, "reviewed");
    c.body = text->substr(body_start);
    c.body_span = {path, body_line, 1};
    c.span = {path, 1, 1};
    c.pack = fs::path(path).parent_path().filename().string();
    if (c.id.empty() || since.errors()) return;
    if (auto it = owner.find(c.id); it != owner.end()) {
        error(diags, root->find("id")->span, "clause.duplicate",
              "clause id \"" + c.id + "\" is also used by " + it->second);
        return;
    }
    owner[c.id] = path;
    lib.clauses.push_back(std::move(c));
}

void load_skeleton(const std::string& path, Library& lib, const Schemas& schemas,
                   const Folders& folders, Diagnostics& diags) {
    auto text = read_file(path, kMaxClauseBytes, diags);
    if (!text) return;
    auto root = read_library_yaml(path, *text, diags, folders);
    if (!root) return;
    validate_as(schemas, "report", *root, "report.yaml", diags);
    if (root->kind != Value::Kind::map) return;
    const Value* sections = root->find("sections");
    if (!sections || sections->kind != Value::Kind::list) return;
    for (const Value& s : sections->items) {
        if (s.kind != Value::Kind::map) continue;
        SectionDef def{text_at(s, "id"), text_at(s, "title"), s.span};
        if (def.id.empty()) continue;
        if (lib.section_index(def.id) >= 0)
            error(diags, s.span, "section.duplicate", "section \"" + def.id + "\" is listed twice");
        else
            lib.skeleton.push_back(std::move(def));
    }
}

// A pack's facts.yaml: the facts its clauses read, each with its type.
void load_facts(const std::string& path, Library& lib, std::map<std::string, std::string>& owner,
                const Schemas& schemas, const Folders& folders, Diagnostics& diags) {
    auto text = read_file(path, kMaxClauseBytes, diags);
    if (!text) return;
    auto root = read_library_yaml(path, *text, diags, folders);
    if (!root) return;
    validate_as(schemas, "facts", *root, "facts.yaml", diags);
    if (root->kind != Value::Kind::map) return;
    std::string pack = fs::path(path).parent_path().filename().string();
    for (const auto& [name, v] : root->fields) {
        if (v.kind != Value::Kind::map) continue;  // reported by the schema
        // Packs may share a fact ("detained" in several countries' packs) as long as they
        // agree on what a case writes for it; the first declaration (by path) describes it.
        std::string type = text_at(v, "type");
        if (auto it = owner.find(name); it != owner.end()) {
            // A copy: clang 14 cannot capture a structured binding in a lambda.
            const std::string wanted = name;
            auto first = std::find_if(lib.facts.begin(), lib.facts.end(),
                                      [&](const FactDecl& f) { return f.name == wanted; });
            if (first != lib.facts.end() && first->type != type)
                error(diags, v.key_span, "fact.conflict",
                      "fact \"" + name + "\" is declared as " + type + " here and as " +
                          first->type + " in " + it->second);
            continue;
        }
        owner[name] = path;
        FactDecl f;
        f.name = name;
        f.type = type;
        f.description = text_at(v, "description");
        f.enum_values = texts_at(v, "enum");
        if (const Value* m = v.find("minimum"); m && m->kind == Value::Kind::number)
            f.minimum = m->number;
        if (const Value* m = v.find("maximum"); m && m->kind == Value::Kind::number)
            f.maximum = m->number;
        f.pack = pack;
        f.span = v.key_span;
        lib.facts.push_back(std::move(f));
    }
}

void scan_pack_dir(const std::string& dir, std::vector<std::string>& clauses,
                   std::vector<std::string>& sources, std::vector<std::string>& facts,
                   Diagnostics& diags) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
        error(diags, {dir, 0, 0}, "clauses.not-a-directory", "not a clause directory");
        return;
    }
    for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        // Anything by a clause file's name but a folder is read, so that a FIFO or a dangling
        // symlink is reported (as read_file says why) rather than silently missing.
        std::error_code type_ec;
        if (it->is_directory(type_ec)) continue;
        const fs::path& p = it->path();
        if (p.extension() == ".md" && p.filename() != "README.md")
            clauses.push_back(p.string());
        else if (p.filename() == "sources.yaml")
            sources.push_back(p.string());
        else if (p.filename() == "facts.yaml")
            facts.push_back(p.string());
    }
    if (ec)
        error(diags, {dir, 0, 0}, "clauses.unreadable", "cannot list directory: " + ec.message());
}

}  // namespace

Library load_library(const std::string& builtin, const std::vector<std::string>& extra,
                     const Schemas& schemas, Diagnostics& diags) {
    Library lib;
    Folders folders = {real_path(builtin)};
    for (const auto& dir : extra) folders.push_back(real_path(dir));
    load_skeleton((fs::path(builtin) / "report.yaml").string(), lib, schemas, folders, diags);
    std::vector<std::string> clause_files, source_files, fact_files;
    scan_pack_dir(builtin, clause_files, source_files, fact_files, diags);
    for (const auto& dir : extra) scan_pack_dir(dir, clause_files, source_files, fact_files, diags);
    // Sorted paths: which of two duplicates is reported does not depend on the file system.
    std::sort(clause_files.begin(), clause_files.end());
    std::sort(source_files.begin(), source_files.end());
    clause_files.erase(std::unique(clause_files.begin(), clause_files.end()), clause_files.end());
    source_files.erase(std::unique(source_files.begin(), source_files.end()), source_files.end());
    std::sort(fact_files.begin(), fact_files.end());
    fact_files.erase(std::unique(fact_files.begin(), fact_files.end()), fact_files.end());
    std::map<std::string, std::string> clause_owner, source_owner, fact_owner;
    for (const auto& f : clause_files) load_clause(f, lib, clause_owner, schemas, folders, diags);
    for (const auto& f : source_files) load_sources(f, lib, source_owner, schemas, folders, diags);
    for (const auto& f : fact_files) load_facts(f, lib, fact_owner, schemas, folders, diags);
    std::set<std::string> with_facts, with_clauses;
    for (const auto& f : fact_files) with_facts.insert(fs::path(f).parent_path().string());
    for (const auto& f : clause_files) with_clauses.insert(fs::path(f).parent_path().string());
    for (const auto& dir : with_clauses)
        if (!with_facts.count(dir)) lib.packs_without_facts.push_back(dir);
    std::sort(lib.clauses.begin(), lib.clauses.end(),
              [](const Clause& a, const Clause& b) { return a.id < b.id; });
    std::sort(lib.sources.begin(), lib.sources.end(),
              [](const Source& a, const Source& b) { return a.key < b.key; });
    std::sort(lib.facts.begin(), lib.facts.end(),
              [](const FactDecl& a, const FactDecl& b) { return a.name < b.name; });
    return lib;
}

}  // namespace dossier::load
