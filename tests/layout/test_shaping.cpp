// Shaping (HarfBuzz), normalisation and bidi as the display list shows them: glyph positions,
// not just text.
#include <algorithm>
#include <catch2/catch.hpp>
#include <numeric>

#include "layout/shaping.hpp"
#include "layout/typeset.hpp"
#include "model/utf8.hpp"
#include "sample.hpp"

using namespace dossier;
using namespace dossier::layout;
using test::text;

namespace {

Line one_line(Typesetter& ts, const std::string& s) { return ts.shape(s, Style::regular, 12000); }

std::int32_t sum_advances(const LineRun& r) {
    return std::accumulate(r.glyphs.begin(), r.glyphs.end(), 0,
                           [](std::int32_t a, const Glyph& g) { return a + g.advance; });
}

}  // namespace

TEST_CASE("kerning: 'T' before 'a' advances less than its width, as the face's kern pair says") {
    Diagnostics d;
    Typesetter ts(test::fonts(), "en-GB", {}, d);
    const Face& regular = test::fonts().primary[0];
    Line line = one_line(ts, "Tajikistan");
    REQUIRE(line.runs.size() == 1);
    const LineRun& run = line.runs[0];
    REQUIRE(run.glyphs.size() == 10);
    const Glyph& t = run.glyphs[0];
    CHECK(t.id == regular.glyph_of(U'T'));
    const int nominal = regular.width(U'T');
    CHECK(t.advance < nominal);        // kerned closer
    CHECK(nominal - t.advance < 150);  // by a kern, not by a broken metric
    // The unkerned glyphs advance exactly their face width, which the PDF states in /W.
    CHECK(run.glyphs[2].advance == regular.width(U'j'));
    // The line is measured with the kerning: narrower than the sum of the widths.
    int widths = 0;
    for (char32_t c : std::u32string(U"Tajikistan")) widths += regular.width(c);
    CHECK(sum_advances(run) < widths);
    CHECK(run.width == static_cast<Unit>(std::int64_t{sum_advances(run)} * 12000 / 1000));
    CHECK(run.text == "Tajikistan");
    // Every glyph shows its own character, in order.
    for (std::size_t i = 0; i < run.glyphs.size(); ++i) {
        CHECK(run.glyphs[i].text_begin == i);
        CHECK(run.glyphs[i].text_end == i + 1);
    }
}

TEST_CASE("kerning also narrows 'AV' and 'To'") {
    Diagnostics d;
    Typesetter ts(test::fonts(), "en-GB", {}, d);
    const Face& regular = test::fonts().primary[0];
    for (const char* pair : {"AV", "To"}) {
        Line line = one_line(ts, pair);
        REQUIRE(line.runs.size() == 1);
        INFO(pair);
        CHECK(line.runs[0].glyphs[0].advance < regular.width(static_cast<char32_t>(pair[0])));
    }
}

TEST_CASE("NFD input is composed: 'e' + U+0301 is one glyph, the face's 'é'") {
    Diagnostics d;
    Typesetter ts(test::fonts(), "en-GB", {}, d);
    const Face& regular = test::fonts().primary[0];
    Line line = one_line(ts, "Jose\u0301 Marti\u0301");
    REQUIRE(!line.runs.empty());
    const LineRun& run = line.runs[0];
    CHECK(run.text == "Jos\u00e9 Mart\u00ed");
    REQUIRE(run.glyphs.size() == 10);
    CHECK(run.glyphs[3].id == regular.glyph_of(U'\u00e9'));
    CHECK(d.empty());
}

TEST_CASE("a mark with no precomposed form sits on its letter and does not move the pen") {
    Diagnostics d;
    Typesetter ts(test::fonts(), "en-GB", {}, d);
    // q + COMBINING DOT ABOVE: Unicode has no precomposed letter, so the mark stays a glyph.
    Line with = one_line(ts, "aq\u0307a");
    Line without = one_line(ts, "aqa");
    REQUIRE(with.runs.size() == 1);
    const LineRun& run = with.runs[0];
    REQUIRE(run.glyphs.size() == 4);
    const Glyph& mark = run.glyphs[2];
    CHECK(mark.advance == 0);
    CHECK(mark.dx < 0);  // drawn back over the q
    // The line is as wide as without the mark: it cannot eat the following space.
    CHECK(with.natural == without.natural);
    // The q's glyph carries the text of both characters; the mark carries none of its own.
    CHECK(run.glyphs[1].text_begin == 1);
    CHECK(run.glyphs[1].text_end == 1 + std::string("q\u0307").size());
    CHECK(mark.text_begin == mark.text_end);
}

