// TrueType fonts: the one reader of font files, used by layout for metrics and by the PDF writer
// for embedding, so both see the same glyphs and advances. The PDF writer subsets the file's
// bytes with HarfBuzz (pdf/font_subset.hpp).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/file_bytes.hpp"

namespace dossier {

// One TrueType face read from a file. Immutable after read(). The file is mapped, not copied,
// for as long as the face lives: a document uses a few kilobytes of each ~380 KB face.
class TrueTypeFace {
  public:
    // Reads and checks the file. On failure returns nullopt and sets `problem` to what is wrong
    // ("cannot read the font file", "not a TrueType font ...", ...) for a diagnostic.
    static std::optional<TrueTypeFace> read(const std::string& path, std::string& problem);

    // The glyph for a code point, from the face's full-repertoire Unicode cmap (format 12 or 13)
    // when it has one, otherwise from its format 4 (BMP) cmap: the table layout checked
    // coverage with. 0 when the face has none.
    std::uint16_t glyph(char32_t c) const;
    // Advance width of `glyph` in 1/1000 em, truncated, which is how layout measures and the PDF
    // writer states widths, so positions agree exactly.
    int advance(std::uint16_t glyph) const;
    // Number of glyphs in the face (valid ids are below it).
    std::uint32_t glyph_count() const { return glyph_count_; }
    // Every character of the cmap glyph() reads that has a glyph, with that glyph, in code point
    // order: exactly what glyph() answers, for building lookup tables.
    std::vector<std::pair<char32_t, std::uint16_t>> mappings() const;

    // Values for the PDF font descriptor, in 1/1000 em (angle in degrees).
    struct Descriptor {
        std::string postscript_name;  // from the name table, or the file name without suffix
        int bbox[4] = {0, 0, 0, 0};
        int ascent = 0, descent = 0, cap_height = 0, stem_v = 0;
        double italic_angle = 0;
        bool italic = false, fixed_pitch = false;
    };
    const Descriptor& descriptor() const { return descriptor_; }

    // The whole file, for the PDF writer's subsetter; valid while the face lives.
    std::string_view bytes() const { return bytes_; }

  private:
    struct Table {
        std::uint32_t offset = 0, length = 0;
    };
    // The glyph of c in format 4 segment `segment` (c at most its end code); 0 for none.
    std::uint16_t glyph_in(std::uint32_t segment, char32_t c) const;
    // The glyph of c in format 12/13 group `group` (c within its range); 0 for none.
    std::uint16_t glyph_in_group(std::uint32_t group, char32_t c) const;
    std::uint16_t glyph4(char32_t c) const;
    std::uint32_t u16(std::size_t at) const;
    std::uint32_t u32(std::size_t at) const;
    std::optional<Table> table(const char* tag) const;

    std::unique_ptr<FileBytes> file_;
    std::string_view bytes_;                           // the file's bytes, owned by file_
    std::unordered_map<std::uint32_t, Table> tables_;  // by tag as a big-endian number
    std::uint32_t units_per_em_ = 1000, glyph_count_ = 0, metric_count_ = 0;
    std::size_t hmtx_ = 0;    // offset of the hmtx table, read for every glyph shown
    std::size_t cmap_ = 0;    // offset of the format 4 subtable; 0 = none
    std::size_t groups_ = 0;  // offset of the format 12/13 subtable; 0 = none
    std::uint32_t group_count_ = 0;
    bool many_to_one_ = false;  // format 13: every character of a group has its start glyph
    Descriptor descriptor_;
};

}  // namespace dossier
