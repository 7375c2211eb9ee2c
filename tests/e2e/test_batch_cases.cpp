// Batch and its cases: which files are cases, references claimed twice, outputs owned by
// another case file, progress lines, and JSON that stays valid whatever the file names.
#include <pty.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>

#include <catch2/catch.hpp>
#include <sstream>

#include "batch_support.hpp"

namespace fs = std::filesystem;
using dossier::Json;
using dossier::test::cli;
using dossier::test::example_case;
using dossier::test::make_cases;
using dossier::test::pdfs_in;
using dossier::test::read_file;
using dossier::test::run;
using dossier::test::Run;
using dossier::test::status_of;
using dossier::test::summary_of;
using dossier::test::TempDir;

namespace {

std::string counts(const Run& r) {
    std::smatch m;
    std::regex_search(r.out, m,
                      std::regex("batch: [0-9]+ rendered, [0-9]+ unchanged, [0-9]+ failed"));
    return m.str();
}

// The example with `dossier: 1` as its first line, written as `key`.
std::string case_starting_with(const std::string& key, const std::string& reference) {
    std::string text = example_case(reference);
    text = std::regex_replace(text, std::regex("^(#[^\n]*\n)+"), "");
    return std::regex_replace(text, std::regex("^dossier: 1"), key + ": 1");
}

}  // namespace

TEST_CASE("a reference claimed by two cases fails both in a batch, whatever -j") {
    TempDir dir;
    std::string cases = make_cases(dir, 3);
    dir.write("cases/case-002.yaml", example_case("B-1"));
    for (const char* jobs : {"1", "2"}) {
        INFO("-j " << jobs);
        std::string out = dir.path() + "/out-" + jobs;
        Run r = run(cli("batch " + cases + " -o " + out + " -j " + jobs));
        INFO(r.out);
        CHECK(r.status == 1);
        CHECK(counts(r) == "batch: 1 rendered, 0 unchanged, 2 failed");
        CHECK(pdfs_in(out) == std::set<std::string>{"B-3.pdf"});
        CHECK(r.out.find("case-001.yaml: error: reference \"B-1\" is also the reference of " +
                         cases + "/case-002.yaml") != std::string::npos);
        CHECK(r.out.find("case-002.yaml: error: reference \"B-1\" is also the reference of " +
                         cases + "/case-001.yaml") != std::string::npos);
        Json summary = summary_of(out);
        CHECK(status_of(summary, "case-001.yaml") == "failed");
        CHECK(status_of(summary, "case-002.yaml") == "failed");
    }
}

TEST_CASE("a batch does not overwrite an output another case file owns, across runs and shards") {
    TempDir dir;
    dossier::test::write_expert(dir, "a");
    dossier::test::write_expert(dir, "b");
    dir.write("a/one.yaml", example_case("X-1"));
    dir.write("b/other.yaml", example_case("X-1"));
    std::string out = dir.path() + "/out";
    REQUIRE(run(cli("batch " + dir.path() + "/a -o " + out)).status == 0);
    std::string first = read_file(out + "/X-1.pdf");
    Run taken = run(cli("batch " + dir.path() + "/b -o " + out));
    INFO(taken.out);
    CHECK(taken.status == 1);
    CHECK(taken.out.find(out + "/X-1.pdf belongs to " + fs::canonical(dir.path()).string() +
                         "/a/one.yaml") != std::string::npos);
    CHECK(taken.out.find("--force") != std::string::npos);
    CHECK(read_file(out + "/X-1.pdf") == first);
    // The same file however it is named on the command line is the same owner.
    CHECK(counts(run("cd " + dir.path() + " && " + cli("batch ./a/../a -o out"))) ==
          "batch: 0 rendered, 1 unchanged, 0 failed");
    // --force hands the output over.
    CHECK(run(cli("batch --force " + dir.path() + "/b -o " + out)).status == 0);
    CHECK(run(cli("batch " + dir.path() + "/a -o " + out)).status == 1);

    // Shards: the list is case-001 (shard 1) and case-002 (shard 2), one reference.
    std::string cases = make_cases(dir, 2, "sharded");
    dir.write("sharded/case-002.yaml", example_case("B-1"));
    std::string shared = dir.path() + "/shared";
    CHECK(run(cli("batch " + cases + " -o " + shared + " --shard 1/2")).status == 0);
    Run second = run(cli("batch " + cases + " -o " + shared + " --shard 2/2"));
    CHECK(second.status == 1);
    CHECK(second.out.find("belongs to") != std::string::npos);
    CHECK(status_of(summary_of(shared, "summary-2-of-2.json"), "case-002.yaml") == "failed");
}

