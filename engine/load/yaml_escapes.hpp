// Private to engine/load: the escapes of double-quoted YAML scalars that yaml-cpp 0.7 decodes
// wrongly, put right, so that every string the reader returns is valid UTF-8.
//
// - "\N" and "\_" come out as the single bytes 0x85 and 0xA0, not as the UTF-8 of U+0085 and
//   U+00A0 (repair_escaped_bytes).
// - A surrogate pair written as two escapes ("\ud83d\ude00", as JSON writers spell characters
//   outside the Basic Multilingual Plane) is refused with "invalid unicode: 55357". The reader
//   rewrites the pair as the one escape "\U0001F600" before yaml-cpp reads the text, and a
//   lone surrogate as "\uFFFD" (reporting it at its position); ColumnShift keeps the positions
//   of what follows a rewrite on its line those of the original text.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace dossier::load {

// A \u or \U escape of a UTF-16 surrogate (U+D800..U+DFFF) somewhere in a text: in a
// double-quoted scalar, or (the reader finds out which) literally in a plain or single-quoted
// scalar, a block scalar or a comment.
struct SurrogateEscape {
    std::size_t at = 0;       // byte offset of the backslash
    std::size_t length = 0;   // bytes written: 6 for "\ud83d", 10 for "\U0000D83D", 12 for a pair
    char32_t code_point = 0;  // the character a pair stands for; 0 for a lone surrogate
    int line = 0;             // 0-based line of `at`
    int column = 0;           // 0-based byte column of `at` on its line
};

// Every surrogate escape of `text`, in order. A backslash escaped by another ("\\ud83d") does
// not start one.
std::vector<SurrogateEscape> find_surrogate_escapes(std::string_view text);

// On 0-based `line`, the columns of the rewritten text from `from_column` on are `delta` bytes
// left of the same characters in the original.
struct ColumnShift {
    int line = 0;
    int from_column = 0;
    int delta = 0;
};

struct RewrittenText {
    std::string text;
    std::vector<ColumnShift> shifts;   // in text order
    std::vector<std::size_t> offsets;  // where each chosen escape starts in `text`
};

// `text` with each escapes[i] for which chosen[i] is true replaced: a pair by "\U0001F600",
// a lone surrogate by "\uFFFD" (or "\U0000FFFD", keeping its length).
RewrittenText rewrite_surrogates(std::string_view text, const std::vector<SurrogateEscape>& escapes,
                                 const std::vector<bool>& chosen);

// The 0-based byte column in the original text of `column` on `line` of the rewritten one.
int original_column(const std::vector<ColumnShift>& shifts, int line, int column);

// One past the closing quote of the double-quoted scalar whose opening quote is text[at];
// npos when there is none.
std::size_t double_quoted_end(std::string_view text, std::size_t at);

// Re-encodes the bytes 0x85 and 0xA0 that stand alone (not inside a UTF-8 sequence) as the
// UTF-8 of U+0085 and U+00A0: yaml-cpp 0.7's "\N" and "\_". Any other byte that is not valid
// UTF-8 becomes U+FFFD (no escape produces one; the source was checked before it was read).
void repair_escaped_bytes(std::string& s);

}  // namespace dossier::load
