// Tests for the PDF writer: hand-made display lists in, real PDF tools (qpdf, poppler-utils) on
// the output. The tools are required, not optional: a missing tool fails the test.
#include <catch2/catch.hpp>
#include <string>
#include <thread>
#include <vector>

#include "model/truetype.hpp"
#include "pdf/pdf.hpp"
#include "pdf_tools.hpp"

using namespace dossier;
using namespace dossier::test_pdf;

// ---- tests -----------------------------------------------------------------------------------

TEST_CASE("output is a complete PDF file", "[pdf]") {
    Diagnostics ds;
    const std::string bytes = pdf::write(sample(), {}, ds);
    INFO(messages(ds));
    REQUIRE(ds.empty());
    REQUIRE(bytes.rfind("%PDF-", 0) == 0);
    std::string tail = bytes.substr(bytes.size() - 8);
    while (!tail.empty() && (tail.back() == '\n' || tail.back() == '\r')) tail.pop_back();
    CHECK(tail.size() >= 5);
    CHECK(tail.substr(tail.size() - 5) == "%%EOF");
}

TEST_CASE("qpdf --check accepts compressed and uncompressed output", "[pdf]") {
    require_tool("qpdf");
    for (bool compress : {true, false}) {
        TempFile file(".pdf");
        write_ok(sample(), file, {.compress = compress, .password = {}});
        const Result r = run("qpdf --check " + quote(file.path()) + " 2>&1");
        INFO("compress=" << compress << "\n" << r.output);
        CHECK(r.exit_code == 0);
        CHECK(contains(r.output, "No syntax or stream encoding errors"));
    }
}

TEST_CASE("used fonts are embedded as subsets and unused fonts are left out", "[pdf]") {
    require_tool("pdffonts");
    TempFile file(".pdf");
    write_ok(sample(), file);
    const Result r = run("pdffonts " + quote(file.path()) + " 2>/dev/null");
    REQUIRE(r.exit_code == 0);
    INFO(r.output);
    std::istringstream lines(r.output);
    std::string line;
    bool past_header = false;
    int fonts = 0;
    bool liberation = false, dejavu = false;
    while (std::getline(lines, line)) {
        if (line.rfind("----", 0) == 0) {
            past_header = true;
            continue;
        }
        if (!past_header || line.empty()) continue;
        std::istringstream words(line);
        std::vector<std::string> w{std::istream_iterator<std::string>(words),
                                   std::istream_iterator<std::string>()};
        REQUIRE(w.size() >= 6);
        ++fonts;
        // Columns from the right: emb sub uni object-number generation.
        CHECK(w[w.size() - 5] == "yes");  // embedded
        CHECK(w[w.size() - 4] == "yes");  // subset
        CHECK(w[w.size() - 3] == "yes");  // ToUnicode map, so text extracts
        liberation = liberation || contains(w[0], "LiberationSerif");
        dejavu = dejavu || contains(w[0], "DejaVuSerif");
        CHECK_FALSE(contains(w[0], "Bold"));
    }
    CHECK(fonts == 2);
    CHECK(liberation);
    CHECK(dejavu);
}

