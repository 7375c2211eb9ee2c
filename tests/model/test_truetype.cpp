// Tests for the TrueType reader and subsetter: the subset is parsed back here
// (table directory, checksums, glyph index) to show it is a well-formed font program with the
// glyphs asked for, their components, and nothing else.
#include <catch2/catch.hpp>
#include <cstdint>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "model/truetype.hpp"

using dossier::TrueTypeFace;

namespace {

const std::string kFonts = DOSSIER_SOURCE_DIR "/fonts/";

TrueTypeFace face(const std::string& file) {
    std::string problem;
    auto f = TrueTypeFace::read(kFonts + file, problem);
    INFO(problem);
    REQUIRE(f.has_value());
    return std::move(*f);
}

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
    std::uint32_t sum = 0;
    for (std::size_t i = 0; i < font.size(); i += 4) sum += be32(font, i);  // padded to 4
    CHECK(font.size() % 4 == 0);
    CHECK(sum == 0xB1B0AFBAu);  // head.checkSumAdjustment makes the whole file add up
    for (std::uint32_t i = 0; i < count; ++i) {
        const std::size_t r = 12 + 16 * std::size_t{i};
        const std::string tag = font.substr(r, 4);
        const std::uint32_t offset = be32(font, r + 8), length = be32(font, r + 12);
        REQUIRE(std::size_t{offset} + length <= font.size());
        const std::string data = font.substr(offset, length);
        std::string padded = data;
        while (padded.size() % 4) padded += '\0';
        std::uint32_t table_sum = 0;
        for (std::size_t k = 0; k < padded.size(); k += 4) table_sum += be32(padded, k);
        if (tag != "head") CHECK(table_sum == be32(font, r + 4));
        p.tables[tag] = data;
    }
    const std::string& head = p.tables.at("head");
    CHECK(be16(head, 50) == 1);  // long loca
    const std::uint32_t glyphs = be16(p.tables.at("maxp"), 4);
    CHECK(be16(p.tables.at("hhea"), 34) == glyphs);
    CHECK(p.tables.at("hmtx").size() == 4 * std::size_t{glyphs});
    const std::string& loca = p.tables.at("loca");
    REQUIRE(loca.size() == 4 * (std::size_t{glyphs} + 1));
    for (std::uint32_t g = 0; g < glyphs; ++g) {
        const std::uint32_t begin = be32(loca, 4 * g), end = be32(loca, 4 * g + 4);
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

}  // namespace

TEST_CASE("reads glyphs, advances and names from a TrueType file", "[truetype]") {
    const TrueTypeFace serif = face("LiberationSerif-Regular.ttf");
    CHECK(serif.descriptor().postscript_name == "LiberationSerif");
    CHECK_FALSE(serif.descriptor().italic);
    CHECK(serif.glyph(U'A') != 0);
    CHECK(serif.advance(serif.glyph(U'A')) == 722);  // Times-compatible metrics
    CHECK(serif.glyph(U'Ж') != 0);
    CHECK(serif.glyph(U'\uE000') == 0);  // private use: not in the face
    CHECK(serif.glyph(U'\uFFFF') == 0);
    const TrueTypeFace italic = face("LiberationSerif-Italic.ttf");
    CHECK(italic.descriptor().italic);
    CHECK(italic.descriptor().italic_angle < 0);
    CHECK(face("DejaVuSerif.ttf").glyph(U'ҳ') != 0);  // Tajik
}

TEST_CASE("mappings list exactly what glyph() answers, in code point order", "[truetype]") {
    // Liberation and Noto have format 4 cmaps only, DejaVu format 12 as well (read instead).
    for (const std::string file :
         {"LiberationSerif-Regular.ttf", "DejaVuSerif-Bold.ttf", "NotoNaskhArabic-Regular.ttf"}) {
        const TrueTypeFace f = face(file);
        const auto all = f.mappings();
        REQUIRE(all.size() > 500);
        std::size_t next = 0;
        for (char32_t c = 0; c < 0x110000; ++c) {
            const std::uint16_t g = f.glyph(c);
            if (g == 0) continue;
            REQUIRE(next < all.size());
            CHECK(all[next].first == c);
            CHECK(all[next].second == g);
            ++next;
        }
        CHECK(next == all.size());
    }
}

TEST_CASE("format 12 cmap: characters past U+FFFF", "[truetype]") {
    // DejaVu Serif (bundled) maps the Mathematical Alphanumeric Symbols through its format 12
    // cmap; Liberation Serif has only format 4, so it has none of them.
    const TrueTypeFace dejavu = face("DejaVuSerif.ttf");
    const std::uint16_t italic_a = dejavu.glyph(U'\U0001D434');  // MATHEMATICAL ITALIC CAPITAL A
    CHECK(italic_a != 0);
    CHECK(italic_a != dejavu.glyph(U'A'));
    CHECK(dejavu.advance(italic_a) > 0);
    CHECK(dejavu.glyph(U'\U0001D538') != 0);  // MATHEMATICAL DOUBLE-STRUCK CAPITAL A
    CHECK(dejavu.glyph(U'\U0001D455') == 0);  // reserved (italic h is U+210E): a gap
    CHECK(dejavu.glyph(U'\U0001D400') == 0);  // bold letters: not in DejaVu Serif
    CHECK(dejavu.glyph(U'\U0001F600') == 0);  // an emoji: not in DejaVu Serif
    CHECK(dejavu.glyph(U'\U0010FFFF') == 0);
    CHECK(dejavu.glyph(U'A') != 0);  // the BMP is answered from the same table
    CHECK(face("LiberationSerif-Regular.ttf").glyph(U'\U0001D400') == 0);

    // The lookup tables layout builds reach the supplementary planes (the full comparison with
    // glyph() is the test above).
    const auto all = dejavu.mappings();
    REQUIRE_FALSE(all.empty());
    CHECK(all.back().first > 0xFFFF);
}

TEST_CASE("unreadable and non-TrueType files are refused with a reason", "[truetype]") {
    std::string problem;
    CHECK_FALSE(TrueTypeFace::read(kFonts + "NoSuchFont.ttf", problem));
    CHECK(problem == "cannot read the font file");
    CHECK_FALSE(TrueTypeFace::read(kFonts, problem));  // a directory
    CHECK(problem == "cannot read the font file");
    CHECK_FALSE(TrueTypeFace::read(kFonts + "LICENSE-DejaVu.txt", problem));
    CHECK(problem.find("not a TrueType font") != std::string::npos);
}

TEST_CASE("a subset keeps only the glyphs asked for, with valid tables", "[truetype]") {
    const TrueTypeFace serif = face("LiberationSerif-Regular.ttf");
    std::vector<std::uint16_t> wanted;
    for (char32_t c : std::u32string(U"Tajik")) wanted.push_back(serif.glyph(c));
    const std::string program = serif.subset(wanted);
    CHECK(program.size() < 40000);  // the file is 393 KB
    const Parsed p = parse(program);
    for (const std::string tag :
         {"cvt ", "fpgm", "glyf", "head", "hhea", "hmtx", "loca", "maxp", "prep"}) {
        CHECK(p.tables.count(tag) == 1);
    }
    CHECK(p.tables.count("cmap") == 0);  // a CIDFont maps codes to glyphs itself
    CHECK(p.tables.size() == 9);
    for (std::uint16_t g : wanted) CHECK_FALSE(p.glyphs.at(g).empty());
    CHECK(nonempty(p) == 5);  // T a j i k (Liberation's .notdef has no outline)
    // The glyph index ends at the highest glyph kept.
    std::uint16_t highest = 0;
    for (std::uint16_t g : wanted) highest = std::max(highest, g);
    CHECK(p.glyphs.size() == highest + 1u);
    // Advances survive for kept glyphs, are zero for dropped ones.
    CHECK(be16(p.tables.at("hmtx"), 4u * serif.glyph(U'T')) * 1000 / 2048 == 610);
    CHECK(be16(p.tables.at("hmtx"), 4u * 1) == 0);
    CHECK(serif.subset(wanted) == program);  // deterministic
}

TEST_CASE("composite glyphs bring their components into the subset", "[truetype]") {
    const TrueTypeFace serif = face("LiberationSerif-Regular.ttf");
    // Find an accented letter that is drawn as a composite of base letter and accent.
    for (char32_t c : std::u32string(U"éÅñöйёŽ")) {
        const std::uint16_t g = serif.glyph(c);
        REQUIRE(g != 0);
        const Parsed p = parse(serif.subset({g}));
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
