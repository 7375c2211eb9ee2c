// Paragraph setting: characters to faces, break opportunities (ICU, tailored), hyphenation
// (libhyphen), Knuth-Plass optimal fit with a first-fit fallback, then positioned runs.
#include <hyphen.h>
#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <mutex>
#include <optional>
#include <set>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "layout/patterns.hpp"
#include "layout/typeset.hpp"
#include "model/utf8.hpp"

namespace dossier::layout {

namespace {

constexpr int kInfPenalty = 10000;  // a penalty this high forbids a break, this low forces one
constexpr std::int64_t kInfStretch = std::int64_t{1} << 40;  // parfillskip: "infinite"

void append_utf8(std::string& out, char32_t c) { utf8::append(out, c); }

// Decodes UTF-8; a malformed sequence becomes U+FFFD so that it is reported (or drawn as the
// replacement character) rather than silently vanishing as it would in the PDF library.
std::u32string decode_utf8(const std::string& s) {
    std::u32string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        char32_t c;
        std::size_t len = utf8::decode_at(s, i, c);
        out += c;
        i += len ? len : 1;
    }
    return out;
}

std::string hex_code(char32_t c) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(c));
    return buf;
}

Style effective_style(Style s, bool bold) {
    if (!bold) return s;
    return s == Style::italic || s == Style::bold_italic ? Style::bold_italic : Style::bold;
}

// One character of the paragraph after cleaning, with its face already chosen.
struct Char {
    char32_t c = 0;
    int font = -1;  // index into Pages::fonts; -1 = not drawn (no glyph, format character)
    Unit width = 0;
    int source = 0;            // index of the Inline it came from
    int footnote = 0;          // > 0: part of the superscript marker of this footnote
    bool soft_hyphen = false;  // a U+00AD followed it: a preferred hyphenation point
    bool url = false;
};

struct Item {
    enum class Type { box, glue, penalty };
    Type type = Type::box;
    Unit width = 0;
    std::int64_t stretch = 0, shrink = 0;
    int penalty = 0;
    bool flagged = false;
    int begin = 0, end = 0;      // box: its characters; glue: the space character (end = begin+1)
    int hyphen_font = -1;        // penalty with a hyphen drawn when broken here
    bool discretionary = false;  // a dictionary hyphenation point: not used in the first pass
};

bool is_space(char32_t c) { return c == U' '; }

bool is_dash_no_break_before(char32_t c) { return c == U'\u2014' || c == U'\u2013'; }

bool is_opening(char32_t c) {
    auto t = u_charType(static_cast<UChar32>(c));
    return t == U_START_PUNCTUATION || t == U_INITIAL_PUNCTUATION;
}

using DictPtr = std::unique_ptr<PatternDictionary>;

DictPtr load_dictionary(const std::string& path) { return PatternDictionary::load(path); }

HyphenDict* dict_of(const DictPtr& d) { return d ? d->dict() : nullptr; }

// Hyphenation points of a lowercase word (characters before each point), unfiltered.
std::vector<int> dictionary_points(HyphenDict* dict, const std::u32string& word) {
    std::vector<int> points;
    if (!dict || word.empty() || word.size() > 60) return points;
    std::string utf8;
    std::vector<int> char_at_byte;  // byte index -> index of the character it ends, or -1
    for (std::size_t i = 0; i < word.size(); ++i) {
        append_utf8(utf8, word[i]);
        char_at_byte.resize(utf8.size(), -1);
        char_at_byte[utf8.size() - 1] = static_cast<int>(i);
    }
    std::vector<char> hyphens(utf8.size() + 5, '0');
    char** rep = nullptr;
    int* pos = nullptr;
    int* cut = nullptr;
    int failed = hnj_hyphen_hyphenate2(dict, utf8.c_str(), static_cast<int>(utf8.size()),
                                       hyphens.data(), nullptr, &rep, &pos, &cut);
    if (rep) {
        for (std::size_t i = 0; i < utf8.size(); ++i) std::free(rep[i]);
        std::free(rep);
    }
    std::free(pos);
    std::free(cut);
    if (failed) return points;
    for (std::size_t b = 0; b + 1 < utf8.size(); ++b)
        if ((hyphens[b] - '0') % 2 == 1 && char_at_byte[b] >= 0)
            points.push_back(char_at_byte[b] + 1);
    return points;
}

}  // namespace

std::string hyphenation_dictionary(const std::string& dir, const std::string& language) {
    // Only British and American patterns are bundled with the system; every other language
    // (the report language is English today) falls back to the American ones.
    std::string tag = language;
    std::replace(tag.begin(), tag.end(), '_', '-');
    bool gb =
        tag.size() >= 5 && (tag.compare(0, 5, "en-GB") == 0 || tag.compare(0, 5, "en-gb") == 0);
    return dir + (gb ? "/hyph_en_GB.dic" : "/hyph_en_US.dic");
}

struct HyphenationPatterns::Lazy {
    std::once_flag once;
    DictPtr dictionary;
};

