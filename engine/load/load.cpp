#include "load/load.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

#include "load/yaml_reader.hpp"

namespace fs = std::filesystem;

namespace dossier::load {

namespace {

constexpr std::size_t kMaxCaseBytes = 1 << 20;    // 1 MiB
constexpr std::size_t kMaxClauseBytes = 1 << 20;  // 1 MiB

// Field access with type checks that report at the value's position.
class Reader {
public:
    Reader(const Value& map, std::string where, Diagnostics& diags)
        : map_(map), where_(std::move(where)), diags_(diags) {}

    void allow(std::vector<std::string> keys) {
        for (const auto& [k, v] : map_.fields)
            if (std::find(keys.begin(), keys.end(), k) == keys.end())
                error(diags_, v.key_span, "key.unknown", "unknown key \"" + prefix() + k + "\"",
                      did_you_mean(k, keys));
    }

    const Value* get(const std::string& key, bool required) {
        const Value* v = map_.find(key);
        if ((!v || v->is_null()) && required) {
            error(diags_, map_.span, "key.missing", "missing required key \"" + prefix() + key + "\"");
            return nullptr;
        }
        return v && !v->is_null() ? v : nullptr;
    }

    std::string string(const std::string& key, bool required, std::string fallback = {}) {
        const Value* v = get(key, required);
        if (!v) return fallback;
        if (v->kind == Value::Kind::list || v->kind == Value::Kind::map) {
            error(diags_, v->span, "type.expected-string",
                  "\"" + prefix() + key + "\" must be text, not a " + kind_name(v->kind));
            return fallback;
        }
        return v->text;
    }

    std::optional<Date> date(const std::string& key, bool required) {
        const Value* v = get(key, required);
        if (!v) return std::nullopt;
        if (v->kind != Value::Kind::date) {
            auto parsed = Date::parse(v->text);
            if (!parsed) {
                error(diags_, v->span, "type.expected-date",
                      "\"" + prefix() + key + "\" must be a date written YYYY-MM-DD");
                return std::nullopt;
            }
            return parsed;
        }
        return v->date;
    }

    std::vector<std::string> strings(const std::string& key, bool required) {
        std::vector<std::string> out;
        for (const Value& item : list(key, required)) {
            if (item.kind == Value::Kind::list || item.kind == Value::Kind::map)
                error(diags_, item.span, "type.expected-string",
                      "items of \"" + prefix() + key + "\" must be text");
            else
                out.push_back(item.text);
        }
        return out;
    }

    std::vector<Value> list(const std::string& key, bool required) {
        const Value* v = get(key, required);
        if (!v) return {};
        if (v->kind != Value::Kind::list) {
            error(diags_, v->span, "type.expected-list",
                  "\"" + prefix() + key + "\" must be a list, e.g. [a, b]");
            return {};
        }
        return v->items;
    }

    const Value* map(const std::string& key, bool required) {
        const Value* v = get(key, required);
        if (v && v->kind != Value::Kind::map) {
            error(diags_, v->span, "type.expected-map", "\"" + prefix() + key + "\" must be a map");
            return nullptr;
        }
        return v;
    }

