// Layout: fonts and metrics, line breaking, pagination, contents, page furniture. Turns a
// Document into a display list (Pages) without touching the PDF library.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "model/document.hpp"
#include "model/pages.hpp"

namespace dossier::layout {

// One TrueType face's metrics in our own tables, so layout never asks the PDF library. The
// whole Unicode range is mapped, supplementary planes included when the face has a format 12
// cmap.
struct Face {
    std::string path;
    std::string name;  // PostScript name, for messages
    // Code point -> glyph id (0 = missing) in blocks of 256 code points: block_of[c >> 8] is the
    // block of c in `glyph`. Block 0 is all zeros and stands for every block without a
    // character, so a face takes a few kilobytes instead of a 128 KB table (whose pages cost
    // more to fault in than the whole font takes to parse). block_of ends after the face's last
    // block (at most 0x110000 >> 8 entries): a BMP-only face pays nothing for the other planes
    // and the lookup stays one comparison. Both are empty before loading.
    std::vector<std::uint16_t> block_of;
    std::vector<std::uint16_t> glyph;
    std::vector<std::uint16_t> advance;  // glyph id -> advance in 1/1000 em, truncated as the
                                         // PDF backend writes it, so positions agree exactly
    int ascender = 0, descender = 0;     // 1/1000 em
    // The glyph id of `c`; 0 when the face lacks it.
    std::uint16_t glyph_of(char32_t c) const {
        const std::size_t block = c >> 8;
        return block < block_of.size() ? glyph[256u * block_of[block] + (c & 0xFF)] : 0;
    }
    bool has(char32_t c) const { return glyph_of(c) != 0; }
    // Advance of `c` in 1/1000 em; 0 for a missing character.
    int width(char32_t c) const { return has(c) ? advance[glyph_of(c)] : 0; }
};

// A libhyphen dictionary (HyphenDict, type-erased to keep <hyphen.h> out of this header),
// parsed on first use: a report needs one language's patterns, and parsing costs several
// milliseconds. The first use is synchronised, so one FontSet still serves many threads;
// libhyphen only reads a dictionary while hyphenating.
class HyphenationPatterns {
  public:
    explicit HyphenationPatterns(std::string path);
    const std::string& path() const { return path_; }
    // The parsed dictionary (a HyphenDict*), or nullptr when the file cannot be parsed.
    void* get() const;

  private:
    struct Lazy;
    std::string path_;
    std::shared_ptr<Lazy> lazy_;
};

// Faces parsed the first time something asks for them: a report rarely has a character the
// primary faces lack, so reading every fallback and script face at start-up was mostly wasted.
// load_fonts has already checked each file, so a broken one is still reported when the engine
// loads. Copies share the faces. Thread-safe: a face's first use is synchronised
// (std::call_once), after which it is only read.
class FallbackFaces {
  public:
    FallbackFaces() = default;
    // Faces to be read from `paths` on first use; an empty path gives an empty face. The caller
    // has checked the files (load_fonts does).
    explicit FallbackFaces(std::vector<std::string> paths);
    // Face `i` (below size()), parsed now if this is its first use. A file that became unusable
    // after load_fonts checked it gives an empty face (has() is false for every character, so
    // layout reports those characters as missing); so does a default-constructed set.
    const Face& operator[](std::size_t i) const;
    // The face's file without parsing it; empty when load_fonts found it unusable.
    const std::string& path(std::size_t i) const;
    std::size_t size() const;

  private:
    struct Lazy;
    std::shared_ptr<const Lazy> lazy_;
};

// The bundled families. Font indices (TextRun::font, Pages::fonts) are: 0-3 primary in Style
// order, 4-7 fallback in Style order, then the script faces two by two (regular, bold) in
// the order Arabic, Hebrew, Ethiopic. Immutable after loading: one FontSet may be shared by any
// number of threads.
struct FontSet {
    std::array<Face, 4> primary;  // Liberation Serif: regular, italic, bold, bold italic
    FallbackFaces fallback;       // DejaVu Serif, same order
    // Noto Naskh Arabic, Noto Serif Hebrew, Noto Serif Ethiopic, regular and bold each: none
    // has an italic, so the italic styles use the upright face of their weight.
    FallbackFaces scripts;
    // Hyphenation patterns found with the faces and parsed on first use, at most once per
    // process however many reports it renders. Layout loads any other dictionary
    // Options::hyphen_dir names itself, once per call.
    std::vector<HyphenationPatterns> hyphenation;