TEST_CASE("the embedded subsets draw every glyph, with no complaints from poppler", "[pdf]") {
    require_tool("pdftoppm");
    require_tool("pdftotext");
    TempFile file(".pdf");
    write_ok(sample(), file);
    // Anything poppler says about fonts or ToUnicode maps goes to stderr.
    const Result warnings = run("pdftoppm -r 20 " + quote(file.path()) + " 2>&1 >/dev/null; " +
                                "pdftotext " + quote(file.path()) + " /dev/null 2>&1");
    CHECK(warnings.output.empty());
    // Page 3 as an 8-bit gray map at 72 dpi: its four lines of text (Latin, Cyrillic from the
    // fallback face) must leave ink where layout put them. A font program poppler cannot use
    // would draw nothing there.
    const Result pgm = run("pdftoppm -r 72 -gray -f 3 -l 3 " + quote(file.path()) + " 2>/dev/null");
    REQUIRE(pgm.exit_code == 0);
    REQUIRE(pgm.output.rfind("P5", 0) == 0);
    std::istringstream header(pgm.output);
    std::string magic;
    int width = 0, height = 0, maxval = 0;
    header >> magic >> width >> height >> maxval;
    const std::size_t data = static_cast<std::size_t>(header.tellg()) + 1;
    REQUIRE(pgm.output.size() >= data + static_cast<std::size_t>(width) * height);
    // Dark pixels in the band of each baseline (y is the baseline, 1 px = 1 pt).
    const auto ink = [&](int baseline) {
        int dark = 0;
        for (int y = baseline - 10; y <= baseline + 2; ++y) {
            for (int x = 72; x < 400; ++x) {
                dark += static_cast<unsigned char>(
                            pgm.output[data + static_cast<std::size_t>(y) * width + x]) < 128;
            }
        }
        return dark;
    };
    for (int baseline : {100, 130, 150, 170}) {
        INFO("baseline " << baseline);
        CHECK(ink(baseline) > 100);
    }
    CHECK(ink(300) == 0);  // and nothing where nothing was drawn
}

TEST_CASE("pdfinfo reports pages, page size and document information", "[pdf]") {
    require_tool("pdfinfo");
    Pages pages = sample();
    pages.info.author = "Д-р Экспертов";  // non-ASCII info goes through the UTF-8 encoder
    TempFile file(".pdf");
    write_ok(pages, file);
    const Result r = run("pdfinfo -isodates " + quote(file.path()) + " 2>/dev/null");
    REQUIRE(r.exit_code == 0);
    INFO(r.output);
    CHECK(field(r.output, "Pages") == "3");
    CHECK(field(r.output, "Title") == "Expert report: Tajikistan");
    CHECK(field(r.output, "Author") == "Д-р Экспертов");
    CHECK(field(r.output, "Subject") == "Country conditions");
    CHECK(field(r.output, "Keywords") == "asylum, Tajikistan");
    CHECK(field(r.output, "Creator") == "Dossier test");
    CHECK(field(r.output, "Producer") == "Dossier (libharu 2.3.0)");
    CHECK(field(r.output, "CreationDate") == "2026-11-20T00:00:00Z");
    CHECK(field(r.output, "ModDate") == "2026-11-20T00:00:00Z");
    CHECK(field(r.output, "Page size") == "595.276 x 841.89 pts (A4)");
}

TEST_CASE("pdftotext extracts the runs, Cyrillic and Tajik letters included", "[pdf]") {
    require_tool("pdftotext");
    TempFile file(".pdf");
    write_ok(sample(), file);
    const Result r = run("pdftotext -layout " + quote(file.path()) + " - 2>/dev/null");
    REQUIRE(r.exit_code == 0);
    INFO(r.output);
    CHECK(contains(r.output, "Expert report"));
    CHECK(contains(r.output, "Ҳуқуқи инсон дар Тоҷикистон"));
    CHECK(contains(r.output, "The Constitution of Tajikistan guarantees rights."));
    CHECK(contains(r.output, "Ҳуқуқ ва озодиҳо"));
    CHECK(contains(r.output, "1 Introduction"));
    // Pages come out in order: form feeds separate them.
    const auto cover = r.output.find("Expert report");
    const auto body = r.output.find("The Constitution");
    CHECK(cover < body);
}

TEST_CASE("Tajik text extracts from Liberation Serif too", "[pdf]") {
    require_tool("pdftotext");
    Pages pages = sample();
    pages.fonts.resize(1);
    pages.pages.resize(1);
    pages.pages[0] = Page{};
    pages.pages[0].runs.push_back(text(0, 12 * kPoint, 72 * kPoint, 100 * kPoint, "Ҳуқуқ"));
    pages.outline.clear();
    pages.labels.clear();
    TempFile file(".pdf");
    write_ok(pages, file);
    const Result r = run("pdftotext " + quote(file.path()) + " - 2>/dev/null");
    REQUIRE(r.exit_code == 0);
    CHECK(contains(r.output, "Ҳуқуқ"));
}

