#include "compose/compose.hpp"

#include <unicode/datefmt.h>
#include <unicode/fmtable.h>
#include <unicode/listformatter.h>
#include <unicode/locid.h>
#include <unicode/msgfmt.h>
#include <unicode/smpdtfmt.h>
#include <unicode/timezone.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <set>
#include <tuple>

#include "compose/composer.hpp"
#include "compose/markup.hpp"

namespace dossier::compose {

namespace detail {

using detail::Piece;

namespace {

// The end of argument `a` (the offset of its closing brace) and its style ("long", "::yMMMd",
// a pattern; empty when none), following ICU's apostrophe quoting; nullopt when malformed.
std::optional<std::pair<std::size_t, std::string>> argument_tail(std::string_view pattern,
                                                                 const Argument& a) {
    std::size_t i = a.name_end;
    auto skip = [&] {
        while (i < pattern.size() && is_space(pattern[i])) ++i;
    };
    skip();
    if (i >= pattern.size() || pattern[i] != ',') return std::nullopt;
    ++i;
    skip();
    while (i < pattern.size() && pattern[i] != ',' && pattern[i] != '}' && !is_space(pattern[i]))
        ++i;
    skip();
    if (i < pattern.size() && pattern[i] == '}') return std::make_pair(i, std::string());
    if (i >= pattern.size() || pattern[i] != ',') return std::nullopt;
    std::size_t start = ++i;
    bool quoted = false;
    for (; i < pattern.size(); ++i) {
        if (pattern[i] == '\'') quoted = !quoted;
        if (!quoted && pattern[i] == '}') {
            std::string style(pattern.substr(start, i - start));
            while (!style.empty() && is_space(style.back())) style.pop_back();
            while (!style.empty() && is_space(style.front())) style.erase(0, 1);
            return std::make_pair(i, style);
        }
    }
    return std::nullopt;
}

}  // namespace

bool printable_number(double n) { return std::isfinite(n) && std::fabs(n) <= 9007199254740992.0; }

std::optional<icu::UnicodeString> Composer::format_date(const Date& d, const std::string& type,
                                                        const std::string& style) const {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::DateFormat> f;
    const bool time = type == "time";
    auto fixed = [&](icu::DateFormat::EStyle s) {
        f.reset(time ? icu::DateFormat::createTimeInstance(s, locale_)
                     : icu::DateFormat::createDateInstance(s, locale_));
    };
    if (style.empty() || style == "medium")
        fixed(icu::DateFormat::kMedium);
    else if (style == "short")
        fixed(icu::DateFormat::kShort);
    else if (style == "long")
        fixed(icu::DateFormat::kLong);
    else if (style == "full")
        fixed(icu::DateFormat::kFull);
    else if (style.rfind("::", 0) == 0)
        f.reset(icu::DateFormat::createInstanceForSkeleton(from_utf8(style.substr(2)), locale_,
                                                           status));
    else
        f = std::make_unique<icu::SimpleDateFormat>(from_utf8(style), locale_, status);
    if (U_FAILURE(status) || !f) return std::nullopt;
    f->setTimeZone(*icu::TimeZone::getGMT());
    icu::UnicodeString out;
    f->format(to_udate(d), out);
    return out;
}

std::string Composer::country_name(const std::string& code) const {
    if (code.empty()) return {};
    icu::UnicodeString name;
    icu::Locale("", code.c_str()).getDisplayCountry(locale_, name);
    std::string out = to_utf8(name);
    return out.empty() ? code : out;
}

std::string Composer::long_date(const Date& d) const {
    if (!long_date_) return d.iso();
    icu::UnicodeString out;
    long_date_->format(to_udate(d), out);
    return to_utf8(out);
}

std::string Composer::join(const std::vector<std::string>& items) const {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::ListFormatter> lf(icu::ListFormatter::createInstance(locale_, status));
    if (U_FAILURE(status) || !lf) {
        std::string out;
        for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + items[i];
        return out;
    }
    std::vector<icu::UnicodeString> u;
    for (const auto& s : items) u.push_back(from_utf8(s));
    icu::UnicodeString out;
    lf->format(u.data(), static_cast<std::int32_t>(u.size()), out, status);
    return to_utf8(out);
}

// Variables a clause may use beyond the case file's own paths.
void Composer::build_environment() {
    env_ = case_.root;
    if (env_.kind != Value::Kind::map) env_.kind = Value::Kind::map;
    env_.set("country_name", text_value(country_name(case_.country)));
    if (!case_.applicant.nationality.empty())
        env_.set("nationality_name", text_value(country_name(case_.applicant.nationality)));
    std::vector<std::string> grounds;
    for (std::string g : case_.grounds) {
        std::replace(g.begin(), g.end(), '_', ' ');
        grounds.push_back(g);
    }
    env_.set("grounds_text", text_value(join(grounds)));
    // How the report names the forum and the person, so that clause text need not select on
    // jurisdiction codes (a select keyword cannot contain a hyphen).
    const std::string& j = case_.jurisdiction;
    std::string court = "the court", court_name = "the court", person = "applicant";
    if (j == "uk-ftt-iac") {
        court = "the Tribunal";
        court_name = "the First-tier Tribunal (Immigration and Asylum Chamber)";
        person = "appellant";
    } else if (j == "uk-utiac") {
        court = "the Tribunal";
        court_name = "the Upper Tribunal (Immigration and Asylum Chamber)";
        person = "appellant";
    } else if (j == "us-eoir") {
        court = "the Immigration Court";
        court_name = "the Immigration Court (Executive Office for Immigration Review)";
        person = "respondent";
    } else if (j == "generic") {
        court = "the decision-maker";
        court_name.clear();
    }
    env_.set("court", text_value(court));
    env_.set("court_name", text_value(court_name));
    env_.set("person", text_value(person));
    env_.set("question_count",
             number_value(static_cast<double>(case_.instructions.questions.size())));
    Value expert;
    expert.kind = Value::Kind::map;
    for (const char* key : {"name", "title", "affiliation", "contact", "country"})
        if (const Value* v = case_.expert.root.find(key)) expert.set(key, *v);
    env_.set("expert", std::move(expert));
    if (case_.expert.expertise_given) {
        Value fields;
        fields.kind = Value::Kind::map;
        std::vector<std::string> countries, themes;
        for (const std::string& code : case_.expert.countries)
            countries.push_back(country_name(code));
        // Themes that are grounds of persecution are named only when they are this case's:
        // a report on a gender identity claim says nothing of sexual orientation.
        static const std::vector<std::string> kGrounds = {"race",
                                                          "religion",
                                                          "nationality",
                                                          "political_opinion",
                                                          "particular_social_group",
                                                          "sexual_orientation",
                                                          "gender_identity"};
        for (std::string t : case_.expert.themes) {
            bool ground = std::find(kGrounds.begin(), kGrounds.end(), t) != kGrounds.end();
            if (ground &&
                std::find(case_.grounds.begin(), case_.grounds.end(), t) == case_.grounds.end())
                continue;
            std::replace(t.begin(), t.end(), '_', ' ');
            themes.push_back(t);
        }
        fields.set("countries", text_value(join(countries)));
        fields.set("themes", text_value(join(themes)));
        env_.set("expertise", std::move(fields));
    }
    // In a sample the case is already a copy with its identity replaced (sample_case): the
    // firm reads as a neutral description, which clause text may print ("I am instructed by
    // ..."), and the fields below are not even that, so that clause text cannot print them.
    if (options_.sample) {
        auto erase = [&](const char* parent, const char* key) {
            if (Value* p = env_.find(parent); p && p->kind == Value::Kind::map)
                std::erase_if(p->fields, [&](const auto& f) { return f.first == key; });
        };
        erase("applicant", "name");
        erase("applicant", "born");
        erase("applicant", "aliases");
        erase("instructions", "solicitor");
    }
}

Span Composer::position(const Clause& clause, std::size_t offset) const {
    return clause.at(offset);
}

std::vector<Inline> Composer::paragraph(const Clause& clause, std::string_view pattern,
                                        std::size_t offset, std::size_t section,
                                        std::size_t block) {
    detail::ScanResult scan = detail::scan_pattern(pattern);
    if (!scan.error.empty()) {
        error(diags_, position(clause, offset + scan.error_offset), "compose.pattern", scan.error);
        return {};
    }
    literals_.clear();
    std::vector<icu::UnicodeString> names;
    std::vector<icu::Formattable> values;
    std::vector<std::string> replacement;  // per argument: its new name
    // Per argument: the end of what `replacement` replaces (the name, or for a date the name
    // with its type and style, which compose formats itself).
    std::vector<std::size_t> replaced_end;
    bool ok = true;
    for (std::size_t i = 0; i < scan.arguments.size(); ++i) {
        const detail::Argument& a = scan.arguments[i];
        Span at = position(clause, offset + a.open);
        std::string name = "a" + std::to_string(i);
        replacement.push_back(name);
        replaced_end.push_back(a.name_end);
        const Value* v = env_.at_path(a.name);
        bool confidential = a.name == "applicant.name" || a.name == "applicant.born" ||
                            a.name == "applicant.aliases" || a.name == "instructions.solicitor" ||
                            a.name == "appeal.number" || a.name == "appeal.a_number";
        if (options_.sample && confidential) {
            error(
                diags_, at, "compose.confidential",
                "variable \"" + a.name + "\" is confidential and cannot appear in a sample report",
                {"refer to the applicant as {applicant.pseudonym}"});
            ok = false;
            continue;
        }
        if (!v || v->is_null()) {
            error(diags_, at, "compose.missing-variable",
                  "variable \"" + a.name + "\" is not supplied by the case file",
                  {"guard the clause with exists(" + a.name +
                   ") in its when condition, or "
                   "add the fact to the case file"});
            ok = false;
            continue;
        }
        auto wrong = [&](const char* needs) {
            error(diags_, at, "compose.type",
                  "variable \"" + a.name + "\" is a " + kind_name(v->kind) + ", but " +
                      (a.type.empty() ? std::string("plain text") : a.type) + " needs " + needs);
            ok = false;
        };
        // A number ICU cannot print as written ("1e400" would read "∞ separate occasions").
        auto printable = [&] {
            if (printable_number(v->number)) return true;
            error(diags_, at, "compose.number",
                  "variable \"" + a.name + "\" is " +
                      (v->text.empty() ? std::to_string(v->number) : v->text) +
                      ", which cannot be printed exactly",
                  {"a number in a report must be finite and at most 9007199254740992 (2^53) in "
                   "magnitude"});
            ok = false;
            return false;
        };
        const std::string& t = a.type;
        names.push_back(from_utf8(name));
        if (t == "plural" || t == "selectordinal" || t == "number" || t == "spellout" ||
            t == "ordinal" || t == "duration") {
            if (v->kind != Value::Kind::number)
                wrong("a number");
            else
                printable();
            values.emplace_back(v->number);
        } else if (t == "select") {
            if (v->kind == Value::Kind::string)
                values.emplace_back(from_utf8(v->text));
            else if (v->kind == Value::Kind::boolean)
                values.emplace_back(icu::UnicodeString(v->boolean ? u"true" : u"false"));
            else
                wrong("text or a boolean to select on");
        } else if (t == "date" || t == "time") {
            // Formatted here in UTC rather than by MessageFormat, whose date formats use the
            // process's time zone (in UTC+13 noon UTC is the next day).
            if (v->kind != Value::Kind::date) wrong("a date written YYYY-MM-DD");
            auto tail = argument_tail(pattern, a);
            std::optional<icu::UnicodeString> text;
            if (tail) text = format_date(v->date, t, tail->second);
            if (!text) {
                error(diags_, at, "compose.format",
                      "the " + t + " format of variable \"" + a.name + "\" is not one ICU reads",
                      {"use short, medium, long, full, a skeleton such as ::yMMMMd, or a pattern"});
                ok = false;
            } else {
                replaced_end.back() = tail->first;
                values.emplace_back(*text);
            }
        } else if (t.empty()) {
            // Case text is inserted as a marker and substituted after markup is read, so
            // that nothing typed in a case file is ever interpreted.
            std::string literal;
            switch (v->kind) {
                case Value::Kind::number:
                    printable();
                    values.emplace_back(v->number);
                    break;
                case Value::Kind::date:
                    values.emplace_back(from_utf8(long_date(v->date)));
                    break;
                case Value::Kind::string:
                    literal = v->text;
                    break;
                case Value::Kind::list: {
                    std::vector<std::string> items;
                    for (const Value& item : v->items) items.push_back(item.text);
                    literal = join(items);
                    break;
                }
                case Value::Kind::boolean:
                    wrong("text, a number or a date (use select to print a yes/no fact)");
                    break;
                default:
                    wrong("a printable value");
            }
            if (v->kind == Value::Kind::string || v->kind == Value::Kind::list) {
                std::string marker = std::string(detail::kLiteralOpen) +
                                     std::to_string(literals_.size()) +
                                     std::string(detail::kLiteralClose);
                literals_.emplace_back(literal, v->span);
                values.emplace_back(from_utf8(marker));
            }
        } else {
            error(diags_, at, "compose.format",
                  "unknown format \"" + t + "\" for variable \"" + a.name + "\"",
                  {"use plural, select, selectordinal, number or date"});
            ok = false;
        }
        if (values.size() < names.size()) values.emplace_back(icu::UnicodeString());
    }
    if (!ok) return {};

    std::string rewritten(pattern);
    for (std::size_t i = scan.arguments.size(); i-- > 0;) {
        const detail::Argument& a = scan.arguments[i];
        rewritten.replace(a.name_begin, replaced_end[i] - a.name_begin, replacement[i]);
    }
    UErrorCode status = U_ZERO_ERROR;
    UParseError perr{};
    icu::MessageFormat fmt(from_utf8(rewritten), locale_, perr, status);
    icu::UnicodeString formatted;
    if (U_SUCCESS(status))
        fmt.format(names.data(), values.data(), static_cast<std::int32_t>(names.size()), formatted,
                   status);
    if (U_FAILURE(status)) {
        error(diags_, position(clause, offset), "compose.pattern",
              std::string("the paragraph is not a valid message pattern (ICU: ") +
                  u_errorName(status) + ")");
        return {};
    }

    detail::MarkupResult markup = detail::parse_markup(to_utf8(formatted));
    for (const std::string& e : markup.errors)
        error(diags_, position(clause, offset), "compose.markup", e);
    InlineBuilder out;
    Span origin = position(clause, offset);
    for (const Piece& p : markup.pieces) {
        switch (p.kind) {
            case Piece::Kind::text:
                out.text(p.text, p.style, origin);
                break;
            case Piece::Kind::literal:
                if (p.literal < literals_.size())
                    out.text(literals_[p.literal].first, p.style, literals_[p.literal].second);
                break;
            case Piece::Kind::citation: {
                std::size_t at = pattern.find("[@" + p.text + "]");
                cite(out, p.text,
                     position(clause, offset + (at == std::string_view::npos ? 0 : at)));
                break;
            }
            case Piece::Kind::cross_reference: {
                std::size_t at = pattern.find("[\xC2\xA7" + p.text + "]");
                Span where = position(clause, offset + (at == std::string_view::npos ? 0 : at));
                references_.push_back({section, block, out.size(), p.text, where});
                // An internal link to the clause's first paragraph (Inline::uri); it also keeps
                // the text after it out of this run.
                out.text("paragraph ?", p.style, where, "#clause:" + p.text, true);
                break;
            }
        }
    }
    return out.finish();
}

void Composer::cite(InlineBuilder& out, const std::string& key, const Span& origin) {
    const Source* s = library_.find_source(key);
    if (!s) {
        error(diags_, origin, "compose.unknown-source",
              "citation [@" + key + "] names no source in any sources.yaml");
        return;
    }
    Footnote note;
    note.number = static_cast<int>(doc_.footnotes.size()) + 1;
    InlineBuilder text;
    if (!s->author.empty()) text.text(s->author + ", ", Style::regular, s->span);
    text.text(s->title, Style::italic, s->span);
    auto first = first_citation_.find(key);
    if (first != first_citation_.end()) {
        // Later citations refer back to the full one (OSCOLA's "(n 3)").
        text.text(" (n " + std::to_string(first->second) + ").", Style::regular, s->span);
    } else {
        first_citation_.emplace(key, note.number);
        if (s->published) text.text(" (" + long_date(*s->published) + ")", Style::regular, s->span);
        if (!s->url.empty()) {
            text.text(" <", Style::regular, s->span);
            text.text(s->url, Style::regular, s->span, s->url);
            text.text(">", Style::regular, s->span);
        }
        check_accessed(*s);
        if (auto when = accessed(*s))
            text.text(" accessed " + long_date(*when), Style::regular, s->span);
        text.text(".", Style::regular, s->span);
    }
    note.content = text.finish();
    out.footnote(note.number, origin);
    doc_.footnotes.push_back(std::move(note));
}

void Composer::add_clause(Section& section, std::size_t section_index, const Clause& clause) {
    if (!clause.title.empty()) {
        Block h;
        h.kind = Block::Kind::heading;
        Inline t;
        t.text = clause.title;
        t.style = Style::bold;
        t.origin = clause.span;
        h.content.push_back(std::move(t));
        section.blocks.push_back(std::move(h));
    }
    // Paragraphs are separated by blank lines; a paragraph whose lines all start with "- " is a
    // list. Offsets stay those of the clause body so that messages point into the file.
    std::string_view body = clause.body;
    std::size_t i = 0;
    bool first = true;
    while (i < body.size()) {
        while (i < body.size()) {  // skip blank lines
            std::size_t eol = body.find('\n', i);
            std::size_t end = eol == std::string_view::npos ? body.size() : eol;
            std::string_view line = body.substr(i, end - i);
            if (line.find_first_not_of(" \t\r") != std::string_view::npos) break;
            i = end == body.size() ? end : end + 1;
        }
        if (i >= body.size()) break;
        std::vector<std::pair<std::size_t, std::size_t>> lines;  // offset, length
        while (i < body.size()) {
            std::size_t eol = body.find('\n', i);
            std::size_t end = eol == std::string_view::npos ? body.size() : eol;
            std::string_view line = body.substr(i, end - i);
            if (line.find_first_not_of(" \t\r") == std::string_view::npos) break;
            lines.emplace_back(i, end - i);
            i = end == body.size() ? end : end + 1;
        }
        bool list = std::all_of(lines.begin(), lines.end(), [&](auto l) {
            std::string_view s = body.substr(l.first, l.second);
            std::size_t k = s.find_first_not_of(" \t");
            return k != std::string_view::npos && s.substr(k, 2) == "- ";
        });
        if (list) {
            for (auto [at, len] : lines) {
                std::string_view s = body.substr(at, len);
                std::size_t k = s.find_first_not_of(" \t") + 2;
                Block b;
                b.kind = Block::Kind::list_item;
                b.content =
                    paragraph(clause, s.substr(k), at + k, section_index, section.blocks.size());
                section.blocks.push_back(std::move(b));
            }
            continue;
        }
        std::size_t start = lines.front().first;
        std::size_t stop = lines.back().first + lines.back().second;
        std::string pattern(body.substr(start, stop - start));
        std::replace(pattern.begin(), pattern.end(), '\n', ' ');
        Block b;
        b.kind = Block::Kind::paragraph;
        b.number = ++paragraph_number_;
        if (first) {
            b.anchor = "clause:" + clause.id;
            first_paragraph_.emplace(clause.id, b.number);
            first = false;
        }
        b.content = paragraph(clause, pattern, start, section_index, section.blocks.size());
        auto [range, fresh] = clause_paragraphs_.try_emplace(clause.id, b.number, b.number);
        if (!fresh) range->second.second = b.number;
        section.blocks.push_back(std::move(b));
    }
}

// Text typed in the case file, split into paragraphs at blank lines, printed as typed.
void Composer::literal_paragraphs(Section& section, const std::string& text, const Span& origin,
                                  bool numbered) {
    std::size_t i = 0;
    int line = 0;
    while (i < text.size()) {
        std::size_t end = text.find("\n\n", i);
        if (end == std::string::npos) end = text.size();
        std::string para = text.substr(i, end - i);
        int lines_before = line;
        line += static_cast<int>(std::count(para.begin(), para.end(), '\n')) + 2;
        i = end + 2;
        if (para.find_first_not_of(" \t\n\r") == std::string::npos) continue;
        InlineBuilder b;
        Span at = origin;
        if (at.line > 0) {
            at.line += lines_before + 1;  // a block scalar starts on the line after its key
            at.column = 1;
        }
        b.text(para, Style::regular, at);
        Block block;
        block.kind = numbered ? Block::Kind::paragraph : Block::Kind::plain;
        block.number = numbered ? ++paragraph_number_ : 0;
        block.content = b.finish();
        section.blocks.push_back(std::move(block));
    }
}

Section Composer::sources_section() {
    Section s;
    s.id = "sources";
    s.title = "Sources cited";
    std::vector<const Source*> cited;
    for (const auto& [key, number] : first_citation_)
        if (const Source* src = library_.find_source(key)) cited.push_back(src);
    std::sort(cited.begin(), cited.end(), [](const Source* a, const Source* b) {
        return std::tie(a->author, a->title, a->key) < std::tie(b->author, b->title, b->key);
    });
    for (const Source* src : cited) {
        InlineBuilder b;
        if (!src->author.empty()) b.text(src->author + ", ", Style::regular, src->span);
        b.text(src->title, Style::italic, src->span);
        if (src->published)
            b.text(" (" + long_date(*src->published) + ")", Style::regular, src->span);
        if (!src->url.empty()) {
            b.text(" <", Style::regular, src->span);
            b.text(src->url, Style::regular, src->span, src->url);
            b.text(">", Style::regular, src->span);
        }
        if (auto when = accessed(*src))
            b.text(" accessed " + long_date(*when), Style::regular, src->span);
        b.text(".", Style::regular, src->span);
        Block block;
        block.kind = Block::Kind::source;
        block.content = b.finish();
        s.blocks.push_back(std::move(block));
    }
    return s;
}

std::optional<Date> Composer::accessed(const Source& s) const {
    for (const auto& [key, record] : case_.accessed)
        if (key == s.key) return record.date;
    return s.accessed;
}

// A library's access date goes stale: a source read more than a year before the report may
// have changed or gone, and the report would certify a reading nobody made.
void Composer::check_accessed(const Source& s) {
    if (auto when = accessed(s); when && *when > case_.date)
        warning(diags_, s.span, "source.after-report",
                "source \"" + s.key + "\" is recorded as accessed on " + long_date(*when) +
                    ", after the report date " + long_date(case_.date));
    if (!s.accessed) return;
    for (const auto& record : case_.accessed)
        if (record.first == s.key) return;
    if (case_.date.days_since_epoch() - s.accessed->days_since_epoch() <= 365) return;
    std::string message = "source \"" + s.key + "\" was last accessed on " +
                          long_date(*s.accessed) + ", more than a year before the report date " +
                          long_date(case_.date);
    std::vector<std::string> hints = {
        "check the source again and record the date in the case "
        "file as sources." +
        s.key + ".accessed"};
    if (options_.strict)
        error(diags_, s.span, "source.stale", message, std::move(hints));
    else
        warning(diags_, s.span, "source.stale", message, std::move(hints));
}

// Names keep their spelling as typed (an apostrophe in "O'Brien" stays straight), and the
// case's numbers every character, wherever the text prints them.
TypographyOptions Composer::typography() const {
    TypographyOptions t;
    t.language = case_.language;
    auto keep = [&](const std::string& s) {
        if (!s.empty()) t.keep.push_back(s);
    };
    keep(case_.applicant.name);
    keep(case_.applicant.pseudonym);
    for (const std::string& a : case_.applicant.aliases) keep(a);
    keep(case_.instructions.solicitor);
    keep(case_.instructions.firm);
    keep(case_.expert.name);
    for (const Case::Assistant& a : case_.assistance.items) keep(a.name);
    for (const Case::DocumentRef& d : case_.documents.items) keep(d.id);
    keep(case_.reference);
    keep(case_.appeal.number);
    keep(case_.appeal.a_number);
    return t;
}

Document Composer::run(const rules::Selection& selection) {
    cover();
    for (const SectionDef& def : library_.skeleton) {
        Section section;
        section.id = def.id;
        // A skeleton title may name the person as the forum does ("The {person}’s account").
        section.title = def.title;
        if (auto at = section.title.find("{person}"); at != std::string::npos)
            section.title.replace(at, 8, env_.find("person")->text);
        std::size_t index = doc_.sections.size();
        for (std::size_t k : selection.clauses)
            if (k < library_.clauses.size() && library_.clauses[k].section == def.id) {
                const Clause& clause = library_.clauses[k];
                add_clause(section, index, clause);
                if (!clause.then.empty()) case_part(section, index, clause.then);
            }
        case_parts(section, index);
        if (options_.draft) draft_placeholders(section, def.id);
        if (!section.blocks.empty()) doc_.sections.push_back(std::move(section));
    }

    // Cross-references can point forwards, so they are settled once every paragraph has its
    // number.
    for (const PendingReference& r : references_) {
        auto it = first_paragraph_.find(r.clause);
        Inline& in = doc_.sections[r.section].blocks[r.block].content[r.run];
        if (it == first_paragraph_.end()) {
            bool known = library_.find_clause(r.clause) != nullptr;
            error(diags_, r.origin, "compose.cross-reference",
                  known ? "cross-reference [§" + r.clause + "] names a clause not in this report"
                        : "cross-reference [§" + r.clause + "] names no clause in the library",
                  {known ? "make the clause require " + r.clause + " so both are selected together"
                         : "check the clause id"});
            in.uri.clear();
            continue;
        }
        std::string& t = in.text;
        std::size_t q = t.find("paragraph ?");
        if (q != std::string::npos) t.replace(q + 10, 1, std::to_string(it->second));
    }
    resolve_answers();

    // The signature closes the body; then the sources list and the CV.
    if (!doc_.sections.empty()) signature(doc_.sections.back());
    Section sources = sources_section();
    if (!sources.blocks.empty()) {
        auto at = std::find_if(doc_.sections.begin(), doc_.sections.end(),
                               [](const Section& s) { return s.id == "declaration"; });
        if (at == doc_.sections.end())
            at = std::find_if(doc_.sections.begin(), doc_.sections.end(),
                              [](const Section& s) { return s.id == "statement-of-truth"; });
        doc_.sections.insert(at, std::move(sources));
    }
    int label = 0;
    for (Section& s : doc_.sections) s.label = std::to_string(++label);
    doc_.sections.push_back(cv_section());
    // Last, so that it sees the finished text: resolved cross-references, the answers' "See
    // paragraphs" and every marker in place.
    typeset_document(doc_, typography());
    return std::move(doc_);
}

}  // namespace detail

Document compose(const Case& c, const Library& library, const rules::Selection& selection,
                 const Options& options, Diagnostics& diagnostics) {
    if (options.sample && !c.sample) {
        // Nothing below may see the identity: compose a copy with it replaced at the source.
        Case copy = sample_case(c, Identity::of(c, person_for(c.jurisdiction)),
                                options.sample_reference, diagnostics);
        return detail::Composer(copy, library, options, diagnostics).run(selection);
    }
    return detail::Composer(c, library, options, diagnostics).run(selection);
}

}  // namespace dossier::compose
