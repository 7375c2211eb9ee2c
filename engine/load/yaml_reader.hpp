// Private: YAML text -> Value tree with character-accurate spans, from yaml-cpp's event stream
// so that duplicate keys, aliases and nesting are caught where they occur.
#pragma once

#include <optional>
#include <string>

#include "model/value.hpp"

namespace dossier::load {

struct ReadLimits {
    std::size_t max_bytes = 1 << 20;  // 1 MiB: a case file is a few kilobytes
    int max_depth = 32;
    // Entries in one sequence or mapping: a case file's longest list has a few dozen, and a
    // 1 MiB flow list of 300,000 one-character items would otherwise cost seconds and
    // hundreds of megabytes before the schema could refuse it. Reading stops at the first.
    std::size_t max_entries = 10000;
    // Keep going past problems that leave the tree whole (an impossible date, a duplicate key,
    // an anchor or alias, a complex key): they are reported, and the tree is still returned so
    // that the caller can report everything else in the same run. Syntax errors, too deep a
    // nesting and too many entries still return nullopt.
    bool partial = false;
};

// Parses `text` (the content of `file`) as a single YAML document. `first_line` is the line
// number of text's first line within the file (front matter starts at line 2). Returns the
// root value or nullopt after appending diagnostics (with `limits.partial`, the root value also
// after the problems that leave it whole). Every string in the tree is valid UTF-8: escapes
// yaml-cpp decodes wrongly are put right ("\N", "\_", a surrogate pair written as two \u
// escapes), and a lone surrogate escape is an error at its position. A plain number that a
// double cannot hold (1e400) is an error too. When `began_as_map` is not null it is set to
// whether the first thing in the document was the start of a mapping (the shape every format
// read here has), whatever the problems after it.
std::optional<Value> read_yaml(const std::string& file, const std::string& text,
                               Diagnostics& diagnostics, int first_line = 1, ReadLimits limits = {},
                               bool* began_as_map = nullptr);

// read_yaml for a JSON file (the schemas): the same Value tree, spans and diagnostics, but
// plain JSON is read by a small reader of our own, five times faster than yaml-cpp; anything
// else is left to read_yaml.
std::optional<Value> read_json(const std::string& file, const std::string& text,
                               Diagnostics& diagnostics, ReadLimits limits = {});

// Checks that `text` is valid UTF-8; reports the first bad byte's position otherwise.
bool check_utf8(const std::string& file, const std::string& text, Diagnostics& diagnostics,
                int first_line = 1);

// Reads a whole file if it is a regular file of at most `max_bytes` (read_regular_file), or
// appends a diagnostic at the file with the reason (errno text, the kind of file, its size)
// and returns nullopt.
std::optional<std::string> read_file(const std::string& path, std::size_t max_bytes,
                                     Diagnostics& diagnostics);

}  // namespace dossier::load
