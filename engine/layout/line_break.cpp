// Paragraph setting: characters to faces, break opportunities (ICU, tailored), hyphenation
// points, Knuth-Plass optimal fit with a first-fit fallback. line_build.cpp positions the lines.
#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <optional>
#include <string_view>
#include <utility>

#include "layout/paragraph.hpp"

namespace dossier::layout {

std::vector<Char> Typesetter::Impl::characters(const std::vector<Inline>& content,
                                               const ParagraphSpec& spec) {
    std::vector<Char> chars;
    // At most one character per byte: one allocation instead of one per doubling.
    std::size_t bytes = 0;
    for (const Inline& in : content)
        bytes += in.text.empty() && in.kind == Inline::Kind::footnote_ref ? 12 : in.text.size();
    chars.reserve(bytes);
    for (std::size_t k = 0; k < content.size(); ++k) {
        const Inline& in = content[k];
        Style style = effective_style(in.style, spec.bold);
        bool marker = in.kind == Inline::Kind::footnote_ref;
        // Composed (NFC) before shaping: "e" + U+0301 is drawn as the face's "é", not as a
        // mark that a face without mark positioning would set beside the letter.
        std::u32string text =
            decode_utf8(marker && in.text.empty() ? std::to_string(in.footnote) : to_nfc(in.text));
        // Markers of two notes side by side would read as one number ("606162"): a raised
        // comma separates them, glued to the marker before it.
        if (marker && k > 0 && content[k - 1].kind == Inline::Kind::footnote_ref &&
            !chars.empty() && chars.back().footnote != 0) {
            Char comma = chars.back();
            comma.c = U',';
            comma.font = pick(U',', style, in.origin);
            chars.push_back(comma);
        }
        for (char32_t c : text) {
            if (marker) {
                if (c == U' ') continue;
                // A marker without a footnote number (-1) is still drawn as a superscript.
                Char ch;
                ch.c = c;
                ch.font = pick(c, style, in.origin);
                ch.source = static_cast<int>(k);
                ch.footnote = in.footnote > 0 ? in.footnote : -1;
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
            Char ch;
            ch.c = c;
            ch.source = static_cast<int>(k);
            ch.url = !in.uri.empty();
            // Format characters (zero-width space, joiners, BOM) steer line breaking but draw
            // nothing; they stay in the text ICU sees and out of the display list.
            if (type != U_FORMAT_CHAR) ch.font = pick(c, style, in.origin);
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
    shape(chars, spec);
    return chars;
}

void Typesetter::Impl::shape(std::vector<Char>& chars, const ParagraphSpec& spec) {
    glyphs.clear();
    glyphs.reserve(chars.size());
    std::u32string text;
    text.reserve(chars.size());
    for (const Char& c : chars) text += c.c;
    const std::vector<std::uint8_t> levels = bidi_levels(text);
    has_rtl = !levels.empty();
    for (std::size_t i = 0; i < levels.size(); ++i) chars[i].level = levels[i];
    const Unit marker_size = 7 * kPoint;
    for (std::size_t i = 0; i < chars.size();) {
        const Char& first = chars[i];
        if (first.font < 0) {
            chars[i].glyph_begin = chars[i].glyph_end = static_cast<std::uint32_t>(glyphs.size());
            chars[i].width = 0;
            ++i;
            continue;
        }
        // A word: one face, one direction, marker or not; a space is a word of its own (no
        // kerning across spaces, as in TeX), so that shaped words can be cached.
        std::size_t j = i + 1;
        if (!is_glue(first.c))
            while (j < chars.size() && chars[j].font == first.font &&
                   (chars[j].footnote != 0) == (first.footnote != 0) &&
                   chars[j].level % 2 == first.level % 2 && !is_glue(chars[j].c))
                ++j;
        const std::size_t n = j - i;
        const std::vector<ShapedGlyph>& shaped =
            shaper.shape(first.font, std::u32string_view(text).substr(i, n), first.level % 2 == 1);
        // Glyphs grouped by the character that begins their cluster, in HarfBuzz's (visual)
        // order within each: a counting sort, stable.
        cluster_counts.assign(n + 1, 0);
        for (const ShapedGlyph& g : shaped)
            if (g.cluster < n) ++cluster_counts[g.cluster + 1];
        for (std::size_t k = 0; k < n; ++k) cluster_counts[k + 1] += cluster_counts[k];
        const auto base = static_cast<std::uint32_t>(glyphs.size());
        glyphs.resize(glyphs.size() + cluster_counts[n]);
        for (std::size_t k = 0; k < n; ++k) {
            Char& c = chars[i + k];
            c.glyph_begin = base + cluster_counts[k];
            c.glyph_end = base + cluster_counts[k + 1];
            c.cluster_tail = k > 0 && c.glyph_begin == c.glyph_end;
        }
        std::vector<std::uint32_t>& next = cluster_counts;  // reused as insertion cursors
        for (const ShapedGlyph& g : shaped) {
            if (g.cluster >= n) continue;
            Glyph& out = glyphs[base + next[g.cluster]++];
            out.id = g.id;
            out.advance = g.advance;
            out.dx = g.dx;
            out.dy = g.dy;
        }
        for (std::size_t k = 0; k < n; ++k) {
            Char& c = chars[i + k];
            std::int64_t advance = 0;
            for (std::uint32_t g = c.glyph_begin; g < c.glyph_end; ++g)
                advance += glyphs[g].advance;
            const Unit size = c.footnote ? marker_size : spec.size;
            c.width = static_cast<Unit>(advance * size / 1000);
        }
        i = j;
    }
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
        // Never inside a shaping cluster (a letter and its mark, a ligature).
        if (chars[i].cluster_tail) brk[i] = false;
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
        // Not inside the host name: a line starting ".gov" or ".info" reads as a new word.
        brk[i] = (after_slash && slashes >= 2) ||
                 (slashes >= 3 && mark(c) && !mark(prev) && prev != U'/' && i + 1 < chars.size() &&
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
            if (i + 1 < end && !chars[static_cast<std::size_t>(i + 1)].cluster_tail) {
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
        if (chars[static_cast<std::size_t>(at + 1)].cluster_tail) continue;
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
        if (is_glue(c.c)) {
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
            // Ragged lines keep natural spaces, so they may not be shrunk to fit either.
            g.shrink = spec.justify ? c.width / 3 : 0;
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
                    last.uri == r.uri && !last.rtl && !r.rtl) {
                    append_run(last, r);
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
