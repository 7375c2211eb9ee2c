// How the command talks to people and scripts: diagnostics on stderr, JSON on stdout, and
// output files written so that nobody ever sees half of one and no input is ever lost.
#pragma once

#include <string>
#include <vector>

#include "model/diagnostic.hpp"
#include "model/json.hpp"

namespace dossier::cli {

// Prints every diagnostic in file order with its source line and a caret (where
// load::source_line shows one), then a count.
void print_diagnostics(Diagnostics diagnostics);

// `[{"file", "line", "column", "severity", "message"}, ...]` in file order, for json_text
// (model/json.hpp: invalid UTF-8 comes out as U+FFFD, so the text is always valid JSON).
Json diagnostics_to_json(Diagnostics diagnostics);

// Writes `bytes` as the output `path`, whatever is there (DESIGN.md, "Files and outputs"):
// - "-": standard output (refused when it is a terminal, or one of `inputs`);
// - nothing yet: a new file with the mode the umask gives (0666 less the umask);
// - a regular file: replaced through a temporary file in the same folder (written, fsynced,
//   renamed over it, the folder fsynced), keeping its permission bits and, where the process
//   may, its owner and group; refused when it is one of `inputs` (compared by device and inode,
//   so another name, a hard link or a symlink to an input is refused too);
// - a symlink: followed (to any depth) and its target written as above; the link stays;
// - a character device or a FIFO: written in place, never replaced or truncated (so /dev/null
//   discards, /dev/full reports ENOSPC; a FIFO waits for its reader);
// - a directory, a block device or a socket: refused.
// `inputs` are paths of the files the output was made from (missing ones are ignored). On
// failure returns false with `problem` set (naming the path and the errno text); any temporary
// file is removed and whatever was at `path` is untouched. Thread-safe.
bool write_output(const std::string& path, const std::string& bytes,
                  const std::vector<std::string>& inputs, std::string& problem);

// write_output with no inputs to protect, and "-" a file name like any other: for batch.
bool write_atomically(const std::string& path, const std::string& bytes, std::string& problem);

// While a single render writes its output, SIGINT, SIGTERM and SIGHUP remove the temporary file
// before the process dies of the signal as it would have. Call once, from a single-threaded
// command (batch has its own handling).
void remove_temporary_files_on_signals();

}  // namespace dossier::cli
