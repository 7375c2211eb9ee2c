// The real examples, typeset in-process (load, select, compose, layout), checked on the display
// list itself: what a reader would see wrong on the page, whatever the cause upstream. Also a
// golden dump of the main example's display list (DOSSIER_UPDATE_GOLDEN=1 rewrites it).
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "examples.hpp"
#include "layout/layout.hpp"
#include "sample.hpp"

using namespace dossier;
using namespace dossier::layout;
using test::example_paths;
using test::render;
using test::Rendered;

namespace {

// Geometry the layout promises (layout.hpp): 72 pt margins, furniture at 40 pt from the edges.
constexpr Unit kMargin = 72000;
constexpr Unit kFurniture = 40000;
constexpr Unit kMarkerSize = 7000;  // footnote markers in the text

std::string read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::u32string decode(const std::string& s) {
    std::u32string out;
    for (std::size_t i = 0; i < s.size();) {
        auto b = static_cast<unsigned char>(s[i]);
        int len = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : 4;
        char32_t c = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
        for (int k = 1; k < len && i + static_cast<std::size_t>(k) < s.size(); ++k)
            c = (c << 6) | (static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]) & 0x3F);
        out += c;
        i += static_cast<std::size_t>(len);
    }
    return out;
}

const Face& face_of(const FontSet& fonts, int font) { return fonts.face(font); }

// Advance of a run's glyphs without trailing spaces, as layout measured it (kerning included).
Unit ink_width(const FontSet& fonts, const TextRun& r) {
    const Face& face = face_of(fonts, r.font);
    std::size_t n = r.glyphs.size();
    const std::uint16_t space = face.glyph_of(U' '), nbsp = face.glyph_of(U'\u00A0');
    while (n > 0 && (r.glyphs[n - 1].id == space || r.glyphs[n - 1].id == nbsp)) --n;
    std::int64_t w = 0;
    for (std::size_t i = 0; i < n; ++i) w += r.glyphs[i].advance;
    return static_cast<Unit>(w * r.size / 1000);
}

const FontSet& fonts() {
    static const FontSet set = [] {
        Diagnostics d;
        FontSet f = load_fonts(DOSSIER_SOURCE_DIR "/fonts", d);
        REQUIRE_FALSE(has_errors(d));
        return f;
    }();
    return set;
}

// One line of a page: the runs sharing a baseline, left to right. Footnote markers (raised
// and smaller) belong to the line whose baseline they sit above.
struct PageLine {
    Unit y = 0;
    Unit size = 0;
    std::vector<const TextRun*> runs;
    std::string text() const {
        std::string t;
        for (const TextRun* r : runs) t += r->text;
        while (!t.empty() && t.back() == ' ') t.pop_back();
        return t;
    }
    Unit right(const FontSet& f) const {
        Unit x = 0;
        for (const TextRun* r : runs) x = std::max(x, r->x + ink_width(f, *r));
        return x;
    }
};

std::vector<PageLine> lines_of(const Page& page) {
    std::map<Unit, PageLine> by_y;
    for (const TextRun& r : page.runs) {
        if (r.rotation != 0 || r.size == kMarkerSize) continue;  // watermark, markers
        PageLine& l = by_y[r.y];
        l.y = r.y;
        l.size = std::max(l.size, r.size);
        l.runs.push_back(&r);
    }
    std::vector<PageLine> out;
    for (auto& [y, l] : by_y) {
        std::sort(l.runs.begin(), l.runs.end(),
                  [](const TextRun* a, const TextRun* b) { return a->x < b->x; });
        out.push_back(l);
    }
    return out;
}

bool furniture(const Pages& p, const PageLine& l) {
    return l.y == kFurniture || l.y == p.height - kFurniture;
}

int front_pages(const Pages& p) {
    for (const auto& range : p.labels)
        if (range.style == PageLabelRange::Style::decimal) return range.first_page;
    return static_cast<int>(p.pages.size());
}

// Body lines of a page (no furniture), split into the text column and the footnotes.
void split(const Pages& p, const Page& page, Unit note_size, std::vector<PageLine>& body,
           std::vector<PageLine>& notes) {
    for (const PageLine& l : lines_of(page)) {
        if (furniture(p, l)) continue;
        (l.size == note_size ? notes : body).push_back(l);
    }
}

