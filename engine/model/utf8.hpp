// The one UTF-8 encoder and decoder for code that works on code points (line breaking,
// redaction). Malformed input decodes to U+FFFD, one per byte, so that it is reported or drawn
// as the replacement character rather than silently vanishing.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace dossier::utf8 {

// Appends `c` (at most U+10FFFF) to `out` as UTF-8.
inline void append(std::string& out, char32_t c) {
    if (c < 0x80) {
        out += static_cast<char>(c);
    } else if (c < 0x800) {
        out += static_cast<char>(0xC0 | (c >> 6));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        out += static_cast<char>(0xE0 | (c >> 12));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (c >> 18));
        out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    }
}

// The code point that starts at byte `i` of `s` (i < s.size()) in `c`, and its length in bytes;
// 0 for a malformed sequence (a bad lead or continuation byte, a truncated, overlong or
// surrogate form, a value past U+10FFFF), with `c` set to U+FFFD.
inline std::size_t decode_at(std::string_view s, std::size_t i, char32_t& c) {
    auto b = static_cast<unsigned char>(s[i]);
    int len = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
    c = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
    bool ok = len > 0 && i + static_cast<std::size_t>(len) <= s.size();
    for (int k = 1; ok && k < len; ++k) {
        auto n = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
        ok = (n & 0xC0) == 0x80;
        c = (c << 6) | (n & 0x3F);
    }
    if (ok)
        ok = !(len == 2 && c < 0x80) && !(len == 3 && c < 0x800) && !(len == 4 && c < 0x10000) &&
             c <= 0x10FFFF && !(c >= 0xD800 && c <= 0xDFFF);
    if (!ok) {
        c = 0xFFFD;
        return 0;
    }
    return static_cast<std::size_t>(len);
}

}  // namespace dossier::utf8
