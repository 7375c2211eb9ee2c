// Reading inputs: only regular files within their bound, refusals with their reason; the
// escapes yaml-cpp decodes wrongly; numbers a double cannot hold; whose lines are shown.
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>

#include "../support/temp_files.hpp"
#include "load/load.hpp"
#include "load/yaml_reader.hpp"
#include "model/file_bytes.hpp"

using namespace dossier;
using dossier::test::TempDir;
namespace fs = std::filesystem;

namespace {

std::string messages(const Diagnostics& ds) {
    std::string out;
    for (const Diagnostic& d : ds) out += format_diagnostic(d);
    return out;
}

std::optional<Value> yaml(const std::string& text, Diagnostics& ds) {
    return load::read_yaml("t.yaml", text, ds);
}

// The text of `key` in the map `text` parses to, or "(error)".
std::string scalar(const std::string& text, const std::string& key = "a") {
    Diagnostics ds;
    auto v = yaml(text, ds);
    if (!v || !ds.empty()) return "(error) " + messages(ds);
    const Value* x = v->find(key);
    return x ? x->text : "(none)";
}

bool valid_utf8(const std::string& s) {
    Diagnostics ignored;
    return load::check_utf8("", s, ignored);
}

}  // namespace

TEST_CASE("read_regular_file: a missing file says why") {
    TempDir dir;
    FileProblem p;
    CHECK_FALSE(read_regular_file(dir.path() + "/nothing.yaml", 1 << 20, p));
    CHECK(p.code == "file.unreadable");
    CHECK(p.message == "cannot read file: No such file or directory");
    CHECK(p.reason == "No such file or directory");
}

TEST_CASE("read_regular_file: a directory is a directory, not a huge file") {
    TempDir dir;
    FileProblem p;
    CHECK_FALSE(read_regular_file(dir.path(), 1 << 20, p));
    CHECK(p.code == "file.not-regular");
    CHECK(p.message == "is a directory, not a regular file");
}

TEST_CASE("read_regular_file: a FIFO is refused at once, never read") {
    TempDir dir;
    std::string fifo = dir.path() + "/case.yaml";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    auto start = std::chrono::steady_clock::now();
    FileProblem p;
    CHECK_FALSE(read_regular_file(fifo, 1 << 20, p));
    CHECK(p.message == "is a FIFO, not a regular file");
    FileBytes bytes(fifo);
    CHECK_FALSE(bytes.opened());
    CHECK(bytes.problem().message == "is a FIFO, not a regular file");
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
}

TEST_CASE("read_regular_file: a device is refused (a node made in a temporary folder)") {
    TempDir dir;
    std::string zero = dir.path() + "/zero";
    if (::mknod(zero.c_str(), S_IFCHR | 0600, makedev(1, 5)) != 0) {
        WARN("mknod is not permitted here (not root?): skipped");
        return;
    }
    FileProblem p;
    CHECK_FALSE(read_regular_file(zero, 1 << 20, p));
    CHECK(p.message == "is a character device, not a regular file");
    // A symlink to it is the device too.
    fs::create_symlink(zero, dir.path() + "/expert.yaml");
    CHECK_FALSE(read_regular_file(dir.path() + "/expert.yaml", 1 << 20, p));
    CHECK(p.message == "is a character device, not a regular file");
}

TEST_CASE("read_regular_file: the size bound is checked before reading - symlinks followed") {
    TempDir dir;
    std::string big = dir.write("big.yaml", std::string(2000, 'x'));
    FileProblem p;
    CHECK_FALSE(read_regular_file(big, 1000, p));
    CHECK(p.code == "file.too-large");
    CHECK(p.message == "file is too large: 2000 bytes; the limit is 1000");
    CHECK(p.reason == "it is 2000 bytes; the limit is 1000");
    fs::create_symlink(big, dir.path() + "/link.yaml");
    auto text = read_regular_file(dir.path() + "/link.yaml", 4000, p);
    REQUIRE(text);
    CHECK(text->size() == 2000);
}

