#include <sys/wait.h>

#include <array>
#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "../support/process.hpp"
#include "../support/temp_files.hpp"

using dossier::test::read_file;
using dossier::test::join_soft_hyphens;
using dossier::test::pdf_text;
using dossier::test::run;
using dossier::test::Run;
using dossier::test::TempDir;

namespace {

std::string cli(const std::string& args) { return std::string(DOSSIER_BINARY) + " " + args; }

std::string example(const std::string& name) {
    return std::string(DOSSIER_SOURCE_DIR "/examples/") + name;
}

int page_count(const std::string& pdf) {
    Run info = run("pdfinfo " + pdf, true);
    std::smatch m;
    REQUIRE(std::regex_search(info.out, m, std::regex("Pages:\\s+(\\d+)")));
    return std::stoi(m[1]);
}

}  // namespace

TEST_CASE("the example renders to a valid, multi-page A4 PDF") {
    TempDir dir;
    std::string pdf = dir.path() + "/report.pdf";
    Run r = run(cli("render " + example("tajikistan-lgbt.yaml") + " -o " + pdf));
    INFO(r.out);
    REQUIRE(r.status == 0);
    CHECK(r.out.find("wrote " + pdf) != std::string::npos);

    Run check = run("qpdf --check " + pdf);
    INFO(check.out);
    CHECK(check.status == 0);
    CHECK(check.out.find("No syntax or stream encoding errors") != std::string::npos);

    int pages = page_count(pdf);
    CHECK(pages >= 8);
    Run info = run("pdfinfo " + pdf, true);
    CHECK(info.out.find("595.276 x 841.89 pts (A4)") != std::string::npos);
    CHECK(info.out.find("Author:          Dr Rowan Elsdale") != std::string::npos);
    CHECK(info.out.find("Title:           Expert report on Tajikistan (TJ-2026-014)") !=
          std::string::npos);
}

TEST_CASE("every font is embedded") {
    TempDir dir;
    std::string pdf = dir.path() + "/report.pdf";
    REQUIRE(run(cli("render " + example("tajikistan-lgbt.yaml") + " -o " + pdf)).status == 0);
    Run fonts = run("pdffonts " + pdf, true);
    INFO(fonts.out);
    std::istringstream lines(fonts.out);
    std::string line;
    int rows = 0;
    std::getline(lines, line);  // header
    std::getline(lines, line);  // ----
    while (std::getline(lines, line)) {
        if (line.empty()) continue;
        ++rows;
        // columns: name type encoding emb sub uni object ID
        CHECK(std::regex_search(line, std::regex("\\s+yes\\s+yes\\s+yes\\s+\\d+\\s+\\d+$")));
    }
    CHECK(rows >= 2);
}

TEST_CASE("the uk-cpr35 example has the PD 35 statement of truth and declaration") {
    TempDir dir;
    std::string pdf = dir.path() + "/cpr.pdf";
    Run r = run(cli("render " + example("tajikistan-gender-identity.yaml") + " -o " + pdf));
    INFO(r.out);
    REQUIRE(r.status == 0);
    std::string flat = std::regex_replace(pdf_text(pdf),
                                          std::regex("\\s+"), " ");
    CHECK(flat.find("I understand that proceedings for contempt of court may be brought against "
                    "anyone who makes, or causes to be made, a false statement in a document "
                    "verified by a statement of truth without an honest belief in its truth.") !=
          std::string::npos);
    CHECK(flat.find("paragraph 3.2(9) of Practice Direction 35") != std::string::npos);
    CHECK(flat.find("Addressed to The court") != std::string::npos);
    CHECK(flat.find("Claim number") != std::string::npos);
}

