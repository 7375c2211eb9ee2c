// Files and outputs (DESIGN.md): what `dossier render -o` does with whatever is at the output
// path, which inputs it reads, whose lines its diagnostics show, where passwords come from,
// SOURCE_DATE_EPOCH, and that the JSON output is valid UTF-8. Device nodes are made with
// mknod inside a temporary folder (never the machine's /dev), FIFOs with mkfifo.
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "../support/process.hpp"
#include "../support/temp_files.hpp"

using dossier::test::read_file;
using dossier::test::run;
using dossier::test::Run;
using dossier::test::TempDir;
namespace fs = std::filesystem;

namespace {

std::string cli(const std::string& args) { return std::string(DOSSIER_BINARY) + " " + args; }

// A copy of the example case and its experts folder in a temporary folder, so that outputs
// can be pointed at its files.
struct CaseDir {
    TempDir dir;
    std::string case_path, expert_path;
    CaseDir() {
        fs::copy(DOSSIER_SOURCE_DIR "/examples/experts", dir.path() + "/experts",
                 fs::copy_options::recursive);
        case_path =
            dir.write("case.yaml", read_file(DOSSIER_SOURCE_DIR "/examples/tajikistan-lgbt.yaml"));
        expert_path = dir.path() + "/experts/example-expert.yaml";
    }
    std::string path(const std::string& name) const { return dir.path() + "/" + name; }
    // The case file with `from` replaced by `to` (the first occurrence), written as `name`.
    std::string variant(const std::string& name, const std::string& from,
                        const std::string& to) const {
        std::string text = read_file(case_path);
        auto at = text.find(from);
        REQUIRE(at != std::string::npos);
        text.replace(at, from.size(), to);
        return dir.write(name, text);
    }
};

// `dossier ARGS` with a time limit, in `shell_prefix`'s environment (umask, variables).
Run run_dossier(const std::string& args, const std::string& shell_prefix = "") {
    return run(shell_prefix + " timeout 60 " + cli(args));
}

unsigned mode_of(const std::string& path) {
    struct stat st;
    REQUIRE(::lstat(path.c_str(), &st) == 0);
    return st.st_mode & 07777;
}

bool make_node(const std::string& path, unsigned major, unsigned minor) {
    if (::mknod(path.c_str(), S_IFCHR | 0666, makedev(major, minor)) == 0) return true;
    WARN("mknod is not permitted here (not root?): device-node cases skipped");
    return false;
}

bool is_pdf(const std::string& bytes) { return bytes.rfind("%PDF-", 0) == 0; }

}  // namespace

TEST_CASE("files: a new report has the mode the umask gives") {
    CaseDir c;
    for (auto [umask, mode] : {std::pair{"077", 0600u}, {"022", 0644u}, {"002", 0664u}}) {
        std::string out = c.path(std::string("report-") + umask + ".pdf");
        Run r = run_dossier("render " + c.case_path + " -o " + out,
                            std::string("umask ") + umask + ";");
        INFO(r.out);
        REQUIRE(r.status == 0);
        CHECK(mode_of(out) == mode);
    }
}

TEST_CASE("files: a replaced report keeps its mode and owner") {
    CaseDir c;
    std::string out = c.dir.write("report.pdf", "earlier report");
    REQUIRE(::chmod(out.c_str(), 0600) == 0);
    bool root = ::geteuid() == 0;
    if (root) REQUIRE(::chown(out.c_str(), 12345, 23456) == 0);
    Run r = run_dossier("render " + c.case_path + " -o " + out, "umask 022;");
    INFO(r.out);
    REQUIRE(r.status == 0);
    CHECK(is_pdf(read_file(out)));
    CHECK(mode_of(out) == 0600);
    if (root) {
        struct stat st;
        REQUIRE(::stat(out.c_str(), &st) == 0);
        CHECK(st.st_uid == 12345u);
        CHECK(st.st_gid == 23456u);
    }
    // No temporary file is left beside it.
    for (const auto& e : fs::directory_iterator(c.dir.path()))
        CHECK(e.path().filename().string().find(".tmp-") == std::string::npos);
}