void check_example(const Rendered& r) {
    INFO(r.name);
    for (const auto& d : r.diagnostics) UNSCOPED_INFO(format_diagnostic(d));
    REQUIRE_FALSE(has_errors(r.diagnostics));
    const Pages& p = r.pages;
    REQUIRE(p.pages.size() > 3);
    const FontSet& f = fonts();
    const int front = front_pages(p);
    REQUIRE(front >= 2);
    const int body_pages = static_cast<int>(p.pages.size()) - front;
    const Unit right = p.width - kMargin, bottom = p.height - kMargin;

    std::map<std::string, int> heading_page;  // section heading text -> body page number
    for (std::size_t k = 0; k < p.pages.size(); ++k) {
        const Page& page = p.pages[k];
        INFO("page " << k);
        for (const TextRun& run : page.runs) {
            INFO(run.text);
            // Every character drawn with a face that has it, as a real glyph.
            for (char32_t c : decode(run.text))
                if (c != U'\u00AD') CHECK(face_of(f, run.font).has(c));
            REQUIRE_FALSE(run.glyphs.empty());
            for (const Glyph& g : run.glyphs) CHECK(g.id != 0);
            if (run.rotation != 0) continue;
            // Inside the margins, except the header and footer in their zones.
            CHECK(run.x >= kMargin);
            CHECK(run.x + ink_width(f, run) <= right);
            if (run.y == kFurniture || run.y == p.height - kFurniture) continue;
            CHECK(run.y - run.size * 4 / 5 >= kMargin - 1000);
            CHECK(run.y <= bottom);
        }
        std::vector<PageLine> lines = lines_of(page);
        // No two lines overlap: baselines at least most of a line apart; runs on a line do
        // not run into each other.
        for (std::size_t i = 0; i < lines.size(); ++i) {
            if (i > 0) {
                INFO(lines[i - 1].text() << " / " << lines[i].text());
                CHECK(lines[i].y - lines[i - 1].y >= std::min(lines[i].size, lines[i - 1].size));
            }
            for (std::size_t j = 1; j < lines[i].runs.size(); ++j) {
                const TextRun* a = lines[i].runs[j - 1];
                const TextRun* b = lines[i].runs[j];
                INFO(a->text << " | " << b->text);
                CHECK(a->x + ink_width(f, *a) <= b->x);
            }
        }
        for (std::size_t i = 0; i < lines.size(); ++i) {
            const PageLine& l = lines[i];
            INFO(l.text());
            const std::string t = l.text();
            // No line starts inside a host name (".gov", ".info"): a line may start with a dot
            // of the path (".html"), after the slash that ends the host.
            if (t.size() > 1 && t[0] == '.' && i > 0) {
                const std::string before = lines[i - 1].text();
                const std::size_t scheme = before.rfind("://");
                INFO("after: " << before);
                CHECK(scheme != std::string::npos);
                if (scheme != std::string::npos)
                    CHECK(before.find('/', scheme + 3) != std::string::npos);
            }
            // ... nor at a no-break space, nor ends at one ("paragraph / 23", "5 / October").
            CHECK(t.rfind("\u00A0", 0) != 0);
            CHECK((t.size() < 2 || t.compare(t.size() - 2, 2, "\u00A0") != 0));
        }
        if (static_cast<int>(k) < front) continue;

        // The body from here on.
        const int number = static_cast<int>(k) - front + 1;
        std::vector<PageLine> body, notes;
        split(p, page, r.type.note, body, notes);
        std::string footer;
        for (const PageLine& l : lines)
            if (l.y == p.height - kFurniture) footer = l.text();
        CHECK(footer == "Page " + std::to_string(number) + " of " + std::to_string(body_pages));
        for (const PageLine& l : body)
            if (l.size == r.type.section) heading_page.emplace(l.text(), number);

        // Each footnote starts on the page of its marker.
        std::vector<std::string> markers, starts;
        // A marker run may carry the word space after it, and neighbouring markers are one run
        // separated by raised commas ("60,61,62").
        for (const TextRun& run : page.runs) {
            if (run.size != kMarkerSize || run.rotation != 0) continue;
            std::stringstream numbers(run.text.substr(0, run.text.find_last_not_of(' ') + 1));
            for (std::string m; std::getline(numbers, m, ',');) markers.push_back(m);
        }
        for (const PageLine& l : notes)
            if (l.runs.front()->x == kMargin) starts.push_back(l.runs.front()->text);
        for (const std::string& m : markers) {
            INFO("marker " << m);
            CHECK(std::find(starts.begin(), starts.end(), m + " ") != starts.end());
        }

        if (body.empty()) continue;
        // No heading last on a page: a bold line at heading size with nothing after it.
        const PageLine& last = body.back();
        bool bold = std::all_of(last.runs.begin(), last.runs.end(),
                                [](const TextRun* t) { return t->font % 4 == 2; });
        if (k + 1 < p.pages.size()) {
            INFO("last line " << last.text());
            CHECK_FALSE((bold && (last.size == r.type.section || last.size == r.type.body) &&
                         last.right(f) < right - 20000));
        }
        // Widows and orphans are penalties that page building weighs against white space;
        // test_pages.cpp counts them.

        // Cross-reference links lead to the paragraph they name.
        for (const Link& link : page.links) {
            if (!link.uri.empty() || link.target_page < front) continue;
            std::string text;
            for (const TextRun& run : page.runs)
                if (run.y > link.y && run.y < link.y + link.height && run.x >= link.x &&
                    run.x < link.x + link.width)
                    text += run.text;
            if (text.rfind("paragraph ", 0) != 0) continue;
            std::string n = text.substr(10);
            while (!n.empty() && !std::isdigit(static_cast<unsigned char>(n.back()))) n.pop_back();
            INFO("link " << text);
            bool found = false;
            for (const TextRun& run : p.pages[static_cast<std::size_t>(link.target_page)].runs)
                if (run.x == kMargin && run.text == n + ". " && run.y > link.target_y &&
                    run.y < link.target_y + 20000)
                    found = true;
            CHECK(found);
        }
    }

    // The contents give each section's real page.
    int entries = 0;
    for (int k = 1; k < front; ++k) {
        for (const PageLine& l : lines_of(p.pages[static_cast<std::size_t>(k)])) {
            if (furniture(p, l) || l.runs.size() < 2 || l.size != r.type.body) continue;
            std::string title;
            for (std::size_t j = 0; j + 1 < l.runs.size(); ++j) {
                const std::string& t = l.runs[j]->text;
                if (t.find_first_not_of(". ") == std::string::npos) continue;  // leaders
                title += t;
            }
            while (!title.empty() && title.back() == ' ') title.pop_back();
            auto it = heading_page.find(title);
            if (it == heading_page.end()) continue;  // a title's continuation line
            INFO("contents entry " << title);
            CHECK(l.runs.back()->text == std::to_string(it->second));
            ++entries;
        }
    }
    CHECK(entries == static_cast<int>(heading_page.size()));
}

}  // namespace

