// Private to engine/load: the lines of input files shown under diagnostics, and which files may
// have theirs shown (the rule is stated at load::source_line in load.hpp).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace dossier::load {

// Lets source_line() show the lines of `file` (the path as diagnostics name it). Thread-safe.
void allow_echo(const std::string& file);

// allow_echo(file) when its YAML began with a mapping and its real path (symlinks resolved) is
// inside one of `folders` (real paths, as real_path gives them).
void allow_echo_if(const std::string& file, bool began_as_map,
                   const std::vector<std::filesystem::path>& folders);

// `path` absolute with symlinks resolved (the parts that exist); "" is the current folder. An
// empty path when that fails.
std::filesystem::path real_path(const std::filesystem::path& path);

// Line `line` (1-based) of `text` without its line break, as source_line() would read it from
// the file; not made printable. Empty when there is no such line or it is longer than 1000
// bytes (no help under a message, and slow to print under each of many).
std::string_view line_of(std::string_view text, int line);

}  // namespace dossier::load
