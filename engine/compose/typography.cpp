// The typography of composed text (typography.hpp). A block's runs are read as one sequence of
// code points, each remembering its run, so that a rule sees the text around it ("the *Guardian*'s"
// has its apostrophe after a letter of another run); a rule then changes code points only inside
// one run and never one that is protected, and each changed run is written back as UTF-8.
#include "compose/typography.hpp"

#include <unicode/dtfmtsym.h>
#include <unicode/locid.h>
#include <unicode/uchar.h>
#include <unicode/ulocdata.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/utf8.hpp"

namespace dossier::compose::detail {

namespace {

constexpr char32_t kNoBreakSpace = U'\u00A0';
constexpr char32_t kEnDash = U'\u2013';
constexpr char32_t kEmDash = U'\u2014';
constexpr char32_t kApostrophe = U'\u2019';
// Stands for a note marker in the sequence: not a space, so a quote after it closes.
constexpr char32_t kMarker = U'\uFFFC';

// What follows a word that a no-break space ties to it.
enum class Follows { number, name };

struct Pair {
    std::u32string_view word;
    Follows follows = Follows::number;
    bool capitalised_too = false;  // "Paragraph 23" at the start of a sentence
};

// The one table of pairs that must not be broken at the line end (the day and month pairs are
// found from the month names of the language). "paragraphs 25-31" also makes the hyphen of the
// range an en dash, as does every number-word here.
constexpr std::array kPairs = {
    Pair{U"paragraph", Follows::number, true},
    Pair{U"paragraphs", Follows::number, true},
    Pair{U"para", Follows::number, true},
    Pair{U"paras", Follows::number, true},
    Pair{U"n", Follows::number},
    Pair{U"nn", Follows::number},
    Pair{U"p", Follows::number},
    Pair{U"pp", Follows::number},
    Pair{U"page", Follows::number, true},
    Pair{U"pages", Follows::number, true},
    Pair{U"\u00A7", Follows::number},
    Pair{U"\u00A7\u00A7", Follows::number},
    Pair{U"no.", Follows::number, true},
    Pair{U"nos.", Follows::number, true},
    Pair{U"article", Follows::number, true},
    Pair{U"articles", Follows::number, true},
    Pair{U"section", Follows::number, true},
    Pair{U"sections", Follows::number, true},
    Pair{U"Part", Follows::number},
    Pair{U"Parts", Follows::number},
    Pair{U"rule", Follows::number, true},
    Pair{U"rules", Follows::number, true},
    Pair{U"chapter", Follows::number, true},
    Pair{U"Dr", Follows::name},
    Pair{U"Dr.", Follows::name},
    Pair{U"Mr", Follows::name},
    Pair{U"Mr.", Follows::name},
    Pair{U"Mrs", Follows::name},
    Pair{U"Mrs.", Follows::name},
    Pair{U"Ms", Follows::name},
    Pair{U"Ms.", Follows::name},
    Pair{U"Mx", Follows::name},
    Pair{U"Prof", Follows::name},
    Pair{U"Prof.", Follows::name},
    Pair{U"Professor", Follows::name},
    Pair{U"Judge", Follows::name},
    Pair{U"Sir", Follows::name},
    Pair{U"Dame", Follows::name},
    Pair{U"Lord", Follows::name},
    Pair{U"Lady", Follows::name},
    Pair{U"Justice", Follows::name},
};

// English month names are always known: a report in another language may quote English dates.
constexpr std::array<std::u32string_view, 23> kEnglishMonths = {
    U"January",   U"February", U"March",    U"April",    U"May",  U"June", U"July", U"August",
    U"September", U"October",  U"November", U"December", U"Jan",  U"Feb",  U"Mar",  U"Apr",
    U"Jun",       U"Jul",      U"Aug",      U"Sep",      U"Sept", U"Oct",  U"Nov"};

std::u32string decode(std::string_view s, bool& malformed) {
    std::u32string out;
    for (std::size_t i = 0; i < s.size();) {
        char32_t c = 0;
        std::size_t len = utf8::decode_at(s, i, c);
        if (len == 0) {
            malformed = true;
            len = 1;
        }
        out += c;
        i += len;
    }
    return out;
}

std::u32string from_unicode(const icu::UnicodeString& s) {
    std::u32string out;
    for (std::int32_t i = 0; i < s.length(); i = s.moveIndex32(i, 1)) out += s.char32At(i);
    return out;
}

bool double_mark(char32_t c) {
    return c == U'\u201C' || c == U'\u201D' || c == U'\u201E' || c == U'\u201F' || c == U'\u00AB' ||
           c == U'\u00BB';
}

bool single_mark(char32_t c) {
    return c == U'\u2018' || c == U'\u2019' || c == U'\u201A' || c == U'\u201B' || c == U'\u2039' ||
           c == U'\u203A';
}

// The marks a straight " and ' become. The kind the author typed is kept (a double quote stays
// double, whichever kind the language prefers as its first), in the shapes the language's CLDR
// quotation pairs give it (German „…“ and ‚…‘); English, and a language with no pair of a kind,
// get “…” and ‘…’.
struct Quotes {
    char32_t open2 = U'\u201C', close2 = U'\u201D', open1 = U'\u2018', close1 = U'\u2019';
};

Quotes quotes_for(const icu::Locale& locale) {
    Quotes q;
    if (locale.getLanguage() == std::string_view("en")) return q;
    UErrorCode status = U_ZERO_ERROR;
    ULocaleData* data = ulocdata_open(locale.getName(), &status);
    if (U_FAILURE(status) || !data) return q;
    auto mark = [&](ULocaleDataDelimiterType type) -> char32_t {
        UChar buffer[4] = {};
        UErrorCode st = U_ZERO_ERROR;
        std::int32_t n = ulocdata_getDelimiter(data, type, buffer, 4, &st);
        if (U_FAILURE(st) || n <= 0 || n > 4) return 0;
        icu::UnicodeString s(buffer, n);
        return s.countChar32() == 1 ? static_cast<char32_t>(s.char32At(0)) : 0;
    };
    const std::array<std::pair<char32_t, char32_t>, 2> pairs = {
        std::pair{mark(ULOCDATA_QUOTATION_START), mark(ULOCDATA_QUOTATION_END)},
        std::pair{mark(ULOCDATA_ALT_QUOTATION_START), mark(ULOCDATA_ALT_QUOTATION_END)}};
    ulocdata_close(data);
    bool have_double = false, have_single = false;
    for (auto [open, close] : pairs) {
        if (!have_double && double_mark(open) && double_mark(close)) {
            q.open2 = open;
            q.close2 = close;
            have_double = true;
        } else if (!have_single && single_mark(open) && single_mark(close)) {
            q.open1 = open;
            q.close1 = close;
            have_single = true;
        }
    }
    return q;
}

// Settled once per document: the marks, the month names and the strings kept as typed.
struct Context {
    Quotes quotes;
    // American usage (Chicago Manual 6.9): a full stop or comma that follows a closing double
    // quotation mark goes inside it ("the operation “Purge.”").
    bool american = false;
    std::vector<std::u32string> months;
    std::vector<std::u32string> keep;

