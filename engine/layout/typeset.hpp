// Inside the layout stage: turning one paragraph of inline content into broken, positioned
// lines. Pagination (paginate.cpp) works only with the Lines this produces. Not part of the
// stage's public interface; the tests include it to check line breaking on its own.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "layout/layout.hpp"

namespace dossier::layout {

// The shape of one paragraph. Offsets are from the left edge of the text column; widths are
// the measure of the line. The first line may differ (hanging numbers, hanging indents).
struct ParagraphSpec {
    Unit size = 11 * kPoint;
    bool bold = false;  // headings: regular becomes bold, italic becomes bold italic
    Unit first_offset = 0, first_width = 0;
    Unit offset = 0, width = 0;
    bool justify = true;  // false: ragged right (words at natural spacing)
    // Set ragged right instead when justifying would need the emergency pass (a line looser
    // than BreakParameters::tolerance): for footnotes, whose titles and addresses leave few
    // places to break. Optimal fit only; the first-fit baseline always justifies.
    bool ragged_when_loose = false;
    bool hyphenate = true;  // also needs Options::hyphenate and a dictionary
};

// A positioned piece of one line: one word (with its trailing space) or part of one.
struct LineRun {
    int font = 0;  // index into Pages::fonts
    Unit size = 0;
    Unit x = 0;        // from the left edge of the text column
    Unit rise = 0;     // added to the baseline y (negative = raised, superscript markers)
    std::string text;  // logical order, as TextRun::text
    Unit width = 0;    // advance of the glyphs without a trailing space
    std::string uri;
    std::vector<Glyph> glyphs;  // visual order, text ranges into `text` (TextRun::glyphs)
    bool rtl = false;           // right to left: glyphs in the reverse of the text's order
};

// Appends a word space to `run`: the character to its text and the face's space glyph at its
// natural width, so that text extraction keeps the word boundary ("1. The" rather than "1.The").
// `width` is unchanged (it never counts a trailing space). A face without a space glyph gets
// the character only.
void append_space(LineRun& run, const FontSet& fonts);

// `run` placed on a page: its face, size, text and glyphs at (x, y), the baseline point (the
// caller adds the run's rise and its line's position).
TextRun to_text_run(const LineRun& run, Unit x, Unit y);

// Appends `next` to `run` as if set after it at natural spacing (Typesetter::shape joins the
// runs of one line this way). Both must be in one face, size and direction, and left to right.
void append_run(LineRun& run, const LineRun& next);

struct Line {
    std::vector<LineRun> runs;
    std::vector<int> footnotes;    // footnote numbers whose markers sit on this line, in order
    Unit offset = 0, measure = 0;  // where the line box starts and how wide it is
    Unit natural = 0;              // width at natural spacing (with a final hyphen)
    double ratio = 0;              // adjustment ratio the breaker chose (before justification)
    bool hyphenated = false;       // ends in a hyphen the breaker inserted
    bool last = false;             // the paragraph's last line (set ragged)
};

// Line-breaking parameters (Knuth & Plass, "Breaking paragraphs into lines", 1981, with the
// passes TeX makes; see also bench/RESULTS.md for what they do to the example report):
//   interword glue   width = the space's advance, stretch = 1/2, shrink = 1/3 of it (TeX's
//                    proportions for a 10 pt roman)
//   pass 1           "pretolerance": no dictionary hyphenation, every line r <= 1 (badness
//                    100); most paragraphs end here, so few words are hyphenated
//   pass 2           "tolerance": with hyphenation, r <= 1.26 (badness 200, TeX's default);
//                    r above about 1.2 is where a line starts to look loose on the page
//   pass 3           emergency: any r >= -1, and the badness is no longer capped at 10000, so
//                    of two very loose lines the less loose one wins (with the cap, a line at
//                    r = 5 and one at r = 10 cost the same and the first found was kept); then
//                    first-fit if even that finds nothing (it cannot: a last resort)
//   badness          100 |r|^3, capped at 10000 in passes 1 and 2
//   line penalty     10 (added to badness before squaring: fewer lines preferred)
//   hyphen penalty   50 for an inserted hyphen and after an explicit '-' (capitalised words,
//                    acronyms, numbers and addresses are never hyphenated)
//   address breaks   (Chicago Manual 14.18) after '/' in the path: free; before '.', '-',
//                    '_', '?', '#', '=', '&', '~' in the path: 100; after "https://": 300.
//                    They let the line before a long address fill instead of stretching;
//                    the scheme and the host name never break (a line starting ".gov" reads
//                    as a word), unless the emergency pass must break a word wider than the
//                    measure
//   consecutive hyphens   3000 extra demerits (two flagged breaks in a row)
//   final hyphen          5000 extra demerits for a hyphen on the next-to-last line
//   fitness classes  tight r < -0.5, decent <= 0.5, loose <= 1, very loose > 1; 100 extra
//                    demerits when neighbouring lines' classes differ by more than one
//   last line        ended by parfillskip (infinite stretch), so it is set ragged
//   emergency        a word wider than the measure gets a break opportunity after every
//                    character (penalty 500) so the text never runs into the margin
struct BreakParameters {
    double pretolerance = 1.0;
    double tolerance = 1.26;
    int line_penalty = 10;
    int hyphen_penalty = 50;
    int explicit_hyphen_penalty = 50;
    int address_penalty = 100;
    int host_break_penalty = 300;
    int emergency_penalty = 500;
    double double_hyphen_demerits = 3000;
    double final_hyphen_demerits = 5000;
    double fitness_demerits = 100;
    int min_hyphenate_letters = 6;
    int left_hyphen_min = 2, right_hyphen_min = 3;
};

// Sets paragraphs for one layout call. Holds the per-call resources (an ICU line break
// iterator for the document's language, the hyphenation dictionary) so that nothing is global
// and two layout calls on two threads share nothing mutable. Not thread-safe itself.
class Typesetter {
  public:
    Typesetter(const FontSet& fonts, const std::string& language, const Options& options,
               Diagnostics& diagnostics);
    ~Typesetter();
    Typesetter(const Typesetter&) = delete;
    Typesetter& operator=(const Typesetter&) = delete;

    // Breaks `content` into lines. Characters no face has are reported (once per character
    // and origin) and left out.
    std::vector<Line> set(const std::vector<Inline>& content, const ParagraphSpec& spec);
    // Same, with a breaker other than Options::breaker (tests compare the two).
    std::vector<Line> set(const std::vector<Inline>& content, const ParagraphSpec& spec,
                          Breaker breaker);
    // One unbroken line of generated text (headers, page numbers, the cover) at natural
    // spacing, starting at x = 0.
    Line shape(const std::string& text, Style style, Unit size);

    bool has_hyphenation() const;
    const BreakParameters& parameters() const;
    const FontSet& fonts() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Hyphenation points of a lowercase word, as the number of characters before each point;
// empty when the dictionary is missing. Exposed for tests.
std::vector<int> hyphenation_points(const std::string& dictionary, const std::string& word);

// Path of the libhyphen dictionary for a BCP 47 language tag.
std::string hyphenation_dictionary(const std::string& dir, const std::string& language);

// The dictionary at `path`, to be parsed on first use; nullopt when there is no such file.
std::optional<HyphenationPatterns> find_hyphenation(const std::string& path);

}  // namespace dossier::layout
