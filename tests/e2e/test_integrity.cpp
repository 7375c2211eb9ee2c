// The integrity rules end to end: a case that lacks what its forum requires is refused by
// render with the error at the field, reported by check as a warning, and rendered by
// --draft with a visible placeholder and DRAFT on every page; a complete case renders clean.
#include <catch2/catch.hpp>
#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "../support/process.hpp"
#include "../support/temp_files.hpp"

using dossier::test::read_file;
using dossier::test::join_soft_hyphens;
using dossier::test::pdf_text;
using dossier::test::run;
using dossier::test::Run;
using dossier::test::TempDir;

namespace {

const std::string kFixtures = DOSSIER_SOURCE_DIR "/tests/e2e/fixtures/integrity/";

std::string cli(const std::string& args) { return std::string(DOSSIER_BINARY) + " " + args; }

// The complete case with top-level field `key` (and its indented block) removed, or with
// `from` replaced by `to`, written beside a copy of its expert profile.
struct Variant {
    std::string name, key = {}, from = {}, to = {};
};

std::string write_case(const TempDir& dir, const Variant& v) {
    std::string text = read_file(kFixtures + "complete.yaml");
    if (!v.key.empty()) {
        std::size_t at = text.find("\n" + v.key + ":");
        REQUIRE(at != std::string::npos);
        std::size_t end = at + 1;
        do {
            end = text.find('\n', end + 1);
        } while (end != std::string::npos && end + 1 < text.size() && text[end + 1] == ' ');
        text.erase(at, end == std::string::npos ? std::string::npos : end - at);
    }
    if (!v.from.empty()) {
        std::size_t at = text.find(v.from);
        REQUIRE(at != std::string::npos);
        text.replace(at, v.from.size(), v.to);
    }
    dir.write("expert.yaml", read_file(kFixtures + "expert.yaml"));
    return dir.write(v.name + ".yaml", text);
}

// Each page of the display list, as text.
std::vector<std::string> pages_of(const std::string& dump) {
    std::vector<std::string> pages;
    std::size_t at = dump.find("\npage ");
    while (at != std::string::npos) {
        std::size_t next = dump.find("\npage ", at + 1);
        pages.push_back(dump.substr(at, next == std::string::npos ? std::string::npos : next - at));
        at = next;
    }
    return pages;
}

struct Expectation {
    Variant variant;
    std::string error;        // the located message render gives
    std::string placeholder;  // what --draft prints
};

const std::vector<Expectation>& expectations() {
    static const std::vector<Expectation> all = {
        {{"no-documents", "documents"},
         ":1:1: error: documents: the uk-ftt-iac forum requires the documents the expert "
         "considered (a list, or `none`)",
         "[DRAFT: the documents considered are not listed yet]"},
        {{"no-range", "range_of_opinion"},
         ":1:1: error: range_of_opinion: the uk-ftt-iac forum requires the range of opinion",
         "[DRAFT: the range of opinion is not stated yet]"},
        {{"no-assistance", "assistance"},
         ":1:1: error: assistance: the uk-ftt-iac forum requires who carried out any "
         "examination or interview or assisted",
         "[DRAFT: who assisted is not stated yet]"},
        {{"no-instructions", "",
          "  received: 2026-10-02\n  items:\n    - date: 2026-10-02\n"
          "      form: letter\n      summary: Letter of instruction "
          "enclosing the documents listed and asking the questions "
          "below.\n    - date: 2026-10-20\n      form: call\n      "
          "summary: The solicitor confirmed that the appellant's account "
          "of detention is disputed.\n",
          ""},
         ":14:3: error: instructions.items: the uk-ftt-iac forum requires the substance of all "
         "material instructions",
         "[DRAFT: the substance of the instructions is not set out yet]"},
        {{"unanswered", "",
          "      answer: In my opinion it is, for the reasons given in the paragraphs cited.\n",
          ""},
         ":25:7: error: instructions.questions[0]: question 1 has no answer; the uk-ftt-iac "
         "forum requires an answer to every question put",
         "[DRAFT: question 1 has no answer yet]"},
        {{"outside-themes", "", "grounds: [sexual_orientation]",
          "grounds: [sexual_orientation, religion]"},
         "expert.yaml:11:3: error: expertise.themes: the expert profile does not list "
         "\"religion\", a ground of this case",
         "[DRAFT: the expert\xE2\x80\x99s profile does not list religion among their themes]"},
    };
    return all;
}

}  // namespace

