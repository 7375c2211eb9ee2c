// Batch and its output folder: the journaled manifest after kill -9, the lock that keeps two
// batches apart, what makes an output current, and a summary only for the run that wrote it.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <sstream>

#include "batch_support.hpp"

namespace fs = std::filesystem;
using dossier::Json;
using dossier::test::cli;
using dossier::test::count_temporaries;
using dossier::test::example_case;
using dossier::test::make_cases;
using dossier::test::pdfs_in;
using dossier::test::read_file;
using dossier::test::run;
using dossier::test::Run;
using dossier::test::start_batch;
using dossier::test::status_of;
using dossier::test::summary_of;
using dossier::test::TempDir;
using dossier::test::wait_exit;
using dossier::test::wait_for_pdfs;

namespace {

// The outputs recorded in OUTDIR's manifest and journal (JSON lines), each with its record.
std::map<std::string, Json> records_in(const std::string& outdir) {
    std::map<std::string, Json> out;
    for (const char* name : {"/.dossier-manifest", "/.dossier-journal"}) {
        std::istringstream lines(read_file(outdir + name));
        std::string line;
        while (std::getline(lines, line)) {
            Json j = Json::parse(line, nullptr, false);
            if (j.is_object()) out[j["output"].get<std::string>()] = j;
        }
    }
    return out;
}

std::string counts(const Run& r) {
    std::smatch m;
    std::regex_search(r.out, m,
                      std::regex("batch: [0-9]+ rendered, [0-9]+ unchanged, [0-9]+ failed"));
    return m.str();
}

}  // namespace

TEST_CASE(
    "a batch killed with -9 keeps the records of its finished cases and the rerun "
    "renders only the rest") {
    TempDir dir;
    std::string cases = make_cases(dir, 40);
    std::string out = dir.path() + "/out";
    pid_t pid = start_batch({cases, "-o", out, "-j", "2"});
    REQUIRE(pid > 0);
    wait_for_pdfs(out, 6);
    kill(pid, SIGKILL);
    CHECK(wait_exit(pid) == -1);
    std::set<std::string> before = pdfs_in(out);
    REQUIRE(before.size() >= 6);
    REQUIRE(before.size() < 40);  // killed in the middle
    // Every case recorded before the kill was written through to the journal.
    std::map<std::string, Json> recorded = records_in(out);
    CHECK(recorded.size() + 2 >= before.size());  // at most the two in flight are missing
    for (const auto& [output, record] : recorded) CHECK(before.count(output) == 1);
    // What a kill leaves behind in the middle of a write, planted so that it surely exists.
    dir.write("out/.B-40.pdf.tmp-Ab12Cd", "%PDF-1.4 half a report");
    std::map<std::string, fs::file_time_type> times;
    for (const auto& [output, record] : recorded)
        times[output] = fs::last_write_time(out + "/" + output);

    Run rest = run(cli("batch " + cases + " -o " + out + " -j 2"));
    INFO(rest.out.substr(0, 4000));
    CHECK(rest.status == 0);
    CHECK(pdfs_in(out).size() == 40);
    CHECK(count_temporaries(out) == 0);
    CHECK(rest.out.find("removed") != std::string::npos);
    Json summary = summary_of(out);
    REQUIRE(summary.is_object());
    CHECK(summary["ok"] == true);
    CHECK(summary["unchanged"].get<std::size_t>() == recorded.size());
    CHECK(summary["rendered"].get<std::size_t>() == 40 - recorded.size());
    for (const auto& [output, time] : times) {
        INFO(output);
        CHECK(fs::last_write_time(out + "/" + output) == time);  // not rendered again
    }
    // Compacted: the journal is empty and the manifest holds all 40.
    CHECK(read_file(out + "/.dossier-journal").empty());
    CHECK(records_in(out).size() == 40);
}

TEST_CASE("a second batch into the same OUTDIR waits for the first, or stops with --no-wait") {
    TempDir dir;
    std::string first = make_cases(dir, 40, "first");
    std::string second = make_cases(dir, 3, "second", 41);
    std::string out = dir.path() + "/out";
    pid_t pid = start_batch({first, "-o", out, "-j", "1"});
    REQUIRE(pid > 0);
    wait_for_pdfs(out, 1);  // the first batch holds the lock now

    Run refused = run(cli("batch " + second + " -o " + out + " --no-wait"));
    CHECK(refused.status == 1);
    CHECK(refused.out.find("is in use by another batch (process " + std::to_string(pid) + ")") !=
          std::string::npos);
    CHECK(refused.out.find("not started (--no-wait)") != std::string::npos);

    Run waited = run(cli("batch " + second + " -o " + out));
    INFO(waited.out);
    CHECK(waited.status == 0);
    CHECK(waited.out.find("waiting for it to finish") != std::string::npos);
    CHECK(wait_exit(pid) == 0);  // the first finished before the second started
    // Neither run lost the other's records: everything is current.
    Run again = run(cli("batch " + first + " " + second + " -o " + out));
    CHECK(again.status == 0);
    CHECK(counts(again) == "batch: 0 rendered, 43 unchanged, 0 failed");
    CHECK(records_in(out).size() == 43);
}

