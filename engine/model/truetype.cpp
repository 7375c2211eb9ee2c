#include "model/truetype.hpp"

#include <algorithm>
#include <cstring>

namespace dossier {
namespace {

constexpr std::uint32_t tag(const char* t) {
    return (static_cast<std::uint32_t>(static_cast<unsigned char>(t[0])) << 24) |
           (static_cast<std::uint32_t>(static_cast<unsigned char>(t[1])) << 16) |
           (static_cast<std::uint32_t>(static_cast<unsigned char>(t[2])) << 8) |
           static_cast<std::uint32_t>(static_cast<unsigned char>(t[3]));
}

// PostScript names go into PDF names: keep printable ASCII minus PDF's delimiters.
std::string clean_name(std::string_view raw) {
    std::string out;
    for (char c : raw) {
        const auto b = static_cast<unsigned char>(c);
        if (b > 32 && b < 127 && std::strchr("()<>[]{}/%#", c) == nullptr) out += c;
    }
    return out;
}

}  // namespace

std::uint32_t TrueTypeFace::u16(std::size_t at) const {
    if (at + 2 > bytes_.size()) return 0;  // out of range reads as 0: caught by later checks
    return (static_cast<std::uint32_t>(static_cast<unsigned char>(bytes_[at])) << 8) |
           static_cast<unsigned char>(bytes_[at + 1]);
}

std::uint32_t TrueTypeFace::u32(std::size_t at) const { return (u16(at) << 16) | u16(at + 2); }

std::optional<TrueTypeFace::Table> TrueTypeFace::table(const char* name) const {
    const auto found = tables_.find(tag(name));
    if (found == tables_.end()) return std::nullopt;
    return found->second;
}

std::optional<TrueTypeFace> TrueTypeFace::read(const std::string& path, std::string& problem) {
    TrueTypeFace face;
    face.file_ = std::make_unique<FileBytes>(path);
    face.bytes_ = face.file_->bytes();
    if (!face.file_->opened() || face.bytes_.empty()) {
        problem = "cannot read the font file";
        return std::nullopt;
    }
    const std::uint32_t version = face.u32(0);
    if (version != 0x00010000 && version != tag("true")) {
        problem = "not a TrueType font (CFF/OpenType outlines cannot be embedded)";
        return std::nullopt;
    }
    const std::uint32_t count = face.u16(4);
    for (std::uint32_t i = 0; i < count; ++i) {
        const std::size_t record = 12 + 16 * std::size_t{i};
        const Table t{face.u32(record + 8), face.u32(record + 12)};
        if (record + 16 > face.bytes_.size() ||
            std::uint64_t{t.offset} + t.length > face.bytes_.size()) {
            problem = "truncated font file (a table lies past its end)";
            return std::nullopt;
        }
        face.tables_.emplace(face.u32(record), t);
    }
    const auto head = face.table("head"), hhea = face.table("hhea"), maxp = face.table("maxp"),
               hmtx = face.table("hmtx"), loca = face.table("loca"), glyf = face.table("glyf"),
               cmap = face.table("cmap");
    if (!head || !hhea || !maxp || !hmtx || !loca || !glyf || !cmap || head->length < 54 ||
        hhea->length < 36 || maxp->length < 6) {
        problem = "font lacks a required table (head, hhea, maxp, hmtx, loca, glyf, cmap)";
        return std::nullopt;
    }
    face.units_per_em_ = face.u16(head->offset + 18);
    const bool long_loca = face.u16(head->offset + 50) != 0;
    face.glyph_count_ = face.u16(maxp->offset + 4);
    face.metric_count_ = face.u16(hhea->offset + 34);
    face.hmtx_ = hmtx->offset;
    const std::uint64_t loca_needed = (std::uint64_t{face.glyph_count_} + 1) * (long_loca ? 4 : 2);
    if (face.units_per_em_ < 16 || face.metric_count_ == 0 ||
        face.metric_count_ > face.glyph_count_ || hmtx->length < 4 * face.metric_count_ ||
        loca->length < loca_needed) {
        problem = "malformed font metrics or glyph index";
        return std::nullopt;
    }
    // The same subtables layout measures with: the last Unicode BMP format 4 one, and the last
    // full-repertoire format 12 (or 13) one, which reaches past U+FFFF (DejaVu's mathematical
    // letters, for one) and, when present, answers for the BMP too.
    const std::uint32_t subtables = face.u16(cmap->offset + 2);
    const std::size_t cmap_end = std::size_t{cmap->offset} + cmap->length;
    for (std::uint32_t i = 0; i < subtables; ++i) {
        const std::size_t record = cmap->offset + 4 + 8 * std::size_t{i};
        const std::uint32_t platform = face.u16(record), encoding = face.u16(record + 2);
        const std::size_t at = cmap->offset + face.u32(record + 4);
        const std::uint32_t format = face.u16(at);
        if (format == 4 && (platform == 0 || (platform == 3 && encoding == 1))) {
            face.cmap_ = at;
        } else if ((format == 12 || format == 13) &&
                   ((platform == 0 && (encoding == 4 || encoding == 6)) ||
                    (platform == 3 && encoding == 10))) {
            // A group table that does not fit is ignored rather than read past the cmap.
            // Format 13 (many-to-one, for last-resort faces) only when there is no format 12.
            if (format == 13 && face.groups_ != 0 && !face.many_to_one_) continue;
            const std::uint32_t groups = face.u32(at + 12);
            if (at + 16 + 12 * std::uint64_t{groups} > cmap_end) continue;
            face.groups_ = at;
            face.group_count_ = groups;
            face.many_to_one_ = format == 13;
        }
    }
    if (face.cmap_ == 0 && face.groups_ == 0) {
        problem = "font has no Unicode (format 4 or 12) character map";
        return std::nullopt;
    }
    if (face.groups_ != 0) {
        // glyph() searches the groups, so they must be sorted and disjoint as the format says;
        // a table that is not is dropped in favour of format 4 (or refused without one).
        for (std::uint32_t g = 0; g < face.group_count_; ++g) {
            const std::size_t r = face.groups_ + 16 + 12 * std::size_t{g};
            const bool ordered =
                face.u32(r) <= face.u32(r + 4) && (g == 0 || face.u32(r - 8) < face.u32(r));
            if (!ordered) {
                face.groups_ = 0;
                face.group_count_ = 0;
                break;
            }
        }
        if (face.groups_ == 0 && face.cmap_ == 0) {
            problem = "font's format 12 character map is not sorted";
            return std::nullopt;
        }
    }

    Descriptor& d = face.descriptor_;
    const auto scale = [&](std::uint32_t raw) {
        return static_cast<std::int16_t>(raw) * 1000 / static_cast<int>(face.units_per_em_);
    };
    for (int i = 0; i < 4; ++i) d.bbox[i] = scale(face.u16(head->offset + 36 + 2 * i));
    d.ascent = scale(face.u16(hhea->offset + 4));
    d.descent = scale(face.u16(hhea->offset + 6));
    d.italic = (face.u16(head->offset + 44) & 2) != 0;
    d.cap_height = d.ascent;
    int weight = 400;
    if (const auto os2 = face.table("OS/2"); os2 && os2->length >= 6) {
        weight = static_cast<int>(face.u16(os2->offset + 4));
        if (face.u16(os2->offset) >= 2 && os2->length >= 90) {
            d.cap_height = scale(face.u16(os2->offset + 88));
        }
    }
    // PDF wants a dominant stem width the font does not record; this is the usual estimate from
    // the weight class (400 gives 95, 700 gives 169).
    d.stem_v = 10 + 220 * (std::clamp(weight, 50, 950) - 50) / 900;
    if (const auto post = face.table("post"); post && post->length >= 16) {
        d.italic_angle = static_cast<std::int32_t>(face.u32(post->offset + 4)) / 65536.0;
        d.fixed_pitch = face.u32(post->offset + 12) != 0;
    }
    if (d.italic_angle != 0) d.italic = true;
    if (const auto name = face.table("name"); name && name->length >= 6) {
        const std::uint32_t records = face.u16(name->offset + 2);
        const std::size_t strings = name->offset + face.u16(name->offset + 4);
        for (std::uint32_t i = 0; i < records && d.postscript_name.empty(); ++i) {
            const std::size_t r = name->offset + 6 + 12 * std::size_t{i};
            if (face.u16(r + 6) != 6) continue;  // name id 6: the PostScript name
            const std::uint32_t platform = face.u16(r), length = face.u16(r + 8);
            const std::size_t at = strings + face.u16(r + 10);
            if (at + length > face.bytes_.size()) continue;
            std::string raw;
            if (platform == 3 || platform == 0) {  // UTF-16BE; PostScript names are ASCII
                for (std::size_t k = 0; k + 1 < length; k += 2) {
                    const std::uint32_t unit = face.u16(at + k);
                    if (unit < 128) raw += static_cast<char>(unit);
                }
            } else {
                raw = std::string(face.bytes_.substr(at, length));
            }
            d.postscript_name = clean_name(raw);
        }
    }
    if (d.postscript_name.empty()) {
        std::string stem = path.substr(path.find_last_of('/') + 1);
        stem = stem.substr(0, stem.find_last_of('.'));
        d.postscript_name = clean_name(stem);
        if (d.postscript_name.empty()) d.postscript_name = "Font";
    }
    return face;
}

std::uint16_t TrueTypeFace::glyph(char32_t c) const {
    if (groups_ == 0) return glyph4(c);
    // Groups are sorted by start code: find the last that starts at or before c.
    std::uint32_t lo = 0, hi = group_count_;
    while (lo < hi) {
        const std::uint32_t mid = (lo + hi) / 2;
        if (u32(groups_ + 16 + 12 * std::size_t{mid}) <= c) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo == 0 ? std::uint16_t{0} : glyph_in_group(lo - 1, c);
}

std::uint16_t TrueTypeFace::glyph_in_group(std::uint32_t group, char32_t c) const {
    const std::size_t r = groups_ + 16 + 12 * std::size_t{group};
    const std::uint32_t start = u32(r), end = u32(r + 4);
    if (c < start || c > end) return 0;
    const std::uint64_t g = u32(r + 8) + (many_to_one_ ? 0 : std::uint64_t{c - start});
    return g < glyph_count_ ? static_cast<std::uint16_t>(g) : std::uint16_t{0};
}

std::uint16_t TrueTypeFace::glyph4(char32_t c) const {
    if (c >= 0xFFFF || cmap_ == 0) return 0;
    const std::uint32_t segments = u16(cmap_ + 6) / 2;
    const std::size_t ends = cmap_ + 14;
    // Segments are sorted by end code: find the first that ends at or after c.
    std::uint32_t lo = 0, hi = segments;
    while (lo < hi) {
        const std::uint32_t mid = (lo + hi) / 2;
        if (u16(ends + 2 * mid) < c) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo == segments ? std::uint16_t{0} : glyph_in(lo, c);
}

std::uint16_t TrueTypeFace::glyph_in(std::uint32_t segment, char32_t c) const {
    const std::uint32_t seg_x2 = u16(cmap_ + 6);
    const std::size_t starts = cmap_ + 16 + seg_x2, deltas = starts + seg_x2,
                      ranges = deltas + seg_x2;
    const std::uint32_t start = u16(starts + 2 * segment);
    if (start > c) return 0;
    const std::uint32_t delta = u16(deltas + 2 * segment), range = u16(ranges + 2 * segment);
    std::uint32_t g = 0;
    if (range == 0) {
        g = (c + delta) & 0xFFFF;
    } else {
        g = u16(ranges + 2 * segment + range + 2 * (c - start));
        if (g != 0) g = (g + delta) & 0xFFFF;
    }
    return g < glyph_count_ ? static_cast<std::uint16_t>(g) : std::uint16_t{0};
}

std::vector<std::pair<char32_t, std::uint16_t>> TrueTypeFace::mappings() const {
    std::vector<std::pair<char32_t, std::uint16_t>> out;
    if (groups_ != 0) {
        // read() checked the groups are sorted and disjoint, so this is glyph()'s answer.
        for (std::uint32_t g = 0; g < group_count_; ++g) {
            const std::size_t r = groups_ + 16 + 12 * std::size_t{g};
            const std::uint32_t end = std::min<std::uint32_t>(u32(r + 4), 0x10FFFF);
            for (std::uint32_t c = u32(r); c <= end; ++c) {
                const std::uint16_t glyph = glyph_in_group(g, c);
                if (glyph != 0) out.emplace_back(c, glyph);
            }
        }
        return out;
    }
    const std::uint32_t segments = u16(cmap_ + 6) / 2;
    const std::size_t ends = cmap_ + 14, starts = ends + 2 * std::size_t{segments} + 2;
    // Walking the segments in order gives what glyph()'s search gives when they are sorted and
    // do not overlap, as the format requires; a font that breaks that is answered by glyph().
    bool sorted = true;
    for (std::uint32_t s = 1; s < segments && sorted; ++s) {
        sorted = u16(ends + 2 * (s - 1)) < u16(starts + 2 * s);
    }
    for (std::uint32_t s = 0; s < segments; ++s) {
        const std::uint32_t end = u16(ends + 2 * s), start = u16(starts + 2 * s);
        for (std::uint32_t c = start; c <= end && c < 0xFFFF; ++c) {
            if (!out.empty() && c <= out.back().first) continue;
            const std::uint16_t g = sorted ? glyph_in(s, c) : glyph4(c);
            if (g != 0) out.emplace_back(c, g);
        }
    }
    return out;
}

int TrueTypeFace::advance(std::uint16_t glyph) const {
    const std::uint32_t index = std::min<std::uint32_t>(glyph, metric_count_ - 1);
    return static_cast<int>(u16(hmtx_ + 4 * std::size_t{index}) * 1000 / units_per_em_);
}

}  // namespace dossier