    explicit Context(const TypographyOptions& options) {
        UErrorCode status = U_ZERO_ERROR;
        icu::Locale locale = icu::Locale::forLanguageTag(options.language, status);
        if (U_FAILURE(status) || locale.isBogus()) locale = icu::Locale("en", "GB");
        quotes = quotes_for(locale);
        american =
            std::string(locale.getLanguage()) == "en" && std::string(locale.getCountry()) == "US";
        for (auto m : kEnglishMonths) months.emplace_back(m);
        status = U_ZERO_ERROR;
        icu::DateFormatSymbols symbols(locale, status);
        if (U_SUCCESS(status)) {
            for (auto width : {icu::DateFormatSymbols::WIDE, icu::DateFormatSymbols::ABBREVIATED}) {
                std::int32_t count = 0;
                const icu::UnicodeString* names =
                    symbols.getMonths(count, icu::DateFormatSymbols::FORMAT, width);
                for (std::int32_t i = 0; names && i < count; ++i) {
                    std::u32string m = from_unicode(names[i]);
                    while (!m.empty() && m.back() == U'.') m.pop_back();
                    if (!m.empty()) months.push_back(std::move(m));
                }
            }
        }
        for (const std::string& k : options.keep) {
            bool malformed = false;
            std::u32string s = decode(k, malformed);
            if (s.size() >= 2 && !malformed) keep.push_back(std::move(s));
        }
    }
};

bool is_white(char32_t c) { return c == U' ' || c == kNoBreakSpace || u_isUWhiteSpace(c); }
bool is_digit(char32_t c) { return c >= U'0' && c <= U'9'; }
bool is_alnum(char32_t c) { return u_isalnum(static_cast<UChar32>(c)) != 0; }
bool is_dash(char32_t c) { return c == U'-' || c == kEnDash || c == kEmDash || c == U'\u2010'; }

bool is_opener(char32_t c, const Quotes& q) {
    return c == U'(' || c == U'[' || c == U'{' || c == U'<' || c == U'"' || c == U'\'' ||
           c == U'\u2018' || c == U'\u201C' || c == U'\u00AB' || c == U'\u201E' || c == U'\u201A' ||
           c == q.open1 || c == q.open2;
}

bool is_closer(char32_t c, const Quotes& q) {
    return c == U'\u2019' || c == U'\u201D' || c == U'\u00BB' || c == U'\u203A' || c == q.close1 ||
           c == q.close2;
}

// A quote after these opens: the start, a space, an opening bracket or quote, a dash, a slash.
bool opens_after(char32_t prev, const Quotes& q) {
    return prev == 0 || is_white(prev) || is_dash(prev) || prev == U'/' ||
           (is_opener(prev, q) && prev != U'"' && prev != U'\'');
}

struct Cell {
    char32_t c = 0;
    int run = -1;        // the run it belongs to; -1 for a note marker
    bool fixed = false;  // protected: never changed
    bool edited = false;
    std::u32string out;  // when edited: what it becomes (empty: removed)
};

class Text {
  public:
    std::vector<Cell> cells;

