#include <cstring>
#include <mutex>
#include <string_view>

#include "model/file_bytes.hpp"
#include "layout/typeset.hpp"

namespace dossier::layout {

namespace {

// Big-endian readers that never read past the end: a truncated font reads as zeros and is
// then rejected by the table checks below.
struct Bytes {
    std::string_view data;
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

// Checks the font at `path` and, when `face` is not null, reads its metrics into it (which is
// then complete only when this returns true). On failure `problem` says what is wrong.
bool parse_face(const std::string& path, Face* face, std::string& problem) {
    FileBytes file(path);
    if (!file.opened()) {
        problem = "cannot read font file";
        return false;
    }
    std::string_view data = file.bytes();
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
    // Unicode BMP subtable: (3,1) or (0,*) format 4.
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
    if (!face) return true;
    face->path = path;
    face->ascender = b.i16(hhea.offset + 4) * 1000 / static_cast<int>(upem);
    face->descender = b.i16(hhea.offset + 6) * 1000 / static_cast<int>(upem);
    face->advance.assign(glyphs, 0);
    for (std::uint32_t g = 0; g < glyphs; ++g) {
        std::uint32_t adv = b.u16(hmtx.offset + 4 * std::min(g, metrics - 1));
        face->advance[g] = static_cast<std::uint16_t>(adv * 1000 / upem);
    }
    face->block_of.assign(0x100, 0);
    face->glyph.assign(0x100, 0);  // block 0: no characters
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
            if (g >= glyphs) continue;
            std::uint16_t& block = face->block_of[c >> 8];
            if (block == 0) {
                if (g == 0) continue;  // already 0
                block = static_cast<std::uint16_t>(face->glyph.size() / 0x100);
                face->glyph.resize(face->glyph.size() + 0x100, 0);
            }
            face->glyph[0x100u * block + (c & 0xFF)] = static_cast<std::uint16_t>(g);
        }
    }
    face->name = path.substr(path.find_last_of('/') + 1);
    return true;
}

}  // namespace

struct FallbackFaces::Lazy {
    std::array<std::string, 4> paths;
    mutable std::array<std::once_flag, 4> once;
    mutable std::array<Face, 4> faces;
};

FallbackFaces::FallbackFaces(std::array<std::string, 4> paths) {
    auto lazy = std::make_shared<Lazy>();
    lazy->paths = std::move(paths);
    lazy_ = std::move(lazy);
}

const Face& FallbackFaces::operator[](std::size_t i) const {
    static const Face kNone;  // immutable: what a default-constructed set has
    if (!lazy_) return kNone;
    std::call_once(lazy_->once[i], [&] {
        const std::string& path = lazy_->paths[i];
        Face face;
        std::string problem;
        if (!path.empty() && parse_face(path, &face, problem)) lazy_->faces[i] = std::move(face);
    });
    return lazy_->faces[i];
}

const std::string& FallbackFaces::path(std::size_t i) const {
    static const std::string kNone;
    return lazy_ ? lazy_->paths[i] : kNone;
}

FontSet load_fonts(const std::string& dir, Diagnostics& diagnostics,
                   const std::string& hyphen_dir) {
    static constexpr const char* kPrimary[4] = {
        "LiberationSerif-Regular.ttf", "LiberationSerif-Italic.ttf", "LiberationSerif-Bold.ttf",
        "LiberationSerif-BoldItalic.ttf"};
    static constexpr const char* kFallback[4] = {"DejaVuSerif.ttf", "DejaVuSerif-Italic.ttf",
                                                 "DejaVuSerif-Bold.ttf",
                                                 "DejaVuSerif-BoldItalic.ttf"};
    FontSet set;
    std::array<std::string, 4> fallback;
    // Primary and fallback interleaved, so that the diagnostics come in the order they did
    // when every face was parsed here.
    for (std::size_t i = 0; i < 4; ++i) {
        std::string path = dir + "/" + kPrimary[i], problem;
        if (!parse_face(path, &set.primary[i], problem))
            error(diagnostics, {path, 0, 0}, "font.unusable", problem);
        // Only checked here; FallbackFaces reads the metrics if layout needs the face.
        path = dir + "/" + kFallback[i];
        if (parse_face(path, nullptr, problem))
            fallback[i] = std::move(path);
        else
            error(diagnostics, {path, 0, 0}, "font.unusable", problem);
    }
    set.fallback = FallbackFaces(std::move(fallback));
    for (const char* language : {"en-GB", "en-US"}) {
        if (auto patterns = find_hyphenation(hyphenation_dictionary(hyphen_dir, language)))
            set.hyphenation.push_back(std::move(*patterns));
    }
    return set;
}

}  // namespace dossier::layout
