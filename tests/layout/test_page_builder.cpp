// build_pages on hand-made flows: footnotes split and continued in order, stretch that fills a
// page, widows as a cost, the page limit.
#include <catch2/catch.hpp>

#include "layout/flow.hpp"

using namespace dossier;
using namespace dossier::layout;

namespace {

constexpr Unit kLine = 14500, kNote = 11000, kGap = 6000;

PageFrame frame() {
    PageFrame f;
    f.top = 72000;
    f.height = 40 * kLine;  // 40 lines when nothing else is on the page
    f.note_gap = 10500;
    f.line = kLine;
    f.max_pages = 100;
    return f;
}

// `count` paragraphs of `lines` lines each.
std::vector<FlowLine> paragraphs(int count, int lines) {
    std::vector<FlowLine> flow;
    for (int p = 0; p < count; ++p)
        for (int k = 0; k < lines; ++k) {
            FlowLine l;
            l.height = kLine;
            l.ascent = 10000;
            if (k == 0) {
                l.space_before = kGap;
                l.stretch = 3000;
            }
            if (k == 1) l.penalty += PageCosts{}.orphan;
            if (k == lines - 1) l.penalty += PageCosts{}.widow;
            flow.push_back(l);
        }
    return flow;
}

std::vector<FlowLine> note(int lines) {
    std::vector<FlowLine> out(static_cast<std::size_t>(lines));
    for (auto& l : out) {
        l.height = kNote;
        l.ascent = 8000;
    }
    return out;
}

// The page holding flow line `line`.
int page_of(const std::vector<BodyPage>& pages, int line) {
    for (std::size_t p = 0; p < pages.size(); ++p)
        for (const auto& [index, baseline] : pages[p].lines)
            if (index == line) return static_cast<int>(p);
    return -1;
}

}  // namespace

TEST_CASE("a long footnote continues on the next page - before that page's own notes") {
    std::vector<FlowLine> flow = paragraphs(40, 4);
    flow[30].footnotes = {1};  // on the first page, with a note too long for it
    flow[60].footnotes = {2};
    std::vector<std::vector<FlowLine>> notes = {note(30), note(3)};
    bool cut = true;
    auto pages = build_pages(flow, notes, frame(), PageCosts{}, cut);
    CHECK_FALSE(cut);
    const int p = page_of(pages, 30);
    REQUIRE(p >= 0);
    REQUIRE(static_cast<std::size_t>(p + 1) < pages.size());
    // The note starts beside its marker and goes on overleaf, where it comes first.
    const auto& here = pages[static_cast<std::size_t>(p)].notes;
    REQUIRE_FALSE(here.empty());
    CHECK(here.front().footnote == 0);
    CHECK(here.front().line == 0);
    CHECK(here.size() < 30);
    const auto& next = pages[static_cast<std::size_t>(p + 1)].notes;
    REQUIRE_FALSE(next.empty());
    CHECK(next.front().footnote == 0);
    CHECK(next.front().line == static_cast<int>(here.size()));
    // Every note line is placed once, in order.
    std::vector<std::pair<int, int>> all;
    for (const auto& page : pages)
        for (const auto& n : page.notes) all.push_back({n.footnote, n.line});
    REQUIRE(all.size() == 33);
    CHECK(std::is_sorted(all.begin(), all.end()));
    // Note 2 starts on its marker's page.
    bool found = false;
    for (const auto& n : pages[static_cast<std::size_t>(page_of(pages, 60))].notes)
        found = found || (n.footnote == 1 && n.line == 0);
    CHECK(found);
}

TEST_CASE("a page that does not end its section is stretched down to its foot") {
    std::vector<FlowLine> flow = paragraphs(30, 3);
    // Eleven paragraphs and 20 pt: less than their ten gaps can stretch (30 pt).
    PageFrame f = frame();
    f.height = 11 * 3 * kLine + 10 * kGap + 20000;
    bool cut = true;
    auto pages = build_pages(flow, {}, f, PageCosts{}, cut);
    REQUIRE(pages.size() >= 2);
    for (std::size_t p = 0; p + 1 < pages.size(); ++p) {
        INFO("page " << p);
        const auto& [index, baseline] = pages[p].lines.back();
        const FlowLine& last = flow[static_cast<std::size_t>(index)];
        Unit foot = baseline - last.ascent + last.height;
        CHECK(pages[p].lines.size() == 33);
        CHECK(foot == f.top + f.height);
        // Gaps only grow: baselines at least their natural distance apart.
        for (std::size_t k = 1; k < pages[p].lines.size(); ++k) {
            const FlowLine& l = flow[static_cast<std::size_t>(pages[p].lines[k].first)];
            Unit step = pages[p].lines[k].second - pages[p].lines[k - 1].second;
            CHECK(step >= l.space_before + kLine);
            CHECK(step <= l.space_before + l.stretch + kLine);
        }
    }
    // The last page ends its section: natural spacing.
    for (std::size_t k = 1; k < pages.back().lines.size(); ++k) {
        const FlowLine& l = flow[static_cast<std::size_t>(pages.back().lines[k].first)];
        CHECK(pages.back().lines[k].second - pages.back().lines[k - 1].second ==
              l.space_before + kLine);
    }
}

TEST_CASE("a widow or an orphan costs more than a line of white") {
    // Three-line paragraphs: a page holds eleven and two lines of the twelfth, so filling it to
    // the foot would leave that paragraph's last line alone at the top of the next page.
    std::vector<FlowLine> flow = paragraphs(20, 3);
    bool cut = true;
    auto pages = build_pages(flow, {}, frame(), PageCosts{}, cut);
    for (std::size_t p = 0; p + 1 < pages.size(); ++p) {
        int first_next = pages[p + 1].lines.front().first;
        INFO("page " << p << " ends before line " << first_next);
        CHECK(first_next % 3 == 0);  // three-line paragraphs are never split
    }
    // Without penalties the same flow splits a paragraph to fill the first page.
    for (auto& l : flow) l.penalty = 0;
    pages = build_pages(flow, {}, frame(), PageCosts{}, cut);
    bool split = false;
    for (std::size_t p = 0; p + 1 < pages.size(); ++p)
        split = split || pages[p + 1].lines.front().first % 3 != 0;
    CHECK(split);
}

TEST_CASE("page building stops at the page limit") {
    std::vector<FlowLine> flow = paragraphs(200, 4);
    PageFrame f = frame();
    f.max_pages = 3;
    bool cut = false;
    auto pages = build_pages(flow, {}, f, PageCosts{}, cut);
    CHECK(cut);
    CHECK(pages.size() == 3);
}
