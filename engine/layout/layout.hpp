// Layout: fonts and metrics, line breaking, pagination, contents, page furniture. Turns a
// Document into a display list (Pages) without touching the PDF library.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "model/document.hpp"
#include "model/pages.hpp"

namespace dossier::layout {

// One TrueType face's metrics in our own tables, so layout never asks the PDF library. Only
// the Basic Multilingual Plane is mapped: the PDF backend cannot show characters past U+FFFF.
struct Face {
    std::string path;
    std::string name;                    // PostScript name, for messages
    std::vector<std::uint16_t> glyph;    // code point (BMP) -> glyph id; 0 = missing
    std::vector<std::uint16_t> advance;  // glyph id -> advance in 1/1000 em, truncated as the
                                         // PDF backend writes it, so positions agree exactly
    int ascender = 0, descender = 0;     // 1/1000 em
    bool has(char32_t c) const { return c < glyph.size() && glyph[c] != 0; }
    // Advance of `c` in 1/1000 em; 0 for a missing character.
    int width(char32_t c) const { return has(c) ? advance[glyph[c]] : 0; }
};

// The bundled families. Index a face by Style: primary first, fallback for what it lacks.
// Immutable after loading: one FontSet may be shared by any number of threads.
struct FontSet {
    std::array<Face, 4> primary;   // Liberation Serif: regular, italic, bold, bold italic
    std::array<Face, 4> fallback;  // DejaVu Serif, same order
};

// Loads the bundled faces from `dir` (the repository's fonts/). An unreadable or malformed
// file is a diagnostic naming it; the returned set is then unusable (check has_errors).
FontSet load_fonts(const std::string& dir, Diagnostics& diagnostics);

enum class Breaker { optimal_fit, first_fit };

struct Options {
    Breaker breaker = Breaker::optimal_fit;
    bool hyphenate = true;
};

// Typesets `doc`. A character that no bundled face has is an error naming its code point
// (U+XXXX) and the span it came from; the Pages are then incomplete and must not be written.
// Pages::fonts lists the eight faces (primary then fallback, in Style order).
Pages layout(const Document& doc, const FontSet& fonts, const Options& options,
             Diagnostics& diagnostics);

// A stable text form of the display list, one item per line, for golden tests and
// `render --dump layout`.
std::string dump(const Pages& pages);

}  // namespace dossier::layout
