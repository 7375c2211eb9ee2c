// Tests for the font subsets made with hb-subset: each subset is parsed back here (table
// directory, glyph index) to show it is a font program with the glyphs asked for at their own
// ids, their components, the tables PDF needs and nothing else.
#include <catch2/catch.hpp>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "../support/font_files.hpp"
#include "model/truetype.hpp"
#include "pdf/font_subset.hpp"

using dossier::TrueTypeFace;
using dossier::pdf::subset_font;

namespace {

TrueTypeFace face(const std::string& file) { return dossier::test::bundled_face(file); }

std::uint32_t be16(const std::string& s, std::size_t at) {
    return (static_cast<std::uint32_t>(static_cast<unsigned char>(s.at(at))) << 8) |
           static_cast<unsigned char>(s.at(at + 1));
}
std::uint32_t be32(const std::string& s, std::size_t at) {
    return (be16(s, at) << 16) | be16(s, at + 2);
}

// A parsed subset: tables by tag, and each glyph's bytes from loca/glyf.
struct Parsed {
    std::map<std::string, std::string> tables;
    std::vector<std::string> glyphs;
};

Parsed parse(const std::string& font) {
    Parsed p;
    REQUIRE(be32(font, 0) == 0x00010000);
    const std::uint32_t count = be16(font, 4);
    for (std::uint32_t i = 0; i < count; ++i) {
        const std::size_t r = 12 + 16 * std::size_t{i};
        const std::string tag = font.substr(r, 4);
        const std::uint32_t offset = be32(font, r + 8), length = be32(font, r + 12);
        REQUIRE(std::size_t{offset} + length <= font.size());
        p.tables[tag] = font.substr(offset, length);
    }
    REQUIRE(p.tables.count("head") == 1);
    REQUIRE(p.tables.count("maxp") == 1);
    const bool long_loca = be16(p.tables.at("head"), 50) == 1;
    const std::uint32_t glyphs = be16(p.tables.at("maxp"), 4);
    const std::string& loca = p.tables.at("loca");
    REQUIRE(loca.size() >= (long_loca ? 4 : 2) * (std::size_t{glyphs} + 1));
    for (std::uint32_t g = 0; g < glyphs; ++g) {
        const std::uint32_t begin = long_loca ? be32(loca, 4 * g) : 2 * be16(loca, 2 * g);
        const std::uint32_t end = long_loca ? be32(loca, 4 * g + 4) : 2 * be16(loca, 2 * g + 2);
        REQUIRE(begin <= end);
        p.glyphs.push_back(p.tables.at("glyf").substr(begin, end - begin));
    }
    return p;
}

std::size_t nonempty(const Parsed& p) {
    std::size_t n = 0;
    for (const auto& g : p.glyphs) n += g.empty() ? 0 : 1;
    return n;
}

std::string subset(const TrueTypeFace& f, const std::vector<std::uint16_t>& glyphs) {
    std::string problem;
    auto program = subset_font(f.bytes(), glyphs, problem);
    INFO(problem);
    REQUIRE(program.has_value());
    return std::move(*program);
}

}  // namespace

TEST_CASE("a subset keeps only the glyphs asked for, at their ids, with PDF's tables", "[subset]") {
    const TrueTypeFace serif = face("LiberationSerif-Regular.ttf");
    std::vector<std::uint16_t> wanted;
    for (char32_t c : std::u32string(U"Tajik")) wanted.push_back(serif.glyph(c));
    const std::string program = subset(serif, wanted);
    CHECK(program.size() < 20000);  // the file is 393 KB
    const Parsed p = parse(program);
    std::vector<std::string> tags;
    for (const auto& [tag, data] : p.tables) tags.push_back(tag);
    // No cmap (a CIDFont maps codes to glyphs itself), no hinting, no names or layout tables.
    CHECK(tags == std::vector<std::string>{"glyf", "head", "hhea", "hmtx", "loca", "maxp"});
    for (std::uint16_t g : wanted) CHECK_FALSE(p.glyphs.at(g).empty());
    CHECK(nonempty(p) == 5);  // T a j i k (Liberation's .notdef has no outline)
    // Glyph ids are kept: the glyph index ends at the highest glyph asked for.
    std::uint16_t highest = 0;
    for (std::uint16_t g : wanted) highest = std::max(highest, g);
    CHECK(p.glyphs.size() == highest + 1u);
    // Advances survive for kept glyphs.
    const std::string& hmtx = p.tables.at("hmtx");
    const std::uint32_t metrics = be16(p.tables.at("hhea"), 34);
    const std::uint16_t t = serif.glyph(U'T');
    REQUIRE(t < metrics);
    CHECK(be16(hmtx, 4u * t) * 1000 / 2048 == 610);
    CHECK(subset(serif, wanted) == program);  // deterministic
}

