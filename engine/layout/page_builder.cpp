// Page building by cost: the body column's lines and their footnotes into pages, choosing the
// page breaks whose badness plus penalties add up least, with footnotes split across pages as
// TeX splits insertions.
#include <algorithm>
#include <cstdint>
#include <map>
#include <vector>

#include "layout/flow.hpp"

namespace dossier::layout {

namespace {

// A place where the page being built could end, and the state of the page up to it.
struct Candidate {
    std::size_t end = 0;        // first flow line of the next page
    std::size_t notes = 0;      // footnote lines placed on the page (a prefix of Scan::notes)
    std::size_t carry = 0;      // footnote lines continued on the next page (of Scan::next)
    Unit used = 0, note_h = 0;  // body and footnote heights at natural spacing
    Unit stretch = 0;           // total stretch of the page's gaps
    double cost = 0;
    bool ends_section = false;  // the end of the flow or before a forced new page
};

// Every way to end one page, from a given start and carried footnote lines.
struct Scan {
    std::vector<PlacedNote> notes, next;
    std::vector<Candidate> candidates;
};

// A page break reached by the best sequence of pages found so far: which break, with which
// footnote lines carried over it.
struct Key {
    std::size_t end = 0;
    std::size_t carry = 0;
    int footnote = -1, line = -1;  // the first carried line
    bool operator<(const Key& o) const {
        // By position; of two states at one break, the one carrying more first, since pages
        // of continued notes alone lead from it to the other.
        if (end != o.end) return end < o.end;
        if (carry != o.carry) return carry > o.carry;
        if (footnote != o.footnote) return footnote < o.footnote;
        return line < o.line;
    }
};

struct Node {
    double cost = 0;
    int pages = 0;
    std::vector<PlacedNote> carry;
    Key from;
    bool start = false;  // the empty beginning, reached by no page
};

class PageBuilder {
  public:
    PageBuilder(const std::vector<FlowLine>& flow, const std::vector<std::vector<FlowLine>>& notes,
                const PageFrame& frame, const PageCosts& costs)
        : flow_(flow), notes_(notes), frame_(frame), costs_(costs), first_cite_(notes.size(), -1) {
        for (std::size_t i = 0; i < flow.size(); ++i)
            for (int f : flow[i].footnotes) {
                auto fi = static_cast<std::size_t>(f - 1);
                if (f > 0 && fi < notes.size() && first_cite_[fi] < 0)
                    first_cite_[fi] = static_cast<int>(i);
            }
    }

    std::vector<BodyPage> run(bool& cut);

  private:
    const std::vector<FlowLine>& flow_;
    const std::vector<std::vector<FlowLine>>& notes_;
    const PageFrame& frame_;
    const PageCosts& costs_;
    std::vector<int> first_cite_;  // by footnote: the flow line whose page it starts on