TEST_CASE("the same display list gives byte-identical output", "[pdf]") {
    Diagnostics ds;
    const std::string a = pdf::write(sample(), {}, ds);
    const std::string b = pdf::write(sample(), {}, ds);
    REQUIRE(ds.empty());
    REQUIRE_FALSE(a.empty());
    CHECK(a == b);
    const std::string c = pdf::write(sample(), {.compress = false, .password = {}}, ds);
    const std::string d = pdf::write(sample(), {.compress = false, .password = {}}, ds);
    CHECK(c == d);
}

TEST_CASE("documents written on two threads at once are identical", "[pdf]") {
    const Pages pages = sample();
    std::string a, b;
    Diagnostics da, db;
    std::thread t1([&] { a = pdf::write(pages, {}, da); });
    std::thread t2([&] { b = pdf::write(pages, {}, db); });
    t1.join();
    t2.join();
    CHECK(da.empty());
    CHECK(db.empty());
    REQUIRE_FALSE(a.empty());
    CHECK(a == b);
}

TEST_CASE("a font cache gives the same bytes and shares faces across writes and threads", "[pdf]") {
    Diagnostics ds;
    const std::string alone = pdf::write(sample(), {}, ds);
    REQUIRE(ds.empty());
    pdf::FontCache cache;
    std::string problem;
    const auto first = cache.face(kFonts + "LiberationSerif-Regular.ttf", problem);
    REQUIRE(first != nullptr);
    CHECK(cache.face(kFonts + "LiberationSerif-Regular.ttf", problem) == first);
    std::array<std::string, 4> outputs;
    std::array<Diagnostics, 4> diagnostics;
    {
        std::vector<std::thread> threads;
        for (std::size_t i = 0; i < outputs.size(); ++i) {
            threads.emplace_back([&, i] {
                outputs[i] = pdf::write(
                    sample(), {.compress = true, .password = {}, .fonts = &cache}, diagnostics[i]);
            });
        }
        for (auto& t : threads) t.join();
    }
    for (std::size_t i = 0; i < outputs.size(); ++i) {
        CHECK(diagnostics[i].empty());
        CHECK(outputs[i] == alone);
    }
    // A face that cannot be read is reported every time, and not kept.
    Pages broken = sample();
    broken.fonts[0].path = kFonts + "NoSuchFont.ttf";
    for (int i = 0; i < 2; ++i) {
        Diagnostics bad;
        CHECK(pdf::write(broken, {.compress = true, .password = {}, .fonts = &cache}, bad).empty());
        CHECK(has_code(bad, "NoSuchFont.ttf"));
    }
    CHECK(cache.face(kFonts + "NoSuchFont.ttf", problem) == nullptr);
    CHECK(problem == "cannot read the font file");
}

TEST_CASE("compression makes the file smaller", "[pdf]") {
    Diagnostics ds;
    const std::string compressed = pdf::write(sample(), {.compress = true, .password = {}}, ds);
    const std::string plain = pdf::write(sample(), {.compress = false, .password = {}}, ds);
    REQUIRE(ds.empty());
    CHECK(compressed.size() * 5 < plain.size() * 3);
    CHECK(contains(compressed, "/FlateDecode"));
    CHECK_FALSE(contains(plain, "/FlateDecode"));
}

TEST_CASE("an unreadable font path is reported and nothing is written", "[pdf]") {
    Pages pages = sample();
    pages.fonts[1].path = kFonts + "NoSuchFont.ttf";
    Diagnostics ds;
    const std::string bytes = pdf::write(pages, {}, ds);
    CHECK(bytes.empty());
    INFO(messages(ds));
    REQUIRE(ds.size() == 1);
    CHECK(has_code(ds, "NoSuchFont.ttf"));
}

