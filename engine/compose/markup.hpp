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
#include "model/message_pattern.hpp"

namespace dossier::compose::detail {

using dossier::Argument;
using dossier::scan_pattern;
using dossier::ScanResult;

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
