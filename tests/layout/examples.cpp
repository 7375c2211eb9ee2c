#include "examples.hpp"

#include <algorithm>
#include <filesystem>

#include "compose/compose.hpp"
#include "load/load.hpp"

namespace dossier::layout::test {

namespace {

Type type_of(const Document& doc) {
    Type t;
    t.body = static_cast<Unit>(doc.body_size * 1000 + 0.5);
    t.leading = static_cast<Unit>(doc.body_leading * 1000 + 0.5);
    t.note = t.body - 2000;
    t.section = t.body + 2000;
    return t;
}

}  // namespace

Rendered render(const std::string& case_path, const FontSet& fonts) {
    Rendered out;
    out.name = std::filesystem::path(case_path).stem().string();
    Diagnostics& diags = out.diagnostics;
    load::Schemas schemas = load::load_schemas(DOSSIER_SOURCE_DIR "/schemas", diags);
    Library lib = load::load_library(DOSSIER_SOURCE_DIR "/clauses", {}, schemas, diags);
    auto c = load::load_case(case_path, Date{2026, 11, 29}, schemas, &lib, diags);
    if (!c) return out;
    out.jurisdiction = c->jurisdiction;
    out.permission_pages = c->appeal.permission_pages;
    rules::Selection sel = rules::select(*c, lib, diags);
    compose::Options options;
    options.creator = "Dossier test";
    Document doc = compose::compose(*c, lib, sel, options, diags);
    if (has_errors(diags)) return out;
    out.type = type_of(doc);
    out.pages = layout::layout(doc, fonts, {}, diags);
    return out;
}

std::vector<std::string> example_paths() {
    std::vector<std::string> paths;
    for (const auto& e : std::filesystem::directory_iterator(DOSSIER_SOURCE_DIR "/examples"))
        if (e.path().extension() == ".yaml") paths.push_back(e.path().string());
    std::sort(paths.begin(), paths.end());
    return paths;
}

}  // namespace dossier::layout::test