HyphenationPatterns::HyphenationPatterns(std::string path)
    : path_(std::move(path)), lazy_(std::make_shared<Lazy>()) {}

void* HyphenationPatterns::get() const {
    std::call_once(lazy_->once, [this] { lazy_->dictionary = load_dictionary(path_); });
    return dict_of(lazy_->dictionary);
}

void prepare_hyphenation(const FontSet& fonts, const std::string& language,
                         const Options& options) noexcept {
    if (!options.hyphenate) return;
    try {
        // The dictionary Typesetter::Impl::dictionary() will look for.
        std::string path = hyphenation_dictionary(options.hyphen_dir, language);
        for (const auto& patterns : fonts.hyphenation)
            if (patterns.path() == path) patterns.get();
    } catch (...) {
        // std::bad_alloc: layout() tries again, and reports it.
    }
}

std::optional<HyphenationPatterns> find_hyphenation(const std::string& path) {
    std::FILE* probe = std::fopen(path.c_str(), "rb");
    if (!probe) return std::nullopt;
    std::fclose(probe);
    return HyphenationPatterns(path);
}

std::vector<int> hyphenation_points(const std::string& dictionary, const std::string& word) {
    DictPtr dict = load_dictionary(dictionary);
    return dictionary_points(dict_of(dict), decode_utf8(word));
}

struct Typesetter::Impl {
    const FontSet& fonts;
    Options options;
    Diagnostics& diagnostics;
    BreakParameters params;
    // Loaded on first use: most paragraphs are set in the first pass, which needs no
    // hyphenation, and a report may not need the dictionary at all.
    DictPtr own_dict;  // loaded here when the FontSet does not have it
    HyphenDict* dict = nullptr;
    bool dict_tried = false;
    std::string dict_path;
    std::unique_ptr<icu::BreakIterator> breaker;
    // Scratch buffers reused from paragraph to paragraph (no allocation per character).
    std::u16string utf16;
    std::vector<int> at_utf16;
    std::set<std::tuple<std::string, int, int, char32_t>> reported;
    std::unordered_map<std::u32string, std::vector<int>> hyphen_cache;  // lowercase word -> points

    Impl(const FontSet& f, const std::string& language, const Options& o, Diagnostics& d)
        : fonts(f), options(o), diagnostics(d) {
        if (options.hyphenate) dict_path = hyphenation_dictionary(options.hyphen_dir, language);
        UErrorCode status = U_ZERO_ERROR;
        icu::Locale locale = icu::Locale::forLanguageTag(language, status);
        if (U_FAILURE(status)) {
            status = U_ZERO_ERROR;
            locale = icu::Locale("en", "GB");
        }
        breaker.reset(icu::BreakIterator::createLineInstance(locale, status));
        if (U_FAILURE(status)) breaker.reset();
    }

    HyphenDict* dictionary() {
        if (dict_tried || dict_path.empty()) return dict;
        dict_tried = true;
        for (const auto& patterns : fonts.hyphenation)
            if (patterns.path() == dict_path)
                return dict = static_cast<HyphenDict*>(patterns.get());
        own_dict = load_dictionary(dict_path);
        return dict = dict_of(own_dict);
    }

    const Face& face(int font) const { return fonts.face(font); }

    // The face index for `c` in `style`, or -1 (reported) when no face has it.
    int pick(char32_t c, Style style, const Span& origin) {
        if (const int font = fonts.pick(c, style); font >= 0) return font;
        auto key = std::tuple{origin.file, origin.line, origin.column, c};
        if (reported.insert(key).second) {
            std::string message = "no bundled font has a glyph for " + hex_code(c);
            char name[128];
            UErrorCode status = U_ZERO_ERROR;
            int32_t n = u_charName(static_cast<UChar32>(c), U_UNICODE_CHAR_NAME, name, sizeof name,
                                   &status);
            if (U_SUCCESS(status) && n > 0 && n < static_cast<int32_t>(sizeof name))
                message += " (" + std::string(name, static_cast<std::size_t>(n)) + ")";
            error(diagnostics, origin, "layout.no-glyph", message,
                  {"Replace the character or describe it in words; it is left out of the "
                   "report."});
        }
        return -1;
    }

    Unit advance(int font, char32_t c, Unit size) const {
        if (font < 0) return 0;
        return static_cast<Unit>(std::int64_t{face(font).width(c)} * size / 1000);
    }