TEST_CASE("files: -o onto an input of the run is refused and the input is untouched") {
    CaseDir c;
    // A data folder of our own (clauses, schemas, fonts), so that a failure here could only
    // damage copies.
    const std::string data = c.path("data");
    fs::create_directories(data);
    for (const char* part : {"clauses", "schemas", "fonts"})
        fs::copy(std::string(DOSSIER_SOURCE_DIR "/") + part, data + "/" + part,
                 fs::copy_options::recursive);
    const std::string env = "DOSSIER_DATA_DIR=" + data;
    const std::string clause = data + "/clauses/tj/police-campaigns.md";
    const std::string font = data + "/fonts/LiberationSerif-Regular.ttf";
    const std::string schema = data + "/schemas/case.schema.json";
    fs::create_symlink(c.case_path, c.path("case-link.yaml"));
    fs::create_hard_link(c.expert_path, c.path("expert-hard-link.yaml"));
    std::vector<std::string> inputs = {c.case_path, c.expert_path, clause, font, schema};
    std::vector<std::string> before;
    for (const std::string& f : inputs) before.push_back(read_file(f));
    for (const std::string& target :
         {c.case_path, c.expert_path, c.path("experts/../case.yaml"), c.path("case-link.yaml"),
          c.path("expert-hard-link.yaml"), clause, font, schema}) {
        Run r = run_dossier("render " + c.case_path + " -o " + target, env);
        INFO(target << "\n" << r.out);
        CHECK(r.status == 1);
        CHECK(r.out.find("input") != std::string::npos);
        for (std::size_t i = 0; i < inputs.size(); ++i) CHECK(read_file(inputs[i]) == before[i]);
    }
    CHECK(fs::is_symlink(c.path("case-link.yaml")));
}

TEST_CASE("files: -o onto a device node writes in place and reports its errors") {
    CaseDir c;
    std::string null = c.path("null"), full = c.path("full");
    if (!make_node(null, 1, 3) || !make_node(full, 1, 7)) return;
    Run r = run_dossier("render " + c.case_path + " -o " + null);
    INFO(r.out);
    CHECK(r.status == 0);
    CHECK(fs::is_character_file(null));
    r = run_dossier("render " + c.case_path + " -o " + full);
    INFO(r.out);
    CHECK(r.status == 1);
    CHECK(r.out.find("full: error: cannot write " + full + ": No space left on device") !=
          std::string::npos);
    CHECK(fs::is_character_file(full));
}

TEST_CASE("files: -o onto a FIFO writes to its reader and leaves the FIFO") {
    CaseDir c;
    std::string fifo = c.path("pipe.pdf"), got = c.path("got.pdf"), plain = c.path("plain.pdf");
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    REQUIRE(run_dossier("render " + c.case_path + " -o " + plain).status == 0);
    Run r = run("(timeout 60 cat " + fifo + " > " + got + " &) ; timeout 60 " +
                cli("render " + c.case_path + " -o " + fifo) + " 2>&1; sleep 0.2");
    INFO(r.out);
    CHECK(r.out.find("wrote " + fifo) != std::string::npos);
    CHECK(fs::is_fifo(fifo));
    CHECK(read_file(got) == read_file(plain));
}

TEST_CASE("files: -o onto a directory is an error") {
    CaseDir c;
    fs::create_directories(c.path("out"));
    Run r = run_dossier("render " + c.case_path + " -o " + c.path("out"));
    CHECK(r.status == 1);
    CHECK(r.out.find("it is a directory") != std::string::npos);
    CHECK(fs::is_empty(c.path("out")));
}

TEST_CASE("files: -o onto a symlink writes through to its target and keeps the link") {
    CaseDir c;
    std::string target = c.dir.write("reports/real.pdf", "earlier");
    REQUIRE(::chmod(target.c_str(), 0640) == 0);
    fs::create_symlink("reports/real.pdf", c.path("link.pdf"));
    Run r = run_dossier("render " + c.case_path + " -o " + c.path("link.pdf"));
    INFO(r.out);
    REQUIRE(r.status == 0);
    CHECK(fs::is_symlink(c.path("link.pdf")));
    CHECK(fs::read_symlink(c.path("link.pdf")) == "reports/real.pdf");
    CHECK(is_pdf(read_file(target)));
    CHECK(mode_of(target) == 0640);
    // A dangling link: its target is created.
    fs::create_symlink("reports/new.pdf", c.path("dangling.pdf"));
    REQUIRE(run_dossier("render " + c.case_path + " -o " + c.path("dangling.pdf")).status == 0);
    CHECK(fs::is_symlink(c.path("dangling.pdf")));
    CHECK(is_pdf(read_file(c.path("reports/new.pdf"))));
}

