// The signature block: an image fitted into 200 x 40 pt from the PNG's own size, or a line to
// sign on; kept on one page with the name and date that follow it.
#include <sys/stat.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <iterator>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "../support/temp_files.hpp"
#include "layout/png_size.hpp"
#include "sample.hpp"

using namespace dossier;
using namespace dossier::layout;
using layout::test::text;

namespace {

const std::string kFixtures = DOSSIER_TEST_DIR "/fixtures/";

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

Block signature(std::string image) {
    Block b;
    b.kind = Block::Kind::signature;
    b.image = std::move(image);
    return b;
}

// `filler` one-line paragraphs, then the signature, the expert's name and the date.
Document signed_report(const std::string& image, int filler = 3) {
    Document doc;
    Section s{"s", "1", "Statement of truth", false, {}};
    for (int i = 0; i < filler; ++i)
        s.blocks.push_back(
            layout::test::block(Block::Kind::plain, {text("Filler line " + std::to_string(i))}));
    s.blocks.push_back(signature(image));
    s.blocks.push_back(layout::test::block(Block::Kind::plain, {text("Dr A. Expert")}));
    s.blocks.push_back(layout::test::block(Block::Kind::plain, {text("20 November 2026")}));
    doc.sections.push_back(s);
    return doc;
}

Pages make(const Document& doc, Diagnostics& d) {
    return layout::layout(doc, layout::test::fonts(), {}, d);
}

struct Found {
    int page = -1;
    Unit y = 0;  // baseline
};

// The first line (runs on one baseline, left to right) whose text starts with `prefix`.
Found find_run(const Pages& p, const std::string& prefix) {
    for (std::size_t i = 0; i < p.pages.size(); ++i) {
        std::map<Unit, std::vector<const TextRun*>> lines;
        for (const auto& r : p.pages[i].runs) lines[r.y].push_back(&r);
        for (auto& [y, runs] : lines) {
            std::sort(runs.begin(), runs.end(),
                      [](const TextRun* a, const TextRun* b) { return a->x < b->x; });
            std::string text;
            for (const TextRun* r : runs) text += r->text;
            if (text.rfind(prefix, 0) == 0) return {static_cast<int>(i), y};
        }
    }
    return {};
}

// The line to sign on: the only 200 pt rule.
const Rule* sign_rule(const Pages& p, int* page = nullptr) {
    for (std::size_t i = 0; i < p.pages.size(); ++i)
        for (const auto& r : p.pages[i].rules)
            if (r.width == 200000) {
                if (page) *page = static_cast<int>(i);
                return &r;
            }
    return nullptr;
}

const Image* only_image(const Pages& p, int* page = nullptr) {
    const Image* found = nullptr;
    for (std::size_t i = 0; i < p.pages.size(); ++i)
        for (const auto& im : p.pages[i].images) {
            CHECK(found == nullptr);
            found = &im;
            if (page) *page = static_cast<int>(i);
        }
    return found;
}

// Ascent of 11 pt text on 14.5 pt (paginate.cpp's ascent_for): the baseline below a line's top.
constexpr Unit kAscent = 1750 + 8800;

// The top of the signature's 40 pt box: below the line before it and the 12 pt gap.
Unit box_top(const Pages& p) {
    const Found last = find_run(p, "Filler line 2");
    REQUIRE(last.page >= 0);
    return last.y - kAscent + 14500 + 12000;
}

// PNG's CRC-32, to build damaged and interlaced variants of a fixture with valid checksums.
std::uint32_t crc32(const std::string& bytes) {
    std::uint32_t c = 0xFFFFFFFFu;
    for (char ch : bytes) {
        c ^= static_cast<unsigned char>(ch);
        for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    }
    return c ^ 0xFFFFFFFFu;
}

// The fixture with IHDR byte `offset` (0 = first byte of the width) set to `value`, its CRC
// recomputed.
std::string with_header_byte(std::string png, std::size_t offset, char value) {
    png[16 + offset] = value;
    const std::uint32_t crc = crc32(png.substr(12, 17));
    for (int i = 0; i < 4; ++i)
        png[29 + static_cast<std::size_t>(i)] = static_cast<char>(crc >> (24 - 8 * i));
    return png;
}

}  // namespace

TEST_CASE("a signature image is fitted into 40 pt high - aspect ratio kept") {
    Diagnostics d;
    Pages p = make(signed_report(kFixtures + "signature.png"), d);
    CHECK(d.empty());
    int page = -1;
    const Image* image = only_image(p, &page);
    REQUIRE(image);
    CHECK(image->path == kFixtures + "signature.png");
    // 240 x 80 pixels: 3:1, so 120 x 40 pt, at the left edge of the column.
    CHECK(image->width == 120000);
    CHECK(image->height == 40000);
    CHECK(image->x == 72000);
    CHECK(image->y == box_top(p));
    CHECK(sign_rule(p) == nullptr);
    // The name follows the box after the paragraph gap.
    const Found name = find_run(p, "Dr A. Expert");
    REQUIRE(name.page >= 0);
    CHECK(name.page == page);
    CHECK(name.y == image->y + image->height + 6000 + kAscent);
}

