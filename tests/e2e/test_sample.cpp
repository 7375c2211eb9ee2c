// Sample reports through the real binary (issue 15): each way a name, a date of birth or a
// number leaked is rendered with --sample and searched for in the decompressed PDF (UTF-8 and
// UTF-16BE) and in pdftotext's text after normalisation; the verifier that fails closed, both
// through the binary and on hand-made pages; and dates that do not depend on the time zone.
#include <catch2/catch.hpp>
#include <filesystem>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "../support/process.hpp"
#include "../support/temp_files.hpp"
#include "cli/verify_sample.hpp"
#include "compose/redaction.hpp"

namespace fs = std::filesystem;
using dossier::test::read_file;
using dossier::test::join_soft_hyphens;
using dossier::test::pdf_text;
using dossier::test::run;
using dossier::test::Run;
using dossier::test::TempDir;
using namespace dossier;

namespace {

std::string command(const std::string& args) { return std::string(DOSSIER_BINARY) + " " + args; }

// The UTF-16BE bytes of a UTF-8 string (as PDF text strings and ToUnicode maps hold text).
std::string utf16be(const std::string& s) {
    std::string out;
    auto unit = [&](unsigned u) {
        out += static_cast<char>(u >> 8);
        out += static_cast<char>(u & 0xFF);
    };
    for (std::size_t i = 0; i < s.size();) {
        auto b = static_cast<unsigned char>(s[i]);
        int len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
        char32_t c = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
        for (int k = 1; k < len && i + static_cast<std::size_t>(k) < s.size(); ++k)
            c = (c << 6) | (static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]) & 0x3F);
        i += static_cast<std::size_t>(len);
        if (c >= 0x10000) {
            unit(0xD800 + ((c - 0x10000) >> 10));
            unit(0xDC00 + ((c - 0x10000) & 0x3FF));
        } else {
            unit(static_cast<unsigned>(c));
        }
    }
    return out;
}

// The example case with `edits` (exact text -> replacement) and its notes replaced by `notes`,
// written with its expert profile into `dir`; returns the case file's path.
std::string write_case(const TempDir& dir,
                       const std::vector<std::pair<std::string, std::string>>& edits,
                       const std::string& notes, const std::string& name = "case.yaml") {
    std::string text = read_file(DOSSIER_SOURCE_DIR "/examples/tajikistan-lgbt.yaml");
    for (const auto& [from, to] : edits) {
        auto at = text.find(from);
        REQUIRE(at != std::string::npos);
        text.replace(at, from.size(), to);
    }
    if (!notes.empty()) {
        auto at = text.find("notes: |\n");
        REQUIRE(at != std::string::npos);
        text = text.substr(0, at) + "notes: |\n  " + notes + "\n";
    }
    dir.write("experts/example-expert.yaml",
              read_file(DOSSIER_SOURCE_DIR "/examples/experts/example-expert.yaml"));
    return dir.write(name, text);
}

// The text of a PDF as pdftotext extracts it, in matching form (compose/redaction.hpp), and
// again with line-end hyphens joined.
std::vector<std::u32string> extracted(const std::string& pdf) {
    std::u32string text =
        compose::matching_form(pdf_text(pdf));
    std::u32string joined;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == U'-' && i + 1 < text.size() && text[i + 1] == U' ') {
            ++i;
            continue;
        }
        joined += text[i];
    }
    return {text, joined};
}

// Renders `case_path` as a sample into dir/out.pdf (exit 0 required), then checks that none of
// `absent` is in the decompressed PDF (UTF-8 and UTF-16BE) or in its text, and that each of
// `present` is in its text.
void check_sample(const TempDir& dir, const std::string& case_path,
                  const std::vector<std::string>& absent,
                  const std::vector<std::string>& present = {}) {
    std::string pdf = dir.path() + "/out.pdf";
    fs::remove(pdf);
    Run r = run(command("render --sample " + case_path + " -o " + pdf));
    INFO(r.out);
    REQUIRE(r.status == 0);
    std::string qdf = dir.path() + "/out-qdf.pdf";
    REQUIRE(run("qpdf --qdf --object-streams=disable " + pdf + " " + qdf).status == 0);
    std::string bytes = read_file(qdf);
    REQUIRE(bytes.size() > 1000);
    std::vector<std::u32string> texts = extracted(pdf);
    REQUIRE(texts[0].find(U"anonymised sample") != std::u32string::npos);
    for (const std::string& secret : absent) {
        INFO("absent: " << secret);
        CHECK(bytes.find(secret) == std::string::npos);
        CHECK(bytes.find(utf16be(secret)) == std::string::npos);
        std::u32string folded = compose::matching_form(secret);
        for (const std::u32string& text : texts) CHECK(text.find(folded) == std::u32string::npos);
    }
    for (const std::string& wanted : present) {
        INFO("present: " << wanted);
        CHECK(texts[0].find(compose::matching_form(wanted)) != std::u32string::npos);
    }
}