TEST_CASE("files: -o - writes the PDF, and nothing else, to standard output") {
    CaseDir c;
    std::string out = c.path("stdout.pdf"), err = c.path("stderr.txt"), file = c.path("file.pdf");
    REQUIRE(run_dossier("render " + c.case_path + " -o " + file).status == 0);
    Run r = run("timeout 60 " + cli("render " + c.case_path + " -o - > " + out + " 2> " + err) +
                "; echo $?");
    CHECK(r.out == "0\n");
    CHECK(read_file(out) == read_file(file));  // unencrypted output is byte-identical
    CHECK(read_file(err).find("wrote the PDF to standard output") != std::string::npos);
}

TEST_CASE("inputs: FIFOs, devices, directories and missing files are refused with the reason") {
    CaseDir c;
    std::string fifo = c.path("fifo.yaml");
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    Run r = run_dossier("check " + fifo);
    INFO(r.out);
    CHECK(r.status == 1);
    CHECK(r.out.find("fifo.yaml: error: is a FIFO, not a regular file") != std::string::npos);

    std::string with_fifo =
        c.variant("fifo-expert.yaml", "experts/example-expert.yaml", "fifo.yaml");
    r = run_dossier("check " + with_fifo);
    INFO(r.out);
    CHECK(r.status == 1);
    CHECK(r.out.find("expert: cannot read the expert profile \"" + fifo +
                     "\": it is a FIFO, not a regular file") != std::string::npos);

    if (make_node(c.path("zero"), 1, 5)) {
        std::string with_zero =
            c.variant("zero-expert.yaml", "experts/example-expert.yaml", "zero");
        r = run_dossier("check " + with_zero);
        INFO(r.out);
        CHECK(r.status == 1);
        CHECK(r.out.find("it is a character device, not a regular file") != std::string::npos);
    }

    r = run_dossier("check " + c.path("experts"));
    CHECK(r.status == 1);
    CHECK(r.out.find("experts: error: is a directory, not a regular file") != std::string::npos);
    CHECK(r.out.find("too large") == std::string::npos);

    r = run_dossier("check " + c.path("nobody.yaml"));
    CHECK(r.status == 1);
    CHECK(r.out.find("nobody.yaml: error: cannot read file: No such file or directory") !=
          std::string::npos);
}

TEST_CASE("diagnostics do not echo the lines of files outside the case") {
    CaseDir c;
    TempDir elsewhere;
    // Like /etc/passwd: YAML for two lines, then a syntax error on the third.
    std::string passwd = elsewhere.write(
        "passwd", "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1::/usr/sbin\nhunter2: secret\n");
    std::string with_passwd =
        c.variant("passwd-expert.yaml", "experts/example-expert.yaml", passwd);
    Run r = run_dossier("check " + with_passwd);
    INFO(r.out);
    CHECK(r.status == 1);
    CHECK(r.out.find(passwd + ":3:") != std::string::npos);  // the problem, where it is
    CHECK(r.out.find("hunter2") == std::string::npos);
    CHECK(r.out.find("root:x:0:0") == std::string::npos);

    // A clause pack whose clause is a symlink to a file elsewhere.
    std::string secret_clause =
        elsewhere.write("notes.md", "---\nid: x.notes\nsection: summary\nhunter2: [\n---\nBody\n");
    fs::create_directories(c.path("pack/x"));
    fs::create_symlink(secret_clause, c.path("pack/x/notes.md"));
    r = run_dossier("check " + c.case_path + " --clauses " + c.path("pack"));
    INFO(r.out);
    CHECK(r.status == 1);
    CHECK(r.out.find("notes.md:") != std::string::npos);
    CHECK(r.out.find("hunter2") == std::string::npos);

    // The same mistake in the case's own folder is shown with its line.
    c.dir.write("experts/broken.yaml", "hunter2: 1\nhunter2: 2\n");
    std::string with_broken =
        c.variant("broken-expert.yaml", "experts/example-expert.yaml", "experts/broken.yaml");
    r = run_dossier("check " + with_broken);
    INFO(r.out);
    CHECK(r.out.find("broken.yaml:2:1: error: duplicate key") != std::string::npos);
    CHECK(r.out.find("  hunter2: 2") != std::string::npos);
}

