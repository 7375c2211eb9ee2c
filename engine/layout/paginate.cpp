// Blocks to lines, lines to pages: the body with its footnotes, then the contents (which needs
// the body's page numbers), the cover, and the furniture on every page.
#include <unicode/unistr.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numbers>
#include <optional>
#include <string>
#include <utility>

#include "layout/flow.hpp"

namespace dossier::layout {

namespace {

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
Unit ascent_for(Unit size, Unit leading) { return (leading - size) / 2 + size * 4 / 5; }

struct Target {
    int page = -1;  // body page index, later the final page index
    Unit y = 0;     // top of the line
};

std::string plain_text(const std::vector<Inline>& content) {
    std::string out;
    for (const auto& in : content)
        if (in.kind == Inline::Kind::text) out += in.text;
    return out;
}

// Length of a quote's leading label with its space ("(1) ", "(a) ", "(iv) ", "1. "), or 0.
std::size_t quote_label(const std::vector<Inline>& content) {
    if (content.empty() || content.front().kind != Inline::Kind::text) return 0;
    const std::string& t = content.front().text;
    auto digit = [](char c) { return c >= '0' && c <= '9'; };
    auto lower = [](char c) { return c >= 'a' && c <= 'z'; };
    std::size_t k = 0;
    if (!t.empty() && t[0] == '(') {
        k = 1;
        bool digits = k < t.size() && digit(t[k]);
        while (k < t.size() && k < 6 && (digits ? digit(t[k]) : lower(t[k]))) ++k;
        if (k == 1 || k >= t.size() || t[k] != ')') return 0;
        // A letter, or a roman numeral: "(ab)" is a word in brackets, not a label.
        bool roman = t.find_first_not_of("ivxlc", 1) == k;
        if (!digits && k > 2 && !roman) return 0;
    } else {
        while (k < t.size() && k < 3 && digit(t[k])) ++k;
        if (k == 0 || k >= t.size() || t[k] != '.') return 0;
    }
    ++k;
    return k < t.size() && t[k] == ' ' ? k + 1 : 0;
}

std::size_t count_chars(const std::vector<Inline>& content) {
    std::size_t n = 0;
    for (const auto& in : content)
        for (char c : in.text)
            if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
    return n;
}

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

