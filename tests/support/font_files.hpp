// The bundled font files, read with the engine's TrueType reader, for the tests of the reader
// and of the PDF writer's subsets.
#pragma once

#include <catch2/catch.hpp>
#include <string>
#include <utility>

#include "model/truetype.hpp"

namespace dossier::test {

inline const std::string kFontDir = DOSSIER_SOURCE_DIR "/fonts/";

// The face in `file` of fonts/; the test fails (with the reader's reason) if it cannot be read.
inline TrueTypeFace bundled_face(const std::string& file) {
    std::string problem;
    auto f = TrueTypeFace::read(kFontDir + file, problem);
    INFO(problem);
    REQUIRE(f.has_value());
    return std::move(*f);
}

}  // namespace dossier::test