TEST_CASE("passwords: an empty password is an error and writes nothing") {
    CaseDir c;
    std::string out = c.path("locked.pdf");
    std::string empty = c.dir.write("empty.txt", "\n");
    REQUIRE(::chmod(empty.c_str(), 0600) == 0);
    for (const auto& [prefix, args] : {std::pair<std::string, std::string>{"", "--password ''"},
                                       {"", "--password-file " + empty},
                                       {"DOSSIER_PASSWORD= ", ""},
                                       {"", "--password-file - < " + empty}}) {
        Run r = run_dossier("render " + c.case_path + " -o " + out + " " + args, prefix);
        INFO(args << "\n" << r.out);
        CHECK(r.status == 1);
        CHECK(r.out.find("is empty") != std::string::npos);
        CHECK_FALSE(fs::exists(out));
    }
}

TEST_CASE("passwords: from a file (its first line), the environment or the command line") {
    CaseDir c;
    std::string pw = c.dir.write("pw.txt", "correct horse\nsecond line\n");
    REQUIRE(::chmod(pw.c_str(), 0600) == 0);
    std::string out = c.path("file.pdf");
    Run r = run_dossier("render " + c.case_path + " -o " + out + " --password-file " + pw);
    INFO(r.out);
    REQUIRE(r.status == 0);
    CHECK(r.out.find("warning") == std::string::npos);
    CHECK(run("qpdf --check " + out).status != 0);
    CHECK(run("qpdf --password='correct horse' --check " + out).status == 0);

    r = run_dossier("render " + c.case_path + " -o " + c.path("env.pdf"),
                    "DOSSIER_PASSWORD=batterystaple");
    REQUIRE(r.status == 0);
    CHECK(run("qpdf --password=batterystaple --check " + c.path("env.pdf")).status == 0);

    r = run_dossier("render " + c.case_path + " -o " + c.path("arg.pdf") + " --password s3cret");
    REQUIRE(r.status == 0);
    CHECK(r.out.find("warning: --password: other users of this machine can read the password") !=
          std::string::npos);
    CHECK(run("qpdf --password=s3cret --check " + c.path("arg.pdf")).status == 0);

    // A password file others can read is a warning; a FIFO is refused like any input.
    REQUIRE(::chmod(pw.c_str(), 0644) == 0);
    r = run_dossier("render " + c.case_path + " -o " + c.path("readable.pdf") +
                    " --password-file " + pw);
    CHECK(r.status == 0);
    CHECK(r.out.find("other users can read this file (mode 0644)") != std::string::npos);
    REQUIRE(::mkfifo(c.path("pw.fifo").c_str(), 0600) == 0);
    r = run_dossier("render " + c.case_path + " -o " + c.path("fifo.pdf") + " --password-file " +
                    c.path("pw.fifo"));
    CHECK(r.status == 1);
    CHECK(r.out.find("is a FIFO, not a regular file") != std::string::npos);
    CHECK_FALSE(fs::exists(c.path("fifo.pdf")));

    // --encrypt with no password and no terminal: an error, not an unencrypted report.
    r = run_dossier("render " + c.case_path + " -o " + c.path("none.pdf") +
                    " --encrypt < /dev/null");
    CHECK(r.status == 1);
    CHECK_FALSE(fs::exists(c.path("none.pdf")));
    // Two ways at once is a usage error.
    CHECK(
        run_dossier("render " + c.case_path + " --password-file " + pw + " --password x").status ==
        2);
}

