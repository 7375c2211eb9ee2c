// Inside the layout stage: what the paragraph setter's files share (line_break.cpp breaks,
// line_build.cpp positions the chosen lines, hyphenation.cpp finds hyphenation points). Not part
// of the stage's public interface.
#pragma once

#include <hyphen.h>
#include <unicode/brkiter.h>
#include <unicode/uchar.h>

#include <cmath>
#include <cstdio>
#include <limits>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "layout/patterns.hpp"
#include "layout/shaping.hpp"
#include "layout/typeset.hpp"
#include "model/utf8.hpp"

namespace dossier::layout {

inline constexpr int kInfPenalty =
    10000;  // a penalty this high forbids a break, this low forces one
inline constexpr std::int64_t kInfStretch = std::int64_t{1} << 40;  // parfillskip: "infinite"

inline void append_utf8(std::string& out, char32_t c) { utf8::append(out, c); }

// Decodes UTF-8; a malformed sequence becomes U+FFFD so that it is reported (or drawn as the
// replacement character) rather than silently vanishing as it would in the PDF library.
inline std::u32string decode_utf8(const std::string& s) {
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

inline std::string hex_code(char32_t c) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(c));
    return buf;
}

inline Style effective_style(Style s, bool bold) {
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
    // Not the first character of its shaping cluster (a mark after its base, the second letter
    // of a ligature): it has no glyphs of its own, and no line may end before it.
    bool cluster_tail = false;
    std::uint8_t level = 0;  // bidi embedding level; odd = right to left
    // Its glyphs in Impl::glyphs, in visual order within the character.
    std::uint32_t glyph_begin = 0, glyph_end = 0;
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

inline bool is_space(char32_t c) { return c == U' '; }

// A word space that stretches and shrinks with the others: the space, and the no-break space
// compose puts in "paragraph 23" or "5 October", which only differs in that no line ends there
// (ICU gives no break after it, so items() puts an infinite penalty before its glue).
inline bool is_glue(char32_t c) { return c == U' ' || c == U'\u00A0'; }

inline bool is_dash_no_break_before(char32_t c) { return c == U'\u2014' || c == U'\u2013'; }

inline bool is_opening(char32_t c) {
    auto t = u_charType(static_cast<UChar32>(c));
    return t == U_START_PUNCTUATION || t == U_INITIAL_PUNCTUATION;
}

using DictPtr = std::unique_ptr<PatternDictionary>;

inline DictPtr load_dictionary(const std::string& path) { return PatternDictionary::load(path); }

inline HyphenDict* dict_of(const DictPtr& d) { return d ? d->dict() : nullptr; }

// Hyphenation points of a lowercase word (characters before each point), unfiltered.
std::vector<int> dictionary_points(HyphenDict* dict, const std::u32string& word);

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

inline bool legal_break(const std::vector<Item>& items, std::size_t b) {
    const Item& it = items[b];
    if (it.type == Item::Type::penalty) return it.penalty < kInfPenalty;
    if (it.type == Item::Type::glue) return b > 0 && items[b - 1].type == Item::Type::box;
    return false;
}

// The first item of the line after a break at `b`: discardable glue and penalties are dropped.
inline std::size_t line_start(const std::vector<Item>& items, std::size_t b) {
    std::size_t k = b + 1;
    while (k < items.size() && items[k].type != Item::Type::box &&
           !(items[k].type == Item::Type::penalty && items[k].penalty <= -kInfPenalty))
        ++k;
    return k;
}

// Adjustment ratio of the line [start, b) broken at b, for a measure.
inline double ratio(const std::vector<Item>& items, const Sums& s, std::size_t start, std::size_t b,
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
    Shaper shaper;
    std::vector<Glyph> glyphs;  // the current paragraph's glyphs, by Char::glyph_begin/end
    bool has_rtl = false;       // the current paragraph has right-to-left text

    Impl(const FontSet& f, const std::string& language, const Options& o, Diagnostics& d)
        : fonts(f), options(o), diagnostics(d), shaper(f, language) {
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
    // Bidi levels, glyphs (into `glyphs`) and widths of the paragraph's characters: words are
    // shaped whole, in their face and direction, and each glyph is given to the character that
    // begins its cluster.
    void shape(std::vector<Char>& chars, const ParagraphSpec& spec);
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
    // Scratch for shape(): glyph counts per character of a word.
    std::vector<std::uint32_t> cluster_counts;
};

}  // namespace dossier::layout
