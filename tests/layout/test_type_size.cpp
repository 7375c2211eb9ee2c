// The body size per document (Document::body_size / body_leading): what a forum's practice
// direction asks for, e.g. the First-tier Tribunal's 12 point with 1.5 line spacing.
#include <catch2/catch.hpp>
#include <iterator>
#include <map>
#include <set>
#include <vector>

#include "sample.hpp"

using namespace dossier;
using namespace dossier::layout;
using test::text;

namespace {

constexpr Unit kTop = 72000, kBottomMargin = 72000;

// One section of numbered paragraphs long enough to run over several pages, a quote and a
// source entry and a footnote, so every size that follows the body appears.
Document report(double size, double leading) {
    Document doc;
    doc.body_size = size;
    doc.body_leading = leading;
    Section s{"s", "1", "Background", false, {}};
    int number = 0;
    for (int i = 0; i < 24; ++i)
        s.blocks.push_back(test::paragraph(++number, {text(test::prose(3 + i % 4, i))}));
    s.blocks.push_back(test::block(Block::Kind::quote, {text(test::prose(3, 5))}));
    s.blocks.push_back(test::paragraph(
        ++number, {text(test::prose(2, 1)), test::note_ref(1), text(" " + test::prose(1, 2))}));
    s.blocks.push_back(test::block(Block::Kind::source, {text(test::prose(2, 7))}));
    doc.sections.push_back(s);
    Footnote f;
    f.number = 1;
    f.content = {text(test::prose(2, 9))};
    doc.footnotes.push_back(f);
    return doc;
}

Pages make(const Document& doc, Diagnostics& d) {
    return layout::layout(doc, test::fonts(), {}, d);
}

// Distances between neighbouring baselines of a page's body column (footnotes included) where
// both lines are set in `size` only; superscript markers are not lines.
std::vector<Unit> steps(const Pages& p, const Page& page, Unit size) {
    std::map<Unit, std::set<Unit>> lines;  // baseline -> sizes on it
    for (const auto& r : page.runs)
        if (r.size != 7000 && r.y > kTop && r.y < p.height - kBottomMargin)
            lines[r.y].insert(r.size);
    std::vector<Unit> out;
    const std::set<Unit> only{size};
    for (auto it = lines.begin(); it != lines.end() && std::next(it) != lines.end(); ++it)
        if (it->second == only && std::next(it)->second == only)
            out.push_back(std::next(it)->first - it->first);
    return out;
}

std::set<Unit> sizes(const Pages& p) {
    std::set<Unit> out;
    for (std::size_t i = 2; i < p.pages.size(); ++i)
        for (const auto& r : p.pages[i].runs)
            if (r.y > kTop && r.y < p.height - kBottomMargin) out.insert(r.size);
    return out;
}

}  // namespace

TEST_CASE("12 on 18 sets the body in 12 pt runs with baselines 18 pt apart - on more pages") {
    Diagnostics d12, d11;
    Pages big = make(report(12, 18), d12);
    Pages normal = make(report(11, 14.5), d11);
    CHECK(d12.empty());
    CHECK(d11.empty());

    // Body 12, section heading 14, quote 11.5, source 11, footnote 10, marker 7.
    CHECK(sizes(big) == std::set<Unit>{7000, 10000, 11000, 11500, 12000, 14000});
    CHECK(sizes(normal) == std::set<Unit>{7000, 9000, 10000, 10500, 11000, 13000});

    // Within a paragraph, baselines are one leading apart; between paragraphs one leading and
    // the 6 pt paragraph gap, stretched by up to 3 pt to fill the page.
    int within = 0;
    for (std::size_t i = 2; i < big.pages.size(); ++i)
        for (Unit step : steps(big, big.pages[i], 12000)) {
            INFO("page " << i);
            CHECK((step == 18000 || (step >= 24000 && step <= 27000)));
            within += step == 18000;
        }
    CHECK(within > 50);

    // The same words take more room.
    CHECK(big.pages.size() > normal.pages.size());
}

TEST_CASE("the default 11 on 14.5 keeps 14.5 pt baselines") {
    Diagnostics d;
    Pages p = make(report(11, 14.5), d);
    int within = 0;
    for (std::size_t i = 2; i < p.pages.size(); ++i)
        for (Unit step : steps(p, p.pages[i], 11000)) {
            CHECK((step == 14500 || (step >= 20500 && step <= 23500)));
            within += step == 14500;
        }
    CHECK(within > 50);
}

TEST_CASE("a body size that cannot be set is an error - the default is used") {
    for (auto [size, leading] : {std::pair{40.0, 48.0}, std::pair{12.0, 10.0}, std::pair{0.0, 0.0},
                                 std::pair{12.0, 100.0}}) {
        INFO(size << " on " << leading);
        Diagnostics d;
        Pages p = make(report(size, leading), d);
        REQUIRE(d.size() == 1);
        CHECK(d[0].code == "layout.type-size");
        CHECK(d[0].severity == Severity::error);
        CHECK(sizes(p).count(11000) == 1);
    }
}
