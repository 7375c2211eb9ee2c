// Acceptance test for clause packs written outside the built-in library: the real `dossier`
// binary with `--clauses` pointing at the fixtures in tests/packs/ (a small Moldova pack, a pack
// that reuses a built-in id, and a broken pack), checked on its exact output.
#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "../support/process.hpp"
#include "../support/temp_files.hpp"

using dossier::test::Run;
using dossier::test::join_soft_hyphens;
using dossier::test::pdf_text;
using dossier::test::TempDir;

// stdout alone when `with_stderr` is false.
Run run(const std::string& command, bool with_stderr = true) {
    return dossier::test::run(command, !with_stderr);
}

namespace {

const std::string kSource = DOSSIER_SOURCE_DIR;
const std::string kPacks = kSource + "/tests/packs";

// The binary, told explicitly where its data is so that the built-in paths it prints are known.
std::string cli(const std::string& args) {
    return "DOSSIER_DATA_DIR=" + kSource + " " + std::string(DOSSIER_BINARY) + " " + args;
}

// The `id:` of every clause file under `dir` (README.md is not a clause).
std::vector<std::string> clause_ids(const std::string& dir) {
    std::vector<std::string> ids;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
        if (e.path().extension() != ".md" || e.path().filename() == "README.md") continue;
        std::ifstream in(e.path());
        std::string line;
        while (std::getline(in, line))
            if (line.rfind("id: ", 0) == 0) {
                ids.push_back(line.substr(4));
                break;
            }
    }
    return ids;
}

struct Entry {
    std::string id, section, reason;
    bool included = false;
};

std::string unescape(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\' && i + 1 < s.size()) ++i;
        out += s[i];
    }
    return out;
}