    std::size_t size() const { return cells.size(); }
    char32_t at(std::size_t i) const { return i < cells.size() ? cells[i].c : 0; }
    // The character printed before cell i, after the edits made so far; 0 at the start.
    char32_t before(std::size_t i) const {
        while (i-- > 0) {
            const Cell& x = cells[i];
            if (!x.edited) return x.c;
            if (!x.out.empty()) return x.out.back();
        }
        return 0;
    }
    // Cells [i, i + n) may be changed together: all in one run, none protected or changed yet.
    bool editable(std::size_t i, std::size_t n = 1) const {
        if (i + n > cells.size() || n == 0) return false;
        for (std::size_t k = i; k < i + n; ++k)
            if (cells[k].fixed || cells[k].edited || cells[k].run < 0 ||
                cells[k].run != cells[i].run)
                return false;
        return true;
    }
    // Cells [i, i + n) become `out`.
    void replace(std::size_t i, std::size_t n, std::u32string out) {
        for (std::size_t k = i; k < i + n; ++k) cells[k].edited = true;
        cells[i].out = std::move(out);
        for (std::size_t k = i + 1; k < i + n; ++k) cells[k].out.clear();
    }
    std::u32string slice(std::size_t b, std::size_t e) const {
        std::u32string s;
        for (std::size_t k = b; k < e && k < cells.size(); ++k) s += cells[k].c;
        return s;
    }
    // The start of the word (white space or a marker delimits) that ends at `end`.
    std::size_t word_start(std::size_t end) const {
        std::size_t b = end;
        while (b > 0 && !is_white(cells[b - 1].c) && cells[b - 1].c != kMarker) --b;
        return b;
    }
    std::size_t word_end(std::size_t begin) const {
        std::size_t e = begin;
        while (e < cells.size() && !is_white(cells[e].c) && cells[e].c != kMarker) ++e;
        return e;
    }
};

bool is_external(const Inline& in) { return !in.uri.empty() && in.uri[0] != '#'; }

bool starts_with_ci(std::u32string_view s, std::u32string_view p) {
    if (s.size() < p.size()) return false;
    for (std::size_t i = 0; i < p.size(); ++i)
        if (u_tolower(static_cast<UChar32>(s[i])) != static_cast<UChar32>(p[i])) return false;
    return true;
}

// Addresses and identifiers keep every character as typed: a word that is an address, or that
// mixes digits with letters or slashes, or holds two single hyphens (2024-03-01, A123-456-789,
// PA/12345/2024, TJ-2026-014). Brackets, quotes and punctuation around it are not part of it.
void protect(Text& t, const Context& ctx) {
    // The case's own strings, searched in the plain characters (a block is searched once per
    // string, not compared cell by cell at every position).
    std::u32string plain;
    plain.reserve(t.size());
    for (const Cell& cell : t.cells) plain += cell.c;
    for (const std::u32string& k : ctx.keep) {
        if (k.empty()) continue;
        for (std::size_t i = plain.find(k); i != std::u32string::npos;
             i = plain.find(k, i + k.size()))
            for (std::size_t j = i; j < i + k.size(); ++j)
                if (!is_white(t.cells[j].c)) t.cells[j].fixed = true;
    }
    const Quotes& q = ctx.quotes;
    for (std::size_t b = 0; b < t.size();) {
        std::size_t e = t.word_end(b);
        std::size_t cb = b, ce = e;
        while (cb < ce && is_opener(t.cells[cb].c, q)) ++cb;
        while (ce > cb) {
            char32_t c = t.cells[ce - 1].c;
            if (!(is_closer(c, q) || c == U')' || c == U']' || c == U'}' || c == U'>' ||
                  c == U'"' || c == U'\'' || c == U'.' || c == U',' || c == U';' || c == U':' ||
                  c == U'!' || c == U'?'))
                break;
            --ce;
        }
        const std::u32string_view core = std::u32string_view(plain).substr(cb, ce - cb);
        bool digit = false, letter = false, slash = false, other = false, dot = false;
        int hyphens = 0;
        for (std::size_t k = 0; k < core.size(); ++k) {
            char32_t c = core[k];
            digit |= is_digit(c);
            letter |= u_isalpha(static_cast<UChar32>(c)) != 0;
            slash |= c == U'/' || c == U'\\';
            other |= c == U'_' || c == U'#' || c == U'=' || c == U'@';
            dot |= c == U'.';
            // Single hyphens separate an identifier's parts; `--` is a dash.
            hyphens += c == U'-' && (k == 0 || core[k - 1] != U'-') &&
                       (k + 1 == core.size() || core[k + 1] != U'-');
        }
        bool address = starts_with_ci(core, U"http://") || starts_with_ci(core, U"https://") ||
                       starts_with_ci(core, U"www.") || core.find(U"://") != core.npos ||
                       core.find(U'@') != core.npos || (slash && dot);
        bool identifier = digit && (letter || slash || other || hyphens >= 2);
        if (address || identifier)
            for (std::size_t k = cb; k < ce; ++k) t.cells[k].fixed = true;
        b = e;
        while (b < t.size() && (is_white(t.cells[b].c) || t.cells[b].c == kMarker)) ++b;
    }
}

// `--` en dash, `---` em dash, a hyphen spaced between words an en dash, `...` an ellipsis.
void dashes_and_ellipses(Text& t) {
    for (std::size_t i = 0; i < t.size();) {
        char32_t c = t.at(i);
        if (c != U'-' && c != U'.') {
            ++i;
            continue;
        }
        std::size_t n = 0;
        while (t.at(i + n) == c) ++n;
        if (c == U'-') {
            if (n == 3 && t.editable(i, 3))
                t.replace(i, 3, std::u32string(1, kEmDash));
            else if (n == 2 && t.editable(i, 2))
                t.replace(i, 2, std::u32string(1, kEnDash));
            else if (n == 1 && i >= 2 && t.at(i - 1) == U' ' && t.at(i + 1) == U' ' &&
                     !is_white(t.at(i - 2)) && i + 2 < t.size() && !is_white(t.at(i + 2)) &&
                     t.editable(i))
                t.replace(i, 1, std::u32string(1, kEnDash));
        } else if ((n == 3 || n == 4) && t.editable(i, 3)) {
            t.replace(i, 3, U"\u2026");  // a fourth dot is the full stop after it
        }
        i += n;
    }
}

const Pair* find_pair(const std::u32string& word) {
    for (const Pair& p : kPairs) {
        if (word == p.word) return &p;
        if (p.capitalised_too && !word.empty() && word.size() == p.word.size() &&
            static_cast<UChar32>(word[0]) == u_toupper(static_cast<UChar32>(p.word[0])) &&
            word.compare(1, std::u32string::npos, p.word.substr(1)) == 0)
            return &p;
    }
    return nullptr;
}

bool all_digits(std::u32string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), is_digit);
}