TEST_CASE("a complete case renders as a final report, without DRAFT") {
    TempDir dir;
    std::string c = write_case(dir, {"complete"});
    std::string pdf = dir.path() + "/complete.pdf";
    Run r = run(cli("render " + c + " -o " + pdf));
    INFO(r.out);
    REQUIRE(r.status == 0);
    CHECK(r.out.find("warning") == std::string::npos);
    Run text = run("pdftotext " + pdf + " -", true);
    text.out = join_soft_hyphens(text.out);
    CHECK(text.out.find("DRAFT") == std::string::npos);
    CHECK(text.out.find("Draft") == std::string::npos);
    Run layout = run(cli("render " + c + " --dump layout"), true);
    CHECK(layout.out.find("\"DRAFT\"") == std::string::npos);
    Run check = run(cli("check " + c));
    CHECK(check.status == 0);
    CHECK(check.out.find("warning") == std::string::npos);
}

TEST_CASE("each missing field: render refuses at the field, check warns, --draft marks it") {
    for (const Expectation& e : expectations()) {
        DYNAMIC_SECTION(e.variant.name) {
            TempDir dir;
            std::string c = write_case(dir, e.variant);
            std::string pdf = dir.path() + "/out.pdf";

            Run r = run(cli("render " + c + " -o " + pdf));
            INFO(r.out);
            CHECK(r.status == 1);
            CHECK(r.out.find(e.error) != std::string::npos);
            CHECK_FALSE(std::filesystem::exists(pdf));

            Run check = run(cli("check " + c));
            INFO(check.out);
            CHECK(check.status == 0);
            std::string warned = e.error;
            warned.replace(warned.find("error:"), 6, "warning:");
            CHECK(check.out.find(warned) != std::string::npos);

            Run draft = run(cli("render " + c + " --draft -o " + pdf));
            INFO(draft.out);
            REQUIRE(draft.status == 0);
            CHECK(draft.out.find(warned) != std::string::npos);
            Run text = run("pdftotext -raw " + pdf + " -", true);
            text.out = join_soft_hyphens(text.out);
            std::string flat = std::regex_replace(text.out, std::regex("\\s+"), " ");
            CHECK(flat.find(e.placeholder) != std::string::npos);
            CHECK(flat.find("Draft expert report") != std::string::npos);

            Run layout = run(cli("render " + c + " --draft --dump layout"), true);
            auto pages = pages_of(layout.out);
            REQUIRE(pages.size() > 5);
            for (std::size_t p = 0; p < pages.size(); ++p) {
                INFO("page " << p);
                CHECK(std::regex_search(pages[p], std::regex("rot=45 [^\n]*\"DRAFT\"")));
            }
        }
    }
}

TEST_CASE("generic keeps the gaps as warnings and renders without a placeholder") {
    TempDir dir;
    std::string c = write_case(
        dir, {"generic", "documents", "jurisdiction: uk-ftt-iac", "jurisdiction: generic"});
    std::string pdf = dir.path() + "/out.pdf";
    Run r = run(cli("render " + c + " -o " + pdf));
    INFO(r.out);
    REQUIRE(r.status == 0);
    CHECK(r.out.find("warning: documents: the generic forum requires") != std::string::npos);
    Run text = run("pdftotext " + pdf + " -", true);
    text.out = join_soft_hyphens(text.out);
    CHECK(text.out.find("DRAFT") == std::string::npos);
    CHECK(text.out.find("Documents considered") == std::string::npos);
}

TEST_CASE("answers print the expert's words and the paragraphs they rest on") {
    TempDir dir;
    std::string c = write_case(dir, {"answers"});
    Run dump = run(cli("render " + c + " --dump document"), true);
    REQUIRE(dump.status == 0);
    // The answer is the expert's own text, then the cited clauses' paragraph ranges, each a
    // link to its clause.
    CHECK(dump.out.find("regular \"In my opinion it is, for the reasons given in the paragraphs "
                        "cited. \"\n    regular \"See paragraphs\u00A0\"\n") != std::string::npos);
    // The two cited clauses are consecutive, so their ranges merge into one, linked to the
    // first clause.
    std::smatch m;
    REQUIRE(std::regex_search(dump.out, m,
                              std::regex("regular \"(\\d+)\xE2\x80\x93(\\d+)\" "
                                         "uri=\"#clause:tj.police-campaigns\"")));
    int first = std::stoi(m[1]);
    CHECK(dump.out.find("paragraph " + std::to_string(first) +
                        " anchor=clause:tj.police-campaigns") != std::string::npos);
    CHECK(dump.out.find("paragraph " + std::to_string(std::stoi(m[2]) + 1) + " anchor=") !=
          std::string::npos);
    // Two paragraphs of answer: the "See" sentence follows the last.
    CHECK(dump.out.find("regular \"That risk would not be avoided by relocation. \"\n    "
                        "regular \"See paragraph") != std::string::npos);
}