const std::vector<std::string> kExampleIdentity = {
    "Farhod",      "Rajabov",
    "Radzhabov",   "\xD0\xA0\xD0\xB0\xD2\xB7\xD0\xB0\xD0\xB1\xD0\xBE\xD0\xB2",
    "Whitcombe",   "Joanna",
    "Fernhollow",  "PA/51234/2026",
    "TJ-2026-014", "1994-05-12",
    "12 May 1994"};

}  // namespace

TEST_CASE("sample: the example holds none of its identity, and the cover notice is true") {
    TempDir dir;
    std::string c = write_case(
        dir, {},
        "Farhod Rajabov, born 12 May 1994 (12/05/1994), was represented by Joanna Whitcombe.");
    check_sample(dir, c, kExampleIdentity,
                 {"names and dates of birth have been removed",
                  "FR, born [date of birth withheld] ([date of birth withheld]), was represented "
                  "by the instructing solicitor."});
}

TEST_CASE("sample: a surname in the reference reaches neither the pages nor the file name") {
    TempDir dir;
    std::string c = write_case(dir, {{"reference: TJ-2026-014", "reference: TJ-Rajabov-2026"}},
                               "The appellant's account is consistent.");
    check_sample(dir, c, {"Rajabov", "TJ-Rajabov"}, {"SAMPLE"});
    // the default output is named by the sample reference, and /Title carries only that
    Run r = run("cd " + dir.path() + " && " + command("render --sample case.yaml"));
    INFO(r.out);
    REQUIRE(r.status == 0);
    CHECK(fs::exists(dir.path() + "/SAMPLE.pdf"));
    for (const auto& e : fs::directory_iterator(dir.path()))
        CHECK(e.path().filename().string().find("Rajabov") == std::string::npos);
    std::string info = run("pdfinfo " + dir.path() + "/SAMPLE.pdf", true).out;
    CHECK(std::regex_search(
        info, std::regex("Title: +Sample: Expert report on Tajikistan \\(SAMPLE\\)\n")));
    CHECK(r.out.find("Rajabov") == std::string::npos);
}

TEST_CASE("sample: a firm named after the solicitor is not printed, and clause text reads") {
    TempDir dir;
    std::string c =
        write_case(dir, {{"firm: Fernhollow Law LLP", "firm: Whitcombe & Co Solicitors"}},
                   "I met Ms Whitcombe of Whitcombe & Co Solicitors.");
    check_sample(dir, c, {"Whitcombe", "Co Solicitors", "Prepared for"},
                 {"I am instructed by the appellant\xE2\x80\x99s representatives",
                  "I met Ms the instructing solicitor of the appellant\xE2\x80\x99s "
                  "representatives."});
}

TEST_CASE("sample: a dotted capital I in the paragraph leaves redaction on") {
    TempDir dir;
    std::string c = write_case(
        dir, {}, "\xC4\xB0stanbul is where Farhod Rajabov changed planes; Rajabov then flew on.");
    check_sample(dir, c, kExampleIdentity, {"\xC4\xB0stanbul is where FR changed planes"});
}

TEST_CASE("sample: soft hyphen, zero-width space and word joiner inside the name") {
    TempDir dir;
    std::string c = write_case(dir, {},
                               "Far\xC2\xADhod Raja\xC2\xAD"
                               "bov met Raj\xE2\x80\x8B"
                               "abov and "
                               "Rajab\xE2\x81\xA0ov.");
    check_sample(dir, c, kExampleIdentity, {"FR met FR and FR."});
}

TEST_CASE("sample: a no-break space in applicant.name") {
    TempDir dir;
    std::string c = write_case(dir, {{"name: Farhod Rajabov", "name: Farhod\xC2\xA0Rajabov"}},
                               "Farhod Rajabov and Farhod\xE2\x80\xAFRajabov are one man.");
    check_sample(dir, c, kExampleIdentity, {"FR and FR are one man."});
}

