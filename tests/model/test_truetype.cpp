// Tests for the TrueType reader: glyphs from the format 4 and format 12 cmaps, advances, names.
// The subsets are HarfBuzz's, tested with the PDF writer (tests/pdf/test_font_subset.cpp).
#include <catch2/catch.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "../support/font_files.hpp"
#include "model/truetype.hpp"

using dossier::TrueTypeFace;

namespace {

const std::string& kFonts = dossier::test::kFontDir;

TrueTypeFace face(const std::string& file) { return dossier::test::bundled_face(file); }

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
