// Page furniture that must fit the page whatever its length: the running header (a 64-character
// reference), the footer and the cover notice (the sample's is a long sentence). Before the fix
// both ran past the right margin: the header on every page, the notice on every sample.
#include <catch2/catch.hpp>
#include <string>

#include "sample.hpp"

using namespace dossier;
using namespace dossier::layout;

namespace {

constexpr Unit kMargin = 72000;

// Advance of a run's text without its trailing space.
Unit run_width(const TextRun& r) {
    const FontSet& f = test::fonts();
    const Face& face = f.face(r.font);
    std::string t = r.text;
    while (!t.empty() && t.back() == ' ') t.pop_back();
    Unit w = 0;
    for (std::size_t i = 0; i < t.size();) {
        auto b = static_cast<unsigned char>(t[i]);
        int len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
        char32_t c = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
        for (int k = 1; k < len; ++k)
            c = (c << 6) | (static_cast<unsigned char>(t[i + static_cast<std::size_t>(k)]) & 0x3F);
        i += static_cast<std::size_t>(len);
        w += face.width(c);
    }
    return static_cast<Unit>(std::int64_t{w} * r.size / 1000);
}

// Every upright run of `page` in [y0, y1) lies within the text column.
void check_within_column(const Pages& p, const Page& page, Unit y0, Unit y1) {
    for (const TextRun& r : page.runs) {
        if (r.rotation || r.y < y0 || r.y >= y1) continue;
        INFO(r.text << " at x=" << r.x << " y=" << r.y);
        CHECK(r.x >= kMargin);
        CHECK(r.x + run_width(r) <= p.width - kMargin);
    }
}

std::string text_between(const Page& page, Unit y0, Unit y1) {
    std::string out;
    for (const TextRun& r : page.runs)
        if (!r.rotation && r.y >= y0 && r.y < y1) out += r.text;
    return out;
}

const std::string kReference =
    "TJ-2026-014-ABCDEFGHIJKLMNOPQRSTUVWXYZ-ABCDEFGHIJKLMNOPQRSTUVWXY";  // 64 characters
const std::string kNotice =
    "Anonymised sample report: the applicant is identified only by a pseudonym, and names and "
    "dates of birth have been removed";

}  // namespace

TEST_CASE("a 64-character reference in the running header is shortened in the middle") {
    REQUIRE(kReference.size() == 64);
    Document doc = test::sample_report();
    doc.header = "Expert report on Tajikistan \xC2\xB7 " + kReference;
    Diagnostics d;
    Pages p = layout::layout(doc, test::fonts(), {}, d);
    REQUIRE(d.empty());
    REQUIRE(p.pages.size() > 3);
    for (std::size_t i = 2; i < p.pages.size(); ++i) {
        const Page& page = p.pages[i];
        check_within_column(p, page, 0, kMargin);                    // the header
        check_within_column(p, page, p.height - kMargin, p.height);  // the footer
        std::string header = text_between(page, 0, kMargin);
        INFO(header);
        // both ends of the reference survive, the middle gives way to an ellipsis
        CHECK(header.rfind("Expert report on Tajikistan \xC2\xB7 TJ-2026-", 0) == 0);
        CHECK(header.find("\xE2\x80\xA6") != std::string::npos);
        CHECK(header.size() > 40);
        CHECK(header.substr(header.size() - 5) == "UVWXY");
    }
    // a header that fits is left as it is
    doc.header = "Expert report on Tajikistan \xC2\xB7 TJ-2026-014";
    Diagnostics d2;
    Pages q = layout::layout(doc, test::fonts(), {}, d2);
    CHECK(text_between(q.pages[2], 0, kMargin) ==
          "Expert report on Tajikistan \xC2\xB7 TJ-2026-014");
}

TEST_CASE("a header with no reference part and a long footer are cut at the end to fit") {
    Document doc = test::sample_report();
    doc.header = std::string(300, 'W');
    doc.page_label = std::string(200, 'P');
    Diagnostics d;
    Pages p = layout::layout(doc, test::fonts(), {}, d);
    REQUIRE(d.empty());
    const Page& page = p.pages[2];
    check_within_column(p, page, 0, kMargin);
    check_within_column(p, page, p.height - kMargin, p.height);
    CHECK(text_between(page, 0, kMargin).find("\xE2\x80\xA6") != std::string::npos);
}

TEST_CASE("the sample cover notice wraps within the text column, above the bottom margin") {
    Document doc = test::sample_report();
    doc.cover.notice = kNotice;
    Diagnostics d;
    Pages p = layout::layout(doc, test::fonts(), {}, d);
    REQUIRE(d.empty());
    const Page& cover = p.pages[0];
    check_within_column(p, cover, 0, p.height);
    // every word of the notice is on the cover, on more than one line, and the last line sits
    // where a one-line notice would
    std::string words;
    Unit first = p.height, last = 0;
    for (const TextRun& r : cover.runs)
        if (r.size == 12000 && (r.font == 2 || r.font == 6) && r.y > p.height / 2) {
            if (r.y > last && last > 0) words += ' ';  // a new line
            words += r.text;
            first = std::min(first, r.y);
            last = std::max(last, r.y);
        }
    CHECK(words == kNotice);
    CHECK(first < last);
    CHECK(last == p.height - kMargin - 48000);
    CHECK(last < p.height - kMargin);
}