// "25", "25-31" or "25–31": an item of a list of numbers after "paragraphs".
bool number_item(std::u32string_view s) {
    std::size_t d = s.find_first_of(U"-\u2013");
    if (d == std::u32string_view::npos) return all_digits(s);
    return all_digits(s.substr(0, d)) && all_digits(s.substr(d + 1));
}

// The word ending at `end` with opening brackets and quotes before it dropped.
std::u32string bare_word(const Text& t, std::size_t end, const Quotes& q) {
    std::size_t b = t.word_start(end);
    while (b < end && is_opener(t.cells[b].c, q)) ++b;
    return t.slice(b, end);
}

// Whether the number starting at `a` is in a list after a number-word: "paragraphs 25", "pp 3,
// 7 and 9".
bool after_number_word(const Text& t, std::size_t a, const Quotes& q) {
    for (int guard = 0; guard < 32; ++guard) {
        if (a == 0 || !is_white(t.at(a - 1))) return false;
        std::size_t end = a - 1, begin = t.word_start(end);
        std::u32string word = bare_word(t, end, q);
        if (const Pair* p = find_pair(word)) return p->follows == Follows::number;
        if (word == U"and" || word == U"or" || word == U"to" || word == U"&") {
            if (begin == 0 || !is_white(t.at(begin - 1))) return false;
            end = begin - 1;
            begin = t.word_start(end);
            word = t.slice(begin, end);
        }
        if (!word.empty() && word.back() == U',') word.pop_back();
        if (!number_item(word)) return false;
        a = begin;
    }
    return false;
}

