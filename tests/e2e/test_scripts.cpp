// End-to-end: a report with Hebrew, Persian and Tigrinya words is set in the bundled Noto faces,
// which are embedded as subsets, and the characters come back out of the PDF. Until shaping and
// bidi land, right-to-left words are drawn in stored order and Arabic letters unjoined, so only
// the presence of their letters is checked; the Ethiopic word is left to right and exact.
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
    const auto letters = [](const std::string& word) {
        std::vector<std::string> out;
        for (std::size_t i = 0; i < word.size(); i += 2) out.push_back(word.substr(i, 2));
        return out;
    };
    for (const std::string& letter : letters(kHebrew))
        CHECK(flat.find(letter) != std::string::npos);
    for (const std::string& letter : letters(kPersian))
        CHECK(flat.find(letter) != std::string::npos);
}
