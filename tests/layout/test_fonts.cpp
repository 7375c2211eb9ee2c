// Font metrics: the fallback faces, which are checked when the fonts load but read on first use.
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
            for (std::size_t i = 0; i < FallbackFaces::size(); ++i)
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
