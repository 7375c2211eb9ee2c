// Inside the layout stage: the builder that turns a Document into the display list, shared by
// paginate.cpp (the body and its notes, and the whole run) and front_matter.cpp (the cover,
// the contents and the furniture of every page). Not part of the stage's public interface.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "layout/flow.hpp"

namespace dossier::layout {

constexpr Unit pt(double v) { return static_cast<Unit>(v * 1000 + (v < 0 ? -0.5 : 0.5)); }

// Page and block metrics, in one place so that the tests and the PDF agree on them.
namespace metric {
constexpr Unit margin = pt(72);           // left, right, top and bottom of the body column
constexpr Unit header_baseline = pt(40);  // from the top edge
constexpr Unit header_rule_gap = pt(4);   // header baseline to its rule
constexpr Unit header_rule = pt(0.4);
constexpr Unit footer_baseline = pt(40);  // from the bottom edge
constexpr Unit furniture_size = pt(9);

// Type sizes follow the document's body size: see TypeScale (flow.hpp).
constexpr Unit paragraph_gap = pt(6);  // between blocks
constexpr Unit list_gap = pt(3);       // between consecutive list items or sources
// How far each gap may grow so that a page's text runs down to its notes (page_builder.cpp):
// a little, spread over a page's many gaps, so paragraphs still read as evenly spaced.
constexpr Unit paragraph_stretch = pt(3), list_stretch = pt(1.5);
constexpr Unit heading_stretch = pt(4), section_stretch = pt(6);
constexpr Unit number_indent = pt(28);  // numbered paragraphs: text after the number
constexpr Unit quote_indent = pt(28);   // both sides
constexpr Unit label_gap = pt(5);       // a quote's hung label to its text
constexpr Unit bullet_indent = pt(28), bullet_text = pt(40);
constexpr Unit source_hang = pt(18);
constexpr Unit heading_gap = pt(9);  // above a clause heading
constexpr Unit section_gap = pt(18);
constexpr int keep_signed = 2;          // a signature stays with this many following blocks
constexpr Unit signature_gap = pt(12);  // above a signature, on top of its 40 pt box

constexpr Unit note_hang = pt(14);
constexpr Unit note_space = pt(6);  // body text to the footnote rule
constexpr Unit note_rule = pt(0.5);
constexpr Unit note_rule_gap = pt(4);  // rule to the first footnote line's top
constexpr Unit note_gap = note_space + note_rule + note_rule_gap;

constexpr Unit cover_title_size = pt(24), cover_subtitle_size = pt(16);
constexpr Unit notice_size = pt(12), notice_leading = pt(15);  // the cover's notice
constexpr Unit watermark_size = pt(60);
constexpr std::uint8_t watermark_gray = 220;
}  // namespace metric

// Where the baseline sits in a line box: centred leading, ascent about 0.8 em.
inline Unit ascent_for(Unit size, Unit leading) { return (leading - size) / 2 + size * 4 / 5; }

struct Target {
    int page = -1;  // body page index, later the final page index
    Unit y = 0;     // top of the line
};

// One per layout call: the call's typesetter, and the flow, targets and notes built so far.
class Builder {
  public:
    Builder(const Document& doc, const FontSet& fonts, const Options& options,
            Diagnostics& diagnostics)
        : doc_(doc),
          options_(options),
          diagnostics_(diagnostics),
          ts_(fonts, doc.language, options, diagnostics),
          scale_(type_scale(doc, diagnostics)) {
        bool letter = doc.paper == Document::Paper::us_letter;
        width_ = letter ? pt(612) : 595276;
        height_ = letter ? pt(792) : 841890;
        left_ = metric::margin;
        right_ = width_ - metric::margin;
        measure_ = right_ - left_;
        top_ = metric::margin;
        bottom_ = height_ - metric::margin;
    }

    Pages run();

  private:
    const Document& doc_;
    Options options_;
    Diagnostics& diagnostics_;
    Typesetter ts_;
    TypeScale scale_;
    Unit width_ = 0, height_ = 0, left_ = 0, right_ = 0, measure_ = 0, top_ = 0, bottom_ = 0;