    std::vector<Char> characters(const std::vector<Inline>& content, const ParagraphSpec& spec);
    std::vector<bool> opportunities(const std::vector<Char>& chars);
    int address_penalty(const std::vector<Char>& chars, int i) const;
    // The Knuth-Plass items; dictionary hyphenation points only when `use_dictionary`.
    std::vector<Item> items(const std::vector<Char>& chars, const std::vector<bool>& brk,
                            const ParagraphSpec& spec, bool use_dictionary);
    void add_word(std::vector<Item>& out, const std::vector<Char>& chars, int begin, int end,
                  const ParagraphSpec& spec, bool use_dictionary);
    // One pass of Knuth-Plass: lines with -1 <= r <= tolerance, dictionary hyphens only when
    // `hyphens`; `emergency` lifts the tolerance and the cap on badness. Empty when no set of
    // breaks is feasible.
    std::vector<int> optimal_fit(const std::vector<Item>& items, const ParagraphSpec& spec,
                                 double tolerance, bool hyphens, bool emergency) const;
    std::vector<int> first_fit(const std::vector<Item>& items, const ParagraphSpec& spec) const;
    std::vector<Line> build(const std::vector<Char>& chars, const std::vector<Item>& items,
                            const std::vector<int>& breaks, const std::vector<Inline>& content,
                            const ParagraphSpec& spec) const;
};

std::vector<Char> Typesetter::Impl::characters(const std::vector<Inline>& content,
                                               const ParagraphSpec& spec) {
    std::vector<Char> chars;
    // At most one character per byte: one allocation instead of one per doubling.
    std::size_t bytes = 0;
    for (const Inline& in : content)
        bytes += in.text.empty() && in.kind == Inline::Kind::footnote_ref ? 12 : in.text.size();
    chars.reserve(bytes);
    const Unit marker_size = 7 * kPoint;
    for (std::size_t k = 0; k < content.size(); ++k) {
        const Inline& in = content[k];
        Style style = effective_style(in.style, spec.bold);
        bool marker = in.kind == Inline::Kind::footnote_ref;
        std::u32string text =
            decode_utf8(marker && in.text.empty() ? std::to_string(in.footnote) : in.text);
        // Markers of two notes side by side would read as one number ("606162"): a raised
        // comma separates them, glued to the marker before it.
        if (marker && k > 0 && content[k - 1].kind == Inline::Kind::footnote_ref &&
            !chars.empty() && chars.back().footnote != 0) {
            Char comma = chars.back();
            comma.c = U',';
            comma.font = pick(U',', style, in.origin);
            comma.width = advance(comma.font, U',', marker_size);
            chars.push_back(comma);
        }
        for (char32_t c : text) {
            if (marker) {
                if (c == U' ') continue;
                // A marker without a footnote number (-1) is still drawn as a superscript.
                Char ch{c,
                        pick(c, style, in.origin),
                        0,
                        static_cast<int>(k),
                        in.footnote > 0 ? in.footnote : -1,
                        false,
                        false};
                ch.width = advance(ch.font, c, marker_size);
                chars.push_back(ch);
                continue;
            }
            // Line and paragraph separators, tabs and newlines are word spaces here: a block is
            // one paragraph, and forced line breaks have no place in justified report text.
            if (c == U'\t' || c == U'\n' || c == U'\r' || c == U'\u2028' || c == U'\u2029' ||
                c == U'\u000B' || c == U'\u000C')
                c = U' ';
            auto type = u_charType(static_cast<UChar32>(c));
            if (type == U_CONTROL_CHAR) continue;
            if (c == U'\u00AD') {
                if (!chars.empty()) chars.back().soft_hyphen = true;
                continue;
            }
            if (is_space(c) && (chars.empty() || is_space(chars.back().c))) continue;
            Char ch{c, -1, 0, static_cast<int>(k), 0, false, !in.uri.empty()};
            // Format characters (zero-width space, joiners, BOM) steer line breaking but draw
            // nothing; they stay in the text ICU sees and out of the display list.
            if (type != U_FORMAT_CHAR) ch.font = pick(c, style, in.origin);
            ch.width = advance(ch.font, c, spec.size);
            chars.push_back(ch);
        }
    }
    while (!chars.empty() && is_space(chars.back().c)) chars.pop_back();
    // Bare addresses in running text ("see https://...") break like links.
    for (std::size_t i = 0; i < chars.size(); ++i) {
        if (i > 0 && !is_space(chars[i - 1].c) && !is_opening(chars[i - 1].c)) continue;
        auto starts = [&](const char* p) {
            for (std::size_t j = 0; p[j]; ++j)
                if (i + j >= chars.size() || chars[i + j].c != static_cast<char32_t>(p[j]))
                    return false;
            return true;
        };
        if (!starts("http://") && !starts("https://")) continue;
        for (std::size_t j = i; j < chars.size() && !is_space(chars[j].c); ++j) chars[j].url = true;
        // Trailing sentence punctuation is not part of the address.
        for (std::size_t j = i; j < chars.size() && !is_space(chars[j].c); ++j) {
            bool last = j + 1 == chars.size() || is_space(chars[j + 1].c);
            if (last) {
                std::size_t t = j;
                while (t > i && std::u32string_view(U".,;:)]'\u2019\u201D").find(chars[t].c) !=
                                    std::u32string_view::npos) {
                    chars[t].url = false;
                    --t;
                }
            }
        }
    }
    return chars;
}

