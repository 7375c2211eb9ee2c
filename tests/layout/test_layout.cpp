// Layout of whole documents: geometry, pagination rules, footnotes, furniture, contents.
#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <regex>
#include <set>

#include "sample.hpp"

using namespace dossier;
using namespace dossier::layout;
using test::text;

namespace {

constexpr Unit kLeft = 72000, kTop = 72000;

Pages make(const Document& doc, Diagnostics& d, Options options = {}) {
    return layout::layout(doc, test::fonts(), options, d);
}

// The advance of a run's glyphs without its trailing space, as layout measured it (kerning
// included), checking on the way that every character has a glyph in the run's face.
Unit run_width(const TextRun& r) {
    const Face& face = test::fonts().face(r.font);
    std::string t = r.text;
    for (std::size_t i = 0; i < t.size();) {
        auto b = static_cast<unsigned char>(t[i]);
        int len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
        char32_t c = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
        for (int k = 1; k < len; ++k)
            c = (c << 6) | (static_cast<unsigned char>(t[i + static_cast<std::size_t>(k)]) & 0x3F);
        i += static_cast<std::size_t>(len);
        if (c != U'\u00AD') CHECK(face.has(c));  // layout promised a glyph for every character
    }
    std::size_t n = r.glyphs.size();
    while (n > 0 && r.glyphs[n - 1].id == face.glyph_of(U' ')) --n;
    std::int64_t w = 0;
    for (std::size_t i = 0; i < n; ++i) w += r.glyphs[i].advance;
    return static_cast<Unit>(w * r.size / 1000);
}

int front_pages(const Pages& p) {
    REQUIRE(p.labels.size() == 2);
    return p.labels[1].first_page;
}

// The footnote rule's top, or the bottom margin when the page has no footnotes.
Unit body_limit(const Pages& p, const Page& page) {
    Unit limit = p.height - 72000;
    for (const auto& r : page.rules)
        if (r.y > kTop && r.width < (p.width - 2 * kLeft) / 2) limit = std::min(limit, r.y);
    return limit;
}

// One line of the body column: its runs (superscript markers included), by baseline.
struct BodyLine {
    Unit y = 0;
    std::vector<const TextRun*> runs;
    std::string text() const {
        std::string s;
        for (auto* r : runs) s += r->text;
        return s;
    }
    const TextRun& first() const { return *runs.front(); }
    const TextRun& last() const { return *runs.back(); }
};

std::vector<BodyLine> body_lines(const Pages& p, const Page& page) {
    Unit limit = body_limit(p, page);
    std::map<Unit, BodyLine> lines;
    for (const auto& r : page.runs) {
        if (r.rotation || r.y <= kTop || r.y >= limit) continue;
        Unit baseline = r.size == 7000 ? r.y + 3500 : r.y;
        auto& l = lines[baseline];
        l.y = baseline;
        l.runs.push_back(&r);
    }
    std::vector<BodyLine> out;
    for (auto& [y, l] : lines) {
        std::sort(l.runs.begin(), l.runs.end(),
                  [](const TextRun* a, const TextRun* b) { return a->x < b->x; });
        out.push_back(l);
    }
    return out;
}

std::vector<const TextRun*> footnote_runs(const Pages& p, const Page& page) {
    std::vector<const TextRun*> out;
    Unit limit = body_limit(p, page);
    for (const auto& r : page.runs)
        if (!r.rotation && r.y > limit && r.y < p.height - 72000 + 1) out.push_back(&r);
    return out;
}

std::string trim(std::string s) {
    while (!s.empty() && s.back() == ' ') s.pop_back();
    return s;
}

bool is_bold(const TextRun& r) { return r.font == 2 || r.font == 6; }

// A line that starts a block: a paragraph number, a heading, a bullet, a source's first line.
bool starts_block(const BodyLine& l) {
    const TextRun& f = l.first();
    return f.x == kLeft || f.text.rfind("\u2022", 0) == 0;
}

struct Sample {
    Document doc = test::sample_report();
    Diagnostics d;
    Pages pages = layout::layout(doc, test::fonts(), {}, d);
};

const Sample& sample() {
    static const Sample s;
    return s;
}

}  // namespace

TEST_CASE("the sample report lays out without diagnostics - every face in font index order") {
    const Sample& s = sample();
    CHECK(s.d.empty());
    REQUIRE(s.pages.fonts.size() == test::fonts().face_count());
    for (std::size_t i = 0; i < s.pages.fonts.size(); ++i)
        CHECK(s.pages.fonts[i].path == test::fonts().path(static_cast<int>(i)));
    CHECK(s.pages.fonts[0].path.find("LiberationSerif-Regular.ttf") != std::string::npos);
    CHECK(s.pages.fonts[3].path.find("LiberationSerif-BoldItalic.ttf") != std::string::npos);
    CHECK(s.pages.fonts[4].path.find("DejaVuSerif.ttf") != std::string::npos);
    CHECK(s.pages.fonts[7].path.find("DejaVuSerif-BoldItalic.ttf") != std::string::npos);
    CHECK(s.pages.fonts[8].path.find("NotoNaskhArabic-Regular.ttf") != std::string::npos);
    CHECK(s.pages.fonts[13].path.find("NotoSerifEthiopic-Bold.ttf") != std::string::npos);
    CHECK(s.pages.width == 595276);
    CHECK(s.pages.height == 841890);
    CHECK(s.pages.pages.size() > 8);
    CHECK(s.pages.info.title == "Expert report");
}