TEST_CASE("a wide signature image is fitted into 200 pt wide - standing on the box's foot") {
    Diagnostics d;
    Pages p = make(signed_report(kFixtures + "wide.png"), d);
    CHECK(d.empty());
    const Image* image = only_image(p);
    REQUIRE(image);
    // 500 x 50 pixels: 10:1, so 200 x 20 pt, at the bottom of the 40 pt box.
    CHECK(image->width == 200000);
    CHECK(image->height == 20000);
    CHECK(image->y == box_top(p) + 20000);
}

TEST_CASE("no signature image gives a 200 pt line to sign on below 40 pt of space") {
    Diagnostics d;
    Pages p = make(signed_report(""), d);
    CHECK(d.empty());
    CHECK(only_image(p) == nullptr);
    const Rule* rule = sign_rule(p);
    REQUIRE(rule);
    CHECK(rule->x == 72000);
    CHECK(rule->height == 500);
    CHECK(rule->y + rule->height == box_top(p) + 40000);
    const Found name = find_run(p, "Dr A. Expert");
    REQUIRE(name.page >= 0);
    CHECK(name.y == box_top(p) + 40000 + 6000 + kAscent);
}

TEST_CASE("an unusable signature image is an error naming the file and why - a line instead") {
    dossier::test::TempDir dir;
    const std::string text_file = dir.write("signature.png", "GIF89a, not a PNG at all");
    const std::string png = slurp(kFixtures + "signature.png");
    REQUIRE(png.size() > 200);
    const std::string truncated = dir.write("truncated.png", png.substr(0, 200));
    // A FIFO must be refused, never read (reading one blocked the render for ever).
    const std::string fifo = dir.path() + "/fifo.png";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    struct Case {
        std::string path, reason;
    };
    const Case cases[] = {
        {dir.path() + "/missing.png", "No such file or directory"},
        {text_file, "not a PNG file"},
        {truncated, "truncated"},
        {dir.path(), "a directory"},
        {fifo, "a FIFO, not a regular file"},
    };
    for (const Case& c : cases) {
        INFO(c.path);
        Diagnostics d;
        Pages p = make(signed_report(c.path), d);
        REQUIRE(d.size() == 1);
        CHECK(d[0].code == "layout.signature");
        CHECK(d[0].severity == Severity::error);
        CHECK(d[0].span.file == c.path);
        CHECK(d[0].message.find("'" + c.path + "'") != std::string::npos);
        CHECK(d[0].message.find(c.reason) != std::string::npos);
        CHECK(only_image(p) == nullptr);
        CHECK(sign_rule(p) != nullptr);
    }
}

TEST_CASE("the signature stays on one page with the text it signs and the name and date") {
    for (int filler = 24; filler <= 40; ++filler) {
        INFO(filler << " lines before the signature");
        Diagnostics d;
        Pages p = make(signed_report("", filler), d);
        CHECK(d.empty());
        int page = -1;
        REQUIRE(sign_rule(p, &page));
        CHECK(find_run(p, "Dr A. Expert").page == page);
        CHECK(find_run(p, "20 November 2026").page == page);
        // Never alone at the top of a page: the last line of the text signed comes with it.
        const Found last = find_run(p, "Filler line " + std::to_string(filler - 1));
        CHECK(last.page == page);
    }
}

TEST_CASE("the dump shows images with their file name") {
    Diagnostics d;
    Pages p = make(signed_report(kFixtures + "signature.png"), d);
    const std::string text = dump(p);
    CHECK(std::regex_search(
        text, std::regex(R"(\nimage x=72000 y=\d+ w=120000 h=40000 "signature\.png"\n)")));
}

TEST_CASE("png_size reads the IHDR size and refuses damaged - interlaced and huge images") {
    const std::string png = slurp(kFixtures + "signature.png");
    std::string problem;
    auto size = png_size(png, problem);
    REQUIRE(size);
    CHECK(size->width == 240);
    CHECK(size->height == 80);
    size = png_size(slurp(kFixtures + "wide.png"), problem);
    REQUIRE(size);
    CHECK(size->width == 500);
    CHECK(size->height == 50);

    auto refused = [&](const std::string& bytes) {
        problem.clear();
        CHECK_FALSE(png_size(bytes, problem));
        return problem;
    };
    CHECK(refused("").find("not a PNG") != std::string::npos);
    CHECK(refused(png.substr(0, 8)).find("truncated") != std::string::npos);
    CHECK(refused(png.substr(0, png.size() - 1)).find("truncated") != std::string::npos);
    std::string damaged = png;
    damaged[60] = static_cast<char>(damaged[60] ^ 0x40);  // inside the image data
    CHECK(refused(damaged).find("checksum") != std::string::npos);
    CHECK(refused(with_header_byte(png, 12, 1)).find("interlaced") != std::string::npos);
    CHECK(refused(with_header_byte(png, 9, 5)).find("header") != std::string::npos);  // colour 5
    CHECK(refused(with_header_byte(png, 2, 0x4F)).find("20464 x 80 pixels") != std::string::npos);
    // No IEND: the chunks run out.
    CHECK(refused(png.substr(0, png.size() - 12)).find("truncated") != std::string::npos);
}
