// PDF/A-1b by default (DESIGN.md, "The PDF"): every example's report passes Apache PDFBox
// Preflight, is clean for qpdf and comes out byte-identical twice; --pdf-standard none gives a
// plain PDF; an encrypted report is never PDF/A.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <set>
#include <string>

#include "../support/preflight.hpp"
#include "../support/process.hpp"
#include "../support/temp_files.hpp"

using dossier::test::read_file;
using dossier::test::run;
using dossier::test::Run;
using dossier::test::TempDir;

namespace {

std::string cli(const std::string& args) { return std::string(DOSSIER_BINARY) + " " + args; }

std::string example(const std::string& name) {
    return std::string(DOSSIER_SOURCE_DIR "/examples/") + name;
}

}  // namespace

TEST_CASE("every example is PDF/A-1b by PDFBox Preflight, qpdf-clean and reproducible") {
    TempDir dir;
    const std::string first = dir.path() + "/first", second = dir.path() + "/second";
    std::filesystem::create_directories(first);
    std::filesystem::create_directories(second);
    std::set<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(DOSSIER_SOURCE_DIR "/examples")) {
        if (entry.path().extension() != ".yaml") continue;
        const std::string name = entry.path().stem().string() + ".pdf";
        names.insert(name);
        for (const std::string& out : {first, second}) {
            Run r = run(cli("render " + entry.path().string() + " -o " + out + "/" + name));
            INFO(name << "\n" << r.out);
            REQUIRE(r.status == 0);
        }
        const std::string pdf = first + "/" + name;
        CHECK(read_file(pdf) == read_file(second + "/" + name));
        Run check = run("qpdf --check " + pdf);
        INFO(name << "\n" << check.out);
        CHECK(check.status == 0);
        CHECK(check.out.find("No syntax or stream encoding errors") != std::string::npos);
        CHECK(check.out.find("WARNING") == std::string::npos);
    }
    REQUIRE(names.size() >= 2);

    if (const std::string missing = dossier::test::preflight_missing(); !missing.empty()) {
        WARN("skipped: PDFBox Preflight cannot run without " << missing);
        return;
    }
    // Every file in one JVM: the start is most of the half second each would take alone.
    Run preflight = dossier::test::preflight("batch " + first);
    INFO(preflight.out);
    CHECK(preflight.status == 0);
    for (const std::string& name : names) {
        CHECK(preflight.out.find("The file " + name + " is a valid PDF/A-1b file") !=
              std::string::npos);
    }
    CHECK(preflight.out.find("not a valid") == std::string::npos);
}

TEST_CASE("a plain PDF with --pdf-standard none, and an unknown standard is an error") {
    TempDir dir;
    const std::string plain = dir.path() + "/plain.pdf", archival = dir.path() + "/pdfa.pdf";
    const std::string c = example("tajikistan-lgbt.yaml");
    REQUIRE(run(cli("render " + c + " --pdf-standard none -o " + plain)).status == 0);
    REQUIRE(run(cli("render " + c + " --pdf-standard pdfa-1b -o " + archival)).status == 0);
    const std::string p = read_file(plain), a = read_file(archival);
    CHECK(p.find("/OutputIntents") == std::string::npos);
    CHECK(p.find("/Metadata") == std::string::npos);
    CHECK(a.find("/OutputIntents") != std::string::npos);
    CHECK(a.find("pdfaid:part") != std::string::npos);
    CHECK(run("qpdf --check " + plain).status == 0);

    Run bad = run(cli("render " + c + " --pdf-standard pdfa-2b -o " + dir.path() + "/x.pdf"));
    INFO(bad.out);
    CHECK(bad.status == 1);
    CHECK(bad.out.find("error: --pdf-standard: unknown standard \"pdfa-2b\"; valid: pdfa-1b (the "
                       "default) or none") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir.path() + "/x.pdf"));
    Run mixed =
        run(cli("render " + c + " --pdf-standard none,pdfa-1b -o " + dir.path() + "/x.pdf"));
    CHECK(mixed.status == 1);
    Run batch = run(cli("batch " + c + " --pdf-standard archive -o " + dir.path() + "/out"));
    CHECK(batch.status == 1);
    CHECK(batch.out.find("unknown standard \"archive\"") != std::string::npos);
}

TEST_CASE("batch writes PDF/A by default, and a change of standard makes a case render again") {
    TempDir dir;
    const std::string c = example("tajikistan-lgbt.yaml"), out = dir.path() + "/out";
    const std::string pdf = out + "/TJ-2026-014.pdf";
    Run first = run(cli("batch " + c + " -o " + out));
    INFO(first.out);
    REQUIRE(first.status == 0);
    CHECK(read_file(pdf).find("/OutputIntents") != std::string::npos);
    Run plain = run(cli("batch " + c + " --pdf-standard none -o " + out));
    INFO(plain.out);
    REQUIRE(plain.status == 0);
    CHECK(read_file(pdf).find("/OutputIntents") == std::string::npos);
}

TEST_CASE(
    "an encrypted report is not PDF/A: dropped with a note by default, an error if asked for") {
    TempDir dir;
    const std::string pw = dir.write("pw", "correct horse\n");
    ::chmod(pw.c_str(), 0600);
    const std::string c = example("tajikistan-lgbt.yaml");
    const std::string out = dir.path() + "/secret.pdf";

    Run r = run(cli("render " + c + " --password-file " + pw + " -o " + out));
    INFO(r.out);
    REQUIRE(r.status == 0);
    CHECK(r.out.find("note: the report is encrypted, so it is written as a plain PDF, not PDF/A") !=
          std::string::npos);
    Run check = run("qpdf --password='correct horse' --check " + out);
    CHECK(check.status == 0);
    Run shown = run("qpdf --password='correct horse' --qdf --object-streams=disable " + out + " -");
    CHECK(shown.out.find("/OutputIntents") == std::string::npos);
    CHECK(shown.out.find("pdfaid") == std::string::npos);

    const std::string refused = dir.path() + "/refused.pdf";
    Run explicit_pdfa = run(
        cli("render " + c + " --pdf-standard pdfa-1b --password-file " + pw + " -o " + refused));
    INFO(explicit_pdfa.out);
    CHECK(explicit_pdfa.status == 1);
    CHECK(explicit_pdfa.out.find("error: an encrypted report cannot be PDF/A") !=
          std::string::npos);
    CHECK_FALSE(std::filesystem::exists(refused));
    Run batch = run(cli("batch " + c + " --pdf-standard pdfa-1b --password-file " + pw + " -o " +
                        dir.path() + "/out"));
    CHECK(batch.status == 1);
    CHECK(batch.out.find("an encrypted report cannot be PDF/A") != std::string::npos);

    // With none asked for explicitly there is nothing to drop, so nothing to say.
    Run plain = run(cli("render " + c + " --pdf-standard none --password-file " + pw + " -o " +
                        dir.path() + "/plain.pdf"));
    CHECK(plain.status == 0);
    CHECK(plain.out.find("PDF/A") == std::string::npos);
}