TEST_CASE("nothing is drawn outside the margins except the header and footer") {
    const Sample& s = sample();
    const Pages& p = s.pages;
    for (std::size_t i = 0; i < p.pages.size(); ++i) {
        INFO("page " << i);
        for (const auto& r : p.pages[i].runs) {
            if (r.rotation) continue;
            INFO(r.text);
            CHECK(r.x >= kLeft);
            CHECK(r.x + run_width(r) <= p.width - kLeft + 1);
            bool header = r.y == 40000, footer = r.y == p.height - 40000;
            if (!header && !footer) {
                CHECK(r.y - r.size * 9 / 10 >= kTop - 1000);
                CHECK(r.y <= p.height - 72000);
            }
        }
        for (const auto& r : p.pages[i].rules) {
            CHECK(r.x >= kLeft);
            CHECK(r.x + r.width <= p.width - kLeft);
        }
    }
}

TEST_CASE("body lines never overlap and stay above the footnotes") {
    const Pages& p = sample().pages;
    for (std::size_t i = static_cast<std::size_t>(front_pages(p)); i < p.pages.size(); ++i) {
        INFO("page " << i);
        auto lines = body_lines(p, p.pages[i]);
        REQUIRE(!lines.empty());
        for (std::size_t k = 1; k < lines.size(); ++k) {
            Unit gap = lines[k].y - lines[k - 1].y;
            Unit size = std::max(lines[k].first().size, lines[k - 1].first().size);
            CHECK(gap >= size);
        }
        // The last body line's descenders clear the footnote rule.
        CHECK(lines.back().y + 3000 <= body_limit(p, p.pages[i]));
    }
}

TEST_CASE("every footnote starts on the page of its marker") {
    const Pages& p = sample().pages;
    std::set<std::string> seen;
    for (std::size_t i = static_cast<std::size_t>(front_pages(p)); i < p.pages.size(); ++i) {
        std::set<std::string> numbers;  // footnote numbers hanging at the margin on this page
        for (const TextRun* r : footnote_runs(p, p.pages[i]))
            if (r->x == kLeft && r->size == 9000) numbers.insert(trim(r->text));
        for (const auto& r : p.pages[i].runs) {
            if (r.size != 7000) continue;
            INFO("page " << i << " marker " << r.text);
            CHECK(numbers.count(trim(r.text)) == 1);
            seen.insert(trim(r.text));
        }
    }
    CHECK(seen.size() == sample().doc.footnotes.size());
}

TEST_CASE("a footnote marker is a raised 7 pt superscript glued to its word") {
    const Pages& p = sample().pages;
    int markers = 0;
    for (const auto& page : p.pages) {
        for (std::size_t k = 0; k < page.runs.size(); ++k) {
            const TextRun& r = page.runs[k];
            if (r.size != 7000) continue;
            ++markers;
            REQUIRE(k > 0);
            const TextRun& word = page.runs[k - 1];
            CHECK(word.size == 11000);
            CHECK(r.y == word.y - 3500);
            CHECK(word.text.back() != ' ');
            CHECK(std::abs(r.x - (word.x + run_width(word))) <= 2);
        }
    }
    CHECK(markers == static_cast<int>(sample().doc.footnotes.size()));
}

TEST_CASE("a heading is never the last line of a page") {
    const Pages& p = sample().pages;
    for (std::size_t i = static_cast<std::size_t>(front_pages(p)); i < p.pages.size(); ++i) {
        auto lines = body_lines(p, p.pages[i]);
        REQUIRE(!lines.empty());
        const BodyLine& last = lines.back();
        bool heading = std::all_of(last.runs.begin(), last.runs.end(),
                                   [](const TextRun* r) { return is_bold(*r); });
        INFO("page " << i << ": " << last.text());
        CHECK_FALSE(heading);
        // ...nor followed by only one line of its text.
        if (lines.size() >= 2) {
            const BodyLine& before = lines[lines.size() - 2];
            bool heading_before = std::all_of(before.runs.begin(), before.runs.end(),
                                              [](const TextRun* r) { return is_bold(*r); });
            CHECK_FALSE(heading_before);
        }
    }
}

