// Inside the layout stage: the body column as pagination sees it (FlowLine), the type sizes a
// document asks for (TypeScale), and the blocks that are not text (the signature). Not part of
// the stage's public interface.
#pragma once

#include <utility>
#include <vector>

#include "layout/typeset.hpp"

namespace dossier::layout {

// A line of the body column, before it has a page.
struct FlowLine {
    std::vector<LineRun> runs;  // x absolute
    Unit space_before = 0;      // dropped at the top of a page
    Unit stretch = 0;           // how far space_before may grow to fill a page (never shrinks)
    Unit height = 0, ascent = 0;
    std::vector<int> footnotes;
    int penalty = 0;        // cost of a page break before this line (PageCosts)
    bool new_page = false;  // a page must end before this line
    bool appendix = false;  // part of an appendix section (Page::appendix)
    std::vector<int> targets;
    // Drawn with the line (a signature): x absolute, y from the top of the line box.
    std::vector<Rule> rules;
    std::vector<Image> images;
};

// What a page break costs, in the units of page badness (0 for a page filled to the notes,
// 100 for one whose gaps are stretched to their limit). Page building (build_pages) picks the
// breaks whose pages' badness plus penalties add up least, as Knuth-Plass picks a paragraph's
// lines; a break is never forbidden outright, so a page that cannot be built well is still
// built.
struct PageCosts {
    // White left when the stretch is used up costs 100 + white_line (x + x^2) / 2 for x body
    // lines of it: 1100 for one line, 3100 for two, so that two pages a line short cost less
    // than one page two lines short. A widow costs about two lines of white, a heading or a
    // signature stranded from its text several.
    int white_line = 1000;
    int widow = 3000, orphan = 3000;  // one line of a paragraph alone overleaf / at the foot
    // Inside a heading or between it and its first line: a heading last on a page is never
    // right, so this outweighs any white a page can have; it is still a cost, not a ban, so
    // that a heading followed by something taller than a page still has a place.
    int heading = 100000;
    int heading_next = 3000;    // between the heading's first and second lines of text
    int signature = 6000;       // between a statement and its signature, or the two
                                // blocks (name, date) after it
    int note_split = 150;       // a footnote continued on the next page
    int note_split_line = 300;  // ... leaving one of its lines alone on either page
    int page = 1000;            // each page: a page more is worth a little white
};

// A footnote line on a page: notes[footnote][line] of build_pages' input.
struct PlacedNote {
    int footnote = 0;
    int line = 0;
};

struct BodyPage {
    std::vector<std::pair<int, Unit>> lines;  // flow index, baseline
    std::vector<PlacedNote> notes;            // top down, continued lines first
};

// The body column of every page.
struct PageFrame {
    Unit top = 0, height = 0;
    Unit note_gap = 0;  // from the last body line to the first footnote line (space, rule, gap)
    Unit line = 0;      // the body leading, the unit of white in PageCosts
    int max_pages = 0;
};

// Breaks `flow` into pages with the footnotes (`notes`, by footnote number - 1) at their foot.
// Each footnote starts on the page of the line citing it; its later lines may continue at the
// top of the next page's note area, before that page's own notes (then no new footnote starts
// on the page it was split on, so notes stay in order). A page not ending its section has its
// gaps stretched, up to FlowLine::stretch each, so the last body line sits on the notes or the
// bottom margin. Stops at frame.max_pages, setting `cut`. Each break considered (about one a
// line) scans the one page after it, so the work grows with lines times lines per page.
std::vector<BodyPage> build_pages(const std::vector<FlowLine>& flow,
                                  const std::vector<std::vector<FlowLine>>& notes,
                                  const PageFrame& frame, const PageCosts& costs, bool& cut);

// Sizes and baseline-to-baseline distances of the text that follows the body size, in units.
// Quotes and sources keep the proportions they have at the default 11 on 14.5 (1/2 pt and 1 pt
// smaller, leading scaled with the body's); section headings stay 2 pt larger. Footnotes stay
// 2 pt smaller on their own 11/9 leading: at 12 pt body a 9 pt note would be proportionally
// smaller than at 11 pt, and a forum that sets the body size for legibility reads the notes
// too. Headers, footers, footnote markers, the cover's titles and the watermark keep fixed
// sizes: they are furniture, not the report's text.
struct TypeScale {
    Unit body_size = 11000, body_leading = 14500;
    Unit quote_size = 10500, quote_leading = 13500;
    Unit source_size = 10000, source_leading = 12500;
    Unit section_size = 13000, section_leading = 16000;
    Unit note_size = 9000, note_leading = 11000;
};

// The scale for Document::body_size / body_leading (points). The defaults (11, 14.5) give
// exactly the sizes above. A size outside 8-20 pt, or a leading below the size or above 2.5
// times it, is an error ("layout.type-size") and the defaults are used.
TypeScale type_scale(const Document& doc, Diagnostics& diagnostics);

// The signature block (Block::Kind::signature) as one unbreakable line box at the left edge of
// the column (`left`): the image fitted into 200 x 40 pt with its aspect ratio kept, standing on
// the foot of a 40 pt box; or, when Block::image is empty, a 200 pt rule at the foot of the box
// to sign on. An image that cannot be used is an error ("layout.signature") naming the file and
// why, and the rule is drawn in its place.
FlowLine signature_line(const Block& block, Unit left, Diagnostics& diagnostics);

}  // namespace dossier::layout