TEST_CASE("a font path that is not a font or not a file fails cleanly", "[pdf]") {
    for (const std::string& path : {kFonts + "LICENSE-DejaVu.txt", kFonts,
                                    std::string(DOSSIER_SOURCE_DIR "/CMakeLists.txt")}) {
        Pages pages = sample();
        pages.fonts[0].path = path;
        Diagnostics ds;
        const std::string bytes = pdf::write(pages, {}, ds);
        INFO(path << "\n" << messages(ds));
        CHECK(bytes.empty());
        CHECK(has_code(ds, path));
    }
}

TEST_CASE("an unused bad font is never loaded", "[pdf]") {
    Pages pages = sample();
    pages.fonts[2].path = "/nonexistent/unused.ttf";
    Diagnostics ds;
    CHECK_FALSE(pdf::write(pages, {}, ds).empty());
    CHECK(ds.empty());
}

TEST_CASE("two font indices naming the same file share one embedded face", "[pdf]") {
    Pages pages = sample();
    pages.fonts.push_back(pages.fonts[0]);
    pages.pages[2].runs.push_back(text(3, 9 * kPoint, 72 * kPoint, 500 * kPoint, "Footnote"));
    TempFile file(".pdf");
    write_ok(pages, file);
    const Result r = run("qpdf --check " + quote(file.path()) + " 2>&1");
    CHECK(r.exit_code == 0);
}

TEST_CASE("bad display lists give a diagnostic and no output", "[pdf]") {
    struct Case {
        const char* name;
        void (*mutate)(Pages&);
        const char* expect;
    };
    const Case cases[] = {
        {"font index too large", [](Pages& p) { p.pages[0].runs[0].font = 7; }, "font 7"},
        {"negative font index", [](Pages& p) { p.pages[1].runs[0].font = -1; }, "font -1"},
        {"negative font size", [](Pages& p) { p.pages[0].runs[0].size = -5; }, "font size -5"},
        {"zero font size", [](Pages& p) { p.pages[0].runs[0].size = 0; }, "font size 0"},
        {"no pages", [](Pages& p) { p.pages.clear(); }, "no pages"},
        {"zero page width", [](Pages& p) { p.width = 0; }, "page size"},
        {"page too large for PDF", [](Pages& p) { p.height = 2000000000; }, "0x"},
        {"link to a missing page", [](Pages& p) { p.pages[1].links[0].target_page = 9; },
         "targets page 10"},
        {"link without target", [](Pages& p) { p.pages[2].links[0].uri.clear(); }, "neither"},
        {"negative rule", [](Pages& p) { p.pages[0].rules[0].width = -1; }, "rule"},
        {"bookmark to a missing page", [](Pages& p) { p.outline[0].page = 3; }, "bookmark"},
        {"bookmark skips a level", [](Pages& p) { p.outline[3].level = 2; }, "level 2"},
        {"first bookmark not top level", [](Pages& p) { p.outline[0].level = 1; }, "level 1"},
        {"labels not from page 0", [](Pages& p) { p.labels.erase(p.labels.begin()); },
         "page label"},
        {"labels out of order", [](Pages& p) { std::swap(p.labels[1], p.labels[2]); },
         "page label"},
        {"label starting at 0", [](Pages& p) { p.labels[2].start = 0; }, "starts at 0"},
        {"invalid UTF-8 in a run", [](Pages& p) { p.pages[0].runs[0].text = "a\xff"; }, "UTF-8"},
        {"truncated UTF-8 in a title", [](Pages& p) { p.info.title = "\xd2"; }, "UTF-8"},
        {"impossible date",
         [](Pages& p) {
             p.info.date = {2026, 13, 40};
         },
         "date"},
    };
    for (const Case& c : cases) {
        Pages pages = sample();
        c.mutate(pages);
        Diagnostics ds;
        const std::string bytes = pdf::write(pages, {}, ds);
        INFO(c.name << "\n" << messages(ds));
        CHECK(bytes.empty());
        CHECK(has_code(ds, c.expect));
    }
}

