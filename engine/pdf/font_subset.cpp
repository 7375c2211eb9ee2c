#include "pdf/font_subset.hpp"

#include <hb-subset.h>
#include <hb.h>

#include <algorithm>
#include <array>
#include <limits>
#include <memory>

namespace dossier::pdf {
namespace {

// Owners for HarfBuzz objects, so every early return frees what was made.
struct BlobFree {
    void operator()(hb_blob_t* b) const { hb_blob_destroy(b); }
};
struct FaceFree {
    void operator()(hb_face_t* f) const { hb_face_destroy(f); }
};
struct InputFree {
    void operator()(hb_subset_input_t* i) const { hb_subset_input_destroy(i); }
};
using Blob = std::unique_ptr<hb_blob_t, BlobFree>;
using Face = std::unique_ptr<hb_face_t, FaceFree>;
using Input = std::unique_ptr<hb_subset_input_t, InputFree>;

// What PDF requires of an embedded TrueType CIDFont's program (ISO 32000-1, 9.9: cmap only for
// simple fonts, and the hinting tables only with hinting, which we drop).
constexpr std::array<hb_tag_t, 6> kKeep = {HB_TAG('h', 'e', 'a', 'd'), HB_TAG('h', 'h', 'e', 'a'),
                                           HB_TAG('m', 'a', 'x', 'p'), HB_TAG('h', 'm', 't', 'x'),
                                           HB_TAG('l', 'o', 'c', 'a'), HB_TAG('g', 'l', 'y', 'f')};

}  // namespace

std::optional<std::string> subset_font(std::string_view font,
                                       const std::vector<std::uint16_t>& glyphs,
                                       std::string& problem) {
    if (font.empty() || font.size() > std::numeric_limits<unsigned int>::max()) {
        problem = "the font file is empty or too large to subset";
        return std::nullopt;
    }
    // Read-only over the caller's bytes: nothing is copied, and HarfBuzz makes its own copy
    // should it ever need to write (it does not when subsetting).
    Blob blob(hb_blob_create_or_fail(font.data(), static_cast<unsigned int>(font.size()),
                                     HB_MEMORY_MODE_READONLY, nullptr, nullptr));
    if (!blob) {
        problem = "HarfBuzz could not take the font data (out of memory)";
        return std::nullopt;
    }
    // hb_face_create never fails: a file it cannot read gives the empty face, with no glyphs.
    Face face(hb_face_create(blob.get(), 0));
    const unsigned int glyph_count = hb_face_get_glyph_count(face.get());
    if (glyph_count == 0) {
        problem = "HarfBuzz found no glyphs in the font file";
        return std::nullopt;
    }
    Input input(hb_subset_input_create_or_fail());
    if (!input) {
        problem = "HarfBuzz could not start a subset (out of memory)";
        return std::nullopt;
    }
    hb_set_t* keep_glyphs = hb_subset_input_glyph_set(input.get());
    hb_set_add(keep_glyphs, 0);  // .notdef, which a PDF viewer draws for a missing glyph
    for (std::uint16_t g : glyphs) {
        if (g < glyph_count) hb_set_add(keep_glyphs, g);
    }
    hb_subset_input_set_flags(input.get(),
                              HB_SUBSET_FLAGS_RETAIN_GIDS | HB_SUBSET_FLAGS_NO_HINTING);
    // Every table of the face but those PDF needs is dropped. Dropping GSUB also keeps
    // HarfBuzz from adding the glyphs that substitutions could reach, which we never show.
    hb_set_t* drop = hb_subset_input_set(input.get(), HB_SUBSET_SETS_DROP_TABLE_TAG);
    std::array<hb_tag_t, 64> tags{};
    for (unsigned int start = 0;;) {
        unsigned int count = static_cast<unsigned int>(tags.size());
        hb_face_get_table_tags(face.get(), start, &count, tags.data());
        for (unsigned int i = 0; i < count; ++i) {
            if (std::find(kKeep.begin(), kKeep.end(), tags[i]) == kKeep.end())
                hb_set_add(drop, tags[i]);
        }
        if (count < tags.size()) break;
        start += count;
    }
    if (hb_set_allocation_successful(keep_glyphs) == 0 || hb_set_allocation_successful(drop) == 0) {
        problem = "HarfBuzz could not record the glyphs to keep (out of memory)";
        return std::nullopt;
    }
    Face subset(hb_subset_or_fail(face.get(), input.get()));
    if (!subset) {
        problem = "HarfBuzz could not subset the font";
        return std::nullopt;
    }
    Blob bytes(hb_face_reference_blob(subset.get()));
    unsigned int length = 0;
    const char* data = hb_blob_get_data(bytes.get(), &length);
    if (data == nullptr || length == 0) {
        problem = "HarfBuzz produced an empty subset";
        return std::nullopt;
    }
    return std::string(data, length);
}

}  // namespace dossier::pdf