    void one_of(const std::string& key, const std::string& value,
                const std::vector<std::string>& allowed) {
        if (value.empty() || std::find(allowed.begin(), allowed.end(), value) != allowed.end())
            return;
        const Value* v = map_.find(key);
        error(diags_, v ? v->span : map_.span, "value.unknown",
              "\"" + prefix() + key + "\": unknown value \"" + value + "\"",
              did_you_mean(value, allowed));
    }

private:
    std::string prefix() const { return where_.empty() ? "" : where_ + "."; }
    const Value& map_;
    std::string where_;
    Diagnostics& diags_;
};

const std::vector<std::string> kJurisdictions = {"uk-ftt-iac", "uk-utiac", "uk-cpr35", "us-eoir",
                                                 "generic"};
const std::vector<std::string> kGenders = {"male", "female", "nonbinary", "unspecified"};
const std::vector<std::string> kGrounds = {
    "race", "religion", "nationality", "political_opinion", "particular_social_group",
    "sexual_orientation", "gender_identity", "military_service", "ethnicity"};

bool safe_reference(const std::string& r) {
    if (r.empty() || r.size() > 100 || r == "." || r == "..") return false;
    return std::all_of(r.begin(), r.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               c == '.' || c == '_' || c == '-';
    });
}

bool is_country_code(const std::string& c) {
    return c.size() == 2 && c[0] >= 'A' && c[0] <= 'Z' && c[1] >= 'A' && c[1] <= 'Z';
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

std::optional<Expert> load_expert(const std::string& path, Span from, Diagnostics& diags) {
    Diagnostics local;
    auto text = read_file(path, kMaxCaseBytes, local);
    if (!text) {
        error(diags, from, "expert.unreadable", "cannot read the expert profile \"" + path + "\"");
        return std::nullopt;
    }
    auto root = read_yaml(path, *text, diags);
    if (!root) return std::nullopt;
    if (root->kind != Value::Kind::map) {
        error(diags, root->span, "type.expected-map", "an expert profile is a map of fields");
        return std::nullopt;
    }
    std::size_t before = diags.size();
    Reader r(*root, "", diags);
    r.allow({"name", "title", "affiliation", "country", "contact", "summary", "qualifications",
             "experience", "publications", "languages", "courts", "independence"});
    Expert e;
    e.file = path;
    e.name = r.string("name", true);
    e.title = r.string("title", false);
    e.affiliation = r.string("affiliation", false);
    e.contact = r.string("contact", false);
    e.summary = r.string("summary", false);
    e.independence = r.string("independence", false);
    e.qualifications = r.strings("qualifications", false);
    e.experience = r.strings("experience", false);
    e.publications = r.strings("publications", false);
    e.languages = r.strings("languages", false);
    e.courts = r.strings("courts", false);
    std::string country = r.string("country", false);
    if (!country.empty() && !is_country_code(country))
        error(diags, root->find("country")->span, "value.country",
              "\"country\" must be an ISO 3166-1 alpha-2 code such as GB");
    e.root = std::move(*root);
    if (has_errors(Diagnostics(diags.begin() + static_cast<long>(before), diags.end())))
        return std::nullopt;
    return e;
}

}  // namespace

std::optional<Case> load_case(const std::string& path, const Date& today, Diagnostics& diags) {
    std::size_t before = diags.size();
    auto text = read_file(path, kMaxCaseBytes, diags);
    if (!text) return std::nullopt;
    auto root = read_yaml(path, *text, diags);
    if (!root) return std::nullopt;
    if (root->kind != Value::Kind::map) {
        error(diags, root->span, "type.expected-map", "a case file is a map of fields");
        return std::nullopt;
    }
    Case c;
    c.file = path;
    Reader r(*root, "", diags);
    r.allow({"dossier", "reference", "language", "jurisdiction", "date", "expert", "instructions",
             "applicant", "country", "grounds", "facts", "clauses", "notes", "signed_in"});
    if (const Value* v = r.get("dossier", true); v && !(v->kind == Value::Kind::number && v->number == 1))
        error(diags, v->span, "value.version", "\"dossier\" must be 1 (the format version)");
    c.reference = r.string("reference", true);
    if (const Value* v = root->find("reference"); v && !c.reference.empty() && !safe_reference(c.reference))
        error(diags, v->span, "value.reference",
              "\"reference\" may hold only letters, digits, '.', '_' and '-' (it names the output file)");
    c.language = r.string("language", false, "en-GB");
    c.jurisdiction = r.string("jurisdiction", false, "generic");
    r.one_of("jurisdiction", c.jurisdiction, kJurisdictions);
    c.date = r.date("date", false).value_or(today);
    c.country = r.string("country", true);
    if (const Value* v = root->find("country"); v && !c.country.empty() && !is_country_code(c.country))
        error(diags, v->span, "value.country",
              "\"country\" must be an ISO 3166-1 alpha-2 code such as TJ");
    for (const Value& g : r.list("grounds", true)) {
        if (std::find(kGrounds.begin(), kGrounds.end(), g.text) == kGrounds.end())
            error(diags, g.span, "value.ground", "unknown ground \"" + g.text + "\"",
                  did_you_mean(g.text, kGrounds));
        c.grounds.push_back(g.text);
    }
    if (const Value* a = r.map("applicant", true)) {
        Reader ar(*a, "applicant", diags);
        ar.allow({"name", "pseudonym", "gender", "born", "nationality"});
        c.applicant.name = ar.string("name", true);
        c.applicant.pseudonym = ar.string("pseudonym", false, initials(c.applicant.name));
        c.applicant.gender = ar.string("gender", false, "unspecified");
        ar.one_of("gender", c.applicant.gender, kGenders);
        c.applicant.born = ar.date("born", false);
        c.applicant.nationality = ar.string("nationality", false);
        if (const Value* n = a->find("nationality");
            n && !c.applicant.nationality.empty() && !is_country_code(c.applicant.nationality))
            error(diags, n->span, "value.country",
                  "\"applicant.nationality\" must be an ISO 3166-1 alpha-2 code");
    }
    if (const Value* in = r.map("instructions", false)) {
        Reader ir(*in, "instructions", diags);
        ir.allow({"firm", "solicitor", "received", "questions"});
        c.instructions.firm = ir.string("firm", false);
        c.instructions.solicitor = ir.string("solicitor", false);
        c.instructions.received = ir.date("received", false);
        c.instructions.questions = ir.list("questions", false);
    }
    if (const Value* f = r.map("facts", false)) {
        for (const auto& [k, v] : f->fields)
            if (v.kind == Value::Kind::map)
                error(diags, v.span, "type.fact",
                      "fact \"" + k + "\" must be a scalar or a list, not a map");
    }
    if (const Value* cl = r.map("clauses", false)) {
        Reader cr(*cl, "clauses", diags);
        cr.allow({"include", "exclude"});
        c.include = cr.list("include", false);
        c.exclude = cr.list("exclude", false);
        for (const Value& in : c.include)
            for (const Value& ex : c.exclude)
                if (in.text == ex.text)
                    error(diags, ex.span, "clauses.both",
                          "clause \"" + ex.text + "\" is both included and excluded");
    }
    c.notes = r.string("notes", false);
    if (const Value* n = root->find("notes")) c.notes_span = n->span;

    std::string expert_path = r.string("expert", true);
    if (!expert_path.empty()) {
        fs::path p = fs::path(path).parent_path() / expert_path;
        if (auto e = load_expert(p.lexically_normal().string(), root->find("expert")->span, diags))
            c.expert = std::move(*e);
    }
    std::string signed_in = r.string("signed_in", false);
    if (signed_in.empty())
        if (const Value* ec = c.expert.root.find("country")) signed_in = ec->text;

    // Defaults go into the tree too, so that conditions and variables see them.
    root->set("language", text_value(c.language));
    root->set("jurisdiction", text_value(c.jurisdiction));
    root->set("date", date_value(c.date));
    if (!signed_in.empty()) root->set("signed_in", text_value(signed_in));
    if (Value* a = root->find("applicant"); a && a->kind == Value::Kind::map) {
        a->set("pseudonym", text_value(c.applicant.pseudonym));
        a->set("gender", text_value(c.applicant.gender));
    }
    c.root = std::move(*root);
    if (has_errors(Diagnostics(diags.begin() + static_cast<long>(before), diags.end())))
        return std::nullopt;
    return c;
}

namespace {

void load_sources(const std::string& path, Library& lib, std::map<std::string, std::string>& owner,
                  Diagnostics& diags) {
    auto text = read_file(path, kMaxClauseBytes, diags);
    if (!text) return;
    auto root = read_yaml(path, *text, diags);
    if (!root) return;
    if (root->kind != Value::Kind::map) {
        error(diags, root->span, "type.expected-map", "sources.yaml is a map of source keys");
        return;
    }
    for (const auto& [key, v] : root->fields) {
        if (v.kind != Value::Kind::map) {
            error(diags, v.span, "type.expected-map", "source \"" + key + "\" must be a map");
            continue;
        }
        if (auto it = owner.find(key); it != owner.end()) {
            error(diags, v.key_span, "source.duplicate",
                  "source \"" + key + "\" is also defined in " + it->second);
            continue;
        }
        owner[key] = path;
        Reader r(v, key, diags);
        r.allow({"author", "title", "url", "published", "accessed"});
        Source s;
        s.key = key;
        s.author = r.string("author", true);
        s.title = r.string("title", true);
        s.url = r.string("url", false);
        s.published = r.date("published", false);
        s.accessed = r.date("accessed", false);
        s.span = v.key_span;
        lib.sources.push_back(std::move(s));
    }
}

void load_clause(const std::string& path, Library& lib,
                 std::map<std::string, std::string>& owner, Diagnostics& diags) {
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
        error(diags, {path, 1, 1}, "clause.front-matter", "the front matter has no closing \"---\"");
        return;
    }
    std::string front = text->substr(4, end + 1 - 4);
    auto root = read_yaml(path, front, diags, 2);
    if (!root) return;
    if (root->kind != Value::Kind::map) {
        error(diags, {path, 2, 1}, "type.expected-map", "the front matter must be a map");
        return;
    }
    std::size_t body_start = text->find('\n', end + 1);
    body_start = body_start == std::string::npos ? text->size() : body_start + 1;
    int body_line = 1 + static_cast<int>(std::count(text->begin(),
                                                    text->begin() + static_cast<long>(body_start), '\n'));
    Reader r(*root, "", diags);
    r.allow({"id", "title", "section", "order", "when", "requires", "excludes", "reviewed"});
    Clause c;
    c.id = r.string("id", true);
    c.title = r.string("title", false);
    c.section = r.string("section", true);
    if (const Value* o = r.get("order", false)) {
        if (o->kind != Value::Kind::number || o->number != static_cast<int>(o->number))
            error(diags, o->span, "type.expected-integer", "\"order\" must be a whole number");
        else
            c.order = static_cast<int>(o->number);
    }
    if (const Value* w = r.get("when", false)) {
        c.when = w->text;
        c.when_span = w->span;
        // A quoted scalar's mark is at its opening quote; the condition starts after it.
        std::string line = source_line(path, w->span.line);
        std::size_t byte = 0;
        for (int col = 1; byte < line.size(); ++byte) {
            if ((static_cast<unsigned char>(line[byte]) & 0xC0) == 0x80) continue;
            if (col++ == w->span.column) break;
        }
        if (byte < line.size() && (line[byte] == '"' || line[byte] == '\'')) ++c.when_span.column;
        if (w->kind == Value::Kind::boolean) c.when = w->boolean ? "true" : "false";
    }
    c.requires_ = r.strings("requires", false);
    c.excludes = r.strings("excludes", false);
    c.reviewed = r.date("reviewed", false);
    c.body = text->substr(body_start);
    c.body_span = {path, body_line, 1};
    c.span = {path, 1, 1};
    c.pack = fs::path(path).parent_path().filename().string();
    if (c.id.empty()) return;
    if (auto it = owner.find(c.id); it != owner.end()) {
        error(diags, root->find("id")->span, "clause.duplicate",
              "clause id \"" + c.id + "\" is also used by " + it->second);
        return;
    }
    owner[c.id] = path;
    lib.clauses.push_back(std::move(c));
}

void load_skeleton(const std::string& path, Library& lib, Diagnostics& diags) {
    auto text = read_file(path, kMaxClauseBytes, diags);
    if (!text) return;
    auto root = read_yaml(path, *text, diags);
    if (!root) return;
    if (root->kind != Value::Kind::map) {
        error(diags, root->span, "type.expected-map", "report.yaml is a map with \"sections\"");
        return;
    }
    Reader r(*root, "", diags);
    r.allow({"sections"});
    for (const Value& s : r.list("sections", true)) {
        if (s.kind != Value::Kind::map) {
            error(diags, s.span, "type.expected-map", "a section is a map with id and title");
            continue;
        }
        Reader sr(s, "sections", diags);
        sr.allow({"id", "title"});
        SectionDef def{sr.string("id", true), sr.string("title", true), s.span};
        if (lib.section_index(def.id) >= 0)
            error(diags, s.span, "section.duplicate", "section \"" + def.id + "\" is listed twice");
        else
            lib.skeleton.push_back(std::move(def));
    }
}

void scan_pack_dir(const std::string& dir, std::vector<std::string>& clauses,
                   std::vector<std::string>& sources, Diagnostics& diags) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
        error(diags, {dir, 0, 0}, "clauses.not-a-directory", "not a clause directory");
        return;
    }
    for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        if (!it->is_regular_file(ec)) continue;
        const fs::path& p = it->path();
        if (p.extension() == ".md" && p.filename() != "README.md")
            clauses.push_back(p.string());
        else if (p.filename() == "sources.yaml")
            sources.push_back(p.string());
    }
    if (ec) error(diags, {dir, 0, 0}, "clauses.unreadable", "cannot list directory: " + ec.message());
}

}  // namespace

