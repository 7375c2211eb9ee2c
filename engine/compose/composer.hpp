// Private to compose: the Composer that builds one Document, shared by the files that build
// its parts (compose.cpp: clause text, citations, numbering; case_sections.cpp: the parts taken
// from the case file and the expert profile; answers.cpp: the conclusions).
#pragma once

#include <unicode/datefmt.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "compose/compose.hpp"
#include "compose/typography.hpp"

namespace dossier::compose::detail {

inline std::string to_utf8(const icu::UnicodeString& s) {
    std::string out;
    s.toUTF8String(out);
    return out;
}

inline icu::UnicodeString from_utf8(std::string_view s) {
    return icu::UnicodeString::fromUTF8(
        icu::StringPiece(s.data(), static_cast<std::int32_t>(s.size())));
}

// Noon UTC, so that the calendar day is the same in every time zone ICU might apply.
inline UDate to_udate(const Date& d) {
    return (static_cast<double>(d.days_since_epoch()) * 86400.0 + 43200.0) * 1000.0;
}

inline Value text_value(std::string s) {
    Value v;
    v.kind = Value::Kind::string;
    v.text = std::move(s);
    return v;
}

inline Value number_value(double n) {
    Value v;
    v.kind = Value::Kind::number;
    v.number = n;
    v.text = std::to_string(static_cast<long long>(n));
    return v;
}

// A number that ICU prints as written: finite and no larger than 2^53 in magnitude (beyond
// that a double does not hold every integer, so "12345678901234567891" would print otherwise).
bool printable_number(double n);

inline bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// The forum profiles' names as printed on the cover.
inline std::string forum_name(const std::string& jurisdiction) {
    if (jurisdiction == "uk-ftt-iac") return "First-tier Tribunal (Immigration and Asylum Chamber)";
    if (jurisdiction == "uk-utiac") return "Upper Tribunal (Immigration and Asylum Chamber)";
    if (jurisdiction == "uk-cpr35") return "Civil Procedure Rules Part 35";
    if (jurisdiction == "us-eoir") return "Executive Office for Immigration Review";
    return "General";
}

// Accumulates inline runs, collapsing white space across pieces the way typeset text needs it.
class InlineBuilder {
  public:
    // `separate` starts a new run even when the style matches, so it can be found again.
    void text(std::string_view s, Style style, const Span& origin, std::string uri = {},
              bool separate = false) {
        std::string out;
        for (char c : s) {
            if (is_space(c)) {
                if (!space_ && !(out.empty() && runs_.empty())) out += ' ';
                space_ = true;
            } else {
                out += c;
                space_ = false;
            }
        }
        if (out.empty()) return;
        if (!separate && !runs_.empty() && runs_.back().kind == Inline::Kind::text &&
            runs_.back().style == style && runs_.back().uri.empty() && uri.empty() &&
            runs_.back().origin.file == origin.file) {
            runs_.back().text += out;
            return;
        }
        Inline in;
        in.text = std::move(out);
        in.style = style;
        in.origin = origin;
        in.uri = std::move(uri);
        runs_.push_back(std::move(in));
    }
    // A footnote marker sits directly after the word it annotates.
    void footnote(int number, const Span& origin) {
        trim_end();
        Inline in;
        in.kind = Inline::Kind::footnote_ref;
        in.text = std::to_string(number);
        in.footnote = number;
        in.origin = origin;
        runs_.push_back(std::move(in));
        space_ = false;
    }
    std::size_t size() const { return runs_.size(); }
    std::vector<Inline> finish() {
        trim_end();
        return std::move(runs_);
    }