TEST_CASE("internal and external links become borderless link annotations", "[pdf]") {
    TempFile file(".pdf");
    write_ok(sample(), file);
    const std::string text = squeeze(qdf(file.path()));
    CHECK(contains(text, "/Subtype /Link"));
    CHECK(contains(text, "/A << /S /URI /Type /Action /URI (https://example.org/report?id=1) >>"));
    CHECK(contains(text, "/Border [ 0 0 0 ]"));
    CHECK(contains(text, "/Dest "));
    CHECK(contains(text, "/FitH 751.89"));  // the internal link scrolls to y = 90 pt
    // The link rectangle: x 72..272, y from the top 120..132 -> bottom 709.89, top 721.89
    // (libharu writes floats, so the last digits are float noise).
    CHECK(contains(text, "/Rect [ 72 709.89"));
    CHECK(contains(text, " 272 721.89"));
}

TEST_CASE("non-ASCII URIs are percent-encoded", "[pdf]") {
    Pages pages = sample();
    pages.pages[2].links[0].uri = "https://example.org/ҳуқуқ path";
    TempFile file(".pdf");
    write_ok(pages, file);
    CHECK(contains(qdf(file.path()),
                   "/URI (https://example.org/%D2%B3%D1%83%D2%9B%D1%83%D2%9B%20path)"));
}

TEST_CASE("bookmarks form a nested outline with destinations", "[pdf]") {
    TempFile file(".pdf");
    write_ok(sample(), file);
    const std::string json = qpdf_json(file.path(), "outlines");
    INFO(json);
    CHECK(contains(json, "\"title\": \"Cover\""));
    CHECK(contains(json, "\"title\": \"Contents\""));
    CHECK(contains(json, "\"title\": \"1 Introduction\""));
    CHECK(contains(json, "\"title\": \"1.1 Ҳуқуқ\""));
    CHECK(contains(json, "\"destpageposfrom1\": 3"));
    // The child sits inside the kids of "1 Introduction", not at the top level.
    // qpdf writes an item's kids before its title, so the next title after the child's is its
    // parent's; a top-level item would follow "1 Introduction" instead.
    const auto parent = json.find("\"title\": \"1 Introduction\"");
    const auto child = json.find("\"title\": \"1.1 Ҳуқуқ\"");
    REQUIRE(child != std::string::npos);
    CHECK(json.find("\"title\"", child + 1) == parent);
    const std::string raw = qdf(file.path());
    CHECK(contains(raw, "/PageMode /UseOutlines"));
}

TEST_CASE("top-level bookmarks open, deeper ones start folded", "[pdf]") {
    Pages pages = sample();
    pages.outline.push_back({"1.1.1 Detail", 2, 2, 160 * kPoint});
    pages.outline.push_back({"2 Back to the top", 0, 2, 300 * kPoint});
    TempFile file(".pdf");
    write_ok(pages, file);
    const std::string flat = squeeze(qpdf_json(file.path(), "outlines"));
    INFO(flat);
    // PDF keeps the open state in /Count's sign; qpdf reports it as "open".
    CHECK(contains(flat, "\"open\": false, \"title\": \"1.1 Ҳуқуқ\""));
    CHECK(contains(flat, "\"open\": true, \"title\": \"1 Introduction\""));
    CHECK(contains(flat, "\"title\": \"1.1.1 Detail\""));
    CHECK(contains(flat, "\"title\": \"2 Back to the top\""));
    const Result r = run("qpdf --check " + quote(file.path()) + " 2>&1");
    CHECK(r.exit_code == 0);
}