TEST_CASE("no widows or orphans - a split paragraph leaves two lines on each page") {
    const Pages& p = sample().pages;
    auto first = static_cast<std::size_t>(front_pages(p));
    int splits = 0;
    for (std::size_t i = first; i + 1 < p.pages.size(); ++i) {
        auto here = body_lines(p, p.pages[i]);
        auto next = body_lines(p, p.pages[i + 1]);
        if (here.empty() || next.empty() || starts_block(next.front())) continue;
        // The paragraph continues on the next page.
        ++splits;
        INFO("pages " << i << "/" << i + 1 << ": " << here.back().text());
        REQUIRE(here.size() >= 2);
        CHECK_FALSE(starts_block(here.back()));               // no orphan: not its first line alone
        CHECK((next.size() >= 2 && !starts_block(next[1])));  // no widow
    }
    CHECK(splits > 0);  // the sample does split paragraphs across pages
}

TEST_CASE("justified lines end exactly at the right margin") {
    const Pages& p = sample().pages;
    const Unit right = p.width - kLeft;
    int checked = 0;
    for (std::size_t i = static_cast<std::size_t>(front_pages(p)); i < p.pages.size(); ++i) {
        auto lines = body_lines(p, p.pages[i]);
        for (std::size_t k = 0; k + 1 < lines.size(); ++k) {
            const BodyLine& l = lines[k];
            // A numbered paragraph's line followed by one of the same paragraph.
            if (l.first().size != 11000 || is_bold(l.first())) continue;
            if (starts_block(lines[k + 1]) || lines[k + 1].first().x != kLeft + 28000) continue;
            if (lines[k + 1].first().size != 11000) continue;
            const TextRun& last = l.last();
            INFO(l.text());
            CHECK(std::abs(last.x + run_width(last) - right) <= 1);
            CHECK(last.text.back() != ' ');
            ++checked;
        }
    }
    CHECK(checked > 100);
}

TEST_CASE("words carry their trailing space - line ends do not") {
    const Pages& p = sample().pages;
    auto lines = body_lines(p, p.pages[static_cast<std::size_t>(front_pages(p))]);
    REQUIRE(lines.size() > 5);
    const BodyLine& l = lines[2];
    for (std::size_t k = 0; k + 1 < l.runs.size(); ++k)
        if (l.runs[k + 1]->size != 7000 && l.runs[k]->size != 7000)
            CHECK(l.runs[k]->text.back() == ' ');
    CHECK(l.last().text.back() != ' ');
}

TEST_CASE("hyphenation happens - never on capitalised words") {
    const Pages& p = sample().pages;
    int hyphenated = 0;
    for (const auto& page : p.pages) {
        auto lines = body_lines(p, page);
        for (const auto& l : lines) {
            const TextRun& last = l.last();
            // An inserted hyphen is U+00AD in the text (two bytes), drawn as '-'.
            if (last.text.size() < 3 || last.text.substr(last.text.size() - 2) != "\u00AD")
                continue;
            ++hyphenated;
            std::string word = last.text.substr(0, last.text.size() - 2);
            INFO(word);
            CHECK(std::islower(static_cast<unsigned char>(word[0])));
            CHECK(word.size() >= 2);
        }
    }
    CHECK(hyphenated > 0);

    // Long capitalised words in a narrow column are never broken.
    Document doc;
    Section s{"s", "1", "Names", false, {}};
    std::string names;
    for (int i = 0; i < 20; ++i) names += "Administration Constitutional Parliamentarians ";
    s.blocks.push_back(test::block(Block::Kind::plain, {text(names)}));
    doc.sections.push_back(s);
    Diagnostics d;
    Pages q = make(doc, d);
    for (const auto& page : q.pages)
        for (const auto& r : page.runs) {
            CHECK(r.text.find('-') == std::string::npos);
            CHECK(r.text.find("\u00AD") == std::string::npos);
        }
}

TEST_CASE("a missing hyphenation dictionary only turns hyphenation off") {
    Options options;
    options.hyphen_dir = "/nonexistent";
    Diagnostics d;
    Pages p = make(test::sample_report(), d, options);
    CHECK(d.empty());
    for (const auto& page : p.pages)
        for (const auto& r : page.runs) {
            INFO(r.text);
            CHECK((r.text.size() < 2 || r.text.back() != '-'));
            CHECK(r.text.find("\u00AD") == std::string::npos);
        }
}

TEST_CASE("a dash never starts a line") {
    Document doc;
    Section s{"s", "1", "Dashes", false, {}};
    std::string t;
    for (int i = 0; i < 40; ++i)
        t += "the courts \u2014 which are not independent \u2014 rarely help; the police \u2013 "
             "as shown above \u2013 do not. ";
    s.blocks.push_back(test::paragraph(1, {text(t)}));
    doc.sections.push_back(s);
    Diagnostics d;
    Pages p = make(doc, d);
    int lines = 0;
    for (std::size_t i = 2; i < p.pages.size(); ++i)
        for (const auto& l : body_lines(p, p.pages[i])) {
            ++lines;
            std::string first = l.runs.front()->x == kLeft && l.runs.size() > 1
                                    ? l.runs[1]->text
                                    : l.runs.front()->text;
            INFO(first);
            CHECK(first.rfind("\u2014", 0) != 0);
            CHECK(first.rfind("\u2013", 0) != 0);
        }
    CHECK(lines > 20);
}