    std::vector<FlowLine> flow_;
    std::vector<Target> targets_;
    struct OutlineItem {
        std::string title;
        int level = 0;
        int target = 0;
    };
    std::vector<OutlineItem> outline_;
    struct Entry {
        std::string label, title;
        int target = 0;
    };
    std::vector<Entry> entries_;
    std::vector<std::vector<FlowLine>> notes_;  // by footnote number - 1
    std::map<std::string, int> anchors_;        // Block::anchor -> target, for "#" links
    int front_ = 0;                             // cover and contents pages before the body
    int since_heading_ = -1;  // lines appended since the last heading; -1: two or more
    PageCosts costs_;
    int keep_blocks_ = 0;       // blocks still to keep with a signature
    bool in_appendix_ = false;  // the section being appended is an appendix
    bool stop_ = false;         // a limit was hit: emit what we have

    int new_target() {
        targets_.push_back({});
        return static_cast<int>(targets_.size() - 1);
    }

    FlowLine to_flow(Line&& line, Unit size, Unit leading) const {
        FlowLine f;
        f.runs = std::move(line.runs);
        for (auto& r : f.runs) r.x += left_;
        f.height = leading;
        f.ascent = ascent_for(size, leading);
        f.footnotes = std::move(line.footnotes);
        return f;
    }

    // Appends a block's lines with the cost of a page break before each: widows, orphans and
    // the keeps (a heading with its text, a signature with what it signs and the two blocks
    // after it) are penalties that page building weighs against white space.
    void append(std::vector<FlowLine> lines, Unit space_before, Unit stretch, bool heading,
                bool new_page, std::vector<int> targets) {
        if (lines.empty()) return;
        const bool kept = keep_blocks_ > 0;  // signed: a break before or inside costs more
        if (kept) --keep_blocks_;
        std::size_t n = lines.size();
        for (std::size_t k = 0; k < n; ++k) {
            FlowLine& line = lines[k];
            int penalty = 0;
            if (k == 0) {
                line.space_before = space_before;
                line.stretch = stretch;
                line.new_page = new_page;
                line.targets = std::move(targets);
            } else if (heading) {
                penalty = costs_.heading;
            } else {
                if (k == 1) penalty += costs_.orphan;
                if (n - k == 1) penalty += costs_.widow;
            }
            // The first two lines after a heading (a heading's first line too: a section's
            // heading stays with the clause heading under it).
            if ((k == 0 || !heading) && since_heading_ >= 0) {
                penalty =
                    std::max(penalty, since_heading_ == 0 ? costs_.heading : costs_.heading_next);
                since_heading_ = since_heading_ == 0 ? 1 : -1;
            }
            if (kept) penalty = std::max(penalty, costs_.signature);
            line.penalty = new_page ? 0 : penalty;
            line.appendix = in_appendix_;
            flow_.push_back(std::move(line));
        }
        if (heading) since_heading_ = 0;
    }

    // `targets` with the block's anchor's added: anchors get a target too, resolved like
    // bookmarks; cross-references use them later.
    std::vector<int> anchor(const Block& b, std::vector<int> targets) {
        if (!b.anchor.empty()) {
            targets.push_back(new_target());
            anchors_.emplace(b.anchor, targets.back());
        }
        return targets;
    }

    // Reports a paragraph beyond Options::max_paragraph_chars, which is then left out.
    bool too_long(const std::vector<Inline>& content);

    void section_heading(const Section& section, bool new_page);
    void block(const Block& block, const Block* previous);
    void footnotes();
    std::vector<BodyPage> paginate();  // the body's pages, with the targets' pages and places
    void emit_line(Page& page, const FlowLine& line, Unit baseline) const;
    void emit_runs(Page& page, const Line& line, Unit x, Unit baseline, std::uint8_t gray = 0,
                   int rotation = 0) const;
    Page cover();
    std::vector<Page> contents(const std::vector<int>& entry_pages, int front);
    void furniture(Page& page, int number, int total);
    // `text` on one line at natural spacing, no wider than `width`: shortened when it is wider,
    // with an ellipsis in the middle of the part after the last " · " (the reference or appeal
    // number of a running header, whose both ends tell one report from another), or at the end
    // when that is not enough.
    Line fitted(const std::string& text, Style style, Unit size, Unit width);
    std::optional<Line> header_;  // the running header, fitted once for every page
    void watermark(Page& page);
};

}  // namespace dossier::layout