TEST_CASE("sample: an NFD spelling and a curly apostrophe") {
    TempDir dir;
    std::string c = write_case(dir,
                               {{"name: Farhod Rajabov", "name: Jos\xC3\xA9 O'Mart\xC3\xADnez"},
                                {"pseudonym: FR", "pseudonym: JM"}},
                               "Jose\xCC\x81 O\xE2\x80\x99Marti\xCC\x81nez said that "
                               "O\xE2\x80\x99Mart\xC3\xADnez is his name.");
    check_sample(dir, c,
                 {"Mart\xC3\xADnez", "Marti\xCC\x81nez", "Martinez", "Jos\xC3\xA9", "Jose\xCC\x81"},
                 {"JM said that JM is his name."});
}

TEST_CASE("sample: names run into digits and into addresses") {
    TempDir dir;
    std::string c =
        write_case(dir, {}, "He posted as Rajabov1994, rajabov1994 and f.rajabov@mail.example.");
    check_sample(dir, c, {"Rajabov", "rajabov"}, {"He posted as FR1994, FR1994 and f.FR@"});
}

TEST_CASE("sample: the date of birth in every common written form") {
    TempDir dir;
    const std::vector<std::string> forms = {
        "1994-05-12",  "12-05-1994",          "12/5/1994",        "12/05/1994",
        "12.05.1994",  "5/12/1994",           "1994/05/12",       "May 12, 1994",
        "12 May 1994", "12th May 1994",       "12th of May 1994", "May 12th, 1994",
        "12-May-1994", "Thursday 12 May 1994"};
    std::string notes = "Dates:";
    for (const std::string& f : forms) notes += " (" + f + ")";
    std::string c = write_case(dir, {}, notes + ".");
    std::vector<std::string> absent = forms;
    absent.insert(absent.end(), {"1994", "May 12", "12 May"});
    check_sample(dir, c, absent,
                 {"Dates: ([date of birth withheld]) ([date of birth withheld])",
                  "names and dates of birth have been removed"});
}

TEST_CASE("sample: aliases in another script, whole and by part") {
    TempDir dir;
    std::string c = write_case(dir, {},
                               "In Dushanbe he is \xD0\xA4\xD0\xB0\xD1\x80\xD2\xB3\xD0\xBE\xD0\xB4 "
                               "\xD0\xA0\xD0\xB0\xD2\xB7\xD0\xB0\xD0\xB1\xD0\xBE\xD0\xB2; the "
                               "\xD0\xA0\xD0\xB0\xD2\xB7\xD0\xB0\xD0\xB1\xD0\xBE\xD0\xB2 family, "
                               "also written Radzhabov.");
    check_sample(dir, c, kExampleIdentity,
                 {"In Dushanbe he is FR; the FR family, also written FR."});
}

TEST_CASE("sample: ordinary words equal to a name part are left alone") {
    TempDir dir;
    std::string c =
        write_case(dir,
                   {{"name: Farhod Rajabov", "name: Can Will Demir"},
                    {"aliases: [\xD0\xA4\xD0\xB0\xD1\x80\xD2\xB3\xD0\xBE\xD0\xB4 "
                     "\xD0\xA0\xD0\xB0\xD2\xB7\xD0\xB0\xD0\xB1\xD0\xBE\xD0\xB2, Farkhod "
                     "Radzhabov]",
                     "aliases: []"},
                    {"pseudonym: FR", "pseudonym: CD"}},
                   "He can return only if the will of his family allows it; Demir "
                   "says he will not.");
    check_sample(dir, c, {"Demir", "Can Will"},
                 {"He can return only if the will of his family allows it; CD says he will not."});
}

TEST_CASE("sample: Subject and Keywords carry no grounds, full report or sample") {
    TempDir dir;
    for (const char* mode : {"", "--sample "}) {
        std::string pdf = dir.path() + "/r.pdf";
        REQUIRE(run(command(std::string("render ") + mode +
                            DOSSIER_SOURCE_DIR "/examples/tajikistan-lgbt.yaml -o " + pdf))
                    .status == 0);
        std::string info = run("pdfinfo " + pdf, true).out;
        INFO(info);
        CHECK(std::regex_search(
            info, std::regex("Subject: +Expert report on country conditions in Tajikistan\n")));
        CHECK(std::regex_search(
            info, std::regex("Keywords: +expert report, country evidence, Tajikistan\n")));
        for (const char* ground : {"sexual", "orientation", "LGBT", "gay", "Rajabov"})
            CHECK(info.find(ground) == std::string::npos);
    }
}

