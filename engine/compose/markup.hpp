// Internal to compose: the two small languages of a clause body. First the ICU MessageFormat
// pattern (scanned here only to find its arguments, so they can be checked against the case and
// renamed: ICU argument names cannot contain dots), then the inline markup that is left after
// formatting (*emphasis*, **strong**, [@source], [§clause]).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "model/document.hpp"

namespace dossier::compose::detail {

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

// A piece of a formatted paragraph after inline markup has been read.
struct Piece {
    enum class Kind { text, literal, citation, cross_reference };
    Kind kind = Kind::text;
    std::string text;         // text: the words; citation: source key; cross_reference: id
    std::size_t literal = 0;  // literal: index of the case-file value to insert
    Style style = Style::regular;
};

struct MarkupResult {
    std::vector<Piece> pieces;
    std::vector<std::string> errors;  // messages; markup has no reliable offsets after ICU
};

// Private-use characters that bracket the index of a case-file value in formatted text, so
// that its content is never read as markup: U+E000 index U+E001.
inline constexpr std::string_view kLiteralOpen = "\xEE\x80\x80";
inline constexpr std::string_view kLiteralClose = "\xEE\x80\x81";

// Reads inline markup. Backslash escapes the next markup character (\*, \[, \\).
MarkupResult parse_markup(std::string_view text);

}  // namespace dossier::compose::detail
