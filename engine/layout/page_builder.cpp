// Page building by cost: the body column's lines and their footnotes into pages, choosing each
// page's end by badness plus penalty as TeX's page builder does ("best so far"), with footnotes
// split across pages as TeX splits insertions.
#include <algorithm>
#include <cstdint>

#include "layout/flow.hpp"

namespace dossier::layout {

namespace {

// A place where the page being built could end, and the state of the page up to it.
struct Candidate {
    std::size_t end = 0;        // first flow line of the next page
    std::size_t notes = 0;      // footnote lines placed on the page
    std::size_t carry = 0;      // footnote lines continued on the next page
    Unit used = 0, note_h = 0;  // body and footnote heights at natural spacing
    Unit stretch = 0;           // total stretch of the page's gaps
    double cost = 0;
    bool ends_section = false;  // the end of the flow or before a forced new page
};

class PageBuilder {
  public:
    PageBuilder(const std::vector<FlowLine>& flow, const std::vector<std::vector<FlowLine>>& notes,
                const PageFrame& frame, const PageCosts& costs)
        : flow_(flow), notes_(notes), frame_(frame), costs_(costs), placed_(notes.size(), false) {}

    std::vector<BodyPage> run(bool& cut);

  private:
    const std::vector<FlowLine>& flow_;
    const std::vector<std::vector<FlowLine>>& notes_;
    const PageFrame& frame_;
    const PageCosts& costs_;
    std::vector<bool> placed_;       // by footnote: started on a page already
    std::vector<PlacedNote> carry_;  // footnote lines to continue on the next page

