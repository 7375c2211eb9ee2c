// The display list as stable text. Golden files depend on this format: change it only
// together with them. Font and image files are shown by file name so the dump does not depend
// on where the repository is checked out.
#include <cstdio>

#include "layout/layout.hpp"

namespace dossier::layout {

namespace {

std::string quoted(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        auto b = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (b < 0x20 || b == 0x7F) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02X", b);
            out += buf;
        } else {
            out += c;
        }
    }
    return out + "\"";
}

const char* label_style(PageLabelRange::Style s) {
    switch (s) {
        case PageLabelRange::Style::none:
            return "none";
        case PageLabelRange::Style::decimal:
            return "decimal";
        case PageLabelRange::Style::roman_lower:
            return "roman_lower";
    }
    return "none";
}

}  // namespace

std::string dump(const Pages& pages) {
    std::string out;
    auto line = [&](const std::string& s) { out += s + '\n'; };
    auto n = [](long long v) { return std::to_string(v); };
    line("pages " + n(static_cast<long long>(pages.pages.size())) + " size " + n(pages.width) +
         "x" + n(pages.height));
    for (std::size_t i = 0; i < pages.fonts.size(); ++i) {
        const std::string& path = pages.fonts[i].path;
        line("font " + n(static_cast<long long>(i)) + " " +
             quoted(path.substr(path.find_last_of('/') + 1)));
    }
    for (std::size_t p = 0; p < pages.pages.size(); ++p) {
        const Page& page = pages.pages[p];
        line("page " + n(static_cast<long long>(p)) + (page.appendix ? " appendix" : ""));
        for (const auto& r : page.runs) {
            std::string s =
                "text f=" + n(r.font) + " s=" + n(r.size) + " x=" + n(r.x) + " y=" + n(r.y);
            if (r.gray) s += " gray=" + n(r.gray);
            if (r.rotation) s += " rot=" + n(r.rotation);
            // The glyphs in brief: how many and how far they advance (1/1000 em), which moves
            // with any change of shaping or kerning; marks' offsets in full.
            long long advance = 0;
            std::string marks;
            for (const Glyph& g : r.glyphs) {
                advance += g.advance;
                if (g.dx != 0 || g.dy != 0)
                    marks += " mark=" + n(g.id) + "@" + n(g.dx) + "," + n(g.dy);
            }
            s += " g=" + n(static_cast<long long>(r.glyphs.size())) + "/" + n(advance) + marks;
            line(s + " " + quoted(r.text));
        }
        for (const auto& r : page.rules) {
            std::string s =
                "rule x=" + n(r.x) + " y=" + n(r.y) + " w=" + n(r.width) + " h=" + n(r.height);
            if (r.gray) s += " gray=" + n(r.gray);
            line(s);
        }
        for (const auto& im : page.images)
            line("image x=" + n(im.x) + " y=" + n(im.y) + " w=" + n(im.width) + " h=" +
                 n(im.height) + " " + quoted(im.path.substr(im.path.find_last_of('/') + 1)));
        for (const auto& l : page.links) {
            std::string s =
                "link x=" + n(l.x) + " y=" + n(l.y) + " w=" + n(l.width) + " h=" + n(l.height);
            if (!l.uri.empty())
                s += " uri=" + quoted(l.uri);
            else
                s += " page=" + n(l.target_page) + " ty=" + n(l.target_y);
            line(s);
        }
    }
    for (const auto& b : pages.outline)
        line("outline level=" + n(b.level) + " page=" + n(b.page) + " y=" + n(b.y) + " " +
             quoted(b.title));
    for (const auto& l : pages.labels)
        line("label page=" + n(l.first_page) + " style=" + label_style(l.style) +
             " prefix=" + quoted(l.prefix) + " start=" + n(l.start));
    const DocumentInfo& info = pages.info;
    line("info title=" + quoted(info.title) + " author=" + quoted(info.author) +
         " subject=" + quoted(info.subject) + " keywords=" + quoted(info.keywords) +
         " creator=" + quoted(info.creator) + " date=" + info.date.iso());
    return out;
}

}  // namespace dossier::layout