TEST_CASE("an address breaks after a slash or before path punctuation - and links cover it") {
    Document doc;
    Section s{"s", "1", "Sources", false, {}};
    std::string uri =
        "https://www.example-long-host-name.org/reports/2024/central-asia/"
        "tajikistan-country-of-origin-information/annex-three/full-text.html";
    for (int i = 0; i < 4; ++i)
        s.blocks.push_back(test::block(
            Block::Kind::source,
            {text("Report number " + std::to_string(i) + ", available at "), test::link(uri, uri),
             text(" and mirrored at http://mirror.example.net/tajikistan/annex-three/"
                  "full-text-of-the-report.html")}));
    doc.sections.push_back(s);
    Diagnostics d;
    Pages p = make(doc, d);
    const Page& page = p.pages[2];
    auto lines = body_lines(p, page);
    int url_breaks = 0;
    for (std::size_t k = 0; k + 1 < lines.size(); ++k) {
        const std::string& last = lines[k].last().text;
        // A line ending inside an address (every address here ends in ".html").
        if (last.find('/') == std::string::npos || last.size() < 5 ||
            last.substr(last.size() - 5) == ".html")
            continue;
        const std::string& next = lines[k + 1].first().text;
        INFO(last << " | " << next);
        // Chicago style: after a slash, or before a dot or hyphen of the path, which then
        // starts the next line; never inside "https://" nor in the host name.
        bool after_slash = last.back() == '/';
        bool before_mark = !next.empty() && (next[0] == '.' || next[0] == '-');
        CHECK((after_slash || before_mark));
        CHECK(last.substr(last.size() - 2) != ":/");
        CHECK(last.find('/', last.find("://") + 3) != std::string::npos);  // past the host
        ++url_breaks;
    }
    CHECK(url_breaks >= 4);
    int links = 0;
    for (const auto& l : page.links) {
        if (l.uri.empty()) continue;
        ++links;
        CHECK(l.uri == uri);
        CHECK(l.width > 0);
        CHECK(l.x >= kLeft);
        CHECK(l.x + l.width <= p.width - kLeft + 1);
    }
    CHECK(links >= 8);  // every address spans at least two lines, one rectangle each
}

TEST_CASE("a supplementary-plane character and script letters are set in their faces") {
    Document doc;
    Section s{"s", "1", "Glyphs", false, {}};
    // U+1D434 (MATHEMATICAL ITALIC CAPITAL A) from DejaVu's format 12 cmap; Hebrew and
    // Ethiopic from the Noto faces, Hebrew although Liberation Serif has the letters too.
    s.blocks.push_back(test::paragraph(
        1, {text("Let \U0001D434 be \u05E9\u05DC\u05D5\u05DD and \u1275\u130D\u122D\u129B.")}));
    doc.sections.push_back(s);
    Diagnostics d;
    Pages p = make(doc, d);
    CHECK(d.empty());
    std::map<std::string, std::string> font_of;  // text -> face file
    for (const auto& page : p.pages)
        for (const auto& r : page.runs) {
            const std::string& path = p.fonts.at(static_cast<std::size_t>(r.font)).path;
            font_of[r.text] = path.substr(path.find_last_of('/') + 1);
            CHECK(run_width(r) >= 0);  // which checks the face has every character
        }
    const auto face_of = [&](const std::string& piece) {
        for (const auto& [run_text, file] : font_of)
            if (run_text.find(piece) != std::string::npos) return file;
        return std::string("(not drawn)");
    };
    CHECK(face_of("\U0001D434") == "DejaVuSerif.ttf");
    CHECK(face_of("\u05E9\u05DC\u05D5\u05DD") == "NotoSerifHebrew-Regular.ttf");
    CHECK(face_of("\u1275\u130D\u122D\u129B") == "NotoSerifEthiopic-Regular.ttf");
    CHECK(face_of("Let") == "LiberationSerif-Regular.ttf");
}

