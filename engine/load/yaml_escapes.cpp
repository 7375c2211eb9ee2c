#include "load/yaml_escapes.hpp"

#include <cstdint>
#include <cstdio>

namespace dossier::load {

namespace {

int hex_value(char h) {
    if (h >= '0' && h <= '9') return h - '0';
    if (h >= 'a' && h <= 'f') return h - 'a' + 10;
    if (h >= 'A' && h <= 'F') return h - 'A' + 10;
    return -1;
}

// The value of the `digits` hex digits at text[at], or -1.
long hex_at(std::string_view text, std::size_t at, std::size_t digits) {
    if (at + digits > text.size()) return -1;
    long value = 0;
    for (std::size_t k = 0; k < digits; ++k) {
        int v = hex_value(text[at + k]);
        if (v < 0) return -1;
        value = value * 16 + v;
    }
    return value;
}

bool is_surrogate(long v) { return v >= 0xD800 && v <= 0xDFFF; }

// The length of the valid UTF-8 sequence at s[i], or 0.
std::size_t utf8_length(const std::string& s, std::size_t i) {
    auto b = static_cast<std::uint8_t>(s[i]);
    std::size_t len = b < 0x80         ? 1
                      : (b >> 5) == 6  ? 2
                      : (b >> 4) == 14 ? 3
                      : (b >> 3) == 30 ? 4
                                       : 0;
    if (len == 0 || i + len > s.size()) return 0;
    std::uint32_t cp = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
    for (std::size_t k = 1; k < len; ++k) {
        auto c = static_cast<std::uint8_t>(s[i + k]);
        if ((c & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (c & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
        return 0;
    return len;
}

}  // namespace

std::vector<SurrogateEscape> find_surrogate_escapes(std::string_view text) {
    std::vector<SurrogateEscape> out;
    int line = 0;
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            line_start = i + 1;
            continue;
        }
        if (text[i] != '\\' || i + 1 >= text.size()) continue;
        char kind = text[i + 1];
        std::size_t digits = kind == 'u' ? 4 : kind == 'U' ? 8 : 0;
        long value = digits ? hex_at(text, i + 2, digits) : -1;
        if (!is_surrogate(value)) {
            ++i;  // the escaped character, which may be another backslash
            continue;
        }
        SurrogateEscape e;
        e.at = i;
        e.length = 2 + digits;
        e.line = line;
        e.column = static_cast<int>(i - line_start);
        if (kind == 'u' && value <= 0xDBFF && i + 12 <= text.size() && text[i + 6] == '\\' &&
            text[i + 7] == 'u') {
            long low = hex_at(text, i + 8, 4);
            if (low >= 0xDC00 && low <= 0xDFFF) {
                e.length = 12;
                e.code_point =
                    static_cast<char32_t>(0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00));
            }
        }
        out.push_back(e);
        i += e.length - 1;
    }
    return out;
}

RewrittenText rewrite_surrogates(std::string_view text, const std::vector<SurrogateEscape>& escapes,
                                 const std::vector<bool>& chosen) {
    RewrittenText out;
    out.text.reserve(text.size());
    std::size_t copied = 0;
    int line = -1, line_delta = 0;
    for (std::size_t k = 0; k < escapes.size(); ++k) {
        if (k >= chosen.size() || !chosen[k]) continue;
        const SurrogateEscape& e = escapes[k];
        out.text.append(text.substr(copied, e.at - copied));
        out.offsets.push_back(out.text.size());
        std::string with;
        if (e.code_point != 0) {
            char buf[16];
            std::snprintf(buf, sizeof buf, "\\U%08X", static_cast<unsigned>(e.code_point));
            with = buf;
        } else {
            with = e.length == 6 ? "\\uFFFD" : "\\U0000FFFD";
        }
        out.text += with;
        copied = e.at + e.length;
        if (with.size() != e.length) {
            if (e.line != line) line = e.line, line_delta = 0;
            // Earlier rewrites on the line moved this one line_delta bytes left; what follows
            // it moves further by what it saves.
            const int saved = static_cast<int>(e.length - with.size());
            const int end = e.column - line_delta + static_cast<int>(with.size());
            out.shifts.push_back({e.line, end, saved});
            line_delta += saved;
        }
    }
    out.text.append(text.substr(copied));
    return out;
}

int original_column(const std::vector<ColumnShift>& shifts, int line, int column) {
    int original = column;
    for (const ColumnShift& s : shifts)
        if (s.line == line && column >= s.from_column) original += s.delta;
    return original;
}

std::size_t double_quoted_end(std::string_view text, std::size_t at) {
    if (at >= text.size() || text[at] != '"') return std::string_view::npos;
    for (std::size_t i = at + 1; i < text.size(); ++i) {
        if (text[i] == '\\')
            ++i;
        else if (text[i] == '"')
            return i + 1;
    }
    return std::string_view::npos;
}

void repair_escaped_bytes(std::string& s) {
    bool valid = true;
    for (std::size_t i = 0; i < s.size() && valid;) {
        std::size_t len = utf8_length(s, i);
        valid = len > 0;
        i += len;
    }
    if (valid) return;
    std::string out;
    out.reserve(s.size() + 8);
    for (std::size_t i = 0; i < s.size();) {
        std::size_t len = utf8_length(s, i);
        if (len > 0) {
            out.append(s, i, len);
            i += len;
            continue;
        }
        auto b = static_cast<std::uint8_t>(s[i]);
        if (b == 0x85 || b == 0xA0) {
            out += '\xC2';
            out += static_cast<char>(b);
        } else {
            out += "\xEF\xBF\xBD";
        }
        ++i;
    }
    s = std::move(out);
}

}  // namespace dossier::load
