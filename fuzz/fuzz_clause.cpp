// Target `clause`: bytes as a clause body -> scan_pattern and parse_markup on the raw text,
// then compose a one-clause library (the built-in skeleton and sources, this clause in the
// assessment section) for the example case. Must never throw or crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "compose/compose.hpp"
#include "compose/markup.hpp"
#include "fuzz_support.hpp"
#include "load/load.hpp"
#include "load/yaml_reader.hpp"
#include "rules/rules.hpp"

using namespace dossier;

namespace {
struct Fixture {
    Case c;
    Library base;
    Fixture() {
        Diagnostics d;
        load::Schemas schemas = load::load_schemas(fuzz::source_dir() + "/schemas", d);
        base = load::load_library(fuzz::source_dir() + "/clauses", {}, schemas, d);
        auto loaded = load::load_case(fuzz::source_dir() + "/examples/tajikistan-lgbt.yaml",
                                      fuzz::fixed_today(), schemas, &base, d);
        if (!loaded || has_errors(d)) std::abort();
        c = std::move(*loaded);
        base.clauses.clear();
    }
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static Fixture f;
    std::string text(reinterpret_cast<const char*>(data), size);
    // The loader refuses clause files over 1 MiB and invalid UTF-8 before compose sees them.
    if (text.size() > (1u << 20)) return 0;
    Diagnostics utf8;
    if (!load::check_utf8("fuzz/clause.md", text, utf8)) return 0;

    (void)compose::detail::scan_pattern(text);
    (void)compose::detail::parse_markup(text);

    Library lib = f.base;
    Clause clause;
    clause.id = "fuzz.clause";
    clause.section = "assessment";
    clause.order = 10;
    clause.body = text;
    clause.span = {"fuzz/clause.md", 1, 1};
    clause.body_span = {"fuzz/clause.md", 6, 1};
    clause.pack = "fuzz";
    lib.clauses.push_back(clause);
    rules::Selection selection;
    selection.clauses = {0};
    Diagnostics diags;
    compose::Options options;
    Document doc = compose::compose(f.c, lib, selection, options, diags);
    (void)compose::dump(doc);
    return 0;
}