TEST_CASE("a character no font has is an error with its code point and origin") {
    Document doc;
    Section s{"s", "1", "Glyphs", false, {}};
    Inline in = text("He smiled \U0001F600 and wrote \u0F00 in the margin.");
    in.origin = {"clauses/tj/risk.md", 12, 7};
    s.blocks.push_back(test::paragraph(1, {in}));
    doc.sections.push_back(s);
    Diagnostics d;
    Pages p = make(doc, d);
    REQUIRE(d.size() == 2);
    for (const auto& x : d) {
        CHECK(x.code == "layout.no-glyph");
        CHECK(x.severity == Severity::error);
        CHECK(x.span.file == "clauses/tj/risk.md");
        CHECK(x.span.line == 12);
        CHECK(x.span.column == 7);
    }
    CHECK(d[0].message.find("U+1F600") != std::string::npos);
    CHECK(d[0].message.find("GRINNING FACE") != std::string::npos);
    CHECK(d[1].message.find("U+0F00") != std::string::npos);
    for (const auto& page : p.pages)
        for (const auto& r : page.runs) {
            CHECK(r.text.find("\U0001F600") == std::string::npos);
            CHECK(r.text.find("\u0F00") == std::string::npos);
        }
}

TEST_CASE("Tajik Cyrillic is set with a face that has the letters") {
    Document doc;
    Section s{"s", "1", "\u04B2\u0443\u043A\u0443\u043C\u0430\u0442", false, {}};
    s.blocks.push_back(test::paragraph(
        1, {text("\u04B2\u0443\u043A\u0443\u043C\u0430\u0442\u0438 \u04B6\u0443\u043C\u04B3"
                 "\u0443\u0440\u0438\u0438 \u0422\u043E\u04B7\u0438\u043A\u0438\u0441\u0442"
                 "\u043E\u043D: \u04B3 \u04B7 \u049B \u0493 \u04E3 \u04EF \u2014 "
                 "\u049B\u0430\u0440\u043E\u0440\u0438 \u0441\u0443\u0434 \u2116\u00A012\u20112."),
            text(" \u0422\u043E\u04B7\u0438\u043A\u0438\u0441\u0442\u043E\u043D", Style::italic)}));
    doc.sections.push_back(s);
    Diagnostics d;
    Pages p = make(doc, d);
    CHECK(d.empty());
    std::string all;
    bool fallback = false;
    for (const auto& r : p.pages[2].runs) {
        run_width(r);  // checks every character against the run's face
        all += r.text;
        if (r.font >= 4) fallback = true;
    }
    for (const char* c : {"\u04B3", "\u04B7", "\u049B", "\u0493", "\u04E3", "\u04EF"})
        CHECK(all.find(c) != std::string::npos);
    // Liberation Serif covers Tajik; the non-breaking hyphen comes from DejaVu Serif.
    CHECK(all.find("\u2011") != std::string::npos);
    CHECK(fallback);
}

TEST_CASE("footer reads Page X of Y over the body pages only") {
    const Pages& p = sample().pages;
    int front = front_pages(p);
    int total = static_cast<int>(p.pages.size()) - front;
    for (int i = 0; i < static_cast<int>(p.pages.size()); ++i) {
        std::string footer;
        for (const auto& r : p.pages[static_cast<std::size_t>(i)].runs)
            if (r.y == p.height - 40000) footer += r.text;
        if (i < front) {
            CHECK(footer.empty());
        } else {
            CHECK(footer ==
                  "Page " + std::to_string(i - front + 1) + " of " + std::to_string(total));
        }
    }
}

TEST_CASE("running header with a rule on body pages - none on the cover") {
    const Pages& p = sample().pages;
    for (std::size_t i = 0; i < p.pages.size(); ++i) {
        std::string header;
        for (const auto& r : p.pages[i].runs)
            if (r.y == 40000) header += r.text;
        bool rule = std::any_of(p.pages[i].rules.begin(), p.pages[i].rules.end(),
                                [](const Rule& r) { return r.y > 40000 && r.y < 50000; });
        if (static_cast<int>(i) < front_pages(p)) {
            CHECK(header.empty());
            CHECK_FALSE(rule);
        } else {
            CHECK(header == "Expert report \u00B7 TJ-2026-014");
            CHECK(rule);
        }
    }
}

TEST_CASE("the cover carries the title - the rows and the notice") {
    const Pages& p = sample().pages;
    const Page& cover = p.pages[0];
    std::string all;
    bool title = false;
    for (const auto& r : cover.runs) {
        all += r.text;
        if (r.size == 24000 && is_bold(r)) title = true;
    }
    CHECK(title);
    for (const char* s : {"Country conditions: Tajikistan", "Reference", "TJ-2026-014",
                          "Confidential", "(Immigration and Asylum Chamber)"}) {
        INFO(s);
        std::string squeezed;
        CHECK(all.find(s) != std::string::npos);
    }
}

