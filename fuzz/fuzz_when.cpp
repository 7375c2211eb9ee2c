// Target `when`: bytes as a `when` condition -> parse, then (if it parsed) the static check,
// evaluate, substitute and explain against the example case. Must never throw or crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_support.hpp"
#include "load/load.hpp"
#include "rules/expr.hpp"

using namespace dossier;

namespace {
struct Fixture {
    Case c;
    Fixture() {
        Diagnostics d;
        load::Schemas schemas = load::load_schemas(fuzz::source_dir() + "/schemas", d);
        auto loaded = load::load_case(fuzz::source_dir() + "/examples/tajikistan-lgbt.yaml",
                                      fuzz::fixed_today(), schemas, nullptr, d);
        if (!loaded) std::abort();
        c = std::move(*loaded);
    }
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static Fixture f;
    // A condition is one line of a clause file's front matter, at most max_condition_length.
    std::string_view text(reinterpret_cast<const char*>(data), size);
    if (text.size() > rules::max_condition_length) return 0;
    Span at{"clause.md", 5, 7};
    Diagnostics diags;
    auto e = rules::parse(text, at, diags);
    if (!e) {
        if (!has_errors(diags)) std::abort();  // a failed parse always says why
        return 0;
    }
    rules::check(*e, text, at, diags);
    bool result = rules::evaluate(*e, f.c.root);
    (void)rules::substitute(*e, f.c.root);
    rules::Explanation x = rules::explain(*e, text, f.c.root);
    if (x.result != result) std::abort();  // explain must agree with evaluate
    return 0;
}
