// Loading: case files, expert profiles and clause packs from disk into model values. This is
// the only stage that uses yaml-cpp.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/case.hpp"
#include "model/library.hpp"

namespace dossier::load {

// Reads a case file and the expert profile it names (relative to the case file). Every problem
// found is appended to `diagnostics` with file:line:col; returns nullopt when any is an error.
// Never throws for bad input. `today` is the default report date when the case gives none.
std::optional<Case> load_case(const std::string& path, const Date& today, Diagnostics& diagnostics);

// Reads the report skeleton `<builtin>/report.yaml`, then every clause file (*.md other than
// README.md) and sources.yaml under `builtin` and each of `extra` (recursively). Clauses come
// out sorted by id and sources by key; a duplicate id or key is an error naming both files.
Library load_library(const std::string& builtin, const std::vector<std::string>& extra,
                     Diagnostics& diagnostics);

// The text of line `line` (1-based) of `file`, for printing under a diagnostic; empty when the
// file cannot be read. Reads the file on each call: meant for error output only.
std::string source_line(const std::string& file, int line);

}  // namespace dossier::load