std::vector<bool> Typesetter::Impl::opportunities(const std::vector<Char>& chars) {
    // brk[i]: a line may end before chars[i].
    std::vector<bool> brk(chars.size() + 1, false);
    std::u16string& units = utf16;
    std::vector<int>& at = at_utf16;  // UTF-16 offset -> index into chars
    units.clear();
    at.clear();
    for (std::size_t i = 0; i < chars.size(); ++i) {
        if (chars[i].footnote) continue;  // markers stay glued to the word before them
        char32_t c = chars[i].c;
        at.push_back(static_cast<int>(i));
        if (c < 0x10000) {
            units += static_cast<char16_t>(c);
        } else {
            units += static_cast<char16_t>(0xD7C0 + (c >> 10));
            units += static_cast<char16_t>(0xDC00 | (c & 0x3FF));
            at.push_back(-1);
        }
    }
    // A read-only alias of the buffer: ICU copies nothing.
    icu::UnicodeString text(false, units.data(), static_cast<int32_t>(units.size()));
    if (breaker) {
        breaker->setText(text);
        for (int32_t p = breaker->next(); p != icu::BreakIterator::DONE; p = breaker->next())
            if (p < text.length() && at[static_cast<std::size_t>(p)] >= 0)
                brk[static_cast<std::size_t>(at[static_cast<std::size_t>(p)])] = true;
    } else {
        for (std::size_t i = 1; i < chars.size(); ++i)
            brk[i] = is_space(chars[i - 1].c) && !is_space(chars[i].c);
    }
    // Tailoring, because ICU's defaults suit neither British spaced dashes nor addresses.
    for (std::size_t i = 1; i < chars.size(); ++i) {
        if (!brk[i]) continue;
        // A dash must not start a line (UAX #14 allows a break before a spaced dash).
        if (is_dash_no_break_before(chars[i].c)) brk[i] = false;
        // Nor may an opening quote or bracket end one, even a stray spaced one.
        std::size_t prev = i - 1;
        while (prev > 0 && (chars[prev].footnote || is_space(chars[prev].c))) --prev;
        if (is_opening(chars[prev].c)) brk[i] = false;
    }
    // Inside an address (Chicago Manual 14.18): after a slash, and before a dot, hyphen,
    // underscore or query punctuation, which then starts the next line where it cannot be
    // mistaken for the end of a sentence or an inserted hyphen. ICU would break after dots
    // and hyphens instead, and inside "https://". The scheme stays whole; a break right after
    // it or in the host name costs more (Item penalties, see items()).
    auto mark = [](char32_t c) {
        return std::u32string_view(U".-_?#=&~").find(c) != std::u32string_view::npos;
    };
    int slashes = 0;  // slashes seen in the current address: 2 after "//", 3 in the path
    for (std::size_t i = 1; i < chars.size(); ++i) {
        if (!chars[i].url) {
            slashes = 0;
            continue;
        }
        if (!chars[i - 1].url) {
            slashes = chars[i].c == U'/' ? 1 : 0;
            continue;
        }
        char32_t prev = chars[i - 1].c, c = chars[i].c;
        bool after_slash = prev == U'/' && c != U'/';
        brk[i] = (after_slash && slashes >= 2) ||
                 (slashes >= 2 && mark(c) && !mark(prev) && prev != U'/' && i + 1 < chars.size() &&
                  chars[i + 1].url);
        if (c == U'/') ++slashes;
    }
    return brk;
}