TEST_CASE("contents entries link to their section headings with the printed page numbers") {
    const Sample& s = sample();
    const Pages& p = s.pages;
    int front = front_pages(p);
    REQUIRE(front == 2);
    const Page& toc = p.pages[1];
    std::vector<const Link*> links;
    for (const auto& l : toc.links)
        if (l.uri.empty()) links.push_back(&l);
    REQUIRE(links.size() == s.doc.sections.size());
    for (std::size_t k = 0; k < links.size(); ++k) {
        const Link& l = *links[k];
        const Section& sec = s.doc.sections[k];
        INFO(sec.title);
        REQUIRE(l.target_page >= front);
        REQUIRE(l.target_page < static_cast<int>(p.pages.size()));
        // The heading is on the target page, at the target height.
        bool found = false;
        for (const auto& r : p.pages[static_cast<std::size_t>(l.target_page)].runs)
            if (r.size == 13000 && is_bold(r) && r.y > l.target_y && r.y < l.target_y + 16000)
                found = true;
        CHECK(found);
        // The entry's row shows the printed number of that page at the right margin.
        std::string number;
        for (const auto& r : toc.runs)
            if (r.y > l.y && r.y < l.y + l.height && r.x > 480000) number = r.text;
        CHECK(number == std::to_string(l.target_page - front + 1));
        CHECK(l.x == kLeft);
        CHECK(l.width == p.width - 2 * kLeft);
    }
}

TEST_CASE("page labels - roman front matter - body numbered from 1") {
    const Pages& p = sample().pages;
    REQUIRE(p.labels.size() == 2);
    CHECK(p.labels[0].first_page == 0);
    CHECK(p.labels[0].style == PageLabelRange::Style::roman_lower);
    CHECK(p.labels[0].start == 1);
    CHECK(p.labels[1].style == PageLabelRange::Style::decimal);
    CHECK(p.labels[1].start == 1);
    CHECK(p.labels[1].first_page == 2);
}

TEST_CASE("bookmarks - sections at level 0 - clause headings at level 1") {
    const Sample& s = sample();
    const auto& o = s.pages.outline;
    std::vector<std::string> level0, level1;
    for (const auto& b : o) (b.level == 0 ? level0 : level1).push_back(b.title);
    CHECK(level0 ==
          std::vector<std::string>{"1 Introduction", "2 Instructions and the questions put",
                                   "3 Country background", "4 Opinion on risk on return",
                                   "5 Sources", "Appendix A Curriculum vitae of the expert"});
    CHECK(level1 == std::vector<std::string>{"The campaign against the opposition",
                                             "Treatment of returnees"});
    CHECK(o.front().level == 0);
    for (std::size_t k = 1; k < o.size(); ++k) {
        CHECK((o[k].page > o[k - 1].page || (o[k].page == o[k - 1].page && o[k].y > o[k - 1].y)));
        // The bookmark points at its heading.
        bool found = false;
        for (const auto& r : s.pages.pages[static_cast<std::size_t>(o[k].page)].runs)
            if (is_bold(r) && r.y > o[k].y && r.y < o[k].y + 16000) found = true;
        CHECK(found);
    }
}

TEST_CASE("an appendix starts a new page") {
    const Pages& p = sample().pages;
    const Bookmark& cv = p.outline.back();
    REQUIRE(cv.title.rfind("Appendix A", 0) == 0);
    auto lines = body_lines(p, p.pages[static_cast<std::size_t>(cv.page)]);
    REQUIRE(!lines.empty());
    CHECK(lines.front().text().find("Appendix") == 0);
    CHECK(cv.y == kTop);
}

TEST_CASE("a watermark is drawn light - rotated and centred on every page") {
    Document doc = test::sample_report();
    doc.watermark = "SAMPLE";
    Diagnostics d;
    Pages p = make(doc, d);
    CHECK(d.empty());
    for (const auto& page : p.pages) {
        std::vector<const TextRun*> marks;
        for (const auto& r : page.runs)
            if (r.rotation) marks.push_back(&r);
        REQUIRE(marks.size() == 1);
        const TextRun& m = *marks[0];
        CHECK(m.rotation == 45);
        CHECK(m.gray == 220);
        CHECK(m.size == 60000);
        CHECK(m.text == "SAMPLE");
        // The text's middle lies near the page centre.
        double half = run_width(m) / 2.0, c = 0.70710678;
        double mx = m.x + half * c, my = m.y - half * c;
        CHECK(std::abs(mx - p.width / 2.0) < 30000);
        CHECK(std::abs(my - p.height / 2.0) < 30000);
    }
}

TEST_CASE("US Letter pages keep the same margins") {
    Document doc = test::sample_report();
    doc.paper = Document::Paper::us_letter;
    Diagnostics d;
    Pages p = make(doc, d);
    CHECK(p.width == 612000);
    CHECK(p.height == 792000);
    for (std::size_t i = 2; i < p.pages.size(); ++i)
        for (const auto& r : p.pages[i].runs) {
            CHECK(r.x >= kLeft);
            CHECK(r.x + run_width(r) <= 612000 - kLeft + 1);
            CHECK(r.y <= 792000 - 40000);
        }
    // The wider, shorter page gives a different pagination, still with correct footers.
    std::string footer;
    for (const auto& r : p.pages.back().runs)
        if (r.y == 792000 - 40000) footer += r.text;
    std::string n = std::to_string(p.pages.size() - 2);
    CHECK(footer == "Page " + n + " of " + n);
}

