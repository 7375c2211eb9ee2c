// Positioned lines from chosen breaks: justification, glyph runs, right-to-left reordering.
#include <algorithm>

#include "layout/paragraph.hpp"

namespace dossier::layout {

namespace {

// One thing on a line, in logical order, before the line is reordered for display.
struct Slot {
    static constexpr int kHyphen = -1;  // the hyphen the breaker inserted
    static constexpr int kBlank = -2;   // glue without a space character: only moves the pen
    int ch = kBlank;                    // index into the paragraph's characters
    Unit width = 0;                     // its advance on this line (a space: justified)
    bool space = false;
    std::uint8_t level = 0;  // bidi level
};

std::uint32_t offset(const std::string& s) { return static_cast<std::uint32_t>(s.size()); }

}  // namespace

void append_space(LineRun& run, const FontSet& fonts) {
    const std::uint32_t begin = offset(run.text);
    run.text += ' ';
    const Face& face = fonts.face(run.font);
    const std::uint16_t g = face.glyph_of(U' ');
    if (g != 0) run.glyphs.push_back({g, face.advance[g], 0, 0, begin, offset(run.text)});
}

TextRun to_text_run(const LineRun& run, Unit x, Unit y) {
    TextRun out;
    out.font = run.font;
    out.size = run.size;
    out.x = x;
    out.y = y;
    out.text = run.text;
    out.glyphs = run.glyphs;
    return out;
}

void append_run(LineRun& run, const LineRun& next) {
    const std::uint32_t shift = offset(run.text);
    run.text += next.text;
    for (Glyph g : next.glyphs) {
        g.text_begin += shift;
        g.text_end += shift;
        run.glyphs.push_back(g);
    }
    run.width = next.x + next.width - run.x;
}

std::vector<Line> Typesetter::Impl::build(const std::vector<Char>& chars,
                                          const std::vector<Item>& items,
                                          const std::vector<int>& breaks,
                                          const std::vector<Inline>& content,
                                          const ParagraphSpec& spec) const {
    Sums s(items);
    std::vector<Line> lines;
    std::vector<Slot> slots;
    std::vector<std::uint8_t> levels;
    std::vector<int> order, run_slots;
    std::vector<std::uint32_t> begin_of, end_of;  // text range of each slot in its run
    std::size_t start = 0;
    for (std::size_t l = 0; l < breaks.size(); ++l) {
        auto b = static_cast<std::size_t>(breaks[l]);
        Line line;
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
        // Ragged paragraphs keep natural spaces: their glue cannot shrink (see items()), so r < 0
        // only for lines broken as justified and then set ragged (ragged_when_loose).
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
        // The line's contents in logical order.
        slots.clear();
        std::int64_t cumulative = 0;
        for (std::size_t i = start; i < b; ++i) {
            const Item& it = items[i];
            if (it.type == Item::Type::box) {
                for (int k = it.begin; k < it.end; ++k) {
                    const Char& c = chars[static_cast<std::size_t>(k)];
                    slots.push_back({k, c.width, false, c.level});
                    if (c.footnote > 0 && std::find(line.footnotes.begin(), line.footnotes.end(),
                                                    c.footnote) == line.footnotes.end())
                        line.footnotes.push_back(c.footnote);
                }
            } else if (it.type == Item::Type::glue) {
                Unit width = it.width;
                if (total > 0) {
                    std::int64_t before = extra * cumulative / total;
                    cumulative += stretching ? it.stretch : it.shrink;
                    width += static_cast<Unit>(extra * cumulative / total - before);
                }
                const bool has_char = it.end > it.begin;
                const std::uint8_t level =
                    has_char ? chars[static_cast<std::size_t>(it.begin)].level : 0;
                slots.push_back({has_char ? it.begin : Slot::kBlank, width, true, level});
            }
        }
        if (line.hyphenated)
            slots.push_back({Slot::kHyphen, end.width, false,
                             slots.empty() ? std::uint8_t{0} : slots.back().level});
        // Display order: the bidi algorithm's reordering of the line (rule L2), or as it is.
        order.resize(slots.size());
        if (has_rtl) {
            levels.clear();
            for (const Slot& sl : slots) levels.push_back(sl.level);
            order = visual_order(levels);
        } else {
            for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
        }
        // Runs: a run per stretch of one face, size, rise, address and direction, ended by a
        // space (which it keeps, so that extraction sees the word boundary).
        auto font_of = [&](const Slot& sl) {
            return sl.ch == Slot::kHyphen ? end.hyphen_font
                                          : chars[static_cast<std::size_t>(sl.ch)].font;
        };
        auto finish = [&](LineRun& run, bool rtl) {
            // Text in logical order: a right-to-left run's slots reversed.
            if (rtl) std::reverse(run_slots.begin(), run_slots.end());
            begin_of.assign(run_slots.size(), 0);
            end_of.assign(run_slots.size(), 0);
            for (std::size_t k = 0; k < run_slots.size(); ++k) {
                const Slot& sl = slots[static_cast<std::size_t>(run_slots[k])];
                begin_of[k] = offset(run.text);
                if (sl.ch == Slot::kHyphen)
                    run.text += "\u00AD";
                else if (sl.space)
                    utf8::append(run.text, chars[static_cast<std::size_t>(sl.ch)].c);
                else
                    utf8::append(run.text, chars[static_cast<std::size_t>(sl.ch)].c);
                end_of[k] = offset(run.text);
            }
            // A cluster's text is its first character's and every character after it in it.
            for (std::size_t k = run_slots.size(); k-- > 1;) {
                const Slot& sl = slots[static_cast<std::size_t>(run_slots[k])];
                if (sl.ch >= 0 && !sl.space && chars[static_cast<std::size_t>(sl.ch)].cluster_tail)
                    end_of[k - 1] = end_of[k];
            }
            if (rtl) {
                std::reverse(run_slots.begin(), run_slots.end());
                std::reverse(begin_of.begin(), begin_of.end());
                std::reverse(end_of.begin(), end_of.end());
            }
            const Face& face = this->face(run.font);
            std::size_t count = run.glyphs.size();
            for (int index : run_slots) {
                const Slot& sl = slots[static_cast<std::size_t>(index)];
                if (sl.ch < 0 || sl.space)
                    ++count;
                else
                    count += chars[static_cast<std::size_t>(sl.ch)].glyph_end -
                             chars[static_cast<std::size_t>(sl.ch)].glyph_begin;
            }
            run.glyphs.reserve(count);
            for (std::size_t k = 0; k < run_slots.size(); ++k) {
                const Slot& sl = slots[static_cast<std::size_t>(run_slots[k])];
                if (sl.ch == Slot::kHyphen || sl.space) {
                    std::uint16_t g = face.glyph_of(U'-');
                    if (sl.space) {
                        g = face.glyph_of(chars[static_cast<std::size_t>(sl.ch)].c);
                        if (g == 0) g = face.glyph_of(U' ');
                    }
                    if (g != 0)
                        run.glyphs.push_back({g, face.advance[g], 0, 0, begin_of[k], end_of[k]});
                    continue;
                }
                const Char& c = chars[static_cast<std::size_t>(sl.ch)];
                for (std::uint32_t g = c.glyph_begin; g < c.glyph_end; ++g) {
                    Glyph glyph = glyphs[g];
                    const bool first = g == c.glyph_begin;
                    glyph.text_begin = first ? begin_of[k] : end_of[k];
                    glyph.text_end = end_of[k];
                    run.glyphs.push_back(glyph);
                }
            }
            run_slots.clear();
        };
        std::int64_t x = 0;
        bool open = false;  // the last run may still be extended (no space since)
        bool rtl = false;
        for (int index : order) {
            const Slot& sl = slots[static_cast<std::size_t>(index)];
            if (sl.ch == Slot::kBlank ||
                (sl.ch >= 0 && !sl.space && chars[static_cast<std::size_t>(sl.ch)].font < 0)) {
                x += sl.width;
                continue;
            }
            if (sl.space) {
                if (open) run_slots.push_back(index);
                open = false;
                x += sl.width;
                continue;
            }
            const bool marker = sl.ch >= 0 && chars[static_cast<std::size_t>(sl.ch)].footnote;
            const int font = font_of(sl);
            const Unit size = marker ? 7 * kPoint : spec.size;
            const Unit rise = marker ? -3500 : 0;
            const std::string& uri =
                sl.ch >= 0 ? content[static_cast<std::size_t>(
                                         chars[static_cast<std::size_t>(sl.ch)].source)]
                                 .uri
                : line.runs.empty() ? std::string()
                                    : line.runs.back().uri;
            const bool odd = sl.level % 2 == 1;
            if (!open || line.runs.empty() || line.runs.back().font != font ||
                line.runs.back().size != size || line.runs.back().rise != rise ||
                line.runs.back().uri != uri || odd != rtl) {
                if (!line.runs.empty() && !run_slots.empty()) finish(line.runs.back(), rtl);
                line.runs.push_back(
                    {font, size, line.offset + static_cast<Unit>(x), rise, {}, 0, uri, {}, odd});
                open = true;
                rtl = odd;
            }
            run_slots.push_back(index);
            line.runs.back().width += sl.width;
            x += sl.width;
        }
        if (!line.runs.empty() && !run_slots.empty()) finish(line.runs.back(), rtl);
        lines.push_back(std::move(line));
        start = line_start(items, b);
    }
    return lines;
}

}  // namespace dossier::layout