TEST_CASE("load_case: the expert profile's read problem is reported with its reason") {
    TempDir dir;
    std::string c = dir.write("case.yaml", "dossier: 1\nreference: X-1\nexpert: experts\n");
    fs::create_directories(dir.path() + "/experts");
    Diagnostics ds;
    CHECK_FALSE(load::load_case(c, {2026, 1, 1}, load::Schemas{}, nullptr, ds));
    CHECK(messages(ds).find(":3:9: error: expert: cannot read the expert profile \"" + dir.path() +
                            "/experts\": it is a directory, not a regular file") !=
          std::string::npos);
    dir.write("case.yaml", "dossier: 1\nreference: X-1\nexpert: nobody.yaml\n");
    ds.clear();
    CHECK_FALSE(load::load_case(c, {2026, 1, 1}, load::Schemas{}, nullptr, ds));
    CHECK(messages(ds).find("nobody.yaml\": No such file or directory") != std::string::npos);
}

TEST_CASE("load_schemas and load_library: unreadable files say why") {
    TempDir dir;
    Diagnostics ds;
    load::load_schemas(dir.path(), ds);
    CHECK(messages(ds).find("case.schema.json: error: cannot read file: No such file or "
                            "directory") != std::string::npos);
    // A clause that is a dangling symlink, and one that is a FIFO: reported, not skipped.
    dir.write("pack/report.yaml", "sections: []\n");
    fs::create_symlink(dir.path() + "/gone.md", dir.path() + "/pack/dangling.md");
    REQUIRE(::mkfifo((dir.path() + "/pack/fifo.md").c_str(), 0600) == 0);
    ds.clear();
    load::load_library(dir.path() + "/pack", {}, load::Schemas{}, ds);
    std::string m = messages(ds);
    CHECK(m.find("dangling.md: error: cannot read file: No such file or directory") !=
          std::string::npos);
    CHECK(m.find("fifo.md: error: is a FIFO, not a regular file") != std::string::npos);
}

TEST_CASE("YAML escapes \\_ and \\N come out as valid UTF-8") {
    // yaml-cpp 0.7 decodes them to the single bytes 0xA0 and 0x85.
    CHECK(scalar(R"(a: "x\_y")") == "x\xC2\xA0y");
    CHECK(scalar(R"(a: "\N")") == "\xC2\x85");
    CHECK(scalar(R"(a: "é\_é\Nü")") == "é\xC2\xA0é\xC2\x85ü");
    CHECK(scalar(R"("k\_": 1)", "k\xC2\xA0") == "1");  // keys too
    CHECK(valid_utf8(scalar(R"(a: "\x85\xA0\u00A0")")));
}

TEST_CASE("a surrogate pair written as two \\u escapes is one character") {
    CHECK(scalar(R"(a: "\ud83d\ude00")") == "\xF0\x9F\x98\x80");
    CHECK(scalar(R"(a: "x\uD83D\uDE00y\ud83d\ude01")") == "x😀y😁");
    // Literal text elsewhere stays as written: a plain scalar, single quotes, a block, a
    // comment, and an escaped backslash.
    CHECK(scalar(R"(a: x\ud83d\ude00)") == R"(x\ud83d\ude00)");
    CHECK(scalar(R"(a: '\ud83d')") == R"(\ud83d)");
    CHECK(scalar("a: |\n  \\ud83d\\ude00\nb: \"\\ud83d\\ude00\"\n") == "\\ud83d\\ude00\n");
    CHECK(scalar("a: |\n  \\ud83d\\ude00\nb: \"\\ud83d\\ude00\"\n", "b") == "😀");
    CHECK(scalar("# \\ud83d\na: \"\\\\ud83d\"\n") == R"(\ud83d)");
}

TEST_CASE("positions after a joined pair are those of the file") {
    Diagnostics ds;
    yaml(R"({a: "\ud83d\ude00\ud83d\ude00", a: 1})", ds);
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].code == "yaml.duplicate-key");
    CHECK(ds[0].span.column == 33);
    ds.clear();
    yaml("x: 1\nb: [\"\\ud83d\\ude00\", 1e400]\n", ds);
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].span.line == 2);
    CHECK(ds[0].span.column == 21);
}

TEST_CASE("a lone surrogate escape is an error at its position") {
    Diagnostics ds;
    CHECK_FALSE(yaml("a: 1\nb: \"ok \\ud83d then\"\n", ds));
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].code == "yaml.lone-surrogate");
    CHECK(ds[0].span.line == 2);
    CHECK(ds[0].span.column == 8);
    CHECK(ds[0].message.find("\"\\ud83d\" is half of a UTF-16 surrogate pair") == 0);
    ds.clear();
    CHECK_FALSE(yaml(R"(a: "\ude00\ud83d")", ds));  // the wrong order: two lone halves
    CHECK(ds.size() == 2);
    // Read on past it when asked, with the rest of the tree.
    ds.clear();
    load::ReadLimits partial;
    partial.partial = true;
    auto v = load::read_yaml("t.yaml", "a: \"\\udc00\"\nb: 2\n", ds, 1, partial);
    REQUIRE(v);
    CHECK(ds.size() == 1);
    CHECK(valid_utf8(v->find("a")->text));
    CHECK(v->find("b")->number == 2);
}

