// Golden dumps of the document tree for every example: a change in clause text, numbering,
// citations or composition shows up as a readable diff. Set DOSSIER_UPDATE_GOLDEN=1 to rewrite.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "compose/compose.hpp"
#include "load/load.hpp"

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
    std::vector<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(DOSSIER_SOURCE_DIR "/examples"))
        if (e.path().extension() == ".yaml") names.push_back(e.path().stem().string());
    std::sort(names.begin(), names.end());
    REQUIRE(names.size() >= 2);
    for (const std::string& name : names) {
        Diagnostics diags;
        load::Schemas schemas = load::load_schemas(DOSSIER_SOURCE_DIR "/schemas", diags);
        Library lib = load::load_library(DOSSIER_SOURCE_DIR "/clauses", {}, schemas, diags);
        auto c = load::load_case(std::string(DOSSIER_SOURCE_DIR "/examples/") + name + ".yaml",
                                 Date{2026, 11, 29}, schemas, &lib, diags);
        REQUIRE(c);
        rules::Selection sel = rules::select(*c, lib, diags);
        compose::Options options;
        options.creator = "Dossier test";
        Document doc = compose::compose(*c, lib, sel, options, diags);
        for (auto& d : diags) UNSCOPED_INFO(format_diagnostic(d));
        REQUIRE(diags.empty());
        std::string actual = compose::dump(doc);
        std::string path = std::string(DOSSIER_TEST_DIR "/golden/") + name + ".document.txt";
        if (std::getenv("DOSSIER_UPDATE_GOLDEN")) std::ofstream(path, std::ios::binary) << actual;
        INFO(name);
        CHECK(actual == read(path));
    }
}
