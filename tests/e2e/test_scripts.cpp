// End-to-end: a report with Hebrew, Persian and Tigrinya words and paragraphs is set in the
// bundled Noto faces, which are embedded as subsets, and the text comes back out of the PDF in
// reading order: right-to-left words are drawn right to left (shaped, Arabic letters joined) and
// their glyphs map back to the letters, which a reader puts in logical order.
#include <catch2/catch.hpp>
#include <filesystem>
#include <regex>
#include <sstream>
#include <string>

#include "../support/process.hpp"
#include "../support/temp_files.hpp"

using dossier::test::read_file;
using dossier::test::run;
using dossier::test::Run;
using dossier::test::TempDir;

namespace {

std::string cli(const std::string& args) { return std::string(DOSSIER_BINARY) + " " + args; }

const std::string kHebrew = "\u05E9\u05DC\u05D5\u05DD";  // shalom
const std::string kPersian =
    "\u062A\u0627\u062C\u06CC\u06A9\u0633\u062A\u0627\u0646";  // Tajikistan
const std::string kTigrinya = "\u1275\u130D\u122D\u129B";      // Tigrinya

// The main example with the three words in the answer to its first question.
std::string render_with_scripts(const TempDir& dir) {
    std::filesystem::copy(DOSSIER_SOURCE_DIR "/examples/experts", dir.path() + "/experts",
                          std::filesystem::copy_options::recursive);
    const std::string text = read_file(DOSSIER_SOURCE_DIR "/examples/tajikistan-lgbt.yaml");
    const std::string anchor = "        In my opinion it is. ";
    REQUIRE(text.find(anchor) != std::string::npos);
    const std::string words = "The appellant wrote " + kHebrew + ", " + kPersian + " and " +
                              kTigrinya + " in his statement. ";
    dir.write("case.yaml", std::regex_replace(text, std::regex(anchor), anchor + words,
                                              std::regex_constants::format_first_only));
    const std::string pdf = dir.path() + "/report.pdf";
    Run r = run(cli("render " + dir.path() + "/case.yaml -o " + pdf));
    INFO(r.out);
    REQUIRE(r.status == 0);
    return pdf;
}

}  // namespace

TEST_CASE("Hebrew Persian and Tigrinya words come from the Noto faces and extract") {
    TempDir dir;
    const std::string pdf = render_with_scripts(dir);

    Run check = run("qpdf --check " + pdf);
    INFO(check.out);
    CHECK(check.status == 0);
    CHECK(check.out.find("No syntax or stream encoding errors") != std::string::npos);

    // Each Noto face as a subset ("ABCDEF+Name"), embedded, with a ToUnicode map.
    Run fonts = run("pdffonts " + pdf, true);
    INFO(fonts.out);
    for (const std::string name : {"NotoSerifHebrew", "NotoNaskhArabic", "NotoSerifEthiopic"}) {
        std::smatch m;
        CHECK(std::regex_search(fonts.out, m,
                                std::regex("\n[A-Z]{6}\\+" + name +
                                           "-Regular\\s+CID TrueType\\s+Identity-H\\s+yes\\s+yes"
                                           "\\s+yes")));
    }

    Run text = run("pdftotext -enc UTF-8 " + pdf + " -", true);
    REQUIRE(text.status == 0);
    const std::string flat = std::regex_replace(text.out, std::regex("\\s+"), " ");
    INFO(flat.substr(0, 2000));
    CHECK(flat.find(kTigrinya) != std::string::npos);
    // Each word whole, in logical order (the Persian word with its letters joined on the page
    // is still the sequence of its letters).
    CHECK(flat.find(kHebrew) != std::string::npos);
    CHECK(flat.find(kPersian) != std::string::npos);
}

TEST_CASE("whole paragraphs in Persian, Hebrew and Tigrinya extract as typed") {
    TempDir dir;
    std::filesystem::copy(DOSSIER_SOURCE_DIR "/examples/experts", dir.path() + "/experts",
                          std::filesystem::copy_options::recursive);
    std::string text = read_file(DOSSIER_SOURCE_DIR "/examples/tajikistan-lgbt.yaml");
    // The three answers, each replaced by a sentence in one script (without joiners, which
    // the text layer does not keep yet).
    const std::string persian =
        "\u0645\u0646 \u062F\u0631 \u062F\u0648\u0634\u0646\u0628\u0647 "
        "\u0632\u0646\u062F\u06AF\u06CC \u06A9\u0631\u062F\u0645";  // I lived in Dushanbe
    const std::string hebrew =
        "\u05D0\u05E0\u05D9 \u05D7\u05D9 \u05D1\u05D3\u05D5\u05E9\u05E0\u05D1\u05D4";
    const std::string tigrinya = "\u12A3\u1290 \u12A3\u1265 \u12F1\u123B\u1295\u1260";
    std::size_t at = 0;
    for (const std::string& sentence : {persian, hebrew, tigrinya}) {
        at = text.find("      answer: |\n", at);
        REQUIRE(at != std::string::npos);
        at += std::string("      answer: |\n").size();
        const std::size_t end = text.find('\n', at);
        text.replace(at, end - at, "        " + sentence);
    }
    dir.write("case.yaml", text);
    const std::string pdf = dir.path() + "/report.pdf";
    Run r = run(cli("render " + dir.path() + "/case.yaml -o " + pdf));
    INFO(r.out);
    REQUIRE(r.status == 0);
    const std::string flat =
        std::regex_replace(dossier::test::pdf_text(pdf), std::regex("\\s+"), " ");
    INFO(flat.substr(0, 3000));
    // Word by word in logical order (poppler orders the words of a mixed line visually).
    for (const std::string& sentence : {persian, hebrew, tigrinya}) {
        std::stringstream words(sentence);
        for (std::string w; words >> w;) {
            INFO(w);
            CHECK(flat.find(w) != std::string::npos);
        }
    }
    CHECK(flat.find(tigrinya) != std::string::npos);  // left to right: the whole sentence
}