TEST_CASE("sample: the verifier fails closed on a name that clause text prints") {
    TempDir dir;
    std::string c = write_case(dir, {}, "Nothing identifying here.");
    // A pack clause that names the applicant: clause text is the library's, not redacted.
    dir.write("pack/leak.md",
              "---\nid: zz.leak\nsection: assessment\n---\nThe file of Farhod Rajabov, also "
              "rajabov1994@example.org, is typical.\n");
    std::string pdf = dir.path() + "/leak.pdf";
    Run r = run(command("render --sample " + c + " --clauses " + dir.path() + "/pack -o " + pdf));
    INFO(r.out);
    CHECK(r.status == 1);
    CHECK(r.out.find("error: the sample report still holds the applicant's name (page ") !=
          std::string::npos);
    CHECK(r.out.find("(text)); no PDF is written") != std::string::npos);
    CHECK(r.out.find("Rajabov") == std::string::npos);  // the message never quotes it
    CHECK_FALSE(fs::exists(pdf));
    for (const auto& e : fs::directory_iterator(dir.path())) CHECK(e.path().extension() != ".pdf");
    // the full report prints the clause as written
    CHECK(run(command("render " + c + " --clauses " + dir.path() + "/pack -o " + pdf)).status == 0);

    // a file name that names the applicant, and --dump layout, fail closed too
    std::string named = dir.path() + "/Rajabov-sample.pdf";
    Run n = run(command("render --sample " + c + " -o " + named));
    CHECK(n.status == 1);
    CHECK(n.out.find("(output file name); no PDF is written") != std::string::npos);
    CHECK_FALSE(fs::exists(named));
    Run d =
        run(command("render --sample --dump layout " + c + " --clauses " + dir.path() + "/pack"));
    CHECK(d.status == 1);
    CHECK(d.out.find("Rajabov") == std::string::npos);
}