void Typesetter::Impl::add_word(std::vector<Item>& out, const std::vector<Char>& chars, int begin,
                                int end, const ParagraphSpec& spec, bool use_dictionary) {
    auto box = [&](int b, int e) {
        if (b >= e) return;
        Item it;
        it.type = Item::Type::box;
        it.begin = b;
        it.end = e;
        for (int i = b; i < e; ++i) it.width += chars[static_cast<std::size_t>(i)].width;
        out.push_back(it);
    };
    auto hyphen_after = [&](int i, int penalty, bool visible, bool discretionary) {
        Item it;
        it.type = Item::Type::penalty;
        it.penalty = penalty;
        it.flagged = visible;
        it.discretionary = discretionary;
        if (visible) {
            const Char& c = chars[static_cast<std::size_t>(i)];
            int font = c.font >= 0 ? c.font : 0;
            if (!face(font).has(U'-')) font = font % 4;
            it.hyphen_font = font;
            it.width = advance(font, U'-', spec.size);
        }
        out.push_back(it);
    };

    // Where to hyphenate: soft hyphens when the author put any, else the dictionary, only in
    // a lowercase purely alphabetic core (names, acronyms, numbers and addresses never).
    std::vector<int> points;  // break after chars[p]
    bool soft = false;
    bool from_dictionary = false;
    for (int i = begin; i + 1 < end; ++i)
        if (chars[static_cast<std::size_t>(i)].soft_hyphen) {
            points.push_back(i);
            soft = true;
        }
    const BreakParameters& p = params;
    if (!soft && use_dictionary && spec.hyphenate && dictionary()) {
        int b = begin, e = end;
        auto alpha = [&](int i) {
            return u_isalpha(static_cast<UChar32>(chars[static_cast<std::size_t>(i)].c)) != 0;
        };
        while (b < e && !alpha(b) && !chars[static_cast<std::size_t>(b)].footnote) ++b;
        while (e > b && (!alpha(e - 1) || chars[static_cast<std::size_t>(e - 1)].footnote)) --e;
        bool ok = e - b >= p.min_hyphenate_letters;
        std::u32string core;
        for (int i = b; ok && i < e; ++i) {
            const Char& c = chars[static_cast<std::size_t>(i)];
            if (!alpha(i) || c.url || c.footnote || c.font < 0) ok = false;
            core += static_cast<char32_t>(u_tolower(static_cast<UChar32>(c.c)));
        }
        // Capitalised words are names or sentence starts; both look wrong broken.
        if (ok && !u_islower(static_cast<UChar32>(chars[static_cast<std::size_t>(b)].c)))
            ok = false;
        if (ok) {
            // Report prose repeats its words; libhyphen is the costly part of setting a line.
            auto [at, fresh] = hyphen_cache.try_emplace(core);
            if (fresh) at->second = dictionary_points(dict, core);
            for (int n : at->second)
                if (n >= p.left_hyphen_min &&
                    static_cast<int>(core.size()) - n >= p.right_hyphen_min)
                    points.push_back(b + n - 1);
            from_dictionary = true;
        }
    }

    Unit total = 0;
    for (int i = begin; i < end; ++i) total += chars[static_cast<std::size_t>(i)].width;
    Unit narrowest = std::min(spec.first_width, spec.width);
    if (total > narrowest && narrowest > 0) {
        // Emergency: nothing else would keep this word inside the measure.
        for (int i = begin; i < end; ++i) {
            box(i, i + 1);
            if (i + 1 < end) {
                Item it;
                it.type = Item::Type::penalty;
                it.penalty = p.emergency_penalty;
                out.push_back(it);
            }
        }
        return;
    }
    int from = begin;
    for (int at : points) {
        box(from, at + 1);
        hyphen_after(at, p.hyphen_penalty, true, from_dictionary);
        from = at + 1;
    }
    box(from, end);
}

// The penalty for breaking an address before chars[i]: free after a slash in the path, a
// little before a dot or hyphen in the path, more in the host name or right after "//",
// where the first line's end looks least like part of an address.
int Typesetter::Impl::address_penalty(const std::vector<Char>& chars, int i) const {
    int slashes = 0;
    int k = i - 1;
    while (k > 0 && chars[static_cast<std::size_t>(k - 1)].url) --k;
    for (int j = k; j < i; ++j)
        if (chars[static_cast<std::size_t>(j)].c == U'/') ++slashes;
    bool in_path = slashes >= 3;
    bool after_slash = chars[static_cast<std::size_t>(i - 1)].c == U'/';
    if (in_path) return after_slash ? 0 : params.address_penalty;
    return params.host_break_penalty;
}

std::vector<Item> Typesetter::Impl::items(const std::vector<Char>& chars,
                                          const std::vector<bool>& brk, const ParagraphSpec& spec,
                                          bool use_dictionary) {
    std::vector<Item> out;
    out.reserve(chars.size() / 2 + 8);
    int n = static_cast<int>(chars.size());
    int word = -1;
    auto flush = [&](int end) {
        if (word >= 0 && end > word) add_word(out, chars, word, end, spec, use_dictionary);
        word = -1;
    };
    for (int i = 0; i < n; ++i) {
        const Char& c = chars[static_cast<std::size_t>(i)];
        if (i > 0 && brk[static_cast<std::size_t>(i)] &&
            !is_space(chars[static_cast<std::size_t>(i - 1)].c)) {
            // A break opportunity with no space: after a hyphen, a dash, a slash.
            flush(i);
            const Char& prev = chars[static_cast<std::size_t>(i - 1)];
            Item it;
            it.type = Item::Type::penalty;
            bool address = prev.url && c.url;
            bool hyphen = !address && (prev.c == U'-' || prev.c == U'\u2010');
            it.penalty = hyphen ? params.explicit_hyphen_penalty : 0;
            if (address) it.penalty = address_penalty(chars, i);
            it.flagged = hyphen;
            out.push_back(it);
        }
        if (is_space(c.c)) {
            flush(i);
            if (!brk[static_cast<std::size_t>(i + 1)]) {
                Item keep;
                keep.type = Item::Type::penalty;
                keep.penalty = kInfPenalty;
                out.push_back(keep);
            }
            Item g;
            g.type = Item::Type::glue;
            g.width = c.width;
            g.stretch = c.width / 2;
            g.shrink = c.width / 3;
            g.begin = i;
            g.end = i + 1;
            out.push_back(g);
        } else if (word < 0) {
            word = i;
        }
    }
    flush(n);
    // The paragraph's end: no break before the final glue, which stretches without limit.
    Item keep;
    keep.type = Item::Type::penalty;
    keep.penalty = kInfPenalty;
    out.push_back(keep);
    Item fill;
    fill.type = Item::Type::glue;
    fill.stretch = kInfStretch;
    fill.begin = fill.end = n;
    out.push_back(fill);
    Item end;
    end.type = Item::Type::penalty;
    end.penalty = -kInfPenalty;
    end.begin = end.end = n;
    out.push_back(end);
    return out;
}

