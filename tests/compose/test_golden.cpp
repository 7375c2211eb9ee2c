// Golden dumps of the document tree for every example: a change in clause text, numbering,
// citations or composition shows up as a readable diff. Set DOSSIER_UPDATE_GOLDEN=1 to rewrite.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "examples.hpp"

using namespace dossier;

namespace {

std::string read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

TEST_CASE("golden document dumps of the examples") {
    std::vector<std::string> names = test::example_names();
    REQUIRE(names.size() >= 2);
    for (const std::string& name : names) {
        Diagnostics diags;
        compose::Options options;
        options.creator = "Dossier test";
        Document doc = test::compose_example(name, options, diags);
        for (auto& d : diags) UNSCOPED_INFO(format_diagnostic(d));
        REQUIRE(diags.empty());
        std::string actual = compose::dump(doc);
        std::string path = std::string(DOSSIER_TEST_DIR "/golden/") + name + ".document.txt";
        if (std::getenv("DOSSIER_UPDATE_GOLDEN")) std::ofstream(path, std::ios::binary) << actual;
        INFO(name);
        CHECK(actual == read(path));
    }
}
