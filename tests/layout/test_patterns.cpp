// Our reader of libhyphen dictionaries against libhyphen's own loader: the states, transitions,
// matches and fallbacks must be the same, state for state, so that hyphenation is too.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "../support/temp_files.hpp"
#include "layout/patterns.hpp"

using namespace dossier;
using namespace dossier::layout;

namespace {

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

// The first difference between two dictionaries (both levels), or "" when there is none.
std::string difference(const HyphenDict* a, const HyphenDict* b, const std::string& level) {
    if (!a || !b) return a == b ? "" : level + ": one level is missing";
    auto differs = [&](const std::string& what) { return level + ": " + what + " differs"; };
    if (a->lhmin != b->lhmin || a->rhmin != b->rhmin || a->clhmin != b->clhmin ||
        a->crhmin != b->crhmin)
        return differs("a hyphen minimum");
    if (std::strcmp(a->cset, b->cset) != 0 || a->utf8 != b->utf8) return differs("cset");
    if (a->nohyphenl != b->nohyphenl || !a->nohyphen != !b->nohyphen) return differs("nohyphen");
    for (int i = 0, at = 0; a->nohyphen && i <= a->nohyphenl; ++i) {
        if (std::strcmp(a->nohyphen + at, b->nohyphen + at) != 0) return differs("nohyphen");
        at += static_cast<int>(std::strlen(a->nohyphen + at)) + 1;
    }
    if (a->num_states != b->num_states)
        return differs("the number of states (" + std::to_string(a->num_states) + " and " +
                       std::to_string(b->num_states) + ")");
    for (int s = 0; s < a->num_states; ++s) {
        const HyphenState& x = a->states[s];
        const HyphenState& y = b->states[s];
        std::string state = "state " + std::to_string(s) + ": ";
        if (!x.match != !y.match || (x.match && std::strcmp(x.match, y.match) != 0))
            return differs(state + "match");
        if (!x.repl != !y.repl || (x.repl && std::strcmp(x.repl, y.repl) != 0))
            return differs(state + "repl");
        if (x.match && (x.replindex != y.replindex || x.replcut != y.replcut))
            return differs(state + "replindex/replcut");
        if (x.fallback_state != y.fallback_state) return differs(state + "fallback");
        if (x.num_trans != y.num_trans) return differs(state + "number of transitions");
        for (int t = 0; t < x.num_trans; ++t)
            if (x.trans[t].ch != y.trans[t].ch || x.trans[t].new_state != y.trans[t].new_state)
                return differs(state + "transition " + std::to_string(t));
    }
    return difference(a->nextlevel, b->nextlevel, level + " > next level");
}

struct LibhyphenDeleter {
    void operator()(HyphenDict* d) const { hnj_hyphen_free(d); }
};

// Both loaders on one file; the difference between what they built.
std::string compare_file(const std::string& path) {
    auto ours = PatternDictionary::parse(slurp(path));
    if (!ours) return "our reader refused the file";
    std::unique_ptr<HyphenDict, LibhyphenDeleter> theirs(hnj_hyphen_load(path.c_str()));
    return difference(ours->dict(), theirs.get(), "top level");
}

std::string hyphens(HyphenDict* dict, const std::string& word) {
    std::string out(word.size() + 5, '0');
    char** rep = nullptr;
    int* pos = nullptr;
    int* cut = nullptr;
    hnj_hyphen_hyphenate2(dict, word.c_str(), static_cast<int>(word.size()), out.data(), nullptr,
                          &rep, &pos, &cut);
    if (rep) {
        for (std::size_t i = 0; i < word.size(); ++i) std::free(rep[i]);
        std::free(rep);
    }
    std::free(pos);
    std::free(cut);
    return out.substr(0, word.size());
}

}  // namespace

TEST_CASE("the pattern reader builds the states libhyphen builds from the system dictionaries") {
    for (const char* name : {"hyph_en_GB.dic", "hyph_en_US.dic"}) {
        std::string path = std::string("/usr/share/hyphen/") + name;
        if (!std::filesystem::exists(path)) {
            WARN(path << " is not installed");
            continue;
        }
        INFO(path);
        CHECK(compare_file(path) == "");
    }
}