// Parses the fixed `explain --json` shape, and fails unless the whole text is exactly that
// shape: {"reference": "...", "clauses": [{"id", "section", "included", "reason"}, ...]}.
std::vector<Entry> parse_explain(const std::string& json, std::string& reference) {
    const std::string str = R"re("((?:[^"\\]|\\.)*)")re";
    std::smatch m;
    std::regex head("^\\{\"reference\": " + str + ", \"clauses\": \\[");
    REQUIRE(std::regex_search(json, m, head));
    reference = unescape(m[1]);
    std::string rest = m.suffix();
    std::regex item("^\\{\"id\": " + str + ", \"section\": " + str +
                    ", \"included\": (true|false), \"reason\": " + str + "\\}(, )?");
    std::vector<Entry> entries;
    while (std::regex_search(rest, m, item)) {
        entries.push_back({unescape(m[1]), unescape(m[2]), unescape(m[4]), m[3] == "true"});
        bool more = m[5].matched;
        rest = m.suffix();
        if (!more) break;
    }
    CHECK(std::regex_match(rest, std::regex("^\\]\\}\\s*$")));
    return entries;
}

}  // namespace

TEST_CASE("explain --json with an external pack: every clause once, selection in report order") {
    Run r = run(cli("explain " + kPacks + "/cases/md-case.yaml --json --clauses " + kPacks + "/md"),
                false);
    INFO(r.out);
    REQUIRE(r.status == 0);
    std::string reference;
    std::vector<Entry> entries = parse_explain(r.out, reference);
    CHECK(reference == "MD-TEST-001");

    // every clause of the built-in library and of the pack, exactly once
    std::vector<std::string> expected = clause_ids(kSource + "/clauses");
    std::vector<std::string> pack = clause_ids(kPacks + "/md");
    CHECK(pack.size() == 5);
    expected.insert(expected.end(), pack.begin(), pack.end());
    std::sort(expected.begin(), expected.end());
    std::vector<std::string> listed;
    for (const Entry& e : entries) listed.push_back(e.id);
    std::vector<std::string> sorted = listed;
    std::sort(sorted.begin(), sorted.end());
    CHECK(std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end());
    CHECK(sorted == expected);

    // the included ones first, in report order; the rest after them by id
    auto first_out =
        std::find_if(entries.begin(), entries.end(), [](const Entry& e) { return !e.included; });
    CHECK(std::none_of(first_out, entries.end(), [](const Entry& e) { return e.included; }));
    CHECK(std::is_sorted(first_out, entries.end(),
                         [](const Entry& a, const Entry& b) { return a.id < b.id; }));
    std::vector<std::pair<std::string, std::string>> included;
    for (auto it = entries.begin(); it != first_out; ++it)
        included.emplace_back(it->id, it->section);
    // skeleton section, then `order`, then id: md.risk-on-return (order 5) comes before
    // generic.risk-on-return (10), md.conclusions (20) after generic.conclusions (10); the case
    // gives no range of opinion, so neither range-of-opinion clause is selected
    std::vector<std::pair<std::string, std::string>> want = {
        {"generic.summary", "summary"},
        {"generic.instructions", "instructions"},
        {"generic.instructions-letter", "instructions"},
        {"generic.expertise", "expertise"},
        {"generic.expertise-fields", "expertise"},
        {"generic.methodology", "methodology"},
        {"generic.methodology-limits", "methodology"},
        {"md.background", "country-conditions"},
        {"generic.assessment", "assessment"},
        {"md.assessment-threats", "assessment"},
        {"md.risk-on-return", "risk-on-return"},
        {"generic.risk-on-return", "risk-on-return"},
        {"generic.internal-relocation", "internal-relocation"},
        {"generic.sufficiency-of-protection", "sufficiency-of-protection"},
        {"generic.conclusions", "conclusions"},
        {"md.conclusions", "conclusions"},
        {"generic.declaration-plain", "declaration"},
        {"generic.truth-plain", "statement-of-truth"},
    };
    CHECK(included == want);

    // reasons: the condition with its values, and the requires chain for what is left out
    std::map<std::string, Entry> by_id;
    for (const Entry& e : entries) by_id[e.id] = e;
    CHECK(
        by_id["md.assessment-threats"].reason ==
        R"(`country == "MD" and facts.threatened == true` was `"MD" == "MD" and true == true`, true)");
    CHECK(
        by_id["md.assessment-detention"].reason ==
        R"(`country == "MD" and facts.detained == true` was `"MD" == "MD" and null == true`, false)");
    CHECK(by_id["generic.instructions"].reason ==
          "`exists(instructions.firm)` was `exists(instructions.firm)=true`, true");
    CHECK(by_id["generic.range-of-opinion-none"].reason ==
          R"(`range_of_opinion == "none"` was `null == "none"`, false)");
    CHECK(by_id["ru.background"].reason ==
          R"(`country == "RU" and "political_opinion" in grounds` was `"MD" == "RU" and )"
          R"("political_opinion" in ["political_opinion"]`, false)");
    CHECK_FALSE(by_id["er.background"].included);
}

TEST_CASE("render --clauses uses the external pack and its sources") {
    TempDir dir;
    std::string pdf = dir.path() + "/md.pdf";
    Run r = run(
        cli("render " + kPacks + "/cases/md-case.yaml -o " + pdf + " --clauses " + kPacks + "/md"));
    INFO(r.out);
    REQUIRE(r.status == 0);
    Run text = run("pdftotext -enc UTF-8 " + pdf + " -", false);
    text.out = join_soft_hyphens(text.out);
    REQUIRE(text.status == 0);
    std::string flat = std::regex_replace(text.out, std::regex("\\s+"), " ");
    CHECK(flat.find("A fixture clause for a pack kept outside the built-in library") !=
          std::string::npos);
    CHECK(flat.find("World Report 2024: Moldova") != std::string::npos);
    CHECK(flat.find("TP describes threats") != std::string::npos);
    CHECK(flat.find("A clause this fixture") == std::string::npos);  // not selected

    // without the pack, the facts only its clauses read decide nothing: an error, not a
    // report that silently leaves them out
    Run plain = run(cli("explain " + kPacks + "/cases/md-case.yaml"));
    INFO(plain.out);
    CHECK(plain.status == 1);
    CHECK(plain.out.find("error: facts.threatened: no pack declares this fact and no clause "
                         "reads it") != std::string::npos);
}

TEST_CASE("a pack that reuses a built-in id is an error naming both files") {
    const std::string dup = kPacks + "/dup/summary.md";
    const std::string builtin = kSource + "/clauses/generic/summary.md";
    const std::string message =
        dup + ":2:5: error: clause id \"generic.summary\" is also used by " + builtin;
    Run lint = run(cli("lint --clauses " + kPacks + "/dup"));
    INFO(lint.out);
    CHECK(lint.status == 1);
    CHECK(lint.out.find(message + "\n") != std::string::npos);

    TempDir dir;
    Run render = run(cli("render " + kPacks + "/cases/md-case.yaml -o " + dir.path() +
                         "/x.pdf --clauses " + kPacks + "/dup"));
    INFO(render.out);
    CHECK(render.status == 1);
    CHECK(render.out.find(message) != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir.path() + "/x.pdf"));
}

