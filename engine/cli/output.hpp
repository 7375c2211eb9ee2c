// How the command talks to people and scripts: diagnostics on stderr, JSON on stdout, and
// files written so that nobody ever sees half of one.
#pragma once

#include <string>

#include "model/diagnostic.hpp"

namespace dossier::cli {

// Prints every diagnostic in file order with its source line and a caret, then a count.
void print_diagnostics(Diagnostics diagnostics);

// `[{"file", "line", "column", "severity", "message"}, ...]` in file order.
std::string diagnostics_json(Diagnostics diagnostics);

// A JSON string literal, quotes included.
std::string json_string(const std::string& s);

// Writes `bytes` to `path` through a temporary file in the same directory, fsync and rename,
// so a reader never sees a partial file and a failure leaves an earlier file untouched. On
// failure returns false with `problem` set and removes the temporary file.
bool write_atomically(const std::string& path, const std::string& bytes, std::string& problem);

}  // namespace dossier::cli