TEST_CASE("the same input gives the same output") {
    Diagnostics d1, d2;
    Document doc = test::sample_report();
    doc.watermark = "SAMPLE";
    std::string a = dump(make(doc, d1)), b = dump(make(doc, d2));
    CHECK(a == b);
    CHECK(a.rfind("pages ", 0) == 0);
    CHECK(a.find("\npage 0\n") != std::string::npos);
    CHECK(a.find("\noutline level=0 ") != std::string::npos);
    CHECK(a.find("\nlabel page=0 style=roman_lower") != std::string::npos);
    std::regex run(R"(\ntext f=\d+ s=\d+ x=\d+ y=\d+ g=\d+/\d+ ")");
    CHECK(std::regex_search(a, run));
}

TEST_CASE("a very long footnote continues at the foot of the next page") {
    Document doc;
    Section s{"s", "1", "Notes", false, {}};
    int number = 0;
    for (int i = 0; i < 12; ++i)
        s.blocks.push_back(test::paragraph(++number, {text(test::prose(4, i))}));
    Footnote f;
    f.number = 1;
    f.content = {text(test::prose(60, 1))};
    doc.footnotes.push_back(f);
    s.blocks.push_back(test::paragraph(
        ++number, {text(test::prose(2, 3)), test::note_ref(1), text(" " + test::prose(3, 4))}));
    for (int i = 0; i < 12; ++i)
        s.blocks.push_back(test::paragraph(++number, {text(test::prose(4, i))}));
    doc.sections.push_back(s);
    Diagnostics d;
    Pages p = make(doc, d);
    CHECK(d.empty());
    int marker_page = -1, number_page = -1;
    std::vector<int> note_pages;
    for (std::size_t i = 2; i < p.pages.size(); ++i) {
        for (const auto& r : p.pages[i].runs)
            if (r.size == 7000) marker_page = static_cast<int>(i);
        auto notes = footnote_runs(p, p.pages[i]);
        if (!notes.empty()) note_pages.push_back(static_cast<int>(i));
        for (const TextRun* r : notes)
            if (r->x == kLeft && r->text == "1 ") number_page = static_cast<int>(i);
    }
    CHECK(marker_page >= 2);
    CHECK(number_page == marker_page);
    REQUIRE(note_pages.size() >= 2);  // 60 sentences do not fit at the foot of one page
    CHECK(note_pages.front() == marker_page);
    CHECK(note_pages[1] == marker_page + 1);
    // Each page still has body text.
    for (std::size_t i = 2; i < p.pages.size(); ++i) CHECK(body_lines(p, p.pages[i]).size() >= 2);
}

TEST_CASE("a paragraph beyond the limit is an error - not a hang") {
    Document doc;
    Section s{"s", "1", "Long", false, {}};
    std::string huge;
    while (huge.size() < 120000) huge += "word ";
    Inline in = text(huge);
    in.origin = {"clauses/x.md", 4, 2};
    s.blocks.push_back(test::paragraph(1, {in}));
    doc.sections.push_back(s);
    Diagnostics d;
    make(doc, d);
    REQUIRE(d.size() == 1);
    CHECK(d[0].code == "layout.too-long");
    CHECK(d[0].span.line == 4);
}

TEST_CASE("a report beyond the page limit is an error and is cut short") {
    Options options;
    options.max_pages = 3;
    Diagnostics d;
    Pages p = make(test::sample_report(), d, options);
    REQUIRE(d.size() == 1);
    CHECK(d[0].code == "layout.too-long");
    CHECK(p.pages.size() <= 3 + 2);
}

TEST_CASE("numbered paragraphs hang their number - lists - quotes and sources indent") {
    const Sample& s = sample();
    const Pages& p = s.pages;
    bool number = false, bullet = false, quote = false, source = false;
    for (std::size_t i = 2; i < p.pages.size(); ++i)
        for (const auto& l : body_lines(p, p.pages[i])) {
            const TextRun& f = l.first();
            if (f.text == "1. ") {
                number = true;
                CHECK(f.x == kLeft);
                REQUIRE(l.runs.size() > 1);
                CHECK(l.runs[1]->x == kLeft + 28000);
            }
            if (f.text.rfind("\u2022", 0) == 0) {
                bullet = true;
                CHECK(f.x == kLeft + 28000);
                CHECK(l.runs[1]->x == kLeft + 40000);
            }
            if (f.size == 10500) {
                quote = true;
                CHECK(f.x == kLeft + 28000);
                CHECK(l.last().x + run_width(l.last()) <= p.width - kLeft - 28000 + 1);
            }
            if (f.size == 10000 && f.x != kLeft) {
                source = true;
                CHECK(f.x == kLeft + 18000);
            }
        }
    CHECK(number);
    CHECK(bullet);
    CHECK(quote);
    CHECK(source);
}

