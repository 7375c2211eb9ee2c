// The argument structure of an ICU MessageFormat pattern (a clause body), without ICU: which
// `{name, type}` arguments it has and where, so that compose can check them against the case
// and rename them (ICU argument names cannot contain dots) and lint can check a library's
// bodies without composing anything.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace dossier {

// One `{name, type, style}` argument of a pattern, at any nesting depth.
struct Argument {
    std::string name;      // as written, e.g. "facts.detention_count"
    std::string type;      // "", "plural", "select", "selectordinal", "number", "date", ...
    std::size_t open = 0;  // byte offset of its '{'
    std::size_t name_begin = 0, name_end = 0;  // byte range of the name
};

struct ScanResult {
    std::vector<Argument> arguments;  // in pattern order
    std::string error;                // empty when the pattern is well formed
    std::size_t error_offset = 0;     // byte offset of the problem
};

// Finds the arguments of a MessageFormat pattern, following ICU's apostrophe quoting
// (apostrophe mode DOUBLE_OPTIONAL) and the plural/select sub-message structure. Reports the
// first structural error (unbalanced braces, an argument without a name) with its offset.
ScanResult scan_pattern(std::string_view pattern);

}  // namespace dossier