TEST_CASE("a number a double cannot hold is an error where it is written") {
    Diagnostics ds;
    CHECK_FALSE(yaml("facts:\n  detention_count: 1e400\n", ds));
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].code == "yaml.number-range");
    CHECK(ds[0].message ==
          "facts.detention_count: 1e400 is too large to be read as a number (quote it if it is "
          "text)");
    CHECK(ds[0].span.line == 2);
    CHECK(ds[0].span.column == 20);
    ds.clear();
    CHECK_FALSE(yaml("a: -1e400\n", ds));
    ds.clear();
    CHECK_FALSE(yaml("a: 1e-400\n", ds));
    CHECK(messages(ds).find("1e-400 is too close to zero") != std::string::npos);
    ds.clear();
    CHECK(yaml("a: 1.7e308\nb: \"1e400\"\n", ds));
    CHECK(ds.empty());
}

TEST_CASE("echo rule: lines of files outside the case's folder are not shown") {
    TempDir outside, cases;
    // passwd-like content: YAML up to its third line, which is a syntax error.
    std::string secret =
        outside.write("passwd", "root:x:0:0:root:/root:/bin/bash\nsecret: hunter2\nmore: [1, 2\n");
    std::string inside_profile = cases.write("experts/broken.yaml", "name: X\nmore: [1, 2\n");
    std::string c = cases.write("case.yaml", "dossier: 1\nexpert: " + secret + "\n");
    Diagnostics ds;
    load::load_case(c, {2026, 1, 1}, load::Schemas{}, nullptr, ds);
    REQUIRE_FALSE(ds.empty());
    CHECK(ds.front().span.file == secret);
    CHECK(load::source_line(secret, 1).empty());
    CHECK(load::source_line(secret, 2).empty());
    CHECK(load::source_line(c, 2) == "expert: " + secret);  // the case file itself is shown

    // The same profile reached through a symlink inside the folder is still outside.
    fs::create_symlink(secret, cases.path() + "/experts/link.yaml");
    cases.write("case.yaml", "dossier: 1\nexpert: experts/link.yaml\n");
    ds.clear();
    load::load_case(c, {2026, 1, 1}, load::Schemas{}, nullptr, ds);
    CHECK(load::source_line(cases.path() + "/experts/link.yaml", 1).empty());

    // A broken profile in the case's own folder is shown.
    cases.write("case.yaml", "dossier: 1\nexpert: experts/broken.yaml\n");
    ds.clear();
    load::load_case(c, {2026, 1, 1}, load::Schemas{}, nullptr, ds);
    CHECK(load::source_line(inside_profile, 2) == "more: [1, 2");

    // Text that does not begin as a YAML map, even in the case's folder, is not shown.
    std::string statement = cases.write("statement.txt", "My name is Test Person.\nI was: held\n");
    cases.write("case.yaml", "dossier: 1\nexpert: statement.txt\n");
    ds.clear();
    load::load_case(c, {2026, 1, 1}, load::Schemas{}, nullptr, ds);
    CHECK_FALSE(ds.empty());
    CHECK(load::source_line(statement, 2).empty());
}

TEST_CASE("echo rule: a clause that is a symlink to a file elsewhere is not shown") {
    TempDir outside, lib;
    std::string elsewhere = outside.write("private.md", "---\nid: x.a\nsecret: [1\n---\nBody\n");
    lib.write("pack/report.yaml", "sections: []\n");
    std::string own = lib.write("pack/x/own.md", "---\nid: x.b\nbroken: [1\n---\nBody\n");
    fs::create_symlink(elsewhere, lib.path() + "/pack/x/linked.md");
    Diagnostics ds;
    load::load_library(lib.path() + "/pack", {}, load::Schemas{}, ds);
    CHECK(ds.size() == 2);
    CHECK(load::source_line(lib.path() + "/pack/x/linked.md", 3).empty());
    CHECK(load::source_line(own, 3) == "broken: [1");
}