namespace {

struct Sums {
    std::vector<std::int64_t> w, y, z;  // totals of the items before index i
    explicit Sums(const std::vector<Item>& items)
        : w(items.size() + 1), y(items.size() + 1), z(items.size() + 1) {
        for (std::size_t i = 0; i < items.size(); ++i) {
            bool glue = items[i].type == Item::Type::glue;
            bool box = items[i].type == Item::Type::box;
            w[i + 1] = w[i] + (glue || box ? items[i].width : 0);
            y[i + 1] = y[i] + (glue ? items[i].stretch : 0);
            z[i + 1] = z[i] + (glue ? items[i].shrink : 0);
        }
    }
};

bool legal_break(const std::vector<Item>& items, std::size_t b) {
    const Item& it = items[b];
    if (it.type == Item::Type::penalty) return it.penalty < kInfPenalty;
    if (it.type == Item::Type::glue) return b > 0 && items[b - 1].type == Item::Type::box;
    return false;
}

// The first item of the line after a break at `b`: discardable glue and penalties are dropped.
std::size_t line_start(const std::vector<Item>& items, std::size_t b) {
    std::size_t k = b + 1;
    while (k < items.size() && items[k].type != Item::Type::box &&
           !(items[k].type == Item::Type::penalty && items[k].penalty <= -kInfPenalty))
        ++k;
    return k;
}

// Adjustment ratio of the line [start, b) broken at b, for a measure.
double ratio(const std::vector<Item>& items, const Sums& s, std::size_t start, std::size_t b,
             Unit measure) {
    std::int64_t width = s.w[b] - s.w[start];
    if (items[b].type == Item::Type::penalty) width += items[b].width;
    if (width < measure) {
        std::int64_t stretch = s.y[b] - s.y[start];
        return stretch > 0 ? static_cast<double>(measure - width) / static_cast<double>(stretch)
                           : std::numeric_limits<double>::infinity();
    }
    if (width > measure) {
        std::int64_t shrink = s.z[b] - s.z[start];
        return shrink > 0 ? static_cast<double>(measure - width) / static_cast<double>(shrink)
                          : -std::numeric_limits<double>::infinity();
    }
    return 0;
}

}  // namespace

std::vector<int> Typesetter::Impl::optimal_fit(const std::vector<Item>& items,
                                               const ParagraphSpec& spec, double tolerance,
                                               bool hyphens, bool emergency) const {
    struct Node {
        std::size_t start;  // first item of the line after this break
        int line;           // lines before this break
        int fitness;
        double demerits;
        int prev;
        int position;  // the break item; -1 for the paragraph start
        bool flagged;
    };
    Sums s(items);
    // The paragraph start: leading spaces were dropped, so the first line starts at item 0.
    std::vector<Node> nodes{{0, 0, 1, 0, -1, -1, false}};
    std::vector<int> active{0}, still;
    const auto& p = params;
    for (std::size_t b = 0; b < items.size(); ++b) {
        if (!legal_break(items, b) || (!hyphens && items[b].discretionary)) continue;
        const Item& item = items[b];
        bool forced = item.type == Item::Type::penalty && item.penalty <= -kInfPenalty;
        struct Best {
            double demerits = std::numeric_limits<double>::infinity();
            int node = -1;
        };
        Best best[4];
        still.clear();
        for (int a : active) {
            const Node& n = nodes[static_cast<std::size_t>(a)];
            Unit measure = n.line == 0 ? spec.first_width : spec.width;
            double r = ratio(items, s, n.start, b, measure);
            if (!(r < -1 || forced)) still.push_back(a);
            if (r < -1 || (r > tolerance && !emergency)) continue;
            double badness = 100.0 * std::fabs(r * r * r);
            // Beyond r = 100 (or a line with no glue at all) every line is equally hopeless.
            badness = std::min(badness, emergency ? 1e8 : 10000.0);
            double d = std::pow(p.line_penalty + badness, 2);
            if (item.type == Item::Type::penalty) {
                if (item.penalty >= 0)
                    d += double(item.penalty) * item.penalty;
                else if (!forced)
                    d -= double(item.penalty) * item.penalty;
            }
            bool flagged = item.type == Item::Type::penalty && item.flagged;
            if (flagged && n.flagged) d += p.double_hyphen_demerits;
            if (forced && n.flagged) d += p.final_hyphen_demerits;
            int fitness = r < -0.5 ? 0 : r <= 0.5 ? 1 : r <= 1 ? 2 : 3;
            if (std::abs(fitness - n.fitness) > 1) d += p.fitness_demerits;
            d += n.demerits;
            if (d < best[fitness].demerits) best[fitness] = {d, a};
        }
        active.swap(still);
        for (int f = 0; f < 4; ++f) {
            if (best[f].node < 0) continue;
            const Node& from = nodes[static_cast<std::size_t>(best[f].node)];
            nodes.push_back({line_start(items, b), from.line + 1, f, best[f].demerits, best[f].node,
                             static_cast<int>(b),
                             item.type == Item::Type::penalty && item.flagged});
            active.push_back(static_cast<int>(nodes.size() - 1));
        }
        if (active.empty()) return {};
    }
    int best = -1;
    for (int a : active) {
        const Node& n = nodes[static_cast<std::size_t>(a)];
        if (n.position == static_cast<int>(items.size()) - 1 &&
            (best < 0 || n.demerits < nodes[static_cast<std::size_t>(best)].demerits))
            best = a;
    }
    std::vector<int> breaks;
    for (int n = best; n > 0; n = nodes[static_cast<std::size_t>(n)].prev)
        breaks.push_back(nodes[static_cast<std::size_t>(n)].position);
    std::reverse(breaks.begin(), breaks.end());
    return breaks;
}