    Unit note_height(const PlacedNote& n) const {
        return notes_[static_cast<std::size_t>(n.footnote)][static_cast<std::size_t>(n.line)]
            .height;
    }
    Unit area(Unit note_h) const { return note_h > 0 ? frame_.note_gap + note_h : 0; }
    // Badness of a page leaving `white` unfilled with `stretch` to take it up: TeX's
    // 100 (u/s)^3 while the stretch suffices, then growing faster with each line of white
    // left, so that two pages a line short each cost less than one two lines short.
    double badness(Unit white, Unit stretch) const {
        if (white <= 0) return 0;
        if (white <= stretch) {
            double r = static_cast<double>(white) / stretch;
            return 100 * r * r * r;
        }
        double x = static_cast<double>(white - stretch) / frame_.line;
        return 100 + costs_.white_line * (x + x * x) / 2;
    }
    Scan scan(std::size_t start, const std::vector<PlacedNote>& carry) const;
    BodyPage place(std::size_t start, const Scan& scan, const Candidate& c) const;
};

// Every place the page starting at flow line `start`, with `carry` continued onto it, could end.
Scan PageBuilder::scan(std::size_t start, const std::vector<PlacedNote>& carry) const {
    const std::size_t n = flow_.size();
    Scan out;
    std::vector<PlacedNote>& notes = out.notes;
    std::vector<PlacedNote>& next = out.next;  // continued on the next page, in order
    Unit note_h = 0;
    // Continued footnote lines first, leaving room for a little body text.
    const Unit room = frame_.height - frame_.note_gap - (start < n ? 2 * frame_.line : 0);
    for (const PlacedNote& c : carry) {
        if (next.empty() && (note_h + note_height(c) <= room || notes.empty())) {
            notes.push_back(c);
            note_h += note_height(c);
        } else {
            next.push_back(c);
        }
    }
    // No footnote may start on this page while an earlier one continues after it.
    bool closed = !next.empty();
    Unit used = 0, stretch = 0;
    double split_cost = 0;
    std::vector<PlacedNote> add;  // the lines of the notes that start with the current line
    for (std::size_t i = start; i < n; ++i) {
        const FlowLine& line = flow_[i];
        if (i > start && line.new_page) break;
        const bool first = i == start;
        Unit new_used = used + (first ? 0 : line.space_before) + line.height;
        add.clear();
        for (int f : line.footnotes) {
            auto fi = static_cast<std::size_t>(f - 1);
            if (f <= 0 || fi >= notes_.size() || first_cite_[fi] != static_cast<int>(i)) continue;
            if (!add.empty() && std::any_of(add.begin(), add.end(), [&](const PlacedNote& a) {
                    return a.footnote == static_cast<int>(fi);
                }))
                continue;  // cited twice on the line
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
            if (a < take) {
                notes.push_back(add[a]);
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
        c.notes = notes.size();
        c.carry = next.size();
        c.used = used;
        c.note_h = note_h;
        c.stretch = stretch;
        c.ends_section = c.end == n || flow_[c.end].new_page;
        Unit white = frame_.height - used - area(note_h);
        c.cost = split_cost + costs_.page;
        if (!c.ends_section) c.cost += badness(white, stretch) + flow_[c.end].penalty;
        out.candidates.push_back(c);
        if (white < 0) break;  // overfull: only a page's first line may be
    }
    if (out.candidates.empty()) {
        // Only continued footnote lines on this page.
        Candidate c;
        c.end = start;
        c.notes = notes.size();
        c.carry = next.size();
        c.note_h = note_h;
        c.cost = costs_.page;
        c.ends_section = true;
        out.candidates.push_back(c);
    }
    return out;
}

// The page from `start` to the candidate break: baselines top down, the page's white shared
// among its gaps by their stretch unless the page ends its section (a short last page is
// expected there).
BodyPage PageBuilder::place(std::size_t start, const Scan& scan, const Candidate& c) const {
    BodyPage page;
    page.notes.assign(scan.notes.begin(), scan.notes.begin() + static_cast<long>(c.notes));
    Unit white = frame_.height - c.used - area(c.note_h);
    Unit extra = c.ends_section || c.stretch == 0 ? 0 : std::clamp<Unit>(white, 0, c.stretch);
    Unit y = frame_.top;
    std::int64_t given = 0, seen = 0;
    for (std::size_t k = start; k < c.end; ++k) {
        const FlowLine& line = flow_[k];
        if (k > start) {
            seen += line.stretch;
            // Cumulative rounding, so the gaps add up to `extra` exactly.
            std::int64_t upto = extra * seen / std::max<Unit>(1, c.stretch);
            y += line.space_before + static_cast<Unit>(upto - given);
            given = upto;
        }
        page.lines.push_back({static_cast<int>(k), y + line.ascent});
        y += line.height;
    }
    return page;
}

// The sequence of pages of least total cost (a shortest path over page breaks, each break
// with the footnote lines carried over it), as Knuth-Plass chooses a paragraph's lines. Each
// state scans one page's lines, and there are about as many states as lines.
std::vector<BodyPage> PageBuilder::run(bool& cut) {
    cut = false;
    const std::size_t n = flow_.size();
    // The state after a break: the first `count` lines of `carry` go over it.
    auto key_of = [](std::size_t end, const std::vector<PlacedNote>& carry, std::size_t count) {
        Key k;
        k.end = end;
        k.carry = count;
        if (count > 0) {
            k.footnote = carry.front().footnote;
            k.line = carry.front().line;
        }
        return k;
    };
    std::map<Key, Node> nodes;
    nodes[Key{}].start = true;
    const Node* last = nullptr;
    Key last_key;
    for (auto it = nodes.begin(); it != nodes.end(); ++it) {
        const Key key = it->first;
        const Node& node = it->second;
        if (key.end >= n && node.carry.empty()) {
            if (!last || node.cost < last->cost) {
                last = &node;
                last_key = key;
            }
            continue;
        }
        Scan s = scan(key.end, node.carry);
        for (const Candidate& c : s.candidates) {
            Key to = key_of(c.end, s.next, c.carry);
            if (!(key < to)) continue;  // no progress (cannot happen: kept as a guard)
            double cost = node.cost + c.cost;
            auto [at, fresh] = nodes.try_emplace(to);
            Node& target = at->second;
            // Of equal costs the later break from here, which fills this page more.
            if (!fresh &&
                (target.cost < cost || (target.cost == cost && target.from.end > key.end)))
                continue;
            target.cost = cost;
            target.pages = node.pages + 1;
            target.carry.assign(s.next.begin(), s.next.begin() + static_cast<long>(c.carry));
            target.from = key;
        }
    }
    std::vector<Key> path;
    for (Key k = last_key; last && !nodes.at(k).start; k = nodes.at(k).from) path.push_back(k);
    std::reverse(path.begin(), path.end());
    std::vector<BodyPage> pages;
    Key from;
    for (const Key& to : path) {
        if (static_cast<int>(pages.size()) >= frame_.max_pages) {
            cut = true;
            break;
        }
        Scan s = scan(from.end, nodes.at(from).carry);
        for (const Candidate& c : s.candidates) {
            Key k = key_of(c.end, s.next, c.carry);
            if (k < to || to < k) continue;
            pages.push_back(place(from.end, s, c));
            break;
        }
        from = to;
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