    Unit note_height(const PlacedNote& n) const {
        return notes_[static_cast<std::size_t>(n.footnote)][static_cast<std::size_t>(n.line)]
            .height;
    }
    Unit area(Unit note_h) const { return note_h > 0 ? frame_.note_gap + note_h : 0; }
    // Badness of a page leaving `white` unfilled with `stretch` to take it up: TeX's
    // 100 (u/s)^3 while the stretch suffices, then growing with each line of white left.
    double badness(Unit white, Unit stretch) const {
        if (white <= 0) return 0;
        if (white <= stretch) {
            double r = static_cast<double>(white) / stretch;
            return 100 * r * r * r;
        }
        return 100 + costs_.white_line * static_cast<double>(white - stretch) / frame_.line;
    }
    BodyPage page(std::size_t start);
    std::size_t start_ = 0;  // first flow line of the page being built
    Candidate chosen_;
};

// Builds the page that starts at flow line `start` with the footnote lines carried to it.
BodyPage PageBuilder::page(std::size_t start) {
    const std::size_t n = flow_.size();
    BodyPage page;
    std::vector<PlacedNote> carry = std::move(carry_);
    std::vector<PlacedNote> next;  // continued on the next page, in order
    Unit note_h = 0;
    // Continued footnote lines first, leaving room for a little body text.
    const Unit room = frame_.height - frame_.note_gap - (start < n ? 2 * frame_.line : 0);
    for (const PlacedNote& c : carry) {
        if (next.empty() && (note_h + note_height(c) <= room || page.notes.empty())) {
            page.notes.push_back(c);
            note_h += note_height(c);
        } else {
            next.push_back(c);
        }
    }
    // No footnote may start on this page while an earlier one continues after it.
    bool closed = !next.empty();
    Unit used = 0, stretch = 0;
    double split_cost = 0;
    std::vector<Candidate> candidates;
    for (std::size_t i = start; i < n; ++i) {
        const FlowLine& line = flow_[i];
        if (i > start && line.new_page) break;
        const bool first = i == start;
        Unit new_used = used + (first ? 0 : line.space_before) + line.height;
        std::vector<PlacedNote> add;
        for (int f : line.footnotes) {
            auto fi = static_cast<std::size_t>(f - 1);
            if (f <= 0 || fi >= notes_.size() || placed_[fi]) continue;
            for (std::size_t l = 0; l < notes_[fi].size(); ++l)
                add.push_back({static_cast<int>(fi), static_cast<int>(l)});
        }
        std::size_t take = add.size();
        Unit add_h = 0;
        for (const PlacedNote& a : add) add_h += note_height(a);
        if (closed && !add.empty()) {
            // Only a page's first line goes on regardless, its notes behind the continued ones.
            if (!first) break;
            take = 0;
        } else if (new_used + area(note_h + add_h) > frame_.height) {
            // As many of the new footnote lines as fit; the first must stay with its marker.
            take = 0;
            Unit h = note_h;
            while (take < add.size() &&
                   new_used + area(h + note_height(add[take])) <= frame_.height) {
                h += note_height(add[take]);
                ++take;
            }
            // Every note this line cites starts beside it, or the line waits for the next page.
            bool starts = take > 0 && (take == add.size() || add[take].line > 0);
            if (!starts) {
                if (!first) break;
                take = std::max<std::size_t>(take, std::min<std::size_t>(1, add.size()));
            }
        }
        for (std::size_t a = 0; a < add.size(); ++a) {
            placed_[static_cast<std::size_t>(add[a].footnote)] = true;
            if (a < take) {
                page.notes.push_back(add[a]);
                note_h += note_height(add[a]);
            } else {
                next.push_back(add[a]);
            }
        }
        if (take < add.size()) {
            closed = true;
            // One line alone on either side of the split costs more, as a widow does.
            const PlacedNote& at = add[take];
            auto lines = static_cast<int>(notes_[static_cast<std::size_t>(at.footnote)].size());
            split_cost += costs_.note_split;
            if (at.line == 1 || lines - at.line == 1) split_cost += costs_.note_split_line;
        }
        used = new_used;
        if (!first) stretch += line.stretch;
        Candidate c;
        c.end = i + 1;
        c.notes = page.notes.size();
        c.carry = next.size();
        c.used = used;
        c.note_h = note_h;
        c.stretch = stretch;
        c.ends_section = c.end == n || flow_[c.end].new_page;
        Unit white = frame_.height - used - area(note_h);
        c.cost = split_cost;
        if (!c.ends_section) c.cost += badness(white, stretch) + flow_[c.end].penalty;
        candidates.push_back(c);
        if (white < 0) break;  // overfull: only a page's first line may be
    }
    if (candidates.empty()) {
        // Only continued footnote lines on this page.
        Candidate c;
        c.end = start;
        c.notes = page.notes.size();
        c.carry = next.size();
        c.note_h = note_h;
        c.ends_section = true;
        candidates.push_back(c);
    }
    // The least cost; of equal costs the later break, which fills the page more.
    const Candidate* best = &candidates.front();
    for (const Candidate& c : candidates)
        if (c.cost <= best->cost) best = &c;
    // Undo what the lines after the chosen break brought (a note's lines all come with the
    // line citing it, so none of them is on the page).
    for (std::size_t k = best->notes; k < page.notes.size(); ++k)
        placed_[static_cast<std::size_t>(page.notes[k].footnote)] = false;
    for (std::size_t k = best->carry; k < next.size(); ++k)
        placed_[static_cast<std::size_t>(next[k].footnote)] = false;
    page.notes.resize(best->notes);
    next.resize(best->carry);
    carry_ = std::move(next);
    chosen_ = *best;
    return page;
}

std::vector<BodyPage> PageBuilder::run(bool& cut) {
    std::vector<BodyPage> pages;
    const std::size_t n = flow_.size();
    cut = false;
    std::size_t s = 0;
    while (s < n || !carry_.empty()) {
        if (static_cast<int>(pages.size()) >= frame_.max_pages) {
            cut = true;
            break;
        }
        BodyPage page = this->page(s);
        const Candidate& c = chosen_;
        // Baselines, top down, the page's white shared among its gaps by their stretch unless
        // the page ends its section (a short last page is expected there).
        Unit white = frame_.height - c.used - area(c.note_h);
        Unit extra = c.ends_section || c.stretch == 0 ? 0 : std::clamp<Unit>(white, 0, c.stretch);
        Unit y = frame_.top;
        std::int64_t given = 0, seen = 0;
        for (std::size_t k = s; k < c.end; ++k) {
            const FlowLine& line = flow_[k];
            if (k > s) {
                seen += line.stretch;
                // Cumulative rounding, so the gaps add up to `extra` exactly.
                std::int64_t upto = extra * seen / std::max<Unit>(1, c.stretch);
                y += line.space_before + static_cast<Unit>(upto - given);
                given = upto;
            }
            page.lines.push_back({static_cast<int>(k), y + line.ascent});
            y += line.height;
        }
        pages.push_back(std::move(page));
        s = c.end;
    }
    return pages;
}

}  // namespace

std::vector<BodyPage> build_pages(const std::vector<FlowLine>& flow,
                                  const std::vector<std::vector<FlowLine>>& notes,
                                  const PageFrame& frame, const PageCosts& costs, bool& cut) {
    PageBuilder builder(flow, notes, frame, costs);
    return builder.run(cut);
}

}  // namespace dossier::layout