TEST_CASE("batch discovery reads every YAML file and says why it skips one") {
    TempDir dir;
    dossier::test::write_expert(dir, "cases");
    dir.write("cases/a.yml", example_case("D-1"));
    dir.write("cases/b.YAML", example_case("D-2"));
    dir.write("cases/c.yaml", "\xEF\xBB\xBF" + case_starting_with("dossier", "D-3"));
    dir.write("cases/d.yaml", case_starting_with("\"dossier\"", "D-4"));
    dir.write("cases/e.Yml", case_starting_with("'dossier'", "D-5"));
    dir.write("cases/notes.txt", "dossier: 1\n");
    dir.write("cases/broken.yaml", "key: [unclosed\n");
    dir.write("cases/empty.yaml", "");
    dir.write("cases/list.yaml", "- dossier\n");
    std::string out = dir.path() + "/cases/out";  // inside the folder searched
    Run r = run(cli("batch " + dir.path() + "/cases -o " + out));
    INFO(r.out);
    CHECK(r.status == 0);
    CHECK(counts(r) == "batch: 5 rendered, 0 unchanged, 0 failed");
    std::string c = dir.path() + "/cases/";
    CHECK(r.out.find(c + "experts/example-expert.yaml: note: skipped: not a case file (no "
                         "top-level dossier key)") != std::string::npos);
    CHECK(r.out.find(c + "notes.txt: note: skipped: not a YAML file") != std::string::npos);
    CHECK(r.out.find(c + "broken.yaml: warning: skipped: not valid YAML (line 2") !=
          std::string::npos);
    CHECK(r.out.find(c + "empty.yaml: note: skipped: not a case file (empty)") !=
          std::string::npos);
    CHECK(r.out.find(c + "list.yaml: note: skipped: not a case file (not a YAML map)") !=
          std::string::npos);
    Json summary = summary_of(out);
    REQUIRE(summary.is_object());
    CHECK(summary["skipped"].size() == 5);
    // A second run finds the output folder inside and leaves it alone.
    Run again = run(cli("batch " + dir.path() + "/cases -o " + out));
    CHECK(counts(again) == "batch: 0 rendered, 5 unchanged, 0 failed");
    CHECK(again.out.find(c + "out: note: skipped: the output folder") != std::string::npos);
}

TEST_CASE("a batch reports a folder it cannot read and renders the rest") {
    TempDir dir;
    make_cases(dir, 1, "cases/open");
    make_cases(dir, 1, "cases/locked", 2);
    fs::permissions(dir.path() + "/cases/locked", fs::perms::none);
    std::string out = dir.path() + "/out";
    // Root reads any folder: without the capabilities that let it (still root, owning the
    // files), it is refused like anyone else.
    std::string without_override =
        geteuid() == 0 ? "setpriv --bounding-set=-dac_override,-dac_read_search " : "";
    Run r = run(without_override + cli("batch " + dir.path() + "/cases -o " + out));
    fs::permissions(dir.path() + "/cases/locked", fs::perms::owner_all);
    INFO(r.out);
    CHECK(r.status == 1);
    CHECK(r.out.find(dir.path() + "/cases/locked: error: cannot read folder: Permission denied") !=
          std::string::npos);
    CHECK(counts(r) == "batch: 1 rendered, 0 unchanged, 0 failed");
    Json summary = summary_of(out);
    REQUIRE(summary.is_object());
    CHECK(summary["ok"] == false);
    CHECK(summary["diagnostics"].size() == 1);
}

TEST_CASE("batch progress is one line per case however long the paths") {
    TempDir dir;
    std::string deep = "cases/" + std::string(200, 'd') + "/" + std::string(200, 'e') + "/" +
                       std::string(200, 'f');
    std::string cases = make_cases(dir, 3, deep);
    Run r = run(cli("batch " + cases + " -o " + dir.path() + "/out -j 2"));
    REQUIRE(r.status == 0);
    std::istringstream lines(r.out);
    std::string line;
    int reported = 0;
    while (std::getline(lines, line)) {
        if (line.find(" -> ") == std::string::npos) continue;
        ++reported;
        INFO(line);
        CHECK(line.rfind("rendered  " + cases + "/case-00", 0) == 0);
        CHECK(std::regex_search(line, std::regex("\\.pdf \\([0-9]+ pages, [0-9]+ ms\\)$")));
    }
    CHECK(reported == 3);
}