TEST_CASE("no line break inside a cluster") {
    Diagnostics d;
    Typesetter ts(test::fonts(), "en-GB", {}, d);
    ParagraphSpec spec;
    spec.first_width = spec.width = 30000;  // narrower than the word: emergency breaks
    std::vector<Line> lines = ts.set({text("aq\u0307aq\u0307aq\u0307aq\u0307aq\u0307")}, spec);
    for (const Line& l : lines)
        for (const LineRun& r : l.runs) CHECK(r.text.rfind("\u0307", 0) != 0);
}

TEST_CASE("bidi levels and visual order") {
    CHECK(bidi_levels(U"plain English").empty());
    std::vector<std::uint8_t> levels = bidi_levels(U"a \u05d0\u05d1 b");
    REQUIRE(levels.size() == 6);
    CHECK(levels[0] == 0);
    CHECK(levels[2] == 1);
    CHECK(levels[3] == 1);
    CHECK(levels[5] == 0);
    CHECK(visual_order({0, 1, 1, 1, 0}) == std::vector<int>{0, 3, 2, 1, 4});
    CHECK(visual_order({1, 1, 2, 2, 1}) == std::vector<int>{4, 2, 3, 1, 0});
}

TEST_CASE("Hebrew inside English is drawn right to left and kept in logical order as text") {
    Diagnostics d;
    Typesetter ts(test::fonts(), "en-GB", {}, d);
    // shalom, in Hebrew letters: shin, lamed, vav, final mem
    const std::string word = "\u05e9\u05dc\u05d5\u05dd";
    Line line = one_line(ts, "say " + word + " now");
    REQUIRE(d.empty());
    const LineRun* hebrew = nullptr;
    for (const LineRun& r : line.runs)
        if (r.text.find(word) != std::string::npos) hebrew = &r;
    REQUIRE(hebrew != nullptr);
    REQUIRE(hebrew->glyphs.size() >= 4);
    // Visual order: the last letter (final mem) is drawn first, at the left.
    const Face& face = test::fonts().face(hebrew->font);
    CHECK(hebrew->glyphs.front().id == face.glyph_of(U'\u05dd'));
    CHECK(hebrew->glyphs[3].id == face.glyph_of(U'\u05e9'));
    // Its text is logical, and each glyph points at its own letter.
    const Glyph& first = hebrew->glyphs.front();
    CHECK(hebrew->text.substr(first.text_begin, first.text_end - first.text_begin) == "\u05dd");
    // The runs still read left to right in the line: English, Hebrew, English.
    REQUIRE(line.runs.size() >= 3);
    CHECK(line.runs.front().text.rfind("say", 0) == 0);
    CHECK(line.runs.back().text == "now");
    for (std::size_t i = 1; i < line.runs.size(); ++i) CHECK(line.runs[i].x > line.runs[i - 1].x);
}

TEST_CASE("an inserted hyphen is drawn as '-' and reads as a soft hyphen") {
    Diagnostics d;
    Typesetter ts(test::fonts(), "en-GB", {}, d);
    REQUIRE(ts.has_hyphenation());  // setup.sh installs the dictionaries
    ParagraphSpec spec;
    spec.first_width = spec.width = 60000;
    std::vector<Line> lines =
        ts.set({text("The proceedings concerned the characteristically unrepresentative "
                     "documentation of internationalisation")},
               spec);
    bool found = false;
    const Face& regular = test::fonts().primary[0];
    for (const Line& l : lines) {
        if (!l.hyphenated) continue;
        found = true;
        const LineRun& last = l.runs.back();
        CHECK(last.glyphs.back().id == regular.glyph_of(U'-'));
        CHECK(last.text.size() >= 2);
        CHECK(last.text.substr(last.text.size() - 2) == "\u00AD");
    }
    CHECK(found);
}