TEST_CASE("sample: the verifier searches every run, line, bookmark, metadata and file name") {
    Case c;
    c.reference = "TJ-2026-014";
    c.applicant.name = "Farhod Rajabov";
    c.applicant.pseudonym = "FR";
    c.applicant.born = Date{1994, 5, 12};
    compose::Identity id = compose::Identity::of(c);
    auto run_at = [](std::string text, Unit x, Unit y, Unit size = 11000) {
        TextRun r;
        r.text = std::move(text);
        r.x = x;
        r.y = y;
        r.size = size;
        return r;
    };
    Pages clean;
    clean.pages.resize(2);
    clean.pages[0].runs = {run_at("Page ", 72000, 100000), run_at("1 ", 100000, 100000),
                           run_at("he can go", 72000, 120000)};
    clean.info.title = "Sample: Expert report on Tajikistan (SAMPLE)";
    {
        Diagnostics d;
        CHECK(dossier::cli::verify_sample(clean, "SAMPLE.pdf", id, {"case.yaml", 0, 0}, d));
        CHECK(d.empty());
    }
    auto leaks = [&](const Pages& p, const std::string& file = "SAMPLE.pdf") {
        Diagnostics d;
        bool ok = dossier::cli::verify_sample(p, file, id, {"case.yaml", 0, 0}, d);
        std::string all;
        for (const Diagnostic& x : d) {
            CHECK(x.code == "sample.identity");
            CHECK(x.message.find("Rajabov") == std::string::npos);
            all += x.message + "\n";
        }
        CHECK(ok == d.empty());
        return all;
    };
    {  // split across runs of one word (a fallback font) and a marker above the line
        Pages p = clean;
        p.pages[1].runs = {run_at("Raj", 72000, 300000), run_at("abov", 90000, 300000),
                           run_at("3", 120000, 296500, 7000)};
        CHECK(leaks(p).find("a part of the applicant's name (page 2 (text))") != std::string::npos);
    }
    {  // hyphenated across lines, and a soft hyphen left in a run
        Pages p = clean;
        p.pages[1].runs = {run_at("the ", 72000, 300000), run_at("Raja-", 90000, 300000),
                           run_at("bov ", 72000, 314500), run_at("family", 100000, 314500)};
        CHECK(leaks(p).find("(page 2 (text))") != std::string::npos);
        p.pages[1].runs = {run_at("Far\xC2\xADhod", 72000, 300000)};
        CHECK(leaks(p).find("(page 2 (text))") != std::string::npos);
    }
    {  // a name run into digits, capitalised or not
        Pages p = clean;
        p.pages[1].runs = {run_at("user Rajabov1994 posted", 72000, 300000)};
        CHECK(leaks(p).find("(page 2 (text))") != std::string::npos);
        p.pages[1].runs = {run_at("user rajabov1994 posted", 72000, 300000)};
        CHECK(leaks(p).find("(page 2 (text))") != std::string::npos);
        p.pages[1].runs = {run_at("the rajabov family", 72000, 300000)};  // a word of prose
        CHECK(leaks(p).empty());
    }
    {  // an address broken across lines without a hyphen
        Pages p = clean;
        p.pages[1].runs = {run_at("https://x.example/Raja", 72000, 300000),
                           run_at("bov.html", 72000, 314500)};
        CHECK(leaks(p).find("(page 2 (text))") != std::string::npos);
    }
    {  // the whole name across two lines, and the date of birth across runs
        Pages p = clean;
        p.pages[0].runs.push_back(run_at("Farhod", 72000, 140000));
        p.pages[0].runs.push_back(run_at("Rajabov", 72000, 154500));
        p.pages[1].runs = {run_at("12 ", 72000, 300000), run_at("May ", 90000, 300000),
                           run_at("1994", 120000, 300000)};
        std::string all = leaks(p);
        CHECK(all.find("the applicant's name (page 1 (text))") != std::string::npos);
        CHECK(all.find("the applicant's date of birth (page 2 (text))") != std::string::npos);
    }
    {  // runs that touch: a cover label and its value
        Pages p = clean;
        p.pages[0].runs = {run_at("Case reference", 72000, 400000),
                           run_at("TJ-2026-014", 170000, 400000)};
        CHECK(leaks(p).find("the case reference (page 1 (text))") != std::string::npos);
    }
    {  // bookmarks, metadata, link addresses, the watermark and the file name
        Pages p = clean;
        p.outline.push_back({"The Rajabov family", 0, 1, 0});
        p.info.author = "rajabov";
        Link link;
        link.uri = "https://example.org/rajabov1994";
        p.pages[1].links.push_back(link);
        TextRun w = run_at("RAJABOV", 100000, 400000, 60000);
        w.rotation = 45;
        p.pages[1].runs.push_back(w);
        std::string all = leaks(p, "/tmp/out/rajabov-sample.pdf");
        CHECK(all.find("(bookmark 1 (page 2))") != std::string::npos);
        CHECK(all.find("(document info (Author))") != std::string::npos);
        CHECK(all.find("(page 2 (link address))") != std::string::npos);
        CHECK(all.find("(page 2 (watermark))") != std::string::npos);
        CHECK(all.find("(output file name)") != std::string::npos);
    }
    {  // verify_no_identity for other records (batch summaries)
        Diagnostics d;
        CHECK_FALSE(dossier::cli::verify_no_identity(id, {{"summary.json", "born 12/05/1994"}},
                                                     {"case.yaml", 0, 0}, d));
        REQUIRE(d.size() == 1);
        CHECK(d[0].message.find("date of birth (summary.json)") != std::string::npos);
    }
}

TEST_CASE("sample: dates do not depend on the time zone (UTC+14 against UTC, byte for byte)") {
    TempDir dir;
    std::string kiritimati = dir.path() + "/kiritimati.pdf", utc = dir.path() + "/utc.pdf";
    for (const auto& [tz, pdf] : {std::pair{"Pacific/Kiritimati", kiritimati}, {"UTC", utc}}) {
        Run r =
            run(std::string("TZ=") + tz + " " +
                command("render " DOSSIER_SOURCE_DIR "/examples/tajikistan-lgbt.yaml -o " + pdf));
        INFO(r.out);
        REQUIRE(r.status == 0);
    }
    std::string a = read_file(kiritimati), b = read_file(utc);
    REQUIRE_FALSE(a.empty());
    CHECK(a == b);
    std::u32string text =
        compose::matching_form(pdf_text(kiritimati));
    CHECK(text.find(U"21 november 2026") == std::u32string::npos);
    // the conclusions' {date, date, long} and the cover's date agree
    CHECK(text.find(U"the date of this report, 20 november 2026") != std::u32string::npos);
}
