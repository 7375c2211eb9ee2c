#include "compose/markup.hpp"

#include <algorithm>
#include <cctype>
#include <string>

namespace dossier::compose::detail {

namespace {

Style style_of(bool bold, bool italic) {
    if (bold && italic) return Style::bold_italic;
    if (bold) return Style::bold;
    if (italic) return Style::italic;
    return Style::regular;
}

}  // namespace

MarkupResult parse_markup(std::string_view s) {
    MarkupResult out;
    bool bold = false, italic = false;
    std::string text;
    auto flush = [&] {
        if (text.empty()) return;
        out.pieces.push_back({Piece::Kind::text, std::move(text), 0, style_of(bold, italic)});
        text.clear();
    };
    std::size_t i = 0;
    while (i < s.size()) {
        char c = s[i];
        if (c == '\\' && i + 1 < s.size() &&
            (s[i + 1] == '*' || s[i + 1] == '[' || s[i + 1] == ']' || s[i + 1] == '\\')) {
            text += s[i + 1];
            i += 2;
        } else if (s.substr(i, kLiteralOpen.size()) == kLiteralOpen) {
            std::size_t end = s.find(kLiteralClose, i);
            std::size_t index = 0;
            for (std::size_t k = i + kLiteralOpen.size(); k < end && k < s.size(); ++k)
                index = index * 10 + static_cast<std::size_t>(s[k] - '0');
            flush();
            out.pieces.push_back({Piece::Kind::literal, {}, index, style_of(bold, italic)});
            i = end == std::string_view::npos ? s.size() : end + kLiteralClose.size();
        } else if (c == '*') {
            flush();
            if (i + 1 < s.size() && s[i + 1] == '*') {
                bold = !bold;
                i += 2;
            } else {
                italic = !italic;
                ++i;
            }
        } else if (c == '[' && (s.substr(i + 1, 1) == "@" || s.substr(i + 1, 2) == "\xC2\xA7")) {
            bool cite = s[i + 1] == '@';
            std::size_t begin = i + (cite ? 2 : 3);
            std::size_t end = s.find(']', begin);
            std::string_view body =
                s.substr(begin, end == std::string_view::npos ? 0 : end - begin);
            bool ok = end != std::string_view::npos && !body.empty();
            for (char k : body)
                if (!(std::isalnum(static_cast<unsigned char>(k)) || k == '.' || k == '-' ||
                      k == '_' || k == ':'))
                    ok = false;
            if (!ok) {
                std::string shown(s.substr(i, std::min<std::size_t>(24, s.size() - i)));
                out.errors.push_back(std::string(cite ? "citation" : "cross-reference") +
                                     " is not of the form " + (cite ? "[@key]" : "[§clause-id]") +
                                     ": " + shown);
                text += c;
                ++i;
                continue;
            }
            flush();
            out.pieces.push_back({cite ? Piece::Kind::citation : Piece::Kind::cross_reference,
                                  std::string(body), 0, style_of(bold, italic)});
            i = end + 1;
        } else {
            text += c;
            ++i;
        }
    }
    flush();
    if (bold) out.errors.push_back("'**' opens bold text that is never closed");
    if (italic) out.errors.push_back("'*' opens emphasis that is never closed");
    return out;
}

}  // namespace dossier::compose::detail
