// The pages around the body: the cover, the contents with its leaders and page numbers, and
// the furniture of every page (running header, footer, watermark).
#include <unicode/unistr.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

#include "layout/builder.hpp"

namespace dossier::layout {

void Builder::emit_runs(Page& page, const Line& line, Unit x, Unit baseline, std::uint8_t gray,
                        int rotation) const {
    for (const auto& r : line.runs) {
        TextRun run = to_text_run(r, x + r.x, baseline + r.rise);
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
            if (!label.runs.empty()) append_space(label.runs.back(), ts_.fonts());
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
        link.text = e.label.empty() ? e.title : e.label + " " + e.title;
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
        TextRun run = to_text_run(r, static_cast<Unit>(std::lround(x0 + r.x * c)),
                                  static_cast<Unit>(std::lround(y0 - r.x * s)));
        run.gray = metric::watermark_gray;
        run.rotation = 45;
        runs.push_back(std::move(run));
    }
    // Drawn first so the text sits on top of it.
    page.runs.insert(page.runs.begin(), runs.begin(), runs.end());
}

}  // namespace dossier::layout
