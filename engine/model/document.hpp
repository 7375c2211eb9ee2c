// The document tree: what the report says, with numbers settled, before any typesetting.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "model/value.hpp"

namespace dossier {

enum class Style : std::uint8_t { regular, italic, bold, bold_italic };

// A run of inline content. Text is UTF-8 and final: no markup is left in it.
struct Inline {
    enum class Kind { text, footnote_ref };
    Kind kind = Kind::text;
    std::string text;  // for footnote_ref: the marker as printed, e.g. "3"
    Style style = Style::regular;
    int footnote = 0;  // footnote_ref: the footnote's number
    // Non-empty: the text is a link. "#NAME" is internal: it points at the Block whose
    // anchor is NAME (cross-references use "#clause:<id>", the anchor of the clause's first
    // paragraph), and layout makes it a link to that block's page and position; a NAME no
    // block has gives no link. Anything else is an external address.
    std::string uri;
    Span origin;  // where the text came from, for error messages
};

struct Block {
    enum class Kind {
        heading,    // a clause title inside a section
        paragraph,  // numbered when number > 0
        quote,      // an indented block quote (the questions put)
        list_item,  // a bulleted item
        source,     // an entry of the sources list (hanging indent)
        plain,      // an unnumbered paragraph (CV, notes outside the body)
        signature,  // the space where the expert signs: `image` drawn there when given, else
                    // a line to sign on; content is empty
    };
    Kind kind = Kind::paragraph;
    int number = 0;      // paragraph number, continuous through the body; 0 = none
    std::string anchor;  // named destination for cross-references; empty = none
    std::string image;   // signature: path of a PNG image of the signature; empty = none
    std::vector<Inline> content;
};

struct Section {
    std::string id;
    std::string label;  // "1", "2", ... or "Appendix A"; empty = unnumbered
    std::string title;
    bool appendix = false;  // starts a new page; not counted in forum page limits
    std::vector<Block> blocks;
};

struct Footnote {
    int number = 0;
    std::vector<Inline> content;
};

struct Cover {
    std::string title;                                      // "Expert report"
    std::string subtitle;                                   // e.g. "Country conditions: Tajikistan"
    std::vector<std::pair<std::string, std::string>> rows;  // label, value
    std::string notice;                                     // "Confidential" or the sample notice
};

struct DocumentInfo {
    std::string title, author, subject, keywords, creator;
    Date date;  // the report date: written as the PDF dates (never the clock)
};

struct Document {
    enum class Paper { a4, us_letter };
    Paper paper = Paper::a4;
    std::string language = "en-GB";
    DocumentInfo info;      // never holds the applicant's name
    std::string header;     // running header text, e.g. "Expert report · TJ-2026-014"
    std::string watermark;  // printed across every page when not empty ("SAMPLE", "DRAFT")
    // Body text size and baseline-to-baseline distance, in points. Forums that limit pages
    // state the type the limit assumes: the First-tier Tribunal's Practice Direction (2024,
    // 7.7) says 12 point with 1.5 line spacing, i.e. 12 on 18.
    double body_size = 11;
    double body_leading = 14.5;
    Cover cover;
    std::vector<Section> sections;    // body sections, then sources, then appendices
    std::vector<Footnote> footnotes;  // numbered 1..n in order of first reference
    // Text for the generated furniture, in the report's language.
    std::string contents_title = "Contents";
    std::string page_label = "Page";  // "Page X of Y"
    std::string page_of = "of";
};

}  // namespace dossier