TEST_CASE("the pattern reader agrees with libhyphen on the corners of the format") {
    test::TempDir dir;
    // A pattern that is a prefix of an earlier one and one that extends it, an all-zero
    // pattern, a comment, a blank-led line (no letters), CRLF, text after a blank, hyphen
    // minimums and letters outside ASCII. (No letters twice: libhyphen's loader leaks the
    // replaced match, which fails the sanitizer build; see the next test for those.)
    std::string body =
        "LEFTHYPHENMIN 2\nRIGHTHYPHENMIN 3\nCOMPOUNDLEFTHYPHENMIN 4\n"
        "% a comment\n.ab4i\n.ab3ol\nab\n.ab2\nabc\nx1y2z\nx3y\n  leading\nfoo1bar baz\n"
        "cr1lf\r\n\u00e9\u00e91\u00e9\n1\u20191\n9z9\nCOMPOUNDRIGHTHYPHENMIN 5";
    SECTION("UTF-8") {
        std::string path = dir.write("utf8.dic", "UTF-8\n" + body + "\n");
        CHECK(compare_file(path) == "");
    }
    SECTION("another character set, without a final newline") {
        std::string path = dir.write("latin1.dic", "ISO8859-1\r\n" + body);
        CHECK(compare_file(path) == "");
    }
    SECTION("no hyphen minimums") {
        std::string path = dir.write("bare.dic", "UTF-8\nab1c\n");
        CHECK(compare_file(path) == "");
    }
}

TEST_CASE("a later pattern for the same letters replaces the earlier one, as in libhyphen") {
    // hnj_hyphen_load_line overwrites the state's match (leaking the old one): the result is
    // that of the file without the earlier line.
    auto twice = PatternDictionary::parse("UTF-8\n.ab4i\nab1c\n.a2b\nab3c\n\n  x\n");
    auto once = PatternDictionary::parse("UTF-8\n.ab4i\nab3c\n.a2b\n  x\n");
    REQUIRE(twice);
    REQUIRE(once);
    CHECK(difference(twice->dict(), once->dict(), "top level") == "");
}

TEST_CASE("what the pattern reader leaves to libhyphen still loads") {
    test::TempDir dir;
    for (std::string text :
         {std::string("UTF-8\nNEXTLEVEL\nab1c\n"), std::string("UTF-8\nNOHYPHEN -\nab1c\n"),
          std::string("UTF-8\nc1/d=,1,1\n"), "UTF-8\n" + std::string(120, 'a') + "\n",
          std::string("A-CHARACTER-SET-NAME\nab1c\n"), std::string()}) {
        INFO(text);
        CHECK_FALSE(PatternDictionary::parse(text));
        std::string path = dir.write("other.dic", text);
        auto loaded = PatternDictionary::load(path);
        REQUIRE(loaded);
        std::unique_ptr<HyphenDict, LibhyphenDeleter> theirs(hnj_hyphen_load(path.c_str()));
        CHECK(difference(loaded->dict(), theirs.get(), "top level") == "");
    }
    CHECK_FALSE(PatternDictionary::load(dir.path() + "/missing.dic"));
}

TEST_CASE("words hyphenate as with libhyphen's loader") {
    std::string path = "/usr/share/hyphen/hyph_en_GB.dic";
    if (!std::filesystem::exists(path)) return;
    auto ours = PatternDictionary::load(path);
    REQUIRE(ours);
    std::unique_ptr<HyphenDict, LibhyphenDeleter> theirs(hnj_hyphen_load(path.c_str()));
    for (std::string word : {"organisation", "hyphenation", "persecution", "homosexuality",
                             "well-founded", "appellant's", "internal", "relocation", "x"}) {
        INFO(word);
        CHECK(hyphens(ours->dict(), word) == hyphens(theirs.get(), word));
    }
}