TEST_CASE("the examples' display lists are well formed") {
    auto paths = example_paths();
    REQUIRE(paths.size() >= 2);
    for (const std::string& path : paths) check_example(render(path, fonts()));
}

TEST_CASE("golden display list of the main example") {
    Rendered r = render(DOSSIER_SOURCE_DIR "/examples/tajikistan-lgbt.yaml", fonts());
    for (const auto& d : r.diagnostics) UNSCOPED_INFO(format_diagnostic(d));
    REQUIRE_FALSE(has_errors(r.diagnostics));
    std::string actual = dump(r.pages);
    std::string path = DOSSIER_TEST_DIR "/golden/tajikistan-lgbt.layout.txt";
    if (std::getenv("DOSSIER_UPDATE_GOLDEN")) {
        std::filesystem::create_directories(DOSSIER_TEST_DIR "/golden");
        std::ofstream(path, std::ios::binary) << actual;
    }
    CHECK(actual == read(path));
}

TEST_CASE("a character no face has is an error naming it and its case file line") {
    // A copy of the main example whose notes hold a Tibetan mark and an emoji.
    namespace fs = std::filesystem;
    fs::path dir = fs::temp_directory_path() / "dossier-test-glyphs";
    fs::remove_all(dir);
    fs::create_directories(dir);
    fs::copy(DOSSIER_SOURCE_DIR "/examples/experts", dir / "experts", fs::copy_options::recursive);
    std::string yaml = read(DOSSIER_SOURCE_DIR "/examples/tajikistan-lgbt.yaml");
    std::size_t at = yaml.find("notes: |\n");
    REQUIRE(at != std::string::npos);
    at += 9;
    int line =
        1 + static_cast<int>(std::count(yaml.begin(), yaml.begin() + static_cast<long>(at), '\n'));
    yaml.insert(at, "  He drew \u0F00 and \U0001F600 in the margin.\n\n");
    fs::path case_path = dir / "glyphs.yaml";
    std::ofstream(case_path, std::ios::binary) << yaml;

    Rendered r = render(case_path.string(), fonts());
    std::vector<const Diagnostic*> found;
    for (const auto& d : r.diagnostics) {
        UNSCOPED_INFO(format_diagnostic(d));
        if (d.code == "layout.no-glyph") found.push_back(&d);
    }
    REQUIRE(found.size() == 2);
    CHECK(found[0]->message.find("U+0F00") != std::string::npos);
    CHECK(found[1]->message.find("U+1F600") != std::string::npos);
    for (const Diagnostic* d : found) {
        CHECK(d->severity == Severity::error);
        CHECK(d->span.file == case_path.string());
        CHECK(d->span.line == line);
    }
    // Never a silent box or gap: nothing drawn lacks its glyph, and the text is not there.
    for (const Page& page : r.pages.pages)
        for (const TextRun& run : page.runs) {
            for (char32_t c : decode(run.text)) CHECK(face_of(fonts(), run.font).has(c));
        }
    fs::remove_all(dir);
}