    // Number of font indices: every face, loaded or not.
    std::size_t face_count() const;
    // The face of font `index` (below face_count()), parsed now if it is a fallback or script
    // face used for the first time; an empty face for an index out of range.
    const Face& face(int index) const;
    // The file of font `index` without parsing it; empty when it is unusable or out of range.
    const std::string& path(int index) const;
    // The font index that shows `c` in `style`, or -1 when no face has it. A character of the
    // Arabic, Hebrew or Ethiopic script goes to its script face first, even when the primary
    // face has it (Liberation Serif has Hebrew letters but no Hebrew design); anything else to
    // the primary face first, then, for characters shared between scripts such as the Arabic
    // comma and vowel marks, the script face of the first of their script extensions; then
    // DejaVu Serif. Latin text costs one table lookup per character, as before.
    int pick(char32_t c, Style style) const;
};

// Loads the bundled faces from `dir` (the repository's fonts/) and the British and American
// hyphenation patterns from `hyphen_dir`. An unreadable or malformed font file is a
// diagnostic naming it; the returned set is then unusable (check has_errors). A missing
// dictionary is not an error: that language is then set without hyphenation.
FontSet load_fonts(const std::string& dir, Diagnostics& diagnostics,
                   const std::string& hyphen_dir = "/usr/share/hyphen");

enum class Breaker { optimal_fit, first_fit };

struct Options {
    // optimal_fit is Knuth-Plass (see typeset.hpp for its parameters); first_fit fills each
    // line greedily and is kept as the baseline the tests compare against.
    Breaker breaker = Breaker::optimal_fit;
    bool hyphenate = true;
    // Where the libhyphen dictionaries (hyph_en_GB.dic, hyph_en_US.dic) live. A missing
    // dictionary only turns hyphenation off: the report is still correct, just less even.
    std::string hyphen_dir = "/usr/share/hyphen";
    // Bounds that turn a runaway input into an error instead of a hang.
    std::size_t max_paragraph_chars = 100000;
    int max_pages = 2000;
};

// Parses the hyphenation patterns that layout() with `options` will use for a document in
// `language`, if they are among `fonts.hyphenation` and not parsed yet; otherwise does nothing.
// For another thread to call while the document is being composed, since the parse takes a
// few milliseconds. Thread-safe. Never throws: a failure (out of memory) is left for layout()
// to meet again and report.
void prepare_hyphenation(const FontSet& fonts, const std::string& language,
                         const Options& options) noexcept;

// Typesets `doc`: page 0 is the cover, then the contents page(s), then the body from the first
// section on (appendices start new pages), with footnotes at the foot of the page that cites
// them, a running header, "Page X of Y" footers counting body pages only, page labels (roman
// front matter, body from 1) and bookmarks (sections at level 0, clause headings at level 1).
// Geometry: A4 or US Letter, 72 pt margins, body justified at Document::body_size on
// body_leading (11 on 14.5 pt by default), quotes, sources, section headings and footnotes
// scaled with it. A signature block is an Image (Page::images) fitted into 200 x 40 pt with the
// PNG's aspect ratio, or a 200 pt rule to sign on when it has no image, kept on one page with
// the two blocks after it.
//
// A character that no bundled face has is an error naming its code point (U+XXXX) and the
// span it came from; the Pages are then incomplete and must not be written. So is a paragraph
// or a page count beyond the Options limits ("layout.too-long"), a body size that cannot be
// set ("layout.type-size": 8-20 pt, leading 1-2.5 times the size) and a signature image that
// cannot be read or is not a usable PNG ("layout.signature", naming the file and why). Pages::fonts
// lists every face of the FontSet in font index order (see FontSet). Deterministic: equal inputs
// give equal Pages. Thread-safe for distinct calls: everything mutable is local to the call (the
// FontSet, hyphenation patterns included, is only read).
Pages layout(const Document& doc, const FontSet& fonts, const Options& options,
             Diagnostics& diagnostics);

// A stable text form of the display list, one item per line, for golden tests and
// `render --dump layout`.
std::string dump(const Pages& pages);

}  // namespace dossier::layout