    bool too_long(const std::vector<Inline>& content) {
        if (count_chars(content) <= options_.max_paragraph_chars) return false;
        Span at = content.empty() ? Span{} : content.front().origin;
        error(diagnostics_, at, "layout.too-long",
              "a paragraph is longer than " + std::to_string(options_.max_paragraph_chars) +
                  " characters",
              {"Split it into several paragraphs; it is left out of the report."});
        return true;
    }

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

void Builder::section_heading(const Section& section, bool new_page) {
    Line label;
    Unit hang = 0;
    if (!section.label.empty()) {
        label = ts_.shape(section.label, Style::bold, scale_.section_size);
        Unit space = ts_.fonts().primary[2].width(U' ') * scale_.section_size / 1000;
        hang = label.natural + 2 * space;
        if (hang > measure_ / 3) hang = measure_ / 3;
    }
    ParagraphSpec spec;
    spec.size = scale_.section_size;
    spec.bold = true;
    spec.first_offset = spec.offset = hang;
    spec.first_width = spec.width = measure_ - hang;
    spec.justify = false;
    spec.hyphenate = false;
    Inline title;
    title.text = section.title;
    std::vector<Line> lines = ts_.set({title}, spec);
    if (lines.empty()) lines.emplace_back();
    if (!label.runs.empty()) {
        // The label keeps its trailing space so that extraction reads "1 Introduction".
        label.runs.back().text += ' ';
        lines.front().runs.insert(lines.front().runs.begin(), label.runs.begin(), label.runs.end());
    }
    std::vector<FlowLine> flow;
    for (auto& l : lines) flow.push_back(to_flow(std::move(l), spec.size, scale_.section_leading));
    keep_blocks_ = 0;  // a signature is not kept with the next section
    int target = new_target();
    std::string title_text =
        section.label.empty() ? section.title : section.label + " " + section.title;
    outline_.push_back({title_text, 0, target});
    entries_.push_back({section.label, section.title, target});
    append(std::move(flow), metric::section_gap, metric::section_stretch, true, new_page, {target});
}

void Builder::block(const Block& b, const Block* previous) {
    if (b.kind == Block::Kind::signature) {
        std::vector<FlowLine> flow;
        flow.push_back(signature_line(b, left_, diagnostics_));
        append(std::move(flow), metric::signature_gap, metric::paragraph_stretch, false, false,
               anchor(b, {}));
        // Signed where the statement ends: a page break between the statement's last lines
        // and the signature costs nearly any white (a signature alone on a page certifies
        // nothing visible).
        flow_.back().penalty = std::max(flow_.back().penalty, costs_.signature);
        // The name and date lines that follow are plain blocks: they stay with it.
        keep_blocks_ = metric::keep_signed;
        return;
    }
    if (too_long(b.content)) return;
    ParagraphSpec spec;
    spec.size = scale_.body_size;
    spec.first_width = spec.width = measure_;
    Unit leading = scale_.body_leading;
    Unit gap = metric::paragraph_gap, stretch = metric::paragraph_stretch;
    bool heading = false;
    std::vector<LineRun> hanging;             // number or bullet in front of the first line
    std::vector<Inline> content = b.content;  // less a hung label
    auto hang = [&](const std::string& text, Unit x, Unit size, Style style = Style::regular) {
        Line l = ts_.shape(text, style, size);
        for (auto& r : l.runs) {
            r.x += x;
            hanging.push_back(std::move(r));
        }
        if (!hanging.empty()) hanging.back().text += ' ';
    };
    switch (b.kind) {
        case Block::Kind::heading:
            spec.bold = true;
            spec.justify = false;
            spec.hyphenate = false;
            gap = metric::heading_gap;
            stretch = metric::heading_stretch;
            heading = true;
            break;
        case Block::Kind::paragraph:
            spec.first_offset = spec.offset = metric::number_indent;
            spec.first_width = spec.width = measure_ - metric::number_indent;
            if (b.number > 0) hang(std::to_string(b.number) + ".", 0, spec.size);
            break;
        case Block::Kind::quote: {
            spec.size = scale_.quote_size;
            leading = scale_.quote_leading;
            spec.first_offset = spec.offset = metric::quote_indent;
            spec.first_width = spec.width = measure_ - 2 * metric::quote_indent;
            // A numbered or lettered quote ("(1) ", "(a) ", "(iv) ", "1. ") hangs its label in
            // the left inset, so that its text lines up with the other lines and quotes.
            std::size_t n = quote_label(content);
            if (n == 0) break;
            std::string label = content.front().text.substr(0, n - 1);
            Unit gap = metric::label_gap;
            Unit w = ts_.shape(label, content.front().style, spec.size).natural;
            if (w + gap > metric::quote_indent) break;  // too wide to hang: left in the text
            hang(label, metric::quote_indent - gap - w, spec.size, content.front().style);
            content.front().text.erase(0, n);
            if (content.front().text.empty()) content.erase(content.begin());
            break;
        }
        case Block::Kind::list_item:
            spec.first_offset = spec.offset = metric::bullet_text;
            spec.first_width = spec.width = measure_ - metric::bullet_text;
            hang("\u2022", metric::bullet_indent, spec.size);
            if (previous && previous->kind == Block::Kind::list_item) {
                gap = metric::list_gap;
                stretch = metric::list_stretch;
            }
            break;
        case Block::Kind::source:
            spec.size = scale_.source_size;
            leading = scale_.source_leading;
            spec.offset = metric::source_hang;
            spec.width = measure_ - metric::source_hang;
            spec.justify = false;
            if (previous && previous->kind == Block::Kind::source) {
                gap = metric::list_gap;
                stretch = metric::list_stretch;
            }
            break;
        case Block::Kind::plain:
        case Block::Kind::signature:  // handled above
            break;
    }
    std::vector<Line> lines = ts_.set(content, spec);
    if (lines.empty()) return;
    lines.front().runs.insert(lines.front().runs.begin(), hanging.begin(), hanging.end());
    std::vector<FlowLine> flow;
    for (auto& l : lines) flow.push_back(to_flow(std::move(l), spec.size, leading));
    std::vector<int> targets;
    if (heading) {
        int target = new_target();
        outline_.push_back({plain_text(b.content), 1, target});
        targets.push_back(target);
    }
    append(std::move(flow), gap, stretch, heading, false, anchor(b, std::move(targets)));
}

void Builder::footnotes() {
    for (const Footnote& note : doc_.footnotes) {
        if (note.number <= 0) continue;
        auto index = static_cast<std::size_t>(note.number - 1);
        if (index >= 100000) continue;
        if (notes_.size() <= index) notes_.resize(index + 1);
        if (too_long(note.content)) continue;
        ParagraphSpec spec;
        spec.size = scale_.note_size;
        spec.first_offset = spec.offset = metric::note_hang;
        spec.first_width = spec.width = measure_ - metric::note_hang;
        // One rule for every note, as for the sources: ragged right at natural spacing (their
        // titles and addresses leave few places to break, so justifying would gape).
        spec.justify = false;
        std::vector<Line> lines = ts_.set(note.content, spec);
        if (lines.empty()) lines.emplace_back();
        Line number = ts_.shape(std::to_string(note.number), Style::regular, scale_.note_size);
        if (!number.runs.empty()) number.runs.back().text += ' ';
        lines.front().runs.insert(lines.front().runs.begin(), number.runs.begin(),
                                  number.runs.end());
        for (auto& l : lines)
            notes_[index].push_back(to_flow(std::move(l), spec.size, scale_.note_leading));
    }
}

std::vector<BodyPage> Builder::paginate() {
    PageFrame frame;
    frame.top = top_;
    frame.height = bottom_ - top_;
    frame.note_gap = metric::note_gap;
    frame.line = scale_.body_leading;
    frame.max_pages = options_.max_pages;
    bool cut = false;
    std::vector<BodyPage> pages = build_pages(flow_, notes_, frame, costs_, cut);
    if (cut) {
        error(diagnostics_, {}, "layout.too-long",
              "the report would have more than " + std::to_string(options_.max_pages) + " pages",
              {"Check the case for runaway repeated content; the output is cut short."});
        stop_ = true;
    }
    for (std::size_t p = 0; p < pages.size(); ++p)
        for (const auto& [index, baseline] : pages[p].lines) {
            const FlowLine& line = flow_[static_cast<std::size_t>(index)];
            for (int t : line.targets)
                targets_[static_cast<std::size_t>(t)] = {static_cast<int>(p),
                                                         baseline - line.ascent};
        }
    return pages;
}

void Builder::emit_line(Page& page, const FlowLine& line, Unit baseline) const {
    const Unit top = baseline - line.ascent;
    for (Rule r : line.rules) {
        r.y += top;
        page.rules.push_back(r);
    }
    for (Image image : line.images) {
        image.y += top;
        page.images.push_back(std::move(image));
    }
    for (std::size_t k = 0; k < line.runs.size(); ++k) {
        const LineRun& r = line.runs[k];
        TextRun run;
        run.font = r.font;
        run.size = r.size;
        run.x = r.x;
        run.y = baseline + r.rise;
        run.text = r.text;
        page.runs.push_back(std::move(run));
        if (r.uri.empty()) continue;
        // One link rectangle per stretch of the same address on this line.
        Unit x0 = r.x, x1 = r.x + r.width;
        while (k + 1 < line.runs.size() && line.runs[k + 1].uri == r.uri) {
            ++k;
            const LineRun& next = line.runs[k];
            page.runs.push_back(
                {next.font, next.size, next.x, baseline + next.rise, next.text, 0, 0});
            x1 = next.x + next.width;
        }
        Link link;
        link.x = x0;
        link.y = baseline - r.size * 9 / 10;
        link.width = x1 - x0;
        link.height = r.size * 6 / 5;
        if (r.uri[0] == '#') {
            // An internal link (Inline::uri): to the anchored block, now that pages are known.
            // An unknown anchor gives no link; compose has reported the reference.
            auto a = anchors_.find(r.uri.substr(1));
            if (a == anchors_.end()) continue;
            const Target& t = targets_[static_cast<std::size_t>(a->second)];
            if (t.page < 0) continue;
            link.target_page = front_ + t.page;
            link.target_y = t.y;
        } else {
            link.uri = r.uri;
        }
        page.links.push_back(std::move(link));
    }
}

void Builder::emit_runs(Page& page, const Line& line, Unit x, Unit baseline, std::uint8_t gray,
                        int rotation) const {
    for (const auto& r : line.runs) {
        TextRun run;
        run.font = r.font;
        run.size = r.size;
        run.x = x + r.x;
        run.y = baseline + r.rise;
        run.text = r.text;
        run.gray = gray;
        run.rotation = rotation;
        page.runs.push_back(std::move(run));
    }
}

Page Builder::cover() {
    Page page;
    const Cover& c = doc_.cover;
    Unit y = pt(200);
    auto centred = [&](const std::string& text, Style style, Unit size, Unit leading) {
        if (text.empty()) return;
        ParagraphSpec spec;
        spec.size = size;
        spec.bold = style == Style::bold;
        spec.first_width = spec.width = measure_;
        spec.justify = false;
        spec.hyphenate = false;
        Inline in;
        in.text = text;
        for (auto& line : ts_.set({in}, spec)) {
            Unit x = left_ + (measure_ - line.natural) / 2;
            emit_runs(page, line, x, y);
            y += leading;
        }
    };
    centred(c.title, Style::bold, metric::cover_title_size, pt(30));
    y += pt(6);
    centred(c.subtitle, Style::regular, metric::cover_subtitle_size, pt(20));
    y += pt(40);
    // The notice (the sample's or the draft's is a sentence) wraps to the text column, centred,
    // its last line where a one-line notice sits; the rows stop above its first line.
    std::vector<Line> notice;
    if (!c.notice.empty()) {
        ParagraphSpec spec;
        spec.size = metric::notice_size;
        spec.bold = true;
        spec.first_width = spec.width = measure_;
        spec.justify = false;
        spec.hyphenate = false;
        Inline in;
        in.text = c.notice;
        notice = ts_.set({in}, spec);
    }
    const Unit notice_rise =
        notice.empty() ? 0 : static_cast<Unit>(notice.size() - 1) * metric::notice_leading;
    Unit label_col = 0;
    for (const auto& [label, value] : c.rows)
        label_col = std::max(label_col, ts_.shape(label, Style::bold, scale_.body_size).natural);
    label_col = std::min(label_col + pt(18), measure_ / 3);
    for (const auto& [label, value] : c.rows) {
        // The cover is one page; the rest is in the body.
        if (y > bottom_ - pt(80) - notice_rise) break;
        ParagraphSpec spec;
        spec.size = scale_.body_size;
        spec.first_width = spec.width = label_col - pt(12);
        spec.bold = true;
        spec.justify = false;
        spec.hyphenate = false;
        Inline in;
        in.text = label;
        std::vector<Line> labels = ts_.set({in}, spec);
        spec.bold = false;
        spec.first_width = spec.width = measure_ - label_col;
        in.text = value;
        std::vector<Line> values = ts_.set({in}, spec);
        std::size_t rows = std::max(labels.size(), values.size());
        for (std::size_t k = 0; k < rows; ++k) {
            if (k < labels.size()) emit_runs(page, labels[k], left_, y);
            if (k < values.size()) emit_runs(page, values[k], left_ + label_col, y);
            y += scale_.body_leading;
        }
        y += pt(4);
    }
    Unit baseline = bottom_ - pt(48) - notice_rise;
    for (const Line& line : notice) {
        emit_runs(page, line, left_ + std::max<Unit>(0, (measure_ - line.natural) / 2), baseline);
        baseline += metric::notice_leading;
    }
    return page;
}

std::vector<Page> Builder::contents(const std::vector<int>& entry_pages, int front) {
    std::vector<Page> pages(1);
    Unit y = top_;
    if (!doc_.contents_title.empty()) {
        Line title = ts_.shape(doc_.contents_title, Style::bold, scale_.section_size);
        emit_runs(pages.back(), title, left_,
                  y + ascent_for(scale_.section_size, scale_.section_leading));
        y += scale_.section_leading + pt(12);
    }
    const Unit size = scale_.body_size, leading = scale_.body_leading;
    Unit label_col = 0;
    for (const auto& e : entries_)
        if (!e.label.empty())
            label_col = std::max(label_col, ts_.shape(e.label, Style::regular, size).natural);
    if (label_col > 0) label_col += 2 * (ts_.fonts().primary[0].width(U' ') * size / 1000);
    label_col = std::min(label_col, measure_ / 3);
    const Unit number_col = pt(36);  // room kept for the page number
    const Face& regular = ts_.fonts().primary[0];
    const Unit dot = std::max<Unit>(1, (regular.width(U'.') + regular.width(U' ')) * size / 1000);
    for (std::size_t k = 0; k < entries_.size(); ++k) {
        const Entry& e = entries_[k];
        if (entry_pages[k] < 0) continue;  // the body was cut short before this section
        ParagraphSpec spec;
        spec.size = size;
        spec.first_offset = spec.offset = label_col;
        spec.first_width = spec.width = measure_ - label_col - number_col;
        spec.justify = false;
        spec.hyphenate = false;
        Inline in;
        in.text = e.title;
        std::vector<Line> lines = ts_.set({in}, spec);
        if (lines.empty()) lines.emplace_back();
        Unit height = static_cast<Unit>(lines.size()) * leading;
        if (y + pt(4) + height > bottom_ && y > top_ + pt(40)) {
            pages.emplace_back();
            y = top_;
        }
        y += pt(4);
        Page& page = pages.back();
        Unit top = y;
        Unit ascent = ascent_for(size, leading);
        if (!e.label.empty()) {
            Line label = ts_.shape(e.label, Style::regular, size);
            if (!label.runs.empty()) label.runs.back().text += ' ';
            emit_runs(page, label, left_, y + ascent);
        }
        for (std::size_t l = 0; l < lines.size(); ++l) {
            Line& line = lines[l];
            emit_runs(page, line, left_, y + ascent);
            if (l + 1 == lines.size()) {
                int body_page = entry_pages[k];
                Line number = ts_.shape(std::to_string(body_page + 1), Style::regular, size);
                Unit nx = right_ - number.natural;
                // Leaders on a common grid so the dots line up from entry to entry.
                Unit title_end = left_ + line.offset + line.natural + dot;
                Unit leader_end = right_ - pt(20);
                int count = static_cast<int>((leader_end - title_end) / dot);
                if (count > 0) {
                    std::string text;
                    for (int d = 0; d < count; ++d) text += ". ";
                    Line leaders = ts_.shape(text, Style::regular, size);
                    emit_runs(page, leaders, leader_end - count * dot, y + ascent);
                }
                emit_runs(page, number, nx, y + ascent);
            }
            y += leading;
        }
        const Target& t = targets_[static_cast<std::size_t>(e.target)];
        Link link;
        link.x = left_;
        link.y = top;
        link.width = measure_;
        link.height = height;
        link.target_page = front + t.page;
        link.target_y = t.y;
        page.links.push_back(link);
    }
    return pages;
}

Line Builder::fitted(const std::string& text, Style style, Unit size, Unit width) {
    Line full = ts_.shape(text, style, size);
    if (full.natural <= width) return full;
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(text);
    auto utf8 = [](const icu::UnicodeString& s) {
        std::string out;
        s.toUTF8String(out);
        return out;
    };
    const std::string ellipsis = "\xE2\x80\xA6";
    // Code point boundaries, so that no character is cut in half.
    auto cut = [&](const icu::UnicodeString& s, std::int32_t from, std::int32_t count) {
        std::int32_t a = s.moveIndex32(0, from), b = s.moveIndex32(a, count);
        return utf8(s.tempSubStringBetween(a, b));
    };
    std::int32_t dot = u.lastIndexOf(icu::UnicodeString(u" \u00B7 "));
    if (dot >= 0) {
        icu::UnicodeString head = u.tempSubString(0, dot + 3), tail = u.tempSubString(dot + 3);
        std::int32_t n = tail.countChar32();
        for (std::int32_t keep = n - 1; keep >= 2; --keep) {
            std::int32_t front = (keep + 1) / 2, back = keep / 2;
            Line line =
                ts_.shape(utf8(head) + cut(tail, 0, front) + ellipsis + cut(tail, n - back, back),
                          style, size);
            if (line.natural <= width) return line;
        }
    }
    for (std::int32_t keep = u.countChar32() - 1; keep >= 0; --keep) {
        Line line = ts_.shape(cut(u, 0, keep) + ellipsis, style, size);
        if (line.natural <= width) return line;
    }
    return ts_.shape(ellipsis, style, size);
}

void Builder::furniture(Page& page, int number, int total) {
    if (!doc_.header.empty()) {
        if (!header_)
            header_ = fitted(doc_.header, Style::regular, metric::furniture_size, measure_);
        emit_runs(page, *header_, left_, metric::header_baseline);
        page.rules.push_back({left_, metric::header_baseline + metric::header_rule_gap, measure_,
                              metric::header_rule, 0});
    }
    std::string footer = doc_.page_label + " " + std::to_string(number) + " " + doc_.page_of + " " +
                         std::to_string(total);
    Line line = fitted(footer, Style::regular, metric::furniture_size, measure_);
    emit_runs(page, line, left_ + (measure_ - line.natural) / 2, height_ - metric::footer_baseline);
}

void Builder::watermark(Page& page) {
    Line line = ts_.shape(doc_.watermark, Style::bold, metric::watermark_size);
    // Rotated 45 degrees counter-clockwise about each run's origin; y grows downward, so the
    // text advances along (cos, -sin). Centre the text's middle on the page's centre.
    const double c = std::cos(std::numbers::pi / 4), s = std::sin(std::numbers::pi / 4);
    double half = line.natural / 2.0;
    double lift = metric::watermark_size * 0.35;  // half the cap height, to centre vertically
    double x0 = width_ / 2.0 - half * c + lift * s;
    double y0 = height_ / 2.0 + half * s + lift * c;
    std::vector<TextRun> runs;
    for (const auto& r : line.runs) {
        TextRun run;
        run.font = r.font;
        run.size = r.size;
        run.x = static_cast<Unit>(std::lround(x0 + r.x * c));
        run.y = static_cast<Unit>(std::lround(y0 - r.x * s));
        run.text = r.text;
        run.gray = metric::watermark_gray;
        run.rotation = 45;
        runs.push_back(std::move(run));
    }
    // Drawn first so the text sits on top of it.
    page.runs.insert(page.runs.begin(), runs.begin(), runs.end());
}

Pages Builder::run() {
    Pages out;
    out.width = width_;
    out.height = height_;
    out.info = doc_.info;
    for (const Face& face : ts_.fonts().primary) out.fonts.push_back({face.path});
    // Paths only: asking for a fallback face would parse it.
    for (std::size_t i = 0; i < FallbackFaces::size(); ++i)
        out.fonts.push_back({ts_.fonts().fallback.path(i)});

    // The body first: the contents needs its page numbers.
    footnotes();
    for (std::size_t k = 0; k < doc_.sections.size() && !stop_; ++k) {
        const Section& section = doc_.sections[k];
        in_appendix_ = section.appendix;
        section_heading(section, k == 0 || section.appendix);
        const Block* previous = nullptr;
        for (const Block& b : section.blocks) {
            block(b, previous);
            previous = &b;
        }
    }
    std::vector<BodyPage> body = paginate();
    const int total = static_cast<int>(body.size());

    std::vector<int> entry_pages;
    for (const auto& e : entries_)
        entry_pages.push_back(targets_[static_cast<std::size_t>(e.target)].page);
    // The contents' length does not change the body's numbers (they start at 1), so one pass
    // suffices; only the link targets shift by the number of front pages.
    std::vector<Page> toc = contents(entry_pages, 0);
    const int front = 1 + static_cast<int>(toc.size());
    front_ = front;
    for (auto& page : toc)
        for (auto& link : page.links)
            if (link.uri.empty()) link.target_page += front;

    out.pages.push_back(cover());
    for (auto& page : toc) out.pages.push_back(std::move(page));
    for (int p = 0; p < total; ++p) {
        Page page;
        const BodyPage& bp = body[static_cast<std::size_t>(p)];
        for (const auto& [index, baseline] : bp.lines)
            emit_line(page, flow_[static_cast<std::size_t>(index)], baseline);
        if (!bp.notes.empty()) {
            Unit h = 0;
            for (const auto& note : bp.notes)
                h += notes_[static_cast<std::size_t>(note.footnote)]
                           [static_cast<std::size_t>(note.line)]
                               .height;
            Unit y = bottom_ - h - metric::note_gap;
            page.rules.push_back(
                {left_, y + metric::note_space, measure_ / 3, metric::note_rule, 0});
            y += metric::note_gap;
            for (const auto& note : bp.notes) {
                const FlowLine& line = notes_[static_cast<std::size_t>(note.footnote)]
                                             [static_cast<std::size_t>(note.line)];
                emit_line(page, line, y + line.ascent);
                y += line.height;
            }
        }
        furniture(page, p + 1, total);
        // Appendices start a new page, so a page's first line tells; a page holding only the
        // rest of a footnote belongs with the page before it.
        if (!bp.lines.empty())
            page.appendix = flow_[static_cast<std::size_t>(bp.lines.front().first)].appendix;
        else if (!out.pages.empty())
            page.appendix = out.pages.back().appendix;
        out.pages.push_back(std::move(page));
    }
    for (auto& t : targets_)
        if (t.page >= 0) t.page += front;
    for (const auto& o : outline_) {
        const Target& t = targets_[static_cast<std::size_t>(o.target)];
        if (t.page >= 0) out.outline.push_back({o.title, o.level, t.page, t.y});
    }
    if (!doc_.watermark.empty())
        for (auto& page : out.pages) watermark(page);
    out.labels.push_back({0, PageLabelRange::Style::roman_lower, {}, 1});
    if (total > 0) out.labels.push_back({front, PageLabelRange::Style::decimal, {}, 1});
    return out;
}

}  // namespace

Pages layout(const Document& doc, const FontSet& fonts, const Options& options,
             Diagnostics& diagnostics) {
    // Without the primary regular face every character would be reported missing; one error
    // naming the real problem is more use (load_fonts has already said which file failed).
    if (fonts.primary[0].glyph.empty()) {
        error(diagnostics, {}, "layout.no-fonts", "the bundled fonts could not be loaded");
        return {};
    }
    Builder builder(doc, fonts, options, diagnostics);
    return builder.run();
}

}  // namespace dossier::layout