TEST_CASE("on a terminal the batch's live line is cleared and fits the width") {
    TempDir dir;
    std::string cases = make_cases(dir, 3);
    std::string out = dir.path() + "/out";
    struct winsize ws {};
    ws.ws_col = 30;
    ws.ws_row = 24;
    int master = -1;
    pid_t pid = forkpty(&master, nullptr, nullptr, &ws);
    REQUIRE(pid >= 0);
    if (pid == 0) {
        execl(DOSSIER_BINARY, DOSSIER_BINARY, "batch", cases.c_str(), "-o", out.c_str(), "-j", "1",
              static_cast<char*>(nullptr));
        _exit(127);
    }
    std::string screen;
    char buffer[4096];
    for (;;) {
        ssize_t n = read(master, buffer, sizeof buffer);
        if (n <= 0) break;  // EIO once the child has gone
        screen.append(buffer, static_cast<std::size_t>(n));
    }
    close(master);
    CHECK(dossier::test::wait_exit(pid) == 0);
    INFO(screen);
    const std::string clear = "\r\033[K";
    REQUIRE(screen.find(clear + "[1/3]") != std::string::npos);
    // Each live line: from a clear to the next clear, never wider than 29 columns.
    std::size_t at = 0;
    int live = 0;
    while ((at = screen.find(clear, at)) != std::string::npos) {
        at += clear.size();
        std::size_t end = std::min(screen.find(clear, at), screen.find('\n', at));
        std::string drawn =
            screen.substr(at, end == std::string::npos ? std::string::npos : end - at);
        if (drawn.rfind("[", 0) != 0) continue;
        ++live;
        CHECK(drawn.size() <= 29);
    }
    CHECK(live == 3);
}

TEST_CASE("batch JSON is valid whatever the file names, and the owner is kept exactly") {
    TempDir dir;
    dossier::test::write_expert(dir, "cases");
    dir.write("cases/case-\xff.yaml", example_case("U-1"));
    dir.write("cases/case-\xfe.yaml", example_case("U-2"));
    std::string out = dir.path() + "/out";
    Run r = run(cli("batch " + dir.path() + "/cases -o " + out));
    INFO(r.out);
    REQUIRE(r.status == 0);
    Json summary = summary_of(out);
    REQUIRE(summary.is_object());
    CHECK(summary["ok"] == true);
    CHECK(summary["cases"][0]["input"].get<std::string>().find("case-\xEF\xBF\xBD.yaml") !=
          std::string::npos);
    std::istringstream lines(read_file(out + "/.dossier-manifest"));
    std::string line;
    std::set<std::string> owners;
    while (std::getline(lines, line)) {
        Json j = Json::parse(line, nullptr, false);
        REQUIRE(j.is_object());
        owners.insert(j["input"].get<std::string>());
    }
    CHECK(owners.size() == 2);  // not both "case-\uFFFD.yaml"
    CHECK(owners.count(fs::canonical(dir.path()).string() + "/cases/case-\\xff.yaml") == 1);
    CHECK(counts(run(cli("batch " + dir.path() + "/cases -o " + out))) ==
          "batch: 0 rendered, 2 unchanged, 0 failed");
}

TEST_CASE("a batch never writes a report over one of its inputs") {
    TempDir dir;
    std::string cases = make_cases(dir, 2);
    std::string out = dir.path() + "/out";
    fs::create_directories(out);
    std::string before = read_file(cases + "/case-001.yaml");
    fs::create_symlink(cases + "/case-001.yaml", out + "/B-1.pdf");
    Run r = run(cli("batch " + cases + " -o " + out));
    INFO(r.out);
    CHECK(r.status == 1);
    CHECK(counts(r) == "batch: 1 rendered, 0 unchanged, 1 failed");
    CHECK(read_file(cases + "/case-001.yaml") == before);
    CHECK(status_of(summary_of(out), "case-001.yaml") == "failed");
}

TEST_CASE("a sample batch's summary and manifest name no applicant") {
    TempDir dir;
    dossier::test::write_expert(dir, "cases");
    dir.write("cases/farhod-rajabov.yaml", example_case("TJ-2026-014"));
    // a case that does not load: its identity is unknown, so its record says nothing of it
    dir.write("cases/rajabov-appeal.yaml",
              std::regex_replace(example_case("TJ-2026-015"), std::regex("gender: male"),
                                 "gender: mail"));
    std::string out = dir.path() + "/out";
    Run r = run(cli("batch --sample " + dir.path() + "/cases -o " + out));
    INFO(r.out);
    CHECK(r.status == 1);
    CHECK(counts(r) == "batch: 1 rendered, 0 unchanged, 1 failed");
    std::set<std::string> pdfs = pdfs_in(out);
    REQUIRE(pdfs.size() == 1);
    CHECK(std::regex_match(*pdfs.begin(), std::regex("SAMPLE-[0-9A-F]{12}\\.pdf")));
    for (const char* file : {"/summary.json", "/.dossier-manifest"}) {
        std::string text = read_file(out + file);
        std::transform(text.begin(), text.end(), text.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        INFO(file << ": " << text);
        for (const char* secret : {"rajabov", "farhod", "tj-2026-01", "1994-05-12", "12 may 1994"})
            CHECK(text.find(secret) == std::string::npos);
    }
    Json summary = summary_of(out);
    REQUIRE(summary.is_object());
    CHECK(summary["cases"].size() == 2);
    CHECK(summary["cases"][0]["status"] == "rendered");
    CHECK(summary["cases"][1]["status"] == "failed");
    CHECK(summary["cases"][1]["input"].get<std::string>().find("withheld") != std::string::npos);
}