TEST_CASE("lint --clauses on a broken pack reports each problem at its place") {
    Run r = run(cli("lint --clauses " + kPacks + "/md --clauses " + kPacks + "/broken"));
    INFO(r.out);
    CHECK(r.status == 1);
    const std::string b = kPacks + "/broken/";
    // the `when` syntax error at the exact line and column of the second `and`
    CHECK(r.out.find(b + "bad-when.md:4:27: error: unexpected 'and', expected a value, a path, "
                         "exists(...) or '('\n"
                         "  when: country == \"MD\" and and facts.x\n"
                         "                            ^\n") != std::string::npos);
    // the requires cycle, once, naming its clauses from the smallest id
    CHECK(r.out.find(b + "a.md:1:1: error: requires cycle: broken.a -> broken.b -> broken.a\n") !=
          std::string::npos);
    CHECK(r.out.find("broken.b -> broken.a -> broken.b") == std::string::npos);
    CHECK(r.out.find(b + "unknown-section.md:1:1: error: clause \"broken.unknown-section\" is in "
                         "section \"appendix-z\", which is not in the report skeleton\n") !=
          std::string::npos);
    CHECK(r.out.find(b + "unknown-source.md:8:25: error: clause \"broken.unknown-source\" cites "
                         "unknown source \"hrw-2024-mdx\"\n") != std::string::npos);
    CHECK(r.out.find("note: did you mean \"hrw-2024-md\"?") != std::string::npos);
    CHECK(r.out.find("4 errors, 0 warnings") != std::string::npos);
}

TEST_CASE("the built-in library and the good external pack lint clean") {
    Run r = run(cli("lint --clauses " + kPacks + "/md"));
    INFO(r.out);
    CHECK(r.status == 0);
    CHECK(r.out.find(": error:") == std::string::npos);
    CHECK(r.out.find(": warning:") == std::string::npos);
    CHECK(r.out.find("sources: no errors") != std::string::npos);
}

TEST_CASE("lint reads clause bodies: variables, cross-references and facts, each located") {
    Run lint = run(cli("lint --clauses " + kPacks + "/lintbad --clauses " + kPacks + "/nofacts"));
    INFO(lint.out);
    CHECK(lint.status == 1);
    const std::string bodies = kPacks + "/lintbad/bodies.md";
    for (const std::string& line : {
             bodies + ":7:126: error: clause \"lb.bodies\" uses {sources.hrw}, which neither the "
                      "case file nor compose supplies",
             bodies + ":7:145: error: clause \"lb.bodies\" refers to unknown clause "
                      "[\xC2\xA7lb.nowhere]",
             bodies + ":9:5: error: clause \"lb.bodies\" uses {nonsense.path}, which neither "
                      "the case file nor compose supplies",
             bodies + ":4:27: warning: fact \"threatend\" is read only by clause \"lb.bodies\" "
                      "and declared by no pack",
             kPacks + "/lintbad/facts.yaml:5:1: warning: fact \"never_read\" is declared but no "
                      "clause reads it",
             kPacks + "/nofacts: warning: the pack's clauses read facts, but it has no "
                      "facts.yaml declaring them",
         })
        CHECK(lint.out.find(line + "\n") != std::string::npos);
    // A declared fact, a fact read by the clause, and a cross-reference to a clause that exists
    // are not findings.
    CHECK(lint.out.find("\"sightings\"") == std::string::npos);
    CHECK(lint.out.find("unknown clause [\xC2\xA7lb.bodies]") == std::string::npos);
    CHECK(lint.out.find("3 errors, 6 warnings") != std::string::npos);
    // The built-in library is clean.
    Run builtin = run(cli("lint"));
    CHECK(builtin.status == 0);
    CHECK(builtin.out.find("warning") == std::string::npos);
}

TEST_CASE("two packs may share a fact only with the same type") {
    // md declares `detained` as tj does (boolean): no finding (the lint above is clean).
    Run lint = run(cli("lint --clauses " + kPacks + "/conflict"));
    INFO(lint.out);
    CHECK(lint.status == 1);
    CHECK(lint.out.find(kPacks + "/conflict/facts.yaml:2:1: error: fact \"detained\" is declared "
                                 "as integer here and as boolean in ") != std::string::npos);
}