TEST_CASE("the text comes back: clause text, pseudonym, footers") {
    TempDir dir;
    std::string pdf = dir.path() + "/report.pdf";
    REQUIRE(run(cli("render " + example("tajikistan-lgbt.yaml") + " -o " + pdf)).status == 0);
    Run text = run("pdftotext -enc UTF-8 " + pdf + " -", true);
    text.out = join_soft_hyphens(text.out);
    REQUIRE(text.status == 0);
    // pdftotext keeps line breaks; compare on words
    std::string flat = std::regex_replace(text.out, std::regex("\\s+"), " ");
    CHECK(flat.find("Summary of conclusions") != std::string::npos);
    CHECK(flat.find("referred to throughout as FR") != std::string::npos);
    CHECK(flat.find("Statement of truth") != std::string::npos);
    // The First-tier Tribunal's form (Practice Direction 2024, 9.4), which has no contempt
    // sentence; the CPR form has one (below).
    // Sentence by sentence: the paragraph may run onto the next page, and pdftotext puts the
    // page's footnotes between its two parts.
    CHECK(flat.find("I confirm that I have made clear which facts and matters referred to in this "
                    "report are within my own knowledge and which are not.") != std::string::npos);
    CHECK(flat.find("Those that are within my own knowledge I confirm") != std::string::npos);
    CHECK(flat.find("The opinions I have expressed represent my true and complete professional "
                    "opinions on the matters to which they refer.") != std::string::npos);
    CHECK(flat.find("contempt of court") == std::string::npos);
    CHECK(flat.find("Practice Direction 35") == std::string::npos);
    CHECK(flat.find("Curriculum vitae") != std::string::npos);
    std::smatch m;
    REQUIRE(std::regex_search(flat, m, std::regex("Page 1 of (\\d+)")));
    int of = std::stoi(m[1]);
    int pages = page_count(pdf);
    CHECK(of >= 6);
    CHECK(of <= pages);
    CHECK(flat.find("Page " + std::to_string(of) + " of " + std::to_string(of)) !=
          std::string::npos);
    // the applicant's name and date of birth are not in the report text or metadata
    CHECK(flat.find("Farhod") == std::string::npos);
    CHECK(flat.find("Rajabov") == std::string::npos);
    CHECK(flat.find("1994") == std::string::npos);
    CHECK(run("pdfinfo " + pdf, true).out.find("Rajabov") == std::string::npos);
}

TEST_CASE("every example renders") {
    TempDir dir;
    int n = 0;
    for (const auto& entry : std::filesystem::directory_iterator(DOSSIER_SOURCE_DIR "/examples")) {
        if (entry.path().extension() != ".yaml") continue;
        ++n;
        std::string pdf = dir.path() + "/" + entry.path().stem().string() + ".pdf";
        Run r = run(cli("render " + entry.path().string() + " -o " + pdf));
        INFO(entry.path().string() << "\n" << r.out);
        CHECK(r.status == 0);
        CHECK(run("qpdf --check " + pdf).status == 0);
    }
    CHECK(n >= 2);
}

TEST_CASE("the US example is US Letter with the 28 U.S.C. 1746 declaration") {
    TempDir dir;
    std::string pdf = dir.path() + "/us.pdf";
    REQUIRE(run(cli("render " + example("tajikistan-lgbt-us.yaml") + " -o " + pdf)).status == 0);
    CHECK(run("pdfinfo " + pdf, true).out.find("612 x 792 pts (letter)") != std::string::npos);
    std::string flat = std::regex_replace(pdf_text(pdf),
                                          std::regex("\\s+"), " ");
    CHECK(flat.find("I declare under penalty of perjury under the laws of the United States of "
                    "America that the foregoing is true and correct.") != std::string::npos);
}

TEST_CASE("the same inputs give the same bytes") {
    TempDir dir;
    std::string a = dir.path() + "/a.pdf", b = dir.path() + "/b.pdf";
    REQUIRE(run(cli("render " + example("tajikistan-lgbt.yaml") + " -o " + a)).status == 0);
    REQUIRE(run(cli("render " + example("tajikistan-lgbt.yaml") + " -o " + b)).status == 0);
    CHECK(read_file(a) == read_file(b));
}

TEST_CASE("a bad case is reported with file:line:col and leaves the earlier PDF alone") {
    TempDir dir;
    std::string text = read_file(example("tajikistan-lgbt.yaml"));
    text.replace(text.find("sexual_orientation"), 18, "sexual-orientation");
    std::string bad = dir.write("bad.yaml", text);
    std::filesystem::copy_file(example("experts/example-expert.yaml"),
                               dir.path() + "/example-expert.yaml");
    std::filesystem::create_directories(dir.path() + "/experts");
    std::filesystem::copy_file(example("experts/example-expert.yaml"),
                               dir.path() + "/experts/example-expert.yaml");
    std::string pdf = dir.write("out.pdf", "earlier good output");
    Run r = run(cli("render " + bad + " -o " + pdf));
    CHECK(r.status == 1);
    CHECK(std::regex_search(
        r.out, std::regex("bad\\.yaml:\\d+:\\d+: error: grounds\\[0\\]: unknown ground "
                          "\"sexual-orientation\"")));
    CHECK(r.out.find("did you mean \"sexual_orientation\"?") != std::string::npos);
    CHECK(read_file(pdf) == "earlier good output");
    // no temporary files left behind
    int files = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir.path())) ++files;
    CHECK(files == 4);  // bad.yaml, the expert twice (file and folder), out.pdf

    Run json = run(cli("check --json " + bad));
    CHECK(json.status == 1);
    CHECK(json.out.rfind("{\"ok\": false, \"diagnostics\": [{\"file\": ", 0) == 0);
    CHECK(json.out.find("\"severity\": \"error\"") != std::string::npos);
}