TEST_CASE("composite glyphs bring their components into the subset", "[subset]") {
    const TrueTypeFace serif = face("LiberationSerif-Regular.ttf");
    // Find an accented letter that is drawn as a composite of base letter and accent.
    for (char32_t c : std::u32string(U"\u00E9\u00C5\u00F1\u00F6\u0439\u0451\u017D")) {
        const std::uint16_t g = serif.glyph(c);
        REQUIRE(g != 0);
        const Parsed p = parse(subset(serif, {g}));
        const std::string& glyph = p.glyphs.at(g);
        REQUIRE(glyph.size() >= 10);
        if (static_cast<std::int16_t>(be16(glyph, 0)) >= 0) continue;  // simple outline
        // Walk the component records: each one must be in the subset too.
        std::size_t at = 10;
        int components = 0;
        for (;;) {
            const std::uint32_t flags = be16(glyph, at), component = be16(glyph, at + 2);
            CHECK_FALSE(p.glyphs.at(component).empty());
            ++components;
            at += 4 + ((flags & 1) ? 4 : 2) +
                  ((flags & 8)      ? 2
                   : (flags & 0x40) ? 4
                   : (flags & 0x80) ? 8
                                    : 0);
            if ((flags & 0x20) == 0) break;
        }
        CHECK(components >= 2);
        CHECK(nonempty(p) == 1 + static_cast<std::size_t>(components));
        SUCCEED("composite: U+" << std::hex << static_cast<unsigned>(c));
        return;
    }
    FAIL("no composite glyph found among the accented letters tried");
}

TEST_CASE("script faces and supplementary-plane glyphs subset", "[subset]") {
    for (const auto& [file, text] : std::vector<std::pair<std::string, std::u32string>>{
             {"NotoSerifHebrew-Regular.ttf", U"\u05E9\u05DC\u05D5\u05DD"},
             {"NotoNaskhArabic-Bold.ttf", U"\u062A\u0647\u0631\u0627\u0646"},
             {"NotoSerifEthiopic-Regular.ttf", U"\u1275\u130D\u122D\u129B"},
             {"DejaVuSerif.ttf", U"\U0001D434\U0001D538"}}) {
        INFO(file);
        const TrueTypeFace f = face(file);
        std::vector<std::uint16_t> wanted;
        for (char32_t c : text) wanted.push_back(f.glyph(c));
        const Parsed p = parse(subset(f, wanted));
        for (std::uint16_t g : wanted) {
            REQUIRE(g != 0);
            CHECK_FALSE(p.glyphs.at(g).empty());
        }
        CHECK(p.tables.count("cmap") == 0);
        CHECK(p.tables.count("GSUB") == 0);
    }
}

TEST_CASE("what HarfBuzz cannot subset is a reason, not a crash", "[subset]") {
    std::string problem;
    CHECK_FALSE(subset_font("", {1, 2}, problem));
    CHECK_FALSE(problem.empty());
    problem.clear();
    CHECK_FALSE(subset_font("not a font file at all, just some text", {1}, problem));
    CHECK(problem == "HarfBuzz found no glyphs in the font file");
    // A real face cut short: whatever HarfBuzz makes of it, the answer is a subset or a reason.
    const TrueTypeFace serif = face("LiberationSerif-Regular.ttf");
    for (std::size_t cut : {std::size_t{12}, std::size_t{400}, serif.bytes().size() / 2}) {
        problem.clear();
        const auto program = subset_font(serif.bytes().substr(0, cut), {36, 68}, problem);
        CHECK((program.has_value() || !problem.empty()));
    }
    // Glyph ids past the face are ignored.
    const auto program = subset_font(serif.bytes(), {60000}, problem);
    REQUIRE(program.has_value());
    CHECK(parse(*program).glyphs.size() == 1);  // .notdef only
}
