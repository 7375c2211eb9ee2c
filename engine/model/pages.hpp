// The display list: positioned text, rules, images and links per page. Layout produces it; the
// PDF writer only walks it. All lengths are integer units of 1/1000 point; y grows downward from
// the top edge of the page, and a text run's y is its baseline.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/document.hpp"

namespace dossier {

using Unit = std::int32_t;  // 1/1000 pt: A4 is 595276 x 841890
constexpr Unit kPoint = 1000;

struct FontFile {
    std::string path;  // TrueType file to embed; the writer loads only fonts that runs use
};

// One glyph as the shaper (HarfBuzz, in layout) placed it. Advances and offsets are in 1/1000 em
// of the run's size, so that a glyph at its face's own width (the PDF font's /W entry) needs no
// adjustment and a kerned one differs by exactly its kerning.
struct Glyph {
    std::uint16_t id = 0;         // glyph id in the run's face; never 0 (layout reported those)
    std::int32_t advance = 0;     // pen movement after this glyph, kerning included
    std::int32_t dx = 0, dy = 0;  // offset of this glyph from the pen (combining marks); dy up
    // The bytes of TextRun::text this glyph shows, for text extraction. Several glyphs of one
    // character (or one glyph of several, a ligature) share a range: the first carries it and
    // the others are empty. A glyph with no text at all (an inserted hyphen) is empty too.
    std::uint32_t text_begin = 0, text_end = 0;
};

struct TextRun {
    int font = 0;   // index into Pages::fonts
    Unit size = 0;  // font size
    Unit x = 0, y = 0;
    // UTF-8, in logical (reading) order: what a reader who copies or searches the run gets. A
    // line-end hyphen the breaker inserted is U+00AD here, so search finds the whole word.
    std::string text;
    // In visual order (left to right), starting at x. Layout fills it; the PDF writer draws
    // exactly these glyphs and derives the text layer from `text`. A run without glyphs (built
    // by hand, as the writer's tests do) is drawn with each character's nominal glyph.
    std::vector<Glyph> glyphs;
    std::uint8_t gray = 0;  // 0 = black, 255 = white
    int rotation = 0;       // degrees counter-clockwise about (x, y); watermark only
};

// A filled rectangle (rules, leaders' underlines, boxes). y is the top edge.
struct Rule {
    Unit x = 0, y = 0, width = 0, height = 0;
    std::uint8_t gray = 0;
};

// A PNG image stretched over a rectangle (x, y top-left, width x height) that layout sized
// with the image's own aspect ratio (the signature). The PDF writer reads the file, embeds each
// distinct path once per document, and fails with a diagnostic, writing nothing, when the file
// cannot be read or decoded or exceeds kMaxImageSide / kMaxImagePixels.
struct Image {
    std::string path;  // PNG file, as given to the reader (absolute, or relative to the cwd)
    Unit x = 0, y = 0, width = 0, height = 0;
};

// Bounds on an image's pixel size. Both layout and the writer enforce them: the PDF library
// holds a whole image's pixels in memory, and a signature needs a few hundred pixels across.
constexpr std::uint32_t kMaxImageSide = 10000;
constexpr std::uint64_t kMaxImagePixels = 16u << 20;

// A clickable rectangle (top-left x, y). Either an internal target or a URI.
struct Link {
    Unit x = 0, y = 0, width = 0, height = 0;
    int target_page = -1;  // 0-based page index; -1 when `uri` is set
    Unit target_y = 0;     // where on the target page to scroll to
    std::string uri;
    // What the link shows (its words, or the contents entry's title), for the annotation's
    // /Contents: what a reader that cannot see the page says of the link.
    std::string text;
};

struct Page {
    std::vector<TextRun> runs;
    std::vector<Rule> rules;
    std::vector<Image> images;  // painted over the rules, under the text
    std::vector<Link> links;
    // A page of an appendix section (Section::appendix, e.g. the CV). Forum page limits count
    // the pages without it ("at most 20 pages excluding appendices"); the cover and contents
    // are not appendix pages.
    bool appendix = false;
};

struct Bookmark {
    std::string title;
    int level = 0;  // 0 = top level; a bookmark's parent is the previous one with level - 1
    int page = 0;
    Unit y = 0;
};

// Page labels as the PDF viewer shows them: from `first_page` (0-based) on, until the next range.
struct PageLabelRange {
    enum class Style { none, decimal, roman_lower };
    int first_page = 0;
    Style style = Style::decimal;
    std::string prefix;
    int start = 1;
};

struct Pages {
    Unit width = 0, height = 0;
    std::vector<FontFile> fonts;
    std::vector<Page> pages;
    std::vector<Bookmark> outline;
    std::vector<PageLabelRange> labels;
    DocumentInfo info;
};

}  // namespace dossier
