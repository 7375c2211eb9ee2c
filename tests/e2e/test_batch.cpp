// Batch runs and anonymised samples, through the real binary.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "batch_support.hpp"

namespace fs = std::filesystem;
using dossier::test::cli;
using dossier::test::count_temporaries;
using dossier::test::make_cases;
using dossier::test::pdfs_in;
using dossier::test::read_file;
using dossier::test::join_soft_hyphens;
using dossier::test::pdf_text;
using dossier::test::run;
using dossier::test::Run;
using dossier::test::status_of;
using dossier::test::summary_of;
using dossier::test::TempDir;

TEST_CASE("a batch with one broken case renders the rest and keeps the earlier PDF") {
    TempDir dir;
    std::string cases = make_cases(dir, 120);
    std::string out = dir.path() + "/out";
    // case 7 breaks, and an earlier good render of it exists
    std::string broken = read_file(cases + "/case-007.yaml");
    dir.write("cases/case-007.yaml",
              std::regex_replace(broken, std::regex("gender: male"), "gender: mail"));
    dir.write("out/B-7.pdf", "%PDF-1.4 earlier good output");

    auto t0 = std::chrono::steady_clock::now();
    Run first = run(cli("batch " + cases + " -o " + out + " -j 2"));
    double first_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    INFO(first.out.substr(0, 3000));
    CHECK(first.status == 1);
    CHECK(first.out.find("FAILED    " + cases + "/case-007.yaml") != std::string::npos);
    CHECK(first.out.find("unknown gender \"mail\"; did you mean \"male\"?") != std::string::npos);
    CHECK(first.out.find("batch: 119 rendered, 0 unchanged, 1 failed") != std::string::npos);
    std::set<std::string> pdfs = pdfs_in(out);
    CHECK(pdfs.size() == 120);  // 119 new and the untouched earlier one
    CHECK(read_file(out + "/B-7.pdf") == "%PDF-1.4 earlier good output");
    CHECK(count_temporaries(out) == 0);
    dossier::Json summary = summary_of(out);
    REQUIRE(summary.is_object());
    CHECK(summary["ok"] == false);  // as in check --json: true only when nothing failed
    CHECK(summary["rendered"] == 119);
    CHECK(summary["failed"] == 1);
    CHECK(status_of(summary, "case-007.yaml") == "failed");
    CHECK(status_of(summary, "case-008.yaml") == "rendered");

    t0 = std::chrono::steady_clock::now();
    Run again = run(cli("batch " + cases + " -o " + out + " -j 2"));
    double again_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    CHECK(again.status == 1);  // the broken case still fails
    CHECK(again.out.find("batch: 0 rendered, 119 unchanged, 1 failed") != std::string::npos);
    // Not a timing assertion: the figures are printed for the record.
    WARN("first run " << first_s << " s, unchanged rerun " << again_s << " s");

    // a changed clause input invalidates: --force renders everything again
    Run forced = run(cli("batch " + cases + " -o " + out + " -j 2 --force"));
    CHECK(forced.out.find("batch: 119 rendered, 0 unchanged, 1 failed") != std::string::npos);
}

TEST_CASE("an edited case is rendered again, the others are not") {
    TempDir dir;
    std::string cases = make_cases(dir, 4);
    std::string out = dir.path() + "/out";
    REQUIRE(run(cli("batch " + cases + " -o " + out + " -j 1")).status == 0);
    std::string text = read_file(cases + "/case-002.yaml");
    dir.write("cases/case-002.yaml", text + "# an edit\n");
    Run r = run(cli("batch " + cases + " -o " + out + " -j 1"));
    INFO(r.out);
    CHECK(r.status == 0);
    CHECK(r.out.find("batch: 1 rendered, 3 unchanged, 0 failed") != std::string::npos);
    fs::remove(out + "/B-3.pdf");
    r = run(cli("batch " + cases + " -o " + out + " -j 1"));
    CHECK(r.out.find("batch: 1 rendered, 3 unchanged, 0 failed") != std::string::npos);
}