TEST_CASE("passwords: the prompt reads from the terminal with echo off") {
    if (run("python3 -c 'import pty'").status != 0) {
        WARN("python3 is not available: prompt not tested");
        return;
    }
    CaseDir c;
    std::string out = c.path("typed.pdf");
    // A pseudo-terminal: the password typed twice; what the terminal shows is printed.
    std::string script = c.dir.write("type_password.py", R"(import os, pty, sys, time
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
seen = b""
def wait_for(text):
    global seen
    while text not in seen:
        seen += os.read(fd, 1024)
wait_for(b"Password for the PDF: ")
os.write(fd, sys.stdin.readline().encode())
if sys.stdin.readable():
    line = sys.stdin.readline()
    if line:
        wait_for(b"again: ")
        os.write(fd, line.encode())
try:
    while True:
        chunk = os.read(fd, 1024)
        if not chunk: break
        seen += chunk
except OSError:
    pass
_, status = os.waitpid(pid, 0)
sys.stdout.write(seen.decode(errors="replace"))
sys.stdout.write("\nexit %d\n" % os.waitstatus_to_exitcode(status))
)");
    Run r = run("printf 'tr0ub4dor\\ntr0ub4dor\\n' | timeout 60 python3 " + script + " " +
                DOSSIER_BINARY + " render " + c.case_path + " -o " + out + " --password-prompt");
    INFO(r.out);
    CHECK(r.out.find("exit 0") != std::string::npos);
    CHECK(r.out.find("tr0ub4dor") == std::string::npos);  // never echoed
    CHECK(run("qpdf --password=tr0ub4dor --check " + out).status == 0);

    r = run("printf 'one\\ntwo\\n' | timeout 60 python3 " + script + " " + DOSSIER_BINARY +
            " render " + c.case_path + " -o " + c.path("differ.pdf") + " --encrypt");
    INFO(r.out);
    CHECK(r.out.find("the two passwords differ") != std::string::npos);
    CHECK(r.out.find("exit 1") != std::string::npos);
    CHECK_FALSE(fs::exists(c.path("differ.pdf")));
}

TEST_CASE("SOURCE_DATE_EPOCH must be a number of seconds") {
    CaseDir c;
    for (const char* bad : {"abc", "1e9", "-5", "99999999999999", ""}) {
        Run r = run_dossier("render " + c.case_path + " -o " + c.path("dated.pdf"),
                            std::string("SOURCE_DATE_EPOCH='") + bad + "'");
        INFO(bad << "\n" << r.out);
        CHECK(r.status == 1);
        CHECK(r.out.find("SOURCE_DATE_EPOCH=\"" + std::string(bad) + "\" is not a number") !=
              std::string::npos);
        CHECK_FALSE(fs::exists(c.path("dated.pdf")));
    }
    CHECK(run_dossier("check " + c.case_path, "SOURCE_DATE_EPOCH=1763596800").status == 0);
}

TEST_CASE("check --json and explain --json are valid JSON in UTF-8, in their fixed shapes") {
    CaseDir c;
    // "\_" is U+00A0, which yaml-cpp 0.7 gives as a lone byte 0xA0; the error quotes it.
    std::string bad = c.variant("nbsp.yaml", "gender: male", "gender: \"ma\\_le\"");
    std::string json = c.path("check.json");
    run(cli("check --json " + bad + " > " + json));
    std::string python =
        "python3 -c 'import json,sys; d=json.load(open(sys.argv[1], encoding=\"utf-8\", "
        "errors=\"strict\")); ";
    Run r = run(python +
                "m=[x[\"message\"] for x in d[\"diagnostics\"]]; "
                "print(d[\"ok\"], sorted(d[\"diagnostics\"][0]), "
                "any(\"ma\\u00a0le\" in x for x in m))' " +
                json);
    INFO(read_file(json) << r.out);
    CHECK(r.status == 0);
    CHECK(r.out == "False ['column', 'file', 'line', 'message', 'severity'] True\n");
    CHECK(read_file(json).rfind("{\"ok\": false, \"diagnostics\": [{\"file\": ", 0) == 0);

    run(cli("explain --json " + c.case_path + " > " + json));
    r = run(python + "print(sorted(d), sorted(d[\"clauses\"][0]))' " + json);
    CHECK(r.out == "['clauses', 'reference'] ['id', 'included', 'reason', 'section']\n");
    run(cli("explain --json --missing " + c.case_path + " > " + json));
    r = run(python + "print(sorted(d))' " + json);
    CHECK(r.out == "['missing', 'reference']\n");
}