// A hyphen between numbers is a range: after a number-word ("paragraphs 25-31", "pp 3-5") or
// between two years ("1990-1995").
void ranges(Text& t, const Quotes& q) {
    for (std::size_t i = 1; i + 1 < t.size(); ++i) {
        if (t.at(i) != U'-' || !is_digit(t.at(i - 1)) || !is_digit(t.at(i + 1)) || !t.editable(i))
            continue;
        std::size_t a = i, b = i + 1;
        while (a > 0 && is_digit(t.at(a - 1))) --a;
        while (is_digit(t.at(b))) ++b;
        char32_t before = a > 0 ? t.at(a - 1) : 0, after = t.at(b);
        if (is_alnum(before) || before == U'-' || before == U'/' || before == U'.' ||
            before == U':' || is_alnum(after) || after == U'-' || after == U'/')
            continue;
        std::u32string first = t.slice(a, i), second = t.slice(i + 1, b);
        bool years = first.size() == 4 && second.size() == 4 && first <= second;
        if (years || after_number_word(t, a, q)) t.replace(i, 1, std::u32string(1, kEnDash));
    }
}

// Straight quotes become curly by context; an apostrophe in or before a word is U+2019.
void quotes(Text& t, const Quotes& q) {
    for (std::size_t i = 0; i < t.size(); ++i) {
        char32_t c = t.at(i);
        if ((c != U'"' && c != U'\'') || !t.editable(i)) continue;
        char32_t prev = t.before(i), next = t.at(i + 1);
        bool opening = opens_after(prev, q) && next != 0 && !is_white(next);
        // Spaced on both sides (or alone): no way to tell, so it stays straight.
        bool lone = !opening && (prev == 0 || is_white(prev)) && (next == 0 || is_white(next));
        char32_t out = 0;
        // Inside a Hebrew word a straight mark is a geresh (ג׳) or, between letters, gershayim
        // (צה״ל), not a quotation mark or an apostrophe.
        const bool hebrew = ublock_getCode(static_cast<UChar32>(prev)) == UBLOCK_HEBREW &&
                            u_isalpha(static_cast<UChar32>(prev));
        if (lone) {
            out = 0;
        } else if (hebrew && c == U'\'') {
            out = U'\u05F3';
        } else if (hebrew && c == U'"' &&
                   ublock_getCode(static_cast<UChar32>(next)) == UBLOCK_HEBREW) {
            out = U'\u05F4';
        } else if (c == U'"') {
            out = opening ? q.open2 : q.close2;
        } else if (is_alnum(prev)) {
            out = is_alnum(next) ? kApostrophe : q.close1;  // don’t, applicant’s; closing
        } else if (opening) {
            // ’90s: an elided century is an apostrophe, not an opening quote.
            bool decade = is_digit(next) && is_digit(t.at(i + 2)) && !is_digit(t.at(i + 3));
            out = decade ? kApostrophe : q.open1;
        } else {
            out = q.close1;  // after punctuation or a bracket: 'He left.', '{'
        }
        if (out) t.replace(i, 1, std::u32string(1, out));
    }
}

