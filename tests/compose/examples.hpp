// Test helper: the examples of examples/, composed as `dossier render` composes them (report
// date 2026-11-29), for the golden dumps and the checks run across every example.
#pragma once

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "compose/compose.hpp"
#include "load/load.hpp"

namespace dossier::test {

// The stems of examples/*.yaml, sorted.
inline std::vector<std::string> example_names() {
    std::vector<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(DOSSIER_SOURCE_DIR "/examples"))
        if (e.path().extension() == ".yaml") names.push_back(e.path().stem().string());
    std::sort(names.begin(), names.end());
    return names;
}

// Loads, selects and composes example `name`; every message goes to `diags`.
inline Document compose_example(const std::string& name, const compose::Options& options,
                                Diagnostics& diags) {
    load::Schemas schemas = load::load_schemas(DOSSIER_SOURCE_DIR "/schemas", diags);
    Library lib = load::load_library(DOSSIER_SOURCE_DIR "/clauses", {}, schemas, diags);
    auto c = load::load_case(std::string(DOSSIER_SOURCE_DIR "/examples/") + name + ".yaml",
                             Date{2026, 11, 29}, schemas, &lib, diags);
    REQUIRE(c);
    rules::Selection sel = rules::select(*c, lib, diags);
    return compose::compose(*c, lib, sel, options, diags);
}

}  // namespace dossier::test
