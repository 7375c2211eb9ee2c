// Diagnostics: user mistakes as values with a source position, collected and reported together.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dossier {

// A position in a user's file. `line` and `column` are 1-based and count characters (code
// points), not bytes; 0 means "unknown" (for example a problem with a whole file).
struct Span {
    std::string file;
    int line = 0;
    int column = 0;
};

enum class Severity { error, warning, note };

struct Diagnostic {
    Severity severity = Severity::error;
    std::string code;     // stable machine-readable code, e.g. "case.unknown-key"
    std::string message;  // one sentence, no trailing period, no file position
    Span span;
    std::vector<std::string> hints;  // "did you mean ..." and similar, each a full sentence
};

using Diagnostics = std::vector<Diagnostic>;

// Appends an error / warning. Returns nothing; never throws except std::bad_alloc.
void error(Diagnostics& out, Span span, std::string code, std::string message,
           std::vector<std::string> hints = {});
void warning(Diagnostics& out, Span span, std::string code, std::string message,
             std::vector<std::string> hints = {});

bool has_errors(const Diagnostics& diagnostics);

// "file:line:col: error: message" (position parts omitted when unknown), then hint lines
// "  note: hint". When `source_line` is not empty it is printed with a caret under the column.
std::string format_diagnostic(const Diagnostic& d, const std::string& source_line = {});

// {"did you mean \"x\"?"} for the choice closest to `word` by edit distance, or {} when none is
// close enough to be a plausible typo. For the hints of unknown keys, values and ids.
std::vector<std::string> did_you_mean(std::string_view word,
                                      const std::vector<std::string>& choices);

// Sorts by file, line, column (stable for equal positions) so output order is deterministic.
void sort_diagnostics(Diagnostics& diagnostics);

}  // namespace dossier
