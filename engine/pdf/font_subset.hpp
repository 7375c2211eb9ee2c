// Font subsets for embedding, made by HarfBuzz's subsetter (hb-subset): the font program of a
// TrueType CIDFont holding only the glyphs a document shows.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dossier::pdf {

// A font program made from the TrueType file `font` (its bytes) with the glyphs `glyphs` (any
// order, duplicates allowed), .notdef and the components of composite glyphs. Glyph ids are
// kept (HB_SUBSET_FLAGS_RETAIN_GIDS), so a PDF uses them as CIDs with an Identity CIDToGIDMap;
// ids at or past the face's glyph count are ignored. Only the tables PDF requires of an
// embedded TrueType CIDFont are kept: head, hhea, maxp, hmtx, loca and glyf. The hinting
// programs (cvt, fpgm, prep and the glyphs' instructions) are dropped: viewers scale glyphs
// for the screen themselves, and they were about a tenth of a subset. The cmap goes too: codes
// are glyph ids. Deterministic. On failure (a file HarfBuzz cannot read or subset, out of
// memory) returns nullopt and sets `problem` to a sentence for a diagnostic; never throws.
std::optional<std::string> subset_font(std::string_view font,
                                       const std::vector<std::uint16_t>& glyphs,
                                       std::string& problem);

}  // namespace dossier::pdf