std::vector<int> Typesetter::Impl::first_fit(const std::vector<Item>& items,
                                             const ParagraphSpec& spec) const {
    Sums s(items);
    std::vector<int> breaks;
    std::size_t start = 0;
    int candidate = -1;
    for (std::size_t b = 0; b < items.size(); ++b) {
        if (!legal_break(items, b)) continue;
        bool forced = items[b].type == Item::Type::penalty && items[b].penalty <= -kInfPenalty;
        Unit measure = breaks.empty() ? spec.first_width : spec.width;
        double r = ratio(items, s, start, b, measure);
        if (r >= -1) {
            if (forced) {
                breaks.push_back(static_cast<int>(b));
                break;
            }
            candidate = static_cast<int>(b);
            continue;
        }
        // Overfull: end the line at the last place that fitted (or here, if none did) and
        // look at this break again from the new line.
        int at = candidate >= 0 ? candidate : static_cast<int>(b);
        breaks.push_back(at);
        start = line_start(items, static_cast<std::size_t>(at));
        candidate = -1;
        if (static_cast<std::size_t>(at) == b) {
            if (forced) break;
            continue;
        }
        b = static_cast<std::size_t>(at);  // the loop's ++b resumes after the break
    }
    return breaks;
}

std::vector<Line> Typesetter::Impl::build(const std::vector<Char>& chars,
                                          const std::vector<Item>& items,
                                          const std::vector<int>& breaks,
                                          const std::vector<Inline>& content,
                                          const ParagraphSpec& spec) const {
    Sums s(items);
    std::vector<Line> lines;
    std::size_t start = 0;
    for (std::size_t l = 0; l < breaks.size(); ++l) {
        auto b = static_cast<std::size_t>(breaks[l]);
        Line line;
        // Mostly a run per box, and one for an inserted hyphen: one allocation per line.
        auto boxes = std::count_if(items.begin() + static_cast<long>(start),
                                   items.begin() + static_cast<long>(b),
                                   [](const Item& it) { return it.type == Item::Type::box; });
        line.runs.reserve(static_cast<std::size_t>(boxes) + 1);
        line.offset = l == 0 ? spec.first_offset : spec.offset;
        line.measure = l == 0 ? spec.first_width : spec.width;
        line.last = l + 1 == breaks.size();
        const Item& end = items[b];
        line.hyphenated = end.type == Item::Type::penalty && end.hyphen_font >= 0;
        double r = ratio(items, s, start, b, line.measure);
        line.ratio = r;
        std::int64_t natural = s.w[b] - s.w[start] + (line.hyphenated ? end.width : 0);
        line.natural = static_cast<Unit>(natural);
        // Glue widths: justified lines take up the difference in proportion to each glue's
        // stretch (or shrink), in integers, so the last word ends exactly at the measure.
        std::int64_t extra = 0, total = 0;
        bool stretching = false;
        if (r < 0) {
            total = s.z[b] - s.z[start];
            extra = std::max<std::int64_t>(line.measure - natural, -total);
        } else if (spec.justify && !line.last && std::isfinite(r)) {
            total = s.y[b] - s.y[start];
            extra = line.measure - natural;
            stretching = true;
        }
        std::int64_t x = 0, cumulative = 0;
        bool open = false;  // the last run may still be extended (no glue since)
        auto add_char = [&](const Char& c) {
            if (c.font < 0) return;
            const Unit size = c.footnote ? 7 * kPoint : spec.size;
            const Unit rise = c.footnote ? -3500 : 0;
            const std::string& uri = content[static_cast<std::size_t>(c.source)].uri;
            if (!open || line.runs.empty() || line.runs.back().font != c.font ||
                line.runs.back().size != size || line.runs.back().rise != rise ||
                line.runs.back().uri != uri) {
                line.runs.push_back(
                    {c.font, size, line.offset + static_cast<Unit>(x), rise, {}, 0, uri});
                open = true;
            }
            append_utf8(line.runs.back().text, c.c);
            line.runs.back().width += c.width;
        };
        for (std::size_t i = start; i < b; ++i) {
            const Item& it = items[i];
            if (it.type == Item::Type::box) {
                for (int k = it.begin; k < it.end; ++k) {
                    const Char& c = chars[static_cast<std::size_t>(k)];
                    add_char(c);
                    if (c.footnote > 0 && std::find(line.footnotes.begin(), line.footnotes.end(),
                                                    c.footnote) == line.footnotes.end())
                        line.footnotes.push_back(c.footnote);
                    x += c.width;
                }
            } else if (it.type == Item::Type::glue) {
                // The real space goes into the text so that extraction keeps word boundaries.
                if (!line.runs.empty() && open && it.end > it.begin) line.runs.back().text += ' ';
                open = false;
                x += it.width;
                if (total > 0) {
                    std::int64_t before = extra * cumulative / total;
                    cumulative += stretching ? it.stretch : it.shrink;
                    x += extra * cumulative / total - before;
                }
            }
        }
        if (line.hyphenated) {
            if (!line.runs.empty() && line.runs.back().font == end.hyphen_font &&
                line.runs.back().rise == 0) {
                line.runs.back().text += '-';
                line.runs.back().width += end.width;
            } else {
                line.runs.push_back({end.hyphen_font,
                                     spec.size,
                                     line.offset + static_cast<Unit>(x),
                                     0,
                                     "-",
                                     end.width,
                                     {}});
            }
        }
        lines.push_back(std::move(line));
        start = line_start(items, b);
    }
    return lines;
}

