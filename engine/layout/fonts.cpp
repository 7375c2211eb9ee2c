#include <cstring>
#include <fstream>

#include "layout/typeset.hpp"

namespace dossier::layout {

namespace {

// Big-endian readers that never read past the end: a truncated font reads as zeros and is
// then rejected by the table checks below.
struct Bytes {
    const std::string& data;
    std::uint32_t u8(std::size_t at) const {
        return at < data.size() ? static_cast<std::uint8_t>(data[at]) : 0;
    }
    std::uint32_t u16(std::size_t at) const { return (u8(at) << 8) | u8(at + 1); }
    std::uint32_t u32(std::size_t at) const { return (u16(at) << 16) | u16(at + 2); }
    std::int32_t i16(std::size_t at) const { return static_cast<std::int16_t>(u16(at)); }
};

struct Table {
    std::size_t offset = 0, length = 0;
};

bool parse_face(const std::string& path, Face& face, std::string& problem) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        problem = "cannot read font file";
        return false;
    }
    std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    Bytes b{data};
    auto find = [&](const char* tag) {
        std::uint32_t n = b.u16(4);
        for (std::uint32_t i = 0; i < n; ++i) {
            std::size_t rec = 12 + 16 * i;
            if (rec + 16 <= data.size() && std::memcmp(data.data() + rec, tag, 4) == 0) {
                Table t{b.u32(rec + 8), b.u32(rec + 12)};
                if (t.offset + t.length <= data.size()) return t;
            }
        }
        return Table{};
    };
    if (b.u32(0) != 0x00010000 && b.u32(0) != 0x74727565) {
        problem = "not a TrueType font (CFF/OpenType outlines cannot be embedded)";
        return false;
    }
    Table head = find("head"), hhea = find("hhea"), hmtx = find("hmtx"), cmap = find("cmap"),
          maxp = find("maxp");
    if (!head.length || !hhea.length || !hmtx.length || !cmap.length || !maxp.length) {
        problem = "font lacks a required table (head, hhea, hmtx, cmap, maxp)";
        return false;
    }
    std::uint32_t upem = b.u16(head.offset + 18);
    std::uint32_t glyphs = b.u16(maxp.offset + 4);
    std::uint32_t metrics = b.u16(hhea.offset + 34);
    if (upem == 0 || metrics == 0 || metrics > glyphs || hmtx.length < 4 * metrics) {
        problem = "malformed font metrics";
        return false;
    }
    face.path = path;
    face.ascender = b.i16(hhea.offset + 4) * 1000 / static_cast<int>(upem);
    face.descender = b.i16(hhea.offset + 6) * 1000 / static_cast<int>(upem);
    face.advance.assign(glyphs, 0);
    for (std::uint32_t g = 0; g < glyphs; ++g) {
        std::uint32_t adv = b.u16(hmtx.offset + 4 * std::min(g, metrics - 1));
        face.advance[g] = static_cast<std::uint16_t>(adv * 1000 / upem);
    }
    // Unicode BMP subtable: (3,1) or (0,*) format 4.
    face.glyph.assign(0x10000, 0);
    std::uint32_t subtables = b.u16(cmap.offset + 2);
    std::size_t sub = 0;
    for (std::uint32_t i = 0; i < subtables; ++i) {
        std::size_t rec = cmap.offset + 4 + 8 * i;
        std::uint32_t platform = b.u16(rec), encoding = b.u16(rec + 2);
        std::size_t off = cmap.offset + b.u32(rec + 4);
        if (b.u16(off) == 4 && (platform == 0 || (platform == 3 && encoding == 1))) sub = off;
    }
    if (!sub) {
        problem = "font has no Unicode (format 4) character map";
        return false;
    }
    std::uint32_t segs = b.u16(sub + 6) / 2;
    std::size_t ends = sub + 14, starts = ends + 2 * segs + 2, deltas = starts + 2 * segs,
                ranges = deltas + 2 * segs;
    for (std::uint32_t s = 0; s < segs; ++s) {
        std::uint32_t end = b.u16(ends + 2 * s), start = b.u16(starts + 2 * s);
        std::uint32_t delta = b.u16(deltas + 2 * s), range = b.u16(ranges + 2 * s);
        for (std::uint32_t c = start; c <= end && c < 0xFFFF; ++c) {
            std::uint32_t g;
            if (range == 0) {
                g = (c + delta) & 0xFFFF;
            } else {
                std::size_t at = ranges + 2 * s + range + 2 * (c - start);
                g = b.u16(at);
                if (g) g = (g + delta) & 0xFFFF;
            }
            if (g < glyphs) face.glyph[c] = static_cast<std::uint16_t>(g);
        }
    }
    face.name = path.substr(path.find_last_of('/') + 1);
    return true;
}

}  // namespace

FontSet load_fonts(const std::string& dir, Diagnostics& diagnostics,
                   const std::string& hyphen_dir) {
    static constexpr const char* kPrimary[4] = {
        "LiberationSerif-Regular.ttf", "LiberationSerif-Italic.ttf", "LiberationSerif-Bold.ttf",
        "LiberationSerif-BoldItalic.ttf"};
    static constexpr const char* kFallback[4] = {"DejaVuSerif.ttf", "DejaVuSerif-Italic.ttf",
                                                 "DejaVuSerif-Bold.ttf",
                                                 "DejaVuSerif-BoldItalic.ttf"};
    FontSet set;
    for (int i = 0; i < 4; ++i) {
        for (auto [name, face] :
             {std::pair{kPrimary[i], &set.primary[static_cast<std::size_t>(i)]},
              std::pair{kFallback[i], &set.fallback[static_cast<std::size_t>(i)]}}) {
            std::string path = dir + "/" + name, problem;
            if (!parse_face(path, *face, problem))
                error(diagnostics, {path, 0, 0}, "font.unusable", problem);
        }
    }
    for (const char* language : {"en-GB", "en-US"}) {
        if (auto patterns = find_hyphenation(hyphenation_dictionary(hyphen_dir, language)))
            set.hyphenation.push_back(std::move(*patterns));
    }
    return set;
}

}  // namespace dossier::layout
