// --pdf-standard (render and batch): which standards the PDF claims (DESIGN.md, "The PDF").
// A report claims only what a validator in the test suite confirms: PDF/A-1b, which Apache
// PDFBox Preflight checks (tests/e2e/test_pdfa.cpp).
#pragma once

#include <optional>
#include <string>

#include "model/diagnostic.hpp"
#include "pdf/pdf.hpp"

namespace dossier::cli {

// The values --pdf-standard accepts, for its help text and its error.
inline constexpr const char* kPdfStandards = "pdfa-1b (the default) or none";

// The standard to write: `requested` is --pdf-standard's value (a comma-separated list; nullopt
// when the option was not given, which means pdfa-1b). An encrypted report cannot be PDF/A: a
// request for it with `encrypted` is an error, and the default then becomes a plain PDF with a
// note saying so. nullopt after an error (an unknown value names the valid ones).
std::optional<pdf::Standard> pdf_standard(const std::optional<std::string>& requested,
                                          bool encrypted, Diagnostics& diagnostics);

}  // namespace dossier::cli