  private:
    void trim_end() {
        while (!runs_.empty() && runs_.back().kind == Inline::Kind::text) {
            std::string& t = runs_.back().text;
            while (!t.empty() && t.back() == ' ') t.pop_back();
            if (!t.empty()) break;
            runs_.pop_back();
        }
    }
    std::vector<Inline> runs_;
    bool space_ = false;
};

// An answer's `see` list, turned into paragraph numbers once every paragraph has its number.
struct PendingSee {
    std::size_t section = 0, block = 0;
    std::vector<Value> clauses;  // ids with their spans in the case file
};

struct PendingReference {
    std::size_t section = 0, block = 0, run = 0;
    std::string clause;
    Span origin;
};

class Composer {
  public:
    Composer(const Case& c, const Library& library, const Options& options, Diagnostics& diags)
        : case_(c), library_(library), options_(options), diags_(diags) {
        UErrorCode status = U_ZERO_ERROR;
        locale_ = icu::Locale::forLanguageTag(c.language, status);
        if (U_FAILURE(status) || locale_.isBogus()) locale_ = icu::Locale("en", "GB");
        std::unique_ptr<icu::DateFormat> df(
            icu::DateFormat::createDateInstance(icu::DateFormat::kLong, locale_));
        if (df) df->setTimeZone(*icu::TimeZone::getGMT());
        long_date_ = std::move(df);
        build_environment();
    }

    Document run(const rules::Selection& selection);

  private:
    void build_environment();
    std::string country_name(const std::string& code) const;
    std::string long_date(const Date& d) const;
    // `d` in the date (or time) format `style` of a MessageFormat argument, in UTC; nullopt
    // when ICU cannot read the style.
    std::optional<icu::UnicodeString> format_date(const Date& d, const std::string& type,
                                                  const std::string& style) const;
    std::string join(const std::vector<std::string>& items) const;
    Span position(const Clause& clause, std::size_t offset) const;
    // Formats one paragraph of a clause (a MessageFormat pattern with inline markup).
    std::vector<Inline> paragraph(const Clause& clause, std::string_view pattern,
                                  std::size_t offset, std::size_t section, std::size_t block);
    void cite(InlineBuilder& out, const std::string& key, const Span& origin);
    void add_clause(Section& section, std::size_t section_index, const Clause& clause);
    Section sources_section();
    void literal_paragraphs(Section& section, const std::string& text, const Span& origin,
                            bool numbered);
    // The access date a citation prints: the case's own record, else the library's.
    std::optional<Date> accessed(const Source& s) const;
    void check_accessed(const Source& s);
    // The settings of the typography pass (typography.hpp) for this case.
    TypographyOptions typography() const;

    // case_sections.cpp: the parts of the report taken from the case file and the profile.
    void cover();
    // Appends one part of the case file ("documents", "answers", ...) to `section`, unless it
    // has been printed already: right after the clause that introduces it (Clause::then), else
    // by case_parts at the end of its home section.
    void case_part(Section& section, std::size_t index, const std::string& part);
    // The parts whose home is `section` that no clause placed, after the section's clauses.
    void case_parts(Section& section, std::size_t index);
    // In a draft: the placeholder of every gap that belongs in section `id`.
    void draft_placeholders(Section& section, const std::string& id);
    void signature(Section& last);
    Section cv_section();
    std::string partial_date(const std::string& ymd) const;
    Block numbered_block(std::vector<Inline> content);
    Block item_block(std::vector<Inline> content);

    // answers.cpp: the conclusions, one answer per question.
    void answers(Section& section, std::size_t index);
    // Appends "See paragraphs 19–22 and 45." to each answer, once numbering is settled.
    void resolve_answers();

    const Case& case_;
    const Library& library_;
    const Options& options_;
    Diagnostics& diags_;
    icu::Locale locale_;
    std::unique_ptr<icu::DateFormat> long_date_;
    Value env_;
    Document doc_;
    int paragraph_number_ = 0;
    std::map<std::string, int> first_paragraph_;  // clause id -> its first paragraph number
    std::map<std::string, int> first_citation_;   // source key -> its first footnote
    std::vector<PendingReference> references_;
    std::vector<PendingSee> see_;
    std::set<std::string> placed_;  // parts of the case file already printed
    // clause id -> its first and last paragraph numbers, for the answers' `see`.
    std::map<std::string, std::pair<int, int>> clause_paragraphs_;
    // Values of the case file inserted in the paragraph being formatted (literal text).
    std::vector<std::pair<std::string, Span>> literals_;
};

}  // namespace dossier::compose::detail