TEST_CASE("a truncated or emptied output is not current and is rendered again by the batch") {
    TempDir dir;
    std::string cases = make_cases(dir, 3);
    std::string out = dir.path() + "/out";
    REQUIRE(run(cli("batch " + cases + " -o " + out)).status == 0);
    fs::resize_file(out + "/B-1.pdf", fs::file_size(out + "/B-1.pdf") / 2);
    std::ofstream(out + "/B-2.pdf", std::ios::trunc).close();
    Run r = run(cli("batch " + cases + " -o " + out));
    INFO(r.out);
    CHECK(counts(r) == "batch: 2 rendered, 1 unchanged, 0 failed");
    Json summary = summary_of(out);
    CHECK(status_of(summary, "case-001.yaml") == "rendered");
    CHECK(status_of(summary, "case-002.yaml") == "rendered");
    CHECK(status_of(summary, "case-003.yaml") == "unchanged");
    CHECK(read_file(out + "/B-2.pdf").find("%%EOF") != std::string::npos);
}

TEST_CASE("a batch renders a dateless case again when the report date changes") {
    TempDir dir;
    dossier::test::write_expert(dir, "cases");
    dir.write("cases/dateless.yaml", example_case("D-1", false));
    std::string out = dir.path() + "/out";
    std::string args = " batch " + dir.path() + "/cases -o " + out;
    // 1 and 2 December 2026, after every date the example gives
    Run a = run("SOURCE_DATE_EPOCH=1796083200 " + cli(args));
    INFO(a.out);
    REQUIRE(a.status == 0);
    CHECK(counts(run("SOURCE_DATE_EPOCH=1796083200 " + cli(args))) ==
          "batch: 0 rendered, 1 unchanged, 0 failed");
    Run later = run("SOURCE_DATE_EPOCH=1796169600 " + cli(args));
    CHECK(counts(later) == "batch: 1 rendered, 0 unchanged, 0 failed");
    CHECK(records_in(out)["D-1.pdf"]["date"] == "2026-12-02");
}

TEST_CASE("the mode and the engine version are part of a batch output's currency") {
    TempDir dir;
    std::string cases = make_cases(dir, 1);
    std::string out = dir.path() + "/out";
    REQUIRE(run(cli("batch " + cases + " -o " + out)).status == 0);
    std::string full = read_file(out + "/B-1.pdf");

    // A sample after a full report: rendered, to its own name, and the named report is not
    // taken for the sample.
    Run sample = run(cli("batch --sample " + cases + " -o " + out));
    INFO(sample.out);
    CHECK(sample.status == 0);
    CHECK(counts(sample) == "batch: 1 rendered, 0 unchanged, 0 failed");
    CHECK(sample.out.find("1 report that is not a sample") != std::string::npos);
    std::set<std::string> pdfs = pdfs_in(out);
    CHECK(pdfs.size() == 2);
    std::string sample_name;
    for (const std::string& p : pdfs)
        if (p.rfind("SAMPLE-", 0) == 0) sample_name = p;
    REQUIRE(std::regex_match(sample_name, std::regex("SAMPLE-[0-9A-F]{12}\\.pdf")));
    CHECK(read_file(out + "/B-1.pdf") == full);
    Json summary = summary_of(out);
    CHECK(summary["cases"][0]["output"] == out + "/" + sample_name);
    CHECK(summary["cases"][0]["reference"] == sample_name.substr(0, sample_name.size() - 4));
    CHECK(records_in(out)[sample_name]["mode"] == "sample");
    // A sample's record names no file: its owner is the digest of the case file's path.
    CHECK(records_in(out)[sample_name]["input"].get<std::string>().rfind("sha256:", 0) == 0);
    CHECK(counts(run(cli("batch --sample " + cases + " -o " + out))) ==
          "batch: 0 rendered, 1 unchanged, 0 failed");

    // A draft replaces the full report of the same name; the full one is then rendered again.
    CHECK(counts(run(cli("batch --draft " + cases + " -o " + out))) ==
          "batch: 1 rendered, 0 unchanged, 0 failed");
    CHECK(records_in(out)["B-1.pdf"]["mode"] == "draft");
    CHECK(counts(run(cli("batch " + cases + " -o " + out))) ==
          "batch: 1 rendered, 0 unchanged, 0 failed");

    // Another engine version: the manifest says 0.0.1 rendered it.
    std::string manifest = read_file(out + "/.dossier-manifest");
    std::ofstream(out + "/.dossier-manifest", std::ios::trunc) << std::regex_replace(
        manifest, std::regex("\"engine\": \"[^\"]*\""), "\"engine\": \"0.0.1\"");
    CHECK(counts(run(cli("batch " + cases + " -o " + out))) ==
          "batch: 1 rendered, 0 unchanged, 0 failed");
}