bool is_month(const std::u32string& word, const Context& ctx) {
    std::u32string w = word;
    if (!w.empty() && w.back() == U'.') w.pop_back();
    return std::find(ctx.months.begin(), ctx.months.end(), w) != ctx.months.end();
}

// "5", "05" or "5th": a day of the month.
bool is_day(std::u32string w) {
    for (std::u32string_view suffix : {U"st", U"nd", U"rd", U"th"})
        if (w.size() > suffix.size() && w.ends_with(suffix)) {
            w.resize(w.size() - suffix.size());
            break;
        }
    if (!all_digits(w) || w.size() > 2) return false;
    int day = std::stoi(std::string(w.begin(), w.end()));
    return day >= 1 && day <= 31;
}

// The letters at the start of the word at `begin` ("October" of "October,").
std::u32string leading_letters(const Text& t, std::size_t begin) {
    std::size_t e = begin;
    while (e < t.size() && u_isalpha(static_cast<UChar32>(t.at(e)))) ++e;
    return t.slice(begin, e);
}

// The digits at the start of the word at `begin`, with an ordinal suffix ("5" of "5,").
std::u32string leading_day(const Text& t, std::size_t begin) {
    std::size_t e = begin;
    while (is_digit(t.at(e))) ++e;
    std::size_t s = e;
    while (s < t.size() && u_isalpha(static_cast<UChar32>(t.at(s)))) ++s;
    if (s - e == 2) e = s;
    return t.slice(begin, e);
}

