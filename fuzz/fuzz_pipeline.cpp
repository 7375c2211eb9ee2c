// Target `pipeline`: bytes as a case file -> render_case with the built-in library and fonts,
// all the way to PDF bytes in memory (nothing is written but the input file). Must never
// throw or crash; a clean render must produce a PDF.
#include <cstddef>
#include <cstdint>

#include "cli/pipeline.hpp"
#include "fuzz_support.hpp"

using namespace dossier;

namespace {
struct Fixture {
    fuzz::Scratch scratch;
    cli::Engine engine;
    Fixture() {
        Diagnostics d;
        engine = cli::load_engine(fuzz::source_dir(), {}, "0.1.0", d);
        if (has_errors(d)) std::abort();
    }
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static Fixture f;
    std::string path = f.scratch.write("case.yaml", data, size);
    cli::RenderOptions options;
    options.today = fuzz::fixed_today();
    // Alternate the sample mode on one input bit, so both paths are reached.
    options.sample = size > 0 && (data[size - 1] & 1);
    cli::RenderResult r = cli::render_case(f.engine, path, options);
    if (!has_errors(r.diagnostics) && r.pdf.empty()) std::abort();
    if (!r.pdf.empty() && r.pdf.compare(0, 5, "%PDF-") != 0) std::abort();
    return 0;
}