TEST_CASE("check, explain and lint on the shipped library and examples") {
    Run check = run(
        cli("check " + example("tajikistan-lgbt.yaml") + " " + example("tajikistan-lgbt-us.yaml")));
    INFO(check.out);
    CHECK(check.status == 0);
    Run json = run(cli("check --json " + example("tajikistan-lgbt.yaml")));
    CHECK(json.out == "{\"ok\": true, \"diagnostics\": []}\n");

    Run explain = run(cli("explain --json " + example("tajikistan-lgbt.yaml")));
    INFO(explain.out);
    CHECK(explain.status == 0);
    CHECK(explain.out.rfind("{\"reference\": \"TJ-2026-014\", \"clauses\": [", 0) == 0);
    CHECK(explain.out.find("{\"id\": \"tj.police-campaigns\", \"section\": "
                           "\"country-conditions\", \"included\": true") != std::string::npos);
    CHECK(explain.out.find("{\"id\": \"generic.declaration-us\", \"section\": \"declaration\", "
                           "\"included\": false") != std::string::npos);

    Run lint = run(cli("lint"));
    INFO(lint.out);
    CHECK(lint.status == 0);
}

TEST_CASE("usage errors exit 2") {
    CHECK(run(cli("")).status == 2);
    CHECK(run(cli("render")).status == 2);
    CHECK(run(cli("frobnicate")).status == 2);
    CHECK(run(cli("--version")).status == 0);
}

TEST_CASE("a password encrypts with AES-256 and the PDF opens only with it") {
    TempDir dir;
    std::string pdf = dir.path() + "/locked.pdf";
    Run r = run(cli("render " + example("tajikistan-lgbt.yaml") + " -o " + pdf +
                    " --password 'correct horse'"));
    INFO(r.out);
    REQUIRE(r.status == 0);
    CHECK(run("qpdf --check " + pdf).status != 0);
    Run opened = run("qpdf --password='correct horse' --check " + pdf);
    INFO(opened.out);
    CHECK(opened.status == 0);
    Run enc = run("qpdf --password='correct horse' --show-encryption " + pdf);
    CHECK(enc.out.find("R = 6") != std::string::npos);  // AES-256
    CHECK(enc.out.find("AESv3") != std::string::npos);
    std::string text =
        std::regex_replace(pdf_text(pdf, "-upw 'correct horse'"),
                           std::regex("\\s+"), " ");
    CHECK(text.find("referred to throughout as FR") != std::string::npos);
}

TEST_CASE("the uk-ftt-iac page limit is a warning, and an error with --strict") {
    TempDir dir;
    std::string text = read_file(example("tajikistan-lgbt.yaml"));
    // The expert's notes grow the assessment well past the pages the Tribunal permitted.
    std::string notes = "notes: |\n";
    for (int i = 0; i < 70; ++i)
        notes +=
            "  The applicant described the same events consistently in interview, in his "
            "witness statement and in his account to me, and the details he gave of the "
            "place, the officers and the sums demanded match the documented pattern.\n\n";
    // The example's own notes block ends at the next line that is not indented.
    std::size_t at = text.find("\nnotes:") + 1;
    std::size_t end = text.find('\n', at);
    while (end != std::string::npos && end + 1 < text.size() &&
           (text[end + 1] == ' ' || text[end + 1] == '\n'))
        end = text.find('\n', end + 1);
    text = text.substr(0, at) + notes + (end == std::string::npos ? "" : text.substr(end + 1));
    std::string path = dir.write("long.yaml", text);
    std::filesystem::create_directories(dir.path() + "/experts");
    std::filesystem::copy_file(example("experts/example-expert.yaml"),
                               dir.path() + "/experts/example-expert.yaml");
    std::string pdf = dir.path() + "/long.pdf";
    Run warn = run(cli("render " + path + " -o " + pdf));
    INFO(warn.out);
    CHECK(warn.status == 0);
    // Every page counts (PD 9.2), against the permission the example records.
    CHECK(std::regex_search(warn.out, std::regex("long\\.yaml:\\d+:\\d+: warning: the report has "
                                                 "\\d+ pages; the Tribunal's permission "
                                                 "\\(appeal.permission_to_exceed\\) allows \\d+")));
    CHECK(warn.out.find("appendi") == std::string::npos);
    CHECK(std::filesystem::exists(pdf));
    std::string strict_pdf = dir.path() + "/strict.pdf";
    Run strict = run(cli("render --strict " + path + " -o " + strict_pdf));
    CHECK(strict.status == 1);
    CHECK(strict.out.find("error: the report has") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(strict_pdf));
    // the example itself is within the limit
    Run ok = run(cli("render --strict " + example("tajikistan-lgbt.yaml") + " -o " + dir.path() +
                     "/ok.pdf"));
    INFO(ok.out);
    CHECK(ok.status == 0);
    CHECK(ok.out.find("warning") == std::string::npos);
}