TEST_CASE("ragged lines keep natural word spaces") {
    Diagnostics d;
    Typesetter ts(test::fonts(), "en-GB", {}, d);
    ParagraphSpec spec;
    spec.first_width = spec.width = 200000;
    spec.justify = false;
    std::vector<Line> lines = ts.set({text(test::prose(6))}, spec);
    REQUIRE(lines.size() > 2);
    for (const Line& l : lines) {
        CHECK(l.natural <= l.measure);
        // At natural spacing the last run ends exactly where the natural width says.
        const LineRun& r = l.runs.back();
        CHECK(r.x + r.width - l.offset <= l.measure);
        CHECK(r.x + r.width - l.offset == l.natural);
    }
}

TEST_CASE("Persian letters join: the Noto Naskh face's contextual forms, drawn right to left") {
    Diagnostics d;
    Typesetter ts(test::fonts(), "en-GB", {}, d);
    const std::u32string word = U"\u062A\u0627\u062C\u06CC\u06A9\u0633\u062A\u0627\u0646";
    std::string utf8;
    for (char32_t c : word) utf8::append(utf8, c);
    Line line = one_line(ts, utf8);
    REQUIRE(d.empty());
    REQUIRE(line.runs.size() == 1);
    const LineRun& run = line.runs[0];
    CHECK(run.rtl);
    CHECK(run.text == utf8);
    const Face& face = test::fonts().face(run.font);
    CHECK(face.path.find("NotoNaskhArabic") != std::string::npos);
    REQUIRE(run.glyphs.size() == word.size());
    // Visual order: the glyph at the left shows the last letter.
    const Glyph& left = run.glyphs.front();
    CHECK(run.text.substr(left.text_begin, left.text_end - left.text_begin) == "\u0646");
    // Joined: most letters take a contextual form, not the isolated form the cmap maps to.
    int contextual = 0;
    for (const Glyph& g : run.glyphs) {
        char32_t c = 0;
        utf8::decode_at(run.text, g.text_begin, c);
        if (g.id != face.glyph_of(c)) ++contextual;
    }
    CHECK(contextual >= 5);
}

TEST_CASE("a paragraph without a left-to-right letter is right to left - with one left to right") {
    std::vector<std::uint8_t> hebrew =
        bidi_levels(U"\u05e9\u05dc\u05d5\u05dd \u05e2\u05d5\u05dc\u05dd.");
    REQUIRE(hebrew.size() == 10);
    for (auto l : hebrew) CHECK(l == 1);  // the full stop too: the paragraph is right to left
    std::vector<std::uint8_t> mixed = bidi_levels(U"\u05e9\u05dc\u05d5\u05dd. See 5.");
    REQUIRE(mixed.size() == 12);
    CHECK(mixed[0] == 1);
    CHECK(mixed[4] == 0);  // the full stop between them takes the paragraph's direction
    CHECK(mixed[6] == 0);
}

TEST_CASE("a no-break space stretches like the other spaces of a justified line") {
    Diagnostics d;
    Typesetter ts(test::fonts(), "en-GB", {}, d);
    ParagraphSpec spec;
    spec.first_width = spec.width = 200000;
    std::string t;
    for (int i = 0; i < 6; ++i) t += "as set out in paragraph\u00A023 of the report ";
    std::vector<Line> lines = ts.set({text(t)}, spec);
    REQUIRE(lines.size() > 2);
    int checked = 0;
    for (const Line& l : lines) {
        if (l.last) continue;
        // The gaps between runs: the space after each run's last glyph, as justified.
        std::vector<Unit> gaps;
        bool after_nbsp = false;
        Unit nbsp_gap = 0;
        for (std::size_t i = 1; i < l.runs.size(); ++i) {
            const LineRun& a = l.runs[i - 1];
            Unit gap = l.runs[i].x - (a.x + a.width);
            gaps.push_back(gap);
            if (a.text.size() >= 2 && a.text.compare(a.text.size() - 2, 2, "\u00A0") == 0) {
                after_nbsp = true;
                nbsp_gap = gap;
            }
        }
        if (!after_nbsp || gaps.size() < 2) continue;
        ++checked;
        auto [lo, hi] = std::minmax_element(gaps.begin(), gaps.end());
        CHECK(nbsp_gap >= *lo);
        CHECK(nbsp_gap <= *hi);
        CHECK(*hi - *lo <= 30);  // the spaces of a line differ by rounding only
        // And no line ends at the no-break space.
        const std::string& end = l.runs.back().text;
        CHECK((end.size() < 2 || end.compare(end.size() - 2, 2, "\u00A0") != 0));
    }
    CHECK(checked > 0);
}