TEST_CASE("a batch that cannot write its summary says so and leaves no earlier one behind") {
    TempDir dir;
    std::string cases = make_cases(dir, 2);
    std::string out = dir.path() + "/out";
    Run ok = run(cli("batch " + cases + " -o " + out));
    REQUIRE(ok.status == 0);
    CHECK(ok.out.find("summary: " + out + "/summary.json") != std::string::npos);
    REQUIRE(summary_of(out)["ok"] == true);
    // A full disk, as RLIMIT_FSIZE makes it: no file may grow past 512 bytes (EFBIG).
    Run full = run("trap '' XFSZ; ulimit -f 1; " + cli("batch --force " + cases + " -o " + out));
    INFO(full.out);
    CHECK(full.status == 1);
    CHECK(full.out.find("summary: ") == std::string::npos);
    CHECK(full.out.find("no summary for this run") != std::string::npos);
    CHECK(full.out.find("File too large") != std::string::npos);
    CHECK(!fs::exists(out + "/summary.json"));  // the earlier run's is not left to mislead
    CHECK(count_temporaries(out) == 0);
    // The reports of the earlier run are untouched and still current.
    CHECK(counts(run(cli("batch " + cases + " -o " + out))) ==
          "batch: 0 rendered, 2 unchanged, 0 failed");
}

TEST_CASE(
    "a batch encrypts every report with --password-file, and encryption is part of "
    "currency") {
    TempDir dir;
    std::string cases = make_cases(dir, 2);
    std::string out = dir.path() + "/out";
    std::string password = dir.write("password.txt", "batch secret 7\n");
    fs::permissions(password, fs::perms::owner_read | fs::perms::owner_write);
    Run r = run(cli("batch " + cases + " -o " + out + " --password-file " + password));
    INFO(r.out);
    REQUIRE(r.status == 0);
    CHECK(run("qpdf --is-encrypted " + out + "/B-1.pdf").status == 0);
    CHECK(run("qpdf --requires-password " + out + "/B-2.pdf").status == 0);
    CHECK(run("qpdf --password='batch secret 7' --check " + out + "/B-2.pdf", true).status == 0);
    CHECK(records_in(out)["B-1.pdf"]["encrypted"] == true);
    CHECK(read_file(out + "/.dossier-manifest").find("batch secret") == std::string::npos);
    CHECK(counts(run(cli("batch " + cases + " -o " + out + " --password-file " + password))) ==
          "batch: 0 rendered, 2 unchanged, 0 failed");
    // Not encrypted now: rendered again, in the clear.
    CHECK(counts(run(cli("batch " + cases + " -o " + out))) ==
          "batch: 2 rendered, 0 unchanged, 0 failed");
    CHECK(run("qpdf --is-encrypted " + out + "/B-1.pdf").status != 0);
    // An empty password is an error before anything is rendered.
    std::string empty = dir.write("empty.txt", "\n");
    fs::permissions(empty, fs::perms::owner_read | fs::perms::owner_write);
    Run refused = run(cli("batch --force " + cases + " -o " + out + " --password-file " + empty));
    CHECK(refused.status == 1);
    CHECK(refused.out.find("batch: ") == std::string::npos);
}

TEST_CASE("a batch renders a case again when the expert's signature image changes") {
    TempDir dir;
    dir.write("cases/experts/horn-expert.yaml",
              read_file(DOSSIER_SOURCE_DIR "/examples/experts/horn-expert.yaml"));
    std::string png =
        dir.write("cases/experts/signature-tarrant-vale.png",
                  read_file(DOSSIER_SOURCE_DIR "/examples/experts/signature-tarrant-vale.png"));
    dir.write("cases/er.yaml",
              std::regex_replace(read_file(DOSSIER_SOURCE_DIR "/examples/eritrea-military.yaml"),
                                 std::regex("\nreference: [^\n]*"), "\nreference: S-1"));
    std::string args = "batch " + dir.path() + "/cases -o " + dir.path() + "/out";
    Run first = run(cli(args));
    INFO(first.out);
    REQUIRE(first.status == 0);
    CHECK(counts(run(cli(args))) == "batch: 0 rendered, 1 unchanged, 0 failed");
    dir.write("cases/experts/signature-tarrant-vale.png",
              read_file(DOSSIER_SOURCE_DIR "/tests/pdf/fixtures/signature-gray.png"));
    CHECK(counts(run(cli(args))) == "batch: 1 rendered, 0 unchanged, 0 failed");
}