void no_break_spaces(Text& t, const Context& ctx) {
    for (std::size_t i = 1; i + 1 < t.size(); ++i) {
        if (t.at(i) != U' ' || !t.editable(i)) continue;
        std::u32string word = bare_word(t, i, ctx.quotes);
        char32_t next = t.at(i + 1);
        bool tie = false;
        if (const Pair* p = find_pair(word))
            tie = p->follows == Follows::number ? is_digit(next)
                                                : u_isupper(static_cast<UChar32>(next)) ||
                                                      u_istitle(static_cast<UChar32>(next));
        if (!tie && is_digit(next) && is_month(word, ctx))
            tie = is_day(leading_day(t, i + 1));                                   // October 5
        if (!tie && is_day(word)) tie = is_month(leading_letters(t, i + 1), ctx);  // 5 October
        if (tie) t.replace(i, 1, std::u32string(1, kNoBreakSpace));
    }
}

// The full stops and commas after a closing double quotation mark, moved inside it (Context::
// american). Single marks are left: a closing single mark is also the apostrophe of "the
// Smiths’.", which must not take the full stop.
void american_punctuation(Text& t, const Quotes& q) {
    for (std::size_t i = 0; i + 1 < t.size(); ++i) {
        Cell& quote = t.cells[i];
        Cell& mark = t.cells[i + 1];
        const char32_t shown = quote.edited ? (quote.out.size() == 1 ? quote.out[0] : 0) : quote.c;
        if (shown != q.close2 || (mark.c != U'.' && mark.c != U',') || mark.edited) continue;
        if (quote.fixed || mark.fixed || quote.run < 0 || quote.run != mark.run) continue;
        const char32_t inside = t.before(i);
        if (inside == U'.' || inside == U'?' || inside == U'!' || inside == U',') continue;
        quote.edited = mark.edited = true;
        quote.out = std::u32string(1, mark.c);
        mark.out = std::u32string(1, shown);
        ++i;
    }
}

// `moved` (punctuation taken from after a note marker) appended to `text`, inside a closing
// double quotation mark that ends it when `american`.
void append_moved(std::string& text, const std::string& moved, const Quotes& q, bool american) {
    std::string close;
    utf8::append(close, q.close2);
    const std::size_t at = text.size() - std::min(text.size(), close.size());
    if (american && (moved[0] == '.' || moved[0] == ',') && text.size() > close.size() &&
        text.compare(at, close.size(), close) == 0 &&
        std::string_view(".?!,").find(text[at - 1]) == std::string_view::npos) {
        text.insert(text.size() - close.size(), 1, moved[0]);
        text += moved.substr(1);
        return;
    }
    text += moved;
}

void move_punctuation(std::vector<Inline>& runs, const Quotes& q, bool american) {
    for (std::size_t a = 0; a < runs.size(); ++a) {
        if (runs[a].kind != Inline::Kind::footnote_ref) continue;
        std::size_t b = a;
        while (b < runs.size() && runs[b].kind == Inline::Kind::footnote_ref) ++b;
        if (b == runs.size()) return;
        Inline& after = runs[b];
        if (after.kind != Inline::Kind::text || is_external(after)) {
            a = b;
            continue;
        }
        const std::string& s = after.text;
        std::size_t n = 0;
        while (n < s.size()) {
            char32_t c = 0;
            std::size_t len = utf8::decode_at(s, n, c);
            if (len == 0) break;
            bool punctuation =
                c == U'.' || c == U',' || c == U';' || c == U':' || c == U'!' || c == U'?';
            if (!punctuation && !is_closer(c, q)) break;
            if (!punctuation && n + len < s.size()) {
                char32_t d = 0;
                utf8::decode_at(s, n + len, d);
                if (is_alnum(d)) break;  // an apostrophe of a word ("’s"), not a closing quote
            }
            n += len;
        }
        if (n == 0) {
            a = b;
            continue;
        }
        std::string moved = s.substr(0, n);
        Inline tail = after;  // style and origin for a run of its own
        after.text.erase(0, n);
        if (after.text.empty()) runs.erase(runs.begin() + static_cast<std::ptrdiff_t>(b));
        Inline* prev = a > 0 && runs[a - 1].kind == Inline::Kind::text ? &runs[a - 1] : nullptr;
        // "etc.⁵." keeps one full stop.
        if (prev && moved[0] == '.' && !prev->text.empty() &&
            (prev->text.back() == '.' || prev->text.back() == '?' || prev->text.back() == '!'))
            moved.erase(0, 1);
        if (moved.empty()) {
            a = b - 1;
            continue;
        }
        if (prev && !is_external(*prev) && prev->style == tail.style) {
            append_moved(prev->text, moved, q, american);
        } else {
            tail.text = std::move(moved);
            tail.uri.clear();
            runs.insert(runs.begin() + static_cast<std::ptrdiff_t>(a), std::move(tail));
            ++b;
        }
        a = b - 1;  // the last marker of the group; the loop moves past it
    }
}

