// The PDF backend: walks a display list and produces PDF bytes with libharu. This is the only
// part of Dossier that includes hpdf.h.
#pragma once

#include <string>

#include "model/pages.hpp"

namespace dossier::pdf {

struct Options {
    bool compress = true;
    // Non-empty: the PDF is encrypted with AES-256 and opens only with this password. Encrypted
    // output is not byte-identical from run to run (the encryption salts are random).
    std::string password;
};

// Writes `pages` as a PDF document and returns its bytes (empty on failure). The same input
// gives the same bytes: no clock is read; dates come from pages.info.date. Fonts are loaded
// from pages.fonts[i].path only when a run uses them, embedded as subsets. Failures (an
// unreadable font, a libharu error) are appended to `diagnostics` and yield an empty string;
// nothing is ever written to disk here. Thread-safe for distinct `pages` values.
std::string write(const Pages& pages, const Options& options, Diagnostics& diagnostics);

}  // namespace dossier::pdf