TEST_CASE("page labels: prefix only, lower roman, decimal", "[pdf]") {
    TempFile file(".pdf");
    write_ok(sample(), file);
    const std::string json = qpdf_json(file.path(), "pagelabels");
    INFO(json);
    const std::string raw = qdf(file.path());
    CHECK(contains(raw, "/PageLabels"));
    CHECK(contains(raw, "/S /r"));
    CHECK(contains(raw, "/S /D"));
    // "none": a label dictionary with a prefix and no /S.
    const std::string flat = squeeze(json);
    CHECK(contains(flat, "\"index\": 0, \"label\": { \"/P\": \"u:Cover\""));
    CHECK(contains(flat, "\"index\": 1, \"label\": { \"/S\": \"/r\""));
    CHECK(contains(flat, "\"index\": 2, \"label\": { \"/S\": \"/D\""));
    CHECK(contains(squeeze(raw), "/Nums [ 0 << /P <feff0043006f007600650072> >> 1 << /S /r"));
}

TEST_CASE("page labels with a start and a non-ASCII prefix", "[pdf]") {
    Pages pages = sample();
    pages.labels = {{0, PageLabelRange::Style::roman_lower, "", 3},
                    {2, PageLabelRange::Style::decimal, "Замима-", 5}};
    TempFile file(".pdf");
    write_ok(pages, file);
    const std::string json = qpdf_json(file.path(), "pages");
    INFO(json);
    CHECK(contains(json, "\"label\": {"));
    const std::string labels = qpdf_json(file.path(), "pagelabels");
    INFO(labels);
    CHECK(contains(labels, "\"/St\": 3"));
    CHECK(contains(labels, "\"/St\": 5"));
    CHECK(contains(labels, "\"/P\": \"u:Замима-\""));
}

TEST_CASE("document dates come from info.date, never the clock", "[pdf]") {
    TempFile file(".pdf");
    write_ok(sample(), file, {.compress = false, .password = {}});
    const std::string raw = slurp(file.path());
    CHECK(contains(raw, "/CreationDate (D:20261120000000+00'00')"));
    CHECK(contains(raw, "/ModDate (D:20261120000000+00'00')"));

    Pages undated = sample();
    undated.info.date = {};
    TempFile file2(".pdf");
    write_ok(undated, file2, {.compress = false, .password = {}});
    const std::string raw2 = slurp(file2.path());
    CHECK_FALSE(contains(raw2, "/CreationDate"));
    CHECK_FALSE(contains(raw2, "/ModDate"));
}

TEST_CASE("empty info fields are left out", "[pdf]") {
    Pages pages = sample();
    pages.info = {};
    pages.outline.clear();  // outline items have a /Title too
    TempFile file(".pdf");
    write_ok(pages, file, {.compress = false, .password = {}});
    const std::string raw = slurp(file.path());
    CHECK_FALSE(contains(raw, "/Title"));
    CHECK_FALSE(contains(raw, "/Author"));
    CHECK_FALSE(contains(raw, "/Keywords"));
    CHECK(contains(raw, "/Producer"));
}

TEST_CASE("page content: rules, gray, fonts set once, rotated watermark", "[pdf]") {
    TempFile file(".pdf");
    write_ok(sample(), file, {.compress = false, .password = {}});
    const std::string raw = qdf(file.path());
    // The rule 72 pt from the left, 210 pt from the top, 451 x 0.5 pt.
    CHECK(contains(raw, "72 631.39"));
    CHECK(contains(raw, " 451 0.5 re\nf\n"));
    CHECK(contains(raw, "0.90196 g"));  // gray 230 for the shaded box
    // The watermark: text matrix rotated 45 degrees.
    CHECK(contains(raw, "0.70711 0.70711 -0.70711 0.70711 150 141.89"));
    // Page 3 uses font 0 at 11 pt for two runs separated by a DejaVu run, so three Tf in all.
    std::size_t tf = 0;
    for (auto at = raw.find(" Tf"); at != std::string::npos; at = raw.find(" Tf", at + 1)) ++tf;
    // Cover: 24 pt, DejaVu 14 pt, watermark 60 pt. Contents: 12 pt, 11 pt. Body: 14 pt, 11 pt,
    // DejaVu 11 pt, back to 11 pt. Nothing is repeated when it has not changed.
    CHECK(tf == 3 + 2 + 4);
}