void typeset_runs(std::vector<Inline>& runs, const Context& ctx) {
    Text t;
    std::vector<bool> malformed(runs.size(), false);
    for (std::size_t r = 0; r < runs.size(); ++r) {
        const Inline& in = runs[r];
        if (in.kind == Inline::Kind::footnote_ref) {
            t.cells.push_back({kMarker, -1, true, false, {}});
            continue;
        }
        bool bad = false;
        std::u32string text = decode(in.text, bad);
        malformed[r] = bad;
        // A link's text is its address; malformed text is left for layout to report.
        bool fixed = is_external(in) || bad;
        for (char32_t c : text) t.cells.push_back({c, static_cast<int>(r), fixed, false, {}});
    }
    protect(t, ctx);
    dashes_and_ellipses(t);
    ranges(t, ctx.quotes);
    quotes(t, ctx.quotes);
    if (ctx.american) american_punctuation(t, ctx.quotes);
    no_break_spaces(t, ctx);
    std::vector<bool> changed(runs.size(), false);
    for (const Cell& c : t.cells)
        if (c.edited) changed[static_cast<std::size_t>(c.run)] = true;
    std::vector<std::string> texts(runs.size());
    for (const Cell& c : t.cells) {
        if (c.run < 0 || !changed[static_cast<std::size_t>(c.run)]) continue;
        std::string& out = texts[static_cast<std::size_t>(c.run)];
        if (!c.edited)
            utf8::append(out, c.c);
        else
            for (char32_t x : c.out) utf8::append(out, x);
    }
    for (std::size_t r = 0; r < runs.size(); ++r)
        if (changed[r]) runs[r].text = std::move(texts[r]);
    move_punctuation(runs, ctx.quotes, ctx.american);
}

std::string typeset_string(std::string_view text, const Context& ctx) {
    std::vector<Inline> runs(1);
    runs[0].text = std::string(text);
    typeset_runs(runs, ctx);
    return runs[0].text;
}

}  // namespace

void typeset_inlines(std::vector<Inline>& runs, const TypographyOptions& options) {
    typeset_runs(runs, Context(options));
}

std::string typeset_text(std::string_view text, const TypographyOptions& options) {
    return typeset_string(text, Context(options));
}

void punctuation_before_notes(std::vector<Inline>& runs, const TypographyOptions& options) {
    const Context ctx(options);
    move_punctuation(runs, ctx.quotes, ctx.american);
}

void typeset_document(Document& doc, const TypographyOptions& options) {
    const Context ctx(options);
    for (Section& s : doc.sections) {
        s.title = typeset_string(s.title, ctx);
        for (Block& b : s.blocks) typeset_runs(b.content, ctx);
    }
    for (Footnote& f : doc.footnotes) typeset_runs(f.content, ctx);
    doc.cover.subtitle = typeset_string(doc.cover.subtitle, ctx);
    for (auto& row : doc.cover.rows) row.second = typeset_string(row.second, ctx);
}

}  // namespace dossier::compose::detail