TEST_CASE("an answer citing a clause the report does not contain is an error at the id") {
    TempDir dir;
    std::string c =
        write_case(dir, {"see-missing", "", "see: [tj.risk-on-return]", "see: [tj.lesbian-women]"});
    Run r = run(cli("render " + c + " -o " + dir.path() + "/x.pdf"));
    INFO(r.out);
    CHECK(r.status == 1);
    CHECK(r.out.find("error: see: clause \"tj.lesbian-women\" is not in this report") !=
          std::string::npos);
    c = write_case(dir, {"see-unknown", "", "see: [tj.risk-on-return]", "see: [tj.nope]"});
    r = run(cli("check " + c));
    CHECK(r.status == 1);
    CHECK(r.out.find("instructions.questions[1].see: unknown clause \"tj.nope\"") !=
          std::string::npos);
}

TEST_CASE("a library access date more than a year old is a warning, an error with --strict") {
    TempDir dir;
    // The report a year and a half after the library's access dates; the case records its own
    // date for one source only.
    std::string c = write_case(dir, {"stale", "", "date: 2026-12-01", "date: 2028-03-01"});
    Run r = run(cli("render " + c + " -o " + dir.path() + "/x.pdf"));
    INFO(r.out);
    REQUIRE(r.status == 0);
    CHECK(r.out.find("warning: source \"eurasianet-2017-registry\" was last accessed on 6 October "
                     "2026, more than a year before the report date 1 March 2028") !=
          std::string::npos);
    CHECK(r.out.find("source \"hrw-2024-tj\" was last accessed") == std::string::npos);
    Run strict = run(cli("render " + c + " --strict -o " + dir.path() + "/y.pdf"));
    CHECK(strict.status == 1);
    CHECK(strict.out.find("error: source \"eurasianet-2017-registry\"") != std::string::npos);
    // The case's own record is what the footnote prints.
    Run dump = run(cli("render " + c + " --dump document"), true);
    CHECK(dump.out.find("accessed 12\u00A0November 2026") != std::string::npos);
}

TEST_CASE("the cover is addressed to the forum, with the appeal number") {
    TempDir dir;
    std::string c = write_case(dir, {"cover"});
    Run dump = run(cli("render " + c + " --dump document"), true);
    CHECK(dump.out.find("row \"Appeal number\" \"PA/09999/2026\"") != std::string::npos);
    CHECK(dump.out.find("row \"Addressed to\" \"The First-tier Tribunal (Immigration and Asylum "
                        "Chamber)\"") != std::string::npos);
    CHECK(dump.out.find("row \"Appellant\" \"TA\"") != std::string::npos);
    CHECK(dump.out.find("header \"Expert report on Tajikistan \xC2\xB7 PA/09999/2026\"") !=
          std::string::npos);
    CHECK(dump.out.find("type 12/18") != std::string::npos);
    // No grounds in the metadata that document systems index.
    CHECK(dump.out.find("subject=\"Expert report on country conditions in Tajikistan\"") !=
          std::string::npos);
    CHECK(dump.out.find("keywords=\"expert report, country evidence, Tajikistan\"") !=
          std::string::npos);
}

TEST_CASE("the page limit counts every page and honours the Tribunal's permission") {
    TempDir dir;
    std::string c = write_case(dir, {"limit", "",
                                     "  permission_to_exceed: {granted: 2026-11-01, "
                                     "pages: 40}\n",
                                     ""});
    Run r = run(cli("render " + c + " --strict -o " + dir.path() + "/x.pdf"));
    INFO(r.out);
    CHECK(r.status == 1);
    CHECK(std::regex_search(r.out, std::regex("error: the report has \\d+ pages; the First-tier "
                                              "Tribunal's Practice Direction \\(9.2\\) allows at "
                                              "most 20 without its permission")));
    CHECK(r.out.find("appendix") == std::string::npos);
    c = write_case(dir, {"permitted"});
    r = run(cli("render " + c + " --strict -o " + dir.path() + "/y.pdf"));
    CHECK(r.status == 0);
}