TEST_CASE("a non-breaking space holds its words together") {
    Document doc;
    Section s{"s", "1", "Spaces", false, {}};
    std::string t;
    for (int i = 0; i < 60; ++i)
        t += "as reported at p.\u00A0" + std::to_string(100 + i) + " of the report ";
    s.blocks.push_back(test::paragraph(1, {text(t)}));
    doc.sections.push_back(s);
    Diagnostics d;
    Pages p = make(doc, d);
    for (const auto& l : body_lines(p, p.pages[2])) {
        INFO(l.text());
        const std::string& last = l.last().text;
        CHECK(last.substr(last.size() >= 2 ? last.size() - 2 : 0) != "p.");
    }
}

namespace {

// Checks the pagination rules on any laid-out document built from numbered paragraphs,
// clause headings and footnotes.
// Returns the number of widows and orphans.
int check_pagination(const Pages& p, std::size_t footnotes) {
    int broken = 0;
    auto first = static_cast<std::size_t>(front_pages(p));
    std::set<std::string> seen;
    for (std::size_t i = first; i < p.pages.size(); ++i) {
        INFO("page " << i);
        auto lines = body_lines(p, p.pages[i]);
        REQUIRE(!lines.empty());
        for (std::size_t k = 1; k < lines.size(); ++k) CHECK(lines[k].y > lines[k - 1].y + 10000);
        // Footnotes with their markers.
        std::set<std::string> numbers;
        for (const TextRun* r : footnote_runs(p, p.pages[i]))
            if (r->x == kLeft && r->size == 9000) numbers.insert(trim(r->text));
        for (const auto& r : p.pages[i].runs)
            if (r.size == 7000) {
                CHECK(numbers.count(trim(r.text)) == 1);
                seen.insert(trim(r.text));
            }
        if (i + 1 == p.pages.size()) continue;  // a generated document may end in a heading
        // Headings are followed by text on the same page.
        const BodyLine& last = lines.back();
        CHECK_FALSE(std::all_of(last.runs.begin(), last.runs.end(),
                                [](const TextRun* r) { return is_bold(*r); }));
        // Widows and orphans are penalties, not bans: counted, for the caller to bound.
        auto next = body_lines(p, p.pages[i + 1]);
        if (next.empty() || starts_block(next.front())) continue;
        if (starts_block(last)) ++broken;
        if (next.size() < 2 || starts_block(next[1])) ++broken;
    }
    CHECK(seen.size() == footnotes);
    return broken;
}

}  // namespace

TEST_CASE("pagination rules hold on many generated documents") {
    std::uint32_t state = 12345;
    auto next = [&](std::uint32_t n) {
        state = state * 1664525u + 1013904223u;
        return (state >> 8) % n;
    };
    int broken = 0, pages = 0;
    for (int round = 0; round < 30; ++round) {
        Document doc;
        int number = 0;
        for (int sec = 0; sec < 3; ++sec) {
            Section s{
                "s" + std::to_string(sec), std::to_string(sec + 1), "Section title", false, {}};
            int blocks = 8 + static_cast<int>(next(10));
            for (int b = 0; b < blocks; ++b) {
                if (next(6) == 0) {
                    s.blocks.push_back(
                        test::block(Block::Kind::heading, {text("A clause heading")}));
                    continue;
                }
                int sentences = 1 + static_cast<int>(next(7));
                std::vector<Inline> content{
                    text(test::prose(sentences, static_cast<int>(next(12))))};
                if (next(3) == 0) {
                    Footnote f;
                    f.number = static_cast<int>(doc.footnotes.size()) + 1;
                    f.content = {text(test::prose(1 + static_cast<int>(next(next(5) == 0 ? 30 : 3)),
                                                  static_cast<int>(next(12))))};
                    doc.footnotes.push_back(f);
                    content.push_back(test::note_ref(f.number));
                    content.push_back(text(" " + test::prose(1 + static_cast<int>(next(3)), 2)));
                }
                s.blocks.push_back(test::paragraph(++number, std::move(content)));
            }
            doc.sections.push_back(std::move(s));
        }
        // Every third round with the first-fit breaker, every other on US Letter.
        Options options;
        if (round % 3 == 2) options.breaker = Breaker::first_fit;
        if (round % 2 == 1) doc.paper = Document::Paper::us_letter;
        Diagnostics d;
        Pages p = make(doc, d, options);
        INFO("round " << round);
        CHECK(d.empty());
        broken += check_pagination(p, doc.footnotes.size());
        pages += static_cast<int>(p.pages.size());
    }
    // Each costs more than a line of white: only a page that would otherwise lose more takes
    // one.
    INFO(broken << " widows and orphans on " << pages << " pages");
    CHECK(broken * 20 <= pages);
}
