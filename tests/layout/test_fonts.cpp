// Font metrics: the fallback and script faces, which are checked when the fonts load but read on
// first use, and the choice of face per character.
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "../support/temp_files.hpp"
#include "layout/layout.hpp"

using namespace dossier;
using namespace dossier::layout;

TEST_CASE("a broken fallback face is reported when the fonts load, before any use") {
    test::TempDir dir;
    for (const auto& entry : std::filesystem::directory_iterator(DOSSIER_SOURCE_DIR "/fonts"))
        std::filesystem::copy(entry.path(), dir.path() + "/" + entry.path().filename().string());
    dir.write("DejaVuSerif-Bold.ttf", "not a font");
    Diagnostics d;
    FontSet fonts = load_fonts(dir.path(), d);
    REQUIRE(d.size() == 1);
    CHECK(d[0].code == "font.unusable");
    CHECK(d[0].span.file == dir.path() + "/DejaVuSerif-Bold.ttf");
    CHECK(fonts.fallback.path(2).empty());
    CHECK_FALSE(fonts.fallback[2].has(U'A'));
    CHECK(fonts.fallback[0].has(U'A'));
}

TEST_CASE("fallback faces read on first use are the faces read eagerly - on any thread") {
    Diagnostics d;
    FontSet fonts = load_fonts(DOSSIER_SOURCE_DIR "/fonts", d);
    REQUIRE(d.empty());
    // Several threads ask for the faces at once: each is parsed once, and all see it whole.
    std::vector<std::vector<int>> widths(4);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < widths.size(); ++t)
        threads.emplace_back([&, t] {
            for (std::size_t i = 0; i < fonts.fallback.size(); ++i)
                for (char32_t c : std::u32string(U"A\u2011\u04B3\u0F00"))
                    widths[t].push_back(fonts.fallback[i].width(c));
        });
    for (auto& t : threads) t.join();
    for (const auto& w : widths) CHECK(w == widths[0]);
    CHECK(fonts.fallback[0].path == DOSSIER_SOURCE_DIR "/fonts/DejaVuSerif.ttf");
    CHECK(fonts.fallback.path(0) == fonts.fallback[0].path);
    CHECK(fonts.fallback[0].has(U'\u2011'));
    CHECK_FALSE(fonts.fallback[0].has(U'\u0F00'));
    CHECK(fonts.fallback[3].width(U'A') > 0);
}

TEST_CASE("pick: primary for Latin, the Noto face for Hebrew, Arabic and Ethiopic letters") {
    Diagnostics d;
    FontSet fonts = load_fonts(DOSSIER_SOURCE_DIR "/fonts", d);
    REQUIRE(d.empty());
    REQUIRE(fonts.face_count() == 14);
    const auto file = [&](int index) {
        const std::string& path = fonts.path(index);
        return path.substr(path.find_last_of('/') + 1);
    };
    CHECK(fonts.pick(U'A', Style::regular) == 0);
    CHECK(fonts.pick(U'A', Style::bold_italic) == 3);
    CHECK(fonts.pick(U'\u04B3', Style::regular) == 0);  // Tajik: Liberation has it
    // Liberation Serif has Hebrew letters too, but the script face comes first.
    REQUIRE(fonts.primary[0].has(U'\u05D0'));
    CHECK(file(fonts.pick(U'\u05D0', Style::regular)) == "NotoSerifHebrew-Regular.ttf");
    CHECK(file(fonts.pick(U'\u05E9', Style::italic)) == "NotoSerifHebrew-Regular.ttf");
    CHECK(file(fonts.pick(U'\u05E9', Style::bold)) == "NotoSerifHebrew-Bold.ttf");
    CHECK(file(fonts.pick(U'\u05E9', Style::bold_italic)) == "NotoSerifHebrew-Bold.ttf");
    CHECK(file(fonts.pick(U'\u0641', Style::regular)) == "NotoNaskhArabic-Regular.ttf");  // fa
    CHECK(file(fonts.pick(U'\u06A9', Style::bold)) == "NotoNaskhArabic-Bold.ttf");  // Persian kaf
    // Shared with other scripts (Common, Inherited): found through the script extensions.
    CHECK(file(fonts.pick(U'\u060C', Style::regular)) == "NotoNaskhArabic-Regular.ttf");    // comma
    CHECK(file(fonts.pick(U'\u064E', Style::regular)) == "NotoNaskhArabic-Regular.ttf");    // fatha
    CHECK(file(fonts.pick(U'\u1275', Style::regular)) == "NotoSerifEthiopic-Regular.ttf");  // ት
    CHECK(file(fonts.pick(U'\u130D', Style::bold_italic)) == "NotoSerifEthiopic-Bold.ttf");
    // Past the BMP: DejaVu's mathematical letters (format 12 cmap) through the fallback.
    CHECK(file(fonts.pick(U'\U0001D434', Style::regular)) == "DejaVuSerif.ttf");
    CHECK(fonts.pick(U'\U0001F600', Style::regular) == -1);  // no face has it
    CHECK(fonts.pick(U'\u0F00', Style::regular) == -1);      // Tibetan: none either
    for (int i = 0; i < static_cast<int>(fonts.face_count()); ++i) {
        CHECK(fonts.face(i).path == fonts.path(i));
        CHECK_FALSE(fonts.path(i).empty());
    }
    CHECK(fonts.path(-1).empty());
    CHECK(fonts.path(14).empty());
    CHECK(fonts.face(14).glyph.empty());
}

TEST_CASE("a broken script face is reported when the fonts load") {
    test::TempDir dir;
    for (const auto& entry : std::filesystem::directory_iterator(DOSSIER_SOURCE_DIR "/fonts"))
        std::filesystem::copy(entry.path(), dir.path() + "/" + entry.path().filename().string());
    std::filesystem::remove(dir.path() + "/NotoSerifHebrew-Bold.ttf");
    Diagnostics d;
    FontSet fonts = load_fonts(dir.path(), d);
    REQUIRE(d.size() == 1);
    CHECK(d[0].code == "font.unusable");
    CHECK(d[0].span.file == dir.path() + "/NotoSerifHebrew-Bold.ttf");
    CHECK(fonts.path(11).empty());
    // Without its face a Hebrew letter in bold falls back to the primary face, which has it.
    CHECK(fonts.pick(U'\u05D0', Style::bold) == 2);
    CHECK(fonts.pick(U'\u05D0', Style::regular) == 10);
}
