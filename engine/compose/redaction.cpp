// The identity of a case and its matcher: see redaction.hpp for the rules. The matching form is
// built code point by code point with a map back to the source (each folded code point knows
// the source range it came from), so that case folding and NFKC, which change lengths ("İ" folds
// to two code points, "ﬁ" to two, an NFD "é" composes from two to one), never stop a match from
// being mapped back and replaced.
#include "compose/redaction.hpp"

#include <unicode/datefmt.h>
#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/timezone.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <memory>

#include "model/utf8.hpp"

namespace dossier::compose {

namespace {

// UTF-8 decoded into code points, with the byte offset where each starts (offsets.size() ==
// cps.size() + 1). Invalid sequences decode to U+FFFD, one per byte.
struct Decoded {
    std::u32string cps;
    std::vector<std::size_t> offsets;
};

Decoded decode(std::string_view s) {
    Decoded d;
    d.cps.reserve(s.size());
    d.offsets.reserve(s.size() + 1);
    for (std::size_t i = 0; i < s.size();) {
        d.offsets.push_back(i);
        char32_t c;
        std::size_t len = utf8::decode_at(s, i, c);
        d.cps.push_back(c);
        i += len ? len : 1;
    }
    d.offsets.push_back(s.size());
    return d;
}

void append_utf8(std::string& out, char32_t c) { utf8::append(out, c); }

bool is_apostrophe(char32_t c) {
    switch (c) {
        case U'\'':
        case U'`':
        case 0x00B4:  // acute accent
        case 0x02B9:  // modifier prime
        case 0x02BB:  // turned comma (ʻokina, Uzbek oʻ)
        case 0x02BC:  // modifier apostrophe
        case 0x02BD:
        case 0x2018:
        case 0x2019:
        case 0x201B:
        case 0x2032:  // prime
        case 0xFF07:  // fullwidth apostrophe
            return true;
        default:
            return false;
    }
}

// One code point as the matcher sees it: white space as ' ', apostrophes as '\'', dashes as
// '-', and 0 for what is not drawn (default-ignorable, format and control characters).
char32_t unify(char32_t c) {
    if (c == U'\t' || c == U'\n' || c == U'\r' || c == 0x0B || c == 0x0C || c == 0x85 ||
        u_isUWhiteSpace(static_cast<UChar32>(c)))
        return U' ';
    if (is_apostrophe(c)) return U'\'';
    if (c < 0x20 || c == 0x7F) return 0;  // control characters: layout drops them
    if (c < 0x80) return c;
    auto type = u_charType(static_cast<UChar32>(c));
    if (c == 0x2212 || type == U_DASH_PUNCTUATION) return U'-';
    if (u_hasBinaryProperty(static_cast<UChar32>(c), UCHAR_DEFAULT_IGNORABLE_CODE_POINT) ||
        type == U_FORMAT_CHAR || type == U_CONTROL_CHAR)
        return 0;
    return c;
}

const icu::Normalizer2* nfkc_casefold() {
    static const icu::Normalizer2* n = [] {
        UErrorCode status = U_ZERO_ERROR;
        const icu::Normalizer2* p = icu::Normalizer2::getNFKCCasefoldInstance(status);
        return U_SUCCESS(status) ? p : nullptr;
    }();
    return n;
}

// The matching form of a text with, for each of its code points, the range of source code
// points it came from.
struct Folded {
    std::u32string text;
    std::vector<std::uint32_t> from, to;
};

Folded fold(const std::u32string& src) {
    struct Kept {
        char32_t c;
        std::uint32_t at;
    };
    std::vector<Kept> kept;
    kept.reserve(src.size());
    for (std::size_t i = 0; i < src.size(); ++i)
        if (char32_t c = unify(src[i])) kept.push_back({c, static_cast<std::uint32_t>(i)});

    Folded f;
    f.text.reserve(kept.size());
    auto emit = [&](char32_t c, std::uint32_t a, std::uint32_t b) {
        c = unify(c);  // NFKC can produce spaces, dashes and apostrophes of its own
        if (!c) return;
        if (c == 0x0131) c = U'i';  // dotless ı: its capital I folds to i
        bool merge =
            (c == U' ' && !f.text.empty() && f.text.back() == U' ') ||
            // "İ" folds to "i" + U+0307: read it as the "I" a name is usually spelt with
            (c == 0x0307 && !f.text.empty() && (f.text.back() == U'i' || f.text.back() == U'j'));
        if (merge) {
            f.to.back() = std::max(f.to.back(), b);
            return;
        }
        f.text.push_back(c);
        f.from.push_back(a);
        f.to.push_back(b);
    };
    const icu::Normalizer2* nfkc = nfkc_casefold();
    std::size_t k = 0;
    while (k < kept.size()) {
        // A normalisation segment: a starter and the characters that may combine with it.
        std::size_t end = k + 1;
        if (nfkc)
            while (end < kept.size() && !nfkc->hasBoundaryBefore(static_cast<UChar32>(kept[end].c)))
                ++end;
        std::uint32_t a = kept[k].at, b = kept[end - 1].at + 1;
        if (end == k + 1 && kept[k].c < 0x80) {
            char32_t c = kept[k].c;
            emit(c >= U'A' && c <= U'Z' ? c + 32 : c, a, b);
        } else if (nfkc) {
            icu::UnicodeString seg;
            for (std::size_t j = k; j < end; ++j) seg.append(static_cast<UChar32>(kept[j].c));
            UErrorCode status = U_ZERO_ERROR;
            icu::UnicodeString out = nfkc->normalize(seg, status);
            if (U_FAILURE(status)) out = seg;
            for (std::int32_t j = 0; j < out.length(); j = out.moveIndex32(j, 1))
                emit(static_cast<char32_t>(out.char32At(j)), a, b);
        } else {  // no normalisation data: simple case folding still matches most text
            emit(static_cast<char32_t>(
                     u_foldCase(static_cast<UChar32>(kept[k].c), U_FOLD_CASE_DEFAULT)),
                 a, b);
        }
        k = end;
    }
    return f;
}

bool letterlike(char32_t c) {
    return u_isalpha(static_cast<UChar32>(c)) ||
           (U_GET_GC_MASK(static_cast<UChar32>(c)) & U_GC_M_MASK) != 0;
}

// Scripts that do not separate words with spaces: a name there has no word boundary.
bool unspaced(char32_t c) {
    if (c < 0x0E00) return false;
    UErrorCode status = U_ZERO_ERROR;
    UScriptCode s = uscript_getScript(static_cast<UChar32>(c), &status);
    switch (s) {
        case USCRIPT_HAN:
        case USCRIPT_HIRAGANA:
        case USCRIPT_KATAKANA:
        case USCRIPT_THAI:
        case USCRIPT_LAO:
        case USCRIPT_KHMER:
        case USCRIPT_MYANMAR:
        case USCRIPT_TIBETAN:
            return true;
        default:
            return false;
    }
}

// True when `edge` (the first or last character of an identity) and its `neighbour` in the
// text belong to different words.
bool separate(char32_t edge, char32_t neighbour) {
    if (letterlike(edge)) return !letterlike(neighbour) || unspaced(edge) || unspaced(neighbour);
    if (u_isdigit(static_cast<UChar32>(edge))) return !u_isdigit(static_cast<UChar32>(neighbour));
    return true;
}

// Rule (b) of redaction.hpp: a part written in lower case is still the name when it is not a
// word of running text. `text[begin, end)` is the occurrence in the matching form.
bool running_word(const std::u32string& text, std::size_t begin, std::size_t end) {
    static const std::u32string opening = U" ([{\"'\u00AB\u2039\u201E\u201C\u201D\u00BF\u00A1-";
    static const std::u32string closing = U" )]}\"'\u00BB\u203A\u201D\u201C,;:!?-";
    if (begin > 0 && opening.find(text[begin - 1]) == std::u32string::npos) return false;
    if (end < text.size()) {
        char32_t next = text[end];
        if (next == U'.') {  // a full stop, not the dot of an address
            char32_t after = end + 1 < text.size() ? text[end + 1] : U' ';
            return after == U'.' || closing.find(after) != std::u32string::npos;
        }
        return closing.find(next) != std::u32string::npos;
    }
    return true;
}

bool is_capital(char32_t c) {
    return u_isupper(static_cast<UChar32>(c)) || u_istitle(static_cast<UChar32>(c));
}

// The first letter of `s` (UTF-32), or 0.
char32_t first_letter(const std::u32string& s) {
    for (char32_t c : s)
        if (u_isalpha(static_cast<UChar32>(c))) return c;
    return 0;
}

int letters(const std::u32string& folded) {
    return static_cast<int>(std::count_if(folded.begin(), folded.end(), letterlike));
}

bool is_separator(char32_t c) {
    char32_t u = unify(c);
    return u == U' ' || u == U'-' || c == U'.' || c == U',' || c == U'/' || c == U'(' ||
           c == U')' || c == U'"' || c == U';' || c == U':' || c == 0xFF0E;
}

std::vector<std::u32string> split_name(const std::u32string& name) {
    std::vector<std::u32string> parts;
    std::u32string part;
    for (char32_t c : name + U" ") {
        if (is_separator(c)) {
            if (!part.empty()) parts.push_back(part);
            part.clear();
        } else {
            part += c;
        }
    }
    return parts;
}

std::string encode(const std::u32string& s) {
    std::string out;
    for (char32_t c : s) append_utf8(out, c);
    return out;
}

UDate noon_utc(const Date& d) {
    return (static_cast<double>(d.days_since_epoch()) * 86400.0 + 43200.0) * 1000.0;
}

// The date of birth as people write it: numeric in day-month-year, month-day-year and
// year-month-day order with the usual separators, padded or not, with four- or two-digit years;
// English day-month and month-day forms with full, short and dotted month names and ordinals;
// and ICU's full, long, medium and short forms in the case's language and in British and
// American English (all formatted in UTC, whatever the process time zone).
std::vector<std::string> birth_forms(const Date& b, const std::string& language) {
    std::vector<std::string> out;
    char buf[64];
    const std::string d = std::to_string(b.day), m = std::to_string(b.month);
    std::snprintf(buf, sizeof buf, "%02d", b.day);
    const std::string dd = buf;
    std::snprintf(buf, sizeof buf, "%02d", b.month);
    const std::string mm = buf;
    const std::string y = std::to_string(b.year);
    std::snprintf(buf, sizeof buf, "%02d", b.year % 100);
    const std::string yy = buf;
    for (const char* sep : {"-", "/", ".", " "}) {
        for (const std::string& day : {dd, d})
            for (const std::string& month : {mm, m}) {
                for (const std::string& year : {y, yy}) {
                    out.push_back(day + sep + month + sep + year);  // 12-05-1994
                    out.push_back(month + sep + day + sep + year);  // 05-12-1994
                }
                out.push_back(y + sep + month + sep + day);  // 1994-05-12
            }
    }
    out.push_back(y + mm + dd);
    static const char* const kMonths[] = {"January",   "February", "March",    "April",
                                          "May",       "June",     "July",     "August",
                                          "September", "October",  "November", "December"};
    const std::string full = kMonths[b.month - 1];
    std::vector<std::string> names = {full, full.substr(0, 3), full.substr(0, 3) + "."};
    if (b.month == 9) names.insert(names.end(), {"Sept", "Sept."});
    int units = b.day % 10;
    const char* suffix = (b.day / 10 == 1) ? "th"
                         : units == 1      ? "st"
                         : units == 2      ? "nd"
                         : units == 3      ? "rd"
                                           : "th";
    const std::string nth = d + suffix;
    for (const std::string& name : names) {
        for (const std::string& day : {d, dd}) {
            out.push_back(day + " " + name + " " + y);
            out.push_back(day + " " + name + ", " + y);
            out.push_back(day + "-" + name + "-" + y);
            out.push_back(name + " " + day + ", " + y);
            out.push_back(name + " " + day + " " + y);
        }
        out.push_back(nth + " " + name + " " + y);
        out.push_back(nth + " " + name + ", " + y);
        out.push_back(nth + " of " + name + " " + y);
        out.push_back(nth + " of " + name + ", " + y);
        out.push_back(name + " " + nth + ", " + y);
        out.push_back(name + " " + nth + " " + y);
    }
    for (const std::string& tag : {language, std::string("en-GB"), std::string("en-US")}) {
        UErrorCode status = U_ZERO_ERROR;
        icu::Locale locale = icu::Locale::forLanguageTag(tag, status);
        if (U_FAILURE(status) || locale.isBogus()) continue;
        for (auto style : {icu::DateFormat::kFull, icu::DateFormat::kLong, icu::DateFormat::kMedium,
                           icu::DateFormat::kShort}) {
            std::unique_ptr<icu::DateFormat> f(icu::DateFormat::createDateInstance(style, locale));
            if (!f) continue;
            f->setTimeZone(*icu::TimeZone::getGMT());
            icu::UnicodeString s;
            f->format(noon_utc(b), s);
            std::string text;
            s.toUTF8String(text);
            out.push_back(text);
        }
    }
    return out;
}

// US A-numbers are written A123456789, A-123-456-789, A 123 456 789 or without the A.
std::vector<std::string> a_number_forms(const std::string& a) {
    std::string digits;
    for (char ch : a)
        if (ch >= '0' && ch <= '9') digits += ch;
    std::vector<std::string> out = {a};
    if (digits.size() < 6) return out;
    std::vector<std::string> bodies = {digits};
    if (digits.size() == 9)
        for (const char* sep : {"-", " "})
            bodies.push_back(digits.substr(0, 3) + sep + digits.substr(3, 3) + sep +
                             digits.substr(6));
    for (const std::string& body : bodies)
        for (const char* prefix : {"", "A", "A-", "A "}) out.push_back(prefix + body);
    return out;
}

}  // namespace

const char* describe(IdentityKind kind) {
    switch (kind) {
        case IdentityKind::name:
            return "the applicant's name";
        case IdentityKind::name_part:
            return "a part of the applicant's name";
        case IdentityKind::alias:
            return "another spelling of the applicant's name (applicant.aliases)";
        case IdentityKind::alias_part:
            return "a part of another spelling of the applicant's name (applicant.aliases)";
        case IdentityKind::date_of_birth:
            return "the applicant's date of birth";
        case IdentityKind::solicitor:
            return "the instructing solicitor's name";
        case IdentityKind::solicitor_part:
            return "a part of the instructing solicitor's name";
        case IdentityKind::firm:
            return "the instructing firm's name";
        case IdentityKind::appeal_number:
            return "the appeal number";
        case IdentityKind::a_number:
            return "the A-number";
        case IdentityKind::reference:
            return "the case reference";
    }
    return "an identifying string";
}

std::u32string matching_form(std::string_view utf8) { return fold(decode(utf8).cps).text; }

std::string person_for(const std::string& jurisdiction) {
    if (jurisdiction == "uk-ftt-iac" || jurisdiction == "uk-utiac") return "appellant";
    if (jurisdiction == "us-eoir") return "respondent";
    return "applicant";
}

Identity Identity::of(const Case& c, const std::string& person) {
    Identity id;
    auto add = [&](IdentityKind kind, const std::string& text, const std::string& replacement,
                   bool part) {
        std::u32string source = decode(text).cps;
        std::u32string folded = fold(source).text;
        while (!folded.empty() && folded.back() == U' ') folded.pop_back();
        while (!folded.empty() && folded.front() == U' ') folded.erase(0, 1);
        if (folded.empty()) return;
        for (const Needle& n : id.needles_)
            if (n.folded == folded) return;  // the first kind added wins
        Needle n;
        n.item = id.items_.size();
        n.folded = folded;
        n.part = part;
        char32_t first = first_letter(source);
        n.cased = part && first && u_hasBinaryProperty(static_cast<UChar32>(first), UCHAR_CASED);
        id.items_.push_back({kind, text, replacement});
        id.needles_.push_back(std::move(n));
    };
    // A name whole, then each part that could identify on its own.
    auto add_name = [&](const std::string& name, IdentityKind whole, IdentityKind part_kind,
                        const std::string& replacement) {
        std::u32string source = decode(name).cps;
        std::vector<std::u32string> parts = split_name(source);
        static const std::vector<std::u32string> kHonorifics = {
            U"mrs", U"miss", U"prof", U"sir", U"dame", U"rev", U"revd", U"hon", U"esq"};
        std::vector<std::u32string> kept;
        for (const std::u32string& p : parts) {
            std::u32string folded = fold(p).text;
            if (letters(folded) < 3) continue;
            if (std::find(kHonorifics.begin(), kHonorifics.end(), folded) != kHonorifics.end())
                continue;
            // A particle written in lower case ("van", "bin") is not a name on its own.
            char32_t first = first_letter(p);
            if (first && u_hasBinaryProperty(static_cast<UChar32>(first), UCHAR_CASED) &&
                !is_capital(first))
                continue;
            kept.push_back(p);
        }
        // A name of one word is a part: it may be an ordinary word too.
        if (parts.size() > 1 && letters(fold(source).text) >= 3)
            add(whole, name, replacement, false);
        for (const std::u32string& p : kept) add(part_kind, encode(p), replacement, true);
    };
    const std::string pseudonym =
        c.applicant.pseudonym.empty() ? "the " + person : c.applicant.pseudonym;
    add_name(c.applicant.name, IdentityKind::name, IdentityKind::name_part, pseudonym);
    for (const std::string& alias : c.applicant.aliases)
        add_name(alias, IdentityKind::alias, IdentityKind::alias_part, pseudonym);
    if (c.applicant.born)
        for (const std::string& form : birth_forms(*c.applicant.born, c.language))
            add(IdentityKind::date_of_birth, form, "[date of birth withheld]", false);
    add_name(c.instructions.solicitor, IdentityKind::solicitor, IdentityKind::solicitor_part,
             "the instructing solicitor");
    if (letters(matching_form(c.instructions.firm)) >= 3)
        add(IdentityKind::firm, c.instructions.firm, "the " + person + "\u2019s representatives",
            false);
    // Numbers shorter than 6 characters would match ordinary text ("2026").
    auto add_number = [&](IdentityKind kind, const std::string& text,
                          const std::string& replacement) {
        if (matching_form(text).size() >= 6) add(kind, text, replacement, false);
    };
    add_number(IdentityKind::appeal_number, c.appeal.number, "[appeal number withheld]");
    if (!c.appeal.a_number.empty())
        for (const std::string& form : a_number_forms(c.appeal.a_number))
            add_number(IdentityKind::a_number, form, "[A-number withheld]");
    add_number(IdentityKind::reference, c.reference, kSampleReference);
    std::stable_sort(id.needles_.begin(), id.needles_.end(), [](const Needle& a, const Needle& b) {
        return a.folded.size() > b.folded.size();
    });
    return id;
}

namespace {

struct Hit {
    std::size_t item;
    std::uint32_t from, to;  // source code points
};

std::vector<Hit> hits(const std::vector<Identity::Needle>& needles, const Decoded& src,
                      const Folded& f, MatchMode mode) {
    std::vector<Hit> all;
    const std::u32string& h = f.text;
    for (const Identity::Needle& n : needles) {
        for (std::size_t pos = h.find(n.folded); pos != std::u32string::npos;
             pos = h.find(n.folded, pos + 1)) {
            std::size_t end = pos + n.folded.size();
            if (pos > 0 && !separate(n.folded.front(), h[pos - 1])) continue;
            if (end < h.size() && !separate(n.folded.back(), h[end])) continue;
            if (n.part && n.cased && mode != MatchMode::strict) {
                char32_t first = first_letter(src.cps.substr(f.from[pos], f.to[pos] - f.from[pos]));
                if (!is_capital(first) &&
                    (mode == MatchMode::capitalised || running_word(h, pos, end)))
                    continue;
            }
            all.push_back({n.item, f.from[pos], f.to[end - 1]});
        }
    }
    // Leftmost first, the longest of those starting together, none overlapping.
    std::sort(all.begin(), all.end(), [](const Hit& a, const Hit& b) {
        return a.from != b.from ? a.from < b.from : a.to > b.to;
    });
    std::vector<Hit> kept;
    for (const Hit& hit : all)
        if (kept.empty() || hit.from >= kept.back().to) kept.push_back(hit);
    return kept;
}

}  // namespace

std::vector<IdentityMatch> Identity::find_all(std::string_view utf8, MatchMode mode) const {
    if (needles_.empty() || utf8.empty()) return {};
    Decoded src = decode(utf8);
    Folded f = fold(src.cps);
    std::vector<IdentityMatch> out;
    for (const Hit& h : hits(needles_, src, f, mode))
        out.push_back({h.item, src.offsets[h.from], src.offsets[h.to]});
    return out;
}

std::optional<IdentityMatch> Identity::find(std::string_view utf8, MatchMode mode) const {
    std::vector<IdentityMatch> all = find_all(utf8, mode);
    if (all.empty()) return std::nullopt;
    return all.front();
}

std::string Identity::redact(std::string_view utf8) const {
    Decoded src = decode(utf8);
    if (needles_.empty()) return encode(src.cps);
    Folded f = fold(src.cps);
    std::string out;
    std::uint32_t copied = 0;
    for (const Hit& h : hits(needles_, src, f, MatchMode::text)) {
        out += encode(src.cps.substr(copied, h.from - copied));
        out += items_[h.item].replacement;
        copied = h.to;
    }
    out += encode(src.cps.substr(copied));
    return out;
}

}  // namespace dossier::compose
