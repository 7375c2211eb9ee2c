// Inside the layout stage: the body column as pagination sees it (FlowLine), the type sizes a
// document asks for (TypeScale), and the blocks that are not text (the signature). Not part of
// the stage's public interface.
#pragma once

#include <vector>

#include "layout/typeset.hpp"

namespace dossier::layout {

// A line of the body column, before it has a page.
struct FlowLine {
    std::vector<LineRun> runs;  // x absolute
    Unit space_before = 0;      // dropped at the top of a page
    Unit height = 0, ascent = 0;
    std::vector<int> footnotes;
    bool breakable = true;  // a page may end before this line
    bool new_page = false;  // a page must end before this line
    bool appendix = false;  // part of an appendix section (Page::appendix)
    std::vector<int> targets;
    // Drawn with the line (a signature): x absolute, y from the top of the line box.
    std::vector<Rule> rules;
    std::vector<Image> images;
};

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
