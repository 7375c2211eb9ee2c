// Target `case`: bytes as a case file -> load_case, validated against schemas/ and checked
// against the built-in clause library (as `dossier check` does). Must never throw or crash.
#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"
#include "load/load.hpp"

using namespace dossier;

namespace {
struct Fixture {
    fuzz::Scratch scratch;
    load::Schemas schemas;
    Library library;
    Fixture() {
        Diagnostics d;
        schemas = load::load_schemas(fuzz::source_dir() + "/schemas", d);
        library = load::load_library(fuzz::source_dir() + "/clauses", {}, schemas, d);
        if (has_errors(d)) std::abort();
    }
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static Fixture f;
    std::string path = f.scratch.write("case.yaml", data, size);
    Diagnostics diags;
    auto c = load::load_case(path, fuzz::fixed_today(), f.schemas, &f.library, diags);
    // A case comes back exactly when nothing was an error.
    if (c.has_value() == has_errors(diags)) std::abort();
    return 0;
}
