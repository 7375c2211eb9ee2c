// Blocks to lines, lines to pages: the body with its footnotes (paged by page_builder.cpp),
// then the contents (which needs the body's page numbers), the cover, and the furniture on every
// page (front_matter.cpp).
#include <algorithm>
#include <string>
#include <utility>

#include "layout/builder.hpp"

namespace dossier::layout {

namespace {

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

}  // namespace

bool Builder::too_long(const std::vector<Inline>& content) {
    if (count_chars(content) <= options_.max_paragraph_chars) return false;
    Span at = content.empty() ? Span{} : content.front().origin;
    error(diagnostics_, at, "layout.too-long",
          "a paragraph is longer than " + std::to_string(options_.max_paragraph_chars) +
              " characters",
          {"Split it into several paragraphs; it is left out of the report."});
    return true;
}

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
        append_space(label.runs.back(), ts_.fonts());
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
        if (!hanging.empty()) append_space(hanging.back(), ts_.fonts());
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
        if (!number.runs.empty()) append_space(number.runs.back(), ts_.fonts());
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
        page.runs.push_back(to_text_run(r, r.x, baseline + r.rise));
        if (r.uri.empty()) continue;
        // One link rectangle per stretch of the same address on this line.
        Unit x0 = r.x, x1 = r.x + r.width;
        // The words the rectangle covers, for the annotation's /Contents: runs that do not
        // touch were separated by a space.
        std::string words = r.text;
        while (k + 1 < line.runs.size() && line.runs[k + 1].uri == r.uri) {
            ++k;
            const LineRun& next = line.runs[k];
            if (next.x > x1 && !words.empty() && words.back() != ' ') words += ' ';
            words += next.text;
            page.runs.push_back(to_text_run(next, next.x, baseline + next.rise));
            x1 = next.x + next.width;
        }
        Link link;
        link.x = x0;
        link.y = baseline - r.size * 9 / 10;
        link.width = x1 - x0;
        link.height = r.size * 6 / 5;
        while (!words.empty() && words.back() == ' ') words.pop_back();
        link.text = std::move(words);
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

Pages Builder::run() {
    Pages out;
    out.width = width_;
    out.height = height_;
    out.info = doc_.info;
    // Paths only: asking for a fallback or script face would parse it.
    for (std::size_t i = 0; i < ts_.fonts().face_count(); ++i)
        out.fonts.push_back({ts_.fonts().path(static_cast<int>(i))});

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
