#include <filesystem>
#include <sstream>

#include "compose/compose.hpp"

namespace dossier::compose {

namespace {

const char* style_name(Style s) {
    switch (s) {
        case Style::italic:
            return "italic";
        case Style::bold:
            return "bold";
        case Style::bold_italic:
            return "bold-italic";
        default:
            return "regular";
    }
}

const char* block_name(Block::Kind k) {
    switch (k) {
        case Block::Kind::heading:
            return "heading";
        case Block::Kind::paragraph:
            return "paragraph";
        case Block::Kind::quote:
            return "quote";
        case Block::Kind::list_item:
            return "item";
        case Block::Kind::source:
            return "source";
        case Block::Kind::signature:
            return "signature";
        default:
            return "plain";
    }
}

// Quotes text so that every dump line is unambiguous: \" \\ and \n are escaped.
std::string quoted(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out + "\"";
}

void inlines(std::ostringstream& out, const std::vector<Inline>& content, const char* indent) {
    for (const Inline& in : content) {
        out << indent;
        if (in.kind == Inline::Kind::footnote_ref) {
            out << "note " << in.footnote << "\n";
            continue;
        }
        out << style_name(in.style) << ' ' << quoted(in.text);
        if (!in.uri.empty()) out << " uri=" << quoted(in.uri);
        out << "\n";
    }
}

}  // namespace

std::string dump(const Document& doc) {
    std::ostringstream out;
    out << "document paper=" << (doc.paper == Document::Paper::a4 ? "a4" : "us-letter")
        << " language=" << doc.language << "\n";
    out << "info title=" << quoted(doc.info.title) << " author=" << quoted(doc.info.author)
        << " date=" << doc.info.date.iso() << "\n";
    out << "info subject=" << quoted(doc.info.subject) << " keywords=" << quoted(doc.info.keywords)
        << "\n";
    out << "header " << quoted(doc.header) << "\n";
    if (!doc.watermark.empty()) out << "watermark " << quoted(doc.watermark) << "\n";
    out << "type " << doc.body_size << "/" << doc.body_leading << "\n";
    out << "cover " << quoted(doc.cover.title) << ' ' << quoted(doc.cover.subtitle) << "\n";
    for (const auto& [label, value] : doc.cover.rows)
        out << "  row " << quoted(label) << ' ' << quoted(value) << "\n";
    out << "  notice " << quoted(doc.cover.notice) << "\n";
    for (const Section& s : doc.sections) {
        out << "section " << quoted(s.label) << ' ' << quoted(s.title) << " id=" << s.id
            << (s.appendix ? " appendix" : "") << "\n";
        for (const Block& b : s.blocks) {
            out << "  " << block_name(b.kind);
            if (b.number) out << ' ' << b.number;
            if (!b.anchor.empty()) out << " anchor=" << b.anchor;
            // The file name only: the dump must not depend on where the tree is checked out.
            if (!b.image.empty())
                out << " image=" << quoted(std::filesystem::path(b.image).filename().string());
            out << "\n";
            inlines(out, b.content, "    ");
        }
    }
    for (const Footnote& f : doc.footnotes) {
        out << "footnote " << f.number << "\n";
        inlines(out, f.content, "  ");
    }
    return out.str();
}

}  // namespace dossier::compose