TEST_CASE("words on one baseline share a TJ array - a colour or baseline change starts another",
          "[pdf]") {
    // Natural widths from the face itself, in units (1/1000 pt) at 11 pt.
    std::string problem;
    const auto face = TrueTypeFace::read(kFonts + "LiberationSerif-Regular.ttf", problem);
    REQUIRE(face);
    const auto width = [&](std::u32string_view s) {
        Unit w = 0;
        for (char32_t c : s) w += face->advance(face->glyph(c)) * 11;
        return w;
    };
    Pages pages = sample();
    const Unit x = 72 * kPoint, gap = 3 * kPoint;
    TextRun grey = text(0, 11 * kPoint, 200 * kPoint, 130 * kPoint, "grey");
    grey.gray = 128;
    pages.pages[2].runs = {
        text(0, 11 * kPoint, x, 130 * kPoint, "Word"),
        text(0, 11 * kPoint, x + width(U"Word") + gap, 130 * kPoint, "next"),
        // touching the previous word: no adjustment, the glyphs continue its string
        text(0, 11 * kPoint, x + width(U"Word") + gap + width(U"next"), 130 * kPoint, "X"),
        grey,                                            // another colour
        text(0, 11 * kPoint, x, 145 * kPoint, "below"),  // another baseline
    };
    TempFile file(".pdf");
    write_ok(pages, file, {.compress = false, .password = {}});
    // Uncompressed, the content streams are in the file as written (qpdf's QDF form would
    // rewrite the strings as hex).
    const std::string raw = slurp(file.path());
    std::size_t arrays = 0;
    for (auto at = raw.find("]TJ"); at != std::string::npos; at = raw.find("]TJ", at + 1)) {
        ++arrays;
    }
    // Cover: 2 and the rotated watermark's own; contents: 2; body: "Word next X", "grey",
    // "below".
    CHECK(arrays == 3 + 2 + 3);
    // The 3 pt gap is -3 * 1000 / 11 = -272.727 thousandths of the font size, and it is the
    // only adjustment on the page: "X" follows "next" inside the same string.
    CHECK(contains(raw, ")-272.727("));
    std::size_t adjustments = 0;
    for (auto at = raw.find(")-"); at != std::string::npos; at = raw.find(")-", at + 1)) {
        ++adjustments;
    }
    CHECK(adjustments == 1);
    // The body page's text object: no boundary between strings that touch.
    const auto mark = raw.find(")-272.727(");
    REQUIRE(mark != std::string::npos);
    const auto begin = raw.rfind("BT\n", mark), end = raw.find("ET\n", mark);
    REQUIRE((begin != std::string::npos && end != std::string::npos));
    CHECK_FALSE(contains(raw.substr(begin, end - begin), ")("));
    require_tool("pdftotext");
    const Result r = run("pdftotext -f 3 -l 3 " + quote(file.path()) + " - 2>/dev/null");
    INFO(r.output);
    CHECK(contains(r.output, "Word nextX"));
    CHECK(contains(r.output, "below"));
}

// Not run by default: `test_pdf "[.dump]"` writes the sample to sample.pdf in the working
// directory, for looking at with a viewer or qpdf when a test fails.
TEST_CASE("dump the sample document", "[.dump]") {
    Diagnostics ds;
    save(pdf::write(sample(), {.compress = false, .password = {}}, ds), "sample.pdf");
    CHECK(ds.empty());
}