Library load_library(const std::string& builtin, const std::vector<std::string>& extra,
                     Diagnostics& diags) {
    Library lib;
    load_skeleton((fs::path(builtin) / "report.yaml").string(), lib, diags);
    std::vector<std::string> clause_files, source_files;
    scan_pack_dir(builtin, clause_files, source_files, diags);
    for (const auto& dir : extra) scan_pack_dir(dir, clause_files, source_files, diags);
    // Sorted paths: which of two duplicates is reported does not depend on the file system.
    std::sort(clause_files.begin(), clause_files.end());
    std::sort(source_files.begin(), source_files.end());
    clause_files.erase(std::unique(clause_files.begin(), clause_files.end()), clause_files.end());
    source_files.erase(std::unique(source_files.begin(), source_files.end()), source_files.end());
    std::map<std::string, std::string> clause_owner, source_owner;
    for (const auto& f : clause_files) load_clause(f, lib, clause_owner, diags);
    for (const auto& f : source_files) load_sources(f, lib, source_owner, diags);
    std::sort(lib.clauses.begin(), lib.clauses.end(),
              [](const Clause& a, const Clause& b) { return a.id < b.id; });
    std::sort(lib.sources.begin(), lib.sources.end(),
              [](const Source& a, const Source& b) { return a.key < b.key; });
    return lib;
}

std::string source_line(const std::string& file, int line) {
    std::ifstream in(file, std::ios::binary);
    std::string text;
    for (int i = 1; i <= line && std::getline(in, text); ++i) {
        if (i == line) {
            if (!text.empty() && text.back() == '\r') text.pop_back();
            return text;
        }
    }
    return {};
}

}  // namespace dossier::load