Typesetter::Typesetter(const FontSet& fonts, const std::string& language, const Options& options,
                       Diagnostics& diagnostics)
    : impl_(std::make_unique<Impl>(fonts, language, options, diagnostics)) {}

Typesetter::~Typesetter() = default;

std::vector<Line> Typesetter::set(const std::vector<Inline>& content, const ParagraphSpec& spec) {
    return set(content, spec, impl_->options.breaker);
}

std::vector<Line> Typesetter::set(const std::vector<Inline>& content, const ParagraphSpec& spec,
                                  Breaker breaker) {
    std::vector<Char> chars = impl_->characters(content, spec);
    if (chars.empty()) return {};
    std::vector<bool> brk = impl_->opportunities(chars);
    std::vector<Item> items;
    std::vector<int> breaks;
    if (breaker == Breaker::optimal_fit) {
        const BreakParameters& p = impl_->params;
        // The first pass needs no hyphenation points: look them up only when it fails.
        items = impl_->items(chars, brk, spec, false);
        breaks = impl_->optimal_fit(items, spec, p.pretolerance, false, false);
        if (breaks.empty() && impl_->options.hyphenate && spec.hyphenate) {
            items = impl_->items(chars, brk, spec, true);
        }
        if (breaks.empty()) breaks = impl_->optimal_fit(items, spec, p.tolerance, true, false);
        if (breaks.empty()) {
            breaks = impl_->optimal_fit(items, spec, 0, true, true);
            // The emergency pass minimised how loose the lines are, which is also what makes
            // a ragged setting of the same breaks even.
            if (spec.ragged_when_loose && !breaks.empty()) {
                ParagraphSpec ragged = spec;
                ragged.justify = false;
                return impl_->build(chars, items, breaks, content, ragged);
            }
        }
    }
    if (breaks.empty()) {
        if (breaker == Breaker::first_fit) items = impl_->items(chars, brk, spec, true);
        breaks = impl_->first_fit(items, spec);
    }
    return impl_->build(chars, items, breaks, content, spec);
}

Line Typesetter::shape(const std::string& text, Style style, Unit size) {
    ParagraphSpec spec;
    spec.size = size;
    spec.first_width = spec.width = std::numeric_limits<Unit>::max() / 4;
    spec.justify = false;
    spec.hyphenate = false;
    Inline in;
    in.text = text;
    in.style = style;
    std::vector<Line> lines = set({in}, spec, Breaker::first_fit);
    if (lines.empty()) return {};
    // Natural spacing throughout, so neighbouring runs in the same face can be one run: the
    // PDF viewer spaces the merged text exactly as the separate runs were placed.
    Line line;
    line.natural = lines.front().natural;
    for (auto& l : lines) {
        for (auto& r : l.runs) {
            if (!line.runs.empty()) {
                LineRun& last = line.runs.back();
                if (last.font == r.font && last.size == r.size && last.rise == r.rise &&
                    last.uri == r.uri) {
                    last.text += r.text;
                    last.width = r.x + r.width - last.x;
                    continue;
                }
            }
            line.runs.push_back(std::move(r));
        }
    }
    return line;
}

bool Typesetter::has_hyphenation() const { return impl_->dictionary() != nullptr; }
const BreakParameters& Typesetter::parameters() const { return impl_->params; }
const FontSet& Typesetter::fonts() const { return impl_->fonts; }

}  // namespace dossier::layout