TEST_CASE("shards 1/2 and 2/2 together cover every case exactly once") {
    TempDir dir;
    std::string cases = make_cases(dir, 11);
    Run a = run(cli("batch " + cases + " -o " + dir.path() + "/a --shard 1/2"));
    Run b = run(cli("batch " + cases + " -o " + dir.path() + "/b --shard 2/2"));
    REQUIRE(a.status == 0);
    REQUIRE(b.status == 0);
    std::set<std::string> sa = pdfs_in(dir.path() + "/a"), sb = pdfs_in(dir.path() + "/b");
    CHECK(sa.size() == 6);
    CHECK(sb.size() == 5);
    std::set<std::string> both = sa;
    both.insert(sb.begin(), sb.end());
    CHECK(both.size() == 11);
    CHECK(fs::exists(dir.path() + "/a/summary-1-of-2.json"));
    CHECK(run(cli("batch " + cases + " -o " + dir.path() + "/c --shard 3/2")).status == 2);
    CHECK(run(cli("batch " + cases + " -o " + dir.path() + "/c --shard x")).status == 2);
}

TEST_CASE("SIGINT stops a batch and leaves only whole PDFs") {
    TempDir dir;
    std::string cases = make_cases(dir, 60);
    std::string out = dir.path() + "/out";
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        int null = ::open("/dev/null", O_WRONLY);
        dup2(null, STDERR_FILENO);
        execl(DOSSIER_BINARY, DOSSIER_BINARY, "batch", cases.c_str(), "-o", out.c_str(), "-j", "2",
              static_cast<char*>(nullptr));
        _exit(127);
    }
    // wait until some reports exist, then interrupt
    for (int i = 0; i < 200 && (!fs::exists(out) || pdfs_in(out).size() < 3); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    auto t0 = std::chrono::steady_clock::now();
    kill(pid, SIGINT);
    int status = 0;
    waitpid(pid, &status, 0);
    double stop_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    CHECK(stop_s < 3.0);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 130);
    std::set<std::string> pdfs = pdfs_in(out);
    CHECK(pdfs.size() < 60);
    CHECK(count_temporaries(out) == 0);
    for (const std::string& p : pdfs) {
        std::string bytes = read_file(out + "/" + p);
        CHECK(bytes.rfind("%PDF-", 0) == 0);
        CHECK(bytes.find("%%EOF") != std::string::npos);
    }
    dossier::Json summary = summary_of(out);
    REQUIRE(summary.is_object());
    CHECK(summary["interrupted"] == true);
    CHECK(summary["ok"] == false);
    // the cases not run are rendered by the next run, the finished ones are kept
    Run rest = run(cli("batch " + cases + " -o " + out + " -j 2"));
    CHECK(rest.status == 0);
    CHECK(pdfs_in(out).size() == 60);
    CHECK(rest.out.find(std::to_string(pdfs.size()) + " unchanged") != std::string::npos);
}

TEST_CASE("a sample report holds none of the applicant's identifying strings") {
    TempDir dir;
    std::string pdf = dir.path() + "/sample.pdf";
    Run r =
        run(cli("render --sample " DOSSIER_SOURCE_DIR "/examples/tajikistan-lgbt.yaml -o " + pdf));
    INFO(r.out);
    REQUIRE(r.status == 0);
    std::string qdf = dir.path() + "/sample-qdf.pdf";
    REQUIRE(run("qpdf --qdf --object-streams=disable " + pdf + " " + qdf).status == 0);
    std::string bytes = read_file(qdf);
    // the example's applicant, date of birth and solicitor
    for (std::string secret :
         {"Farhod", "Rajabov", "1994-05-12", "12 May 1994", "Joanna", "Whitcombe"}) {
        INFO(secret);
        CHECK(bytes.find(secret) == std::string::npos);
        std::string utf16;
        for (char c : secret) {
            utf16 += '\0';
            utf16 += c;
        }
        CHECK(bytes.find(utf16) == std::string::npos);
    }
    std::string text = pdf_text(pdf);
    CHECK(text.find("anonymised sample") != std::string::npos);
    CHECK(run("pdfinfo " + pdf + " 2>/dev/null").out.find("Sample: ") != std::string::npos);
    // every page carries the watermark
    int pages = std::stoi(std::regex_replace(
        run("pdfinfo " + pdf + " 2>/dev/null | grep Pages:").out, std::regex("[^0-9]"), ""));
    std::string dump = run(cli("render --sample --dump layout " DOSSIER_SOURCE_DIR
                               "/examples/tajikistan-lgbt.yaml"))
                           .out;
    const std::regex watermark("rot=45[^\n]*SAMPLE");
    int watermarked = 0;
    for (auto it = std::sregex_iterator(dump.begin(), dump.end(), watermark);
         it != std::sregex_iterator(); ++it)
        ++watermarked;
    CHECK(watermarked == pages);
}
