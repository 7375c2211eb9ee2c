// The one JSON writer: nlohmann-json (Debian's nlohmann-json3-dev, header-only) with the key
// order kept as inserted, so that machine output is stable and reads in a sensible order.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace dossier {

using Json = nlohmann::ordered_json;

// `j` as text, indented by `indent` spaces (-1: one line with ", " and ": " separators as
// the fixed shapes of check --json and explain --json have always printed). Strings that are
// not valid UTF-8 (file names, say) have each bad byte replaced by U+FFFD, so the output is
// always valid JSON. Never throws.
inline std::string json_text(const Json& j, int indent = -1) {
    std::string out = j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
    if (indent >= 0) return out;
    // dump(-1) packs "a":1,"b":2; the documented shapes have always had spaces after the
    // separators outside strings.
    std::string spaced;
    spaced.reserve(out.size() + out.size() / 8);
    bool in_string = false, escaped = false;
    for (char c : out) {
        spaced += c;
        if (in_string) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == ',' || c == ':') {
            spaced += ' ';
        }
    }
    return spaced;
}

}  // namespace dossier
