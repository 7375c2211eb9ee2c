// Inside the layout stage: text shaping with HarfBuzz (kerning, mark positioning, the face's
// standard ligatures, Arabic joining), Unicode normalisation and the bidirectional algorithm
// (ICU). Line breaking measures words with what the shaper returns and the display list carries
// the same glyphs, so layout and the PDF writer cannot disagree. Not part of the stage's public
// interface.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "layout/layout.hpp"

namespace dossier::layout {

// A glyph of a shaped word. Advances and offsets in 1/1000 em, in the PDF font's own measure:
// a glyph without kerning advances exactly its face's width (Face::advance), a kerned one by that
// plus its kerning, rounded to 1/1000 em.
struct ShapedGlyph {
    std::uint16_t id = 0;
    std::int32_t advance = 0;
    std::int32_t dx = 0, dy = 0;  // dy up
    std::uint32_t cluster = 0;    // index of the first character of the word it shows
};

// Shapes words in the faces of one FontSet. Holds a HarfBuzz font per face, opened on first use
// (a report uses a few of the faces), and a cache of shaped words: report prose repeats its
// words, and shaping is the costly step per character. One per layout call, like Typesetter:
// nothing is shared between calls, so two threads never share a HarfBuzz buffer. Not
// thread-safe itself.
class Shaper {
  public:
    // `language` is the document's BCP 47 tag (HarfBuzz picks language-specific forms with it).
    Shaper(const FontSet& fonts, const std::string& language);
    ~Shaper();
    Shaper(const Shaper&) = delete;
    Shaper& operator=(const Shaper&) = delete;

    // The glyphs of `word` (characters without spaces, all in face `font`) in visual order,
    // right to left words reversed as HarfBuzz returns them. The reference stays valid until the
    // next call. A face HarfBuzz cannot open gives each character its nominal glyph and advance,
    // without kerning (the face was checked when loaded, so this is a defect, not user input).
    const std::vector<ShapedGlyph>& shape(int font, std::u32string_view word, bool rtl);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// `text` in Unicode Normalization Form C (composed: "e" + U+0301 becomes "é"), so that a face
// with the precomposed letter draws it as one glyph. Returns `text` itself when it is already
// NFC (the common case, checked without copying) or when ICU fails.
std::string to_nfc(const std::string& text);

// Embedding levels of `text` by the Unicode Bidirectional Algorithm (ICU ubidi), one per
// character; even = left to right. The paragraph is right to left when it has right-to-left
// letters and no left-to-right ones, else left to right. Empty when every level is 0 (no
// right-to-left text: the common case costs one scan).
std::vector<std::uint8_t> bidi_levels(const std::u32string& text);

// The visual order (left to right) of characters with these levels, as indices into `levels`
// (Unicode rule L2: reverse every run at level k or higher, from the highest level down).
std::vector<int> visual_order(const std::vector<std::uint8_t>& levels);

}  // namespace dossier::layout
