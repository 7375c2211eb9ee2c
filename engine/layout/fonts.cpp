#include <cstring>
#include <mutex>
#include <string_view>

#include "layout/typeset.hpp"
#include "model/truetype.hpp"

namespace dossier::layout {

namespace {

// Checks the font at `path` and, when `face` is not null, reads its metrics into it (which is
// then complete only when this returns true). On failure `problem` says what is wrong. The file
// is read by the same TrueTypeFace the PDF writer embeds from, so both agree on every glyph.
bool parse_face(const std::string& path, Face* face, std::string& problem) {
    const std::optional<TrueTypeFace> file = TrueTypeFace::read(path, problem);
    if (!file) return false;
    if (!face) return true;
    face->path = path;
    face->ascender = file->descriptor().ascent;
    face->descender = file->descriptor().descent;
    face->advance.resize(file->glyph_count());
    for (std::uint32_t g = 0; g < file->glyph_count(); ++g) {
        face->advance[g] = static_cast<std::uint16_t>(file->advance(static_cast<std::uint16_t>(g)));
    }
    face->block_of.assign(0x100, 0);
    face->glyph.assign(0x100, 0);  // block 0: no characters
    for (const auto& [c, g] : file->mappings()) {
        std::uint16_t& block = face->block_of[c >> 8];
        if (block == 0) {
            block = static_cast<std::uint16_t>(face->glyph.size() / 0x100);
            face->glyph.resize(face->glyph.size() + 0x100, 0);
        }
        face->glyph[0x100u * block + (c & 0xFF)] = g;
    }
    face->name = path.substr(path.find_last_of('/') + 1);
    return true;
}

}  // namespace

struct FallbackFaces::Lazy {
    std::array<std::string, 4> paths;
    mutable std::array<std::once_flag, 4> once;
    mutable std::array<Face, 4> faces;
};

FallbackFaces::FallbackFaces(std::array<std::string, 4> paths) {
    auto lazy = std::make_shared<Lazy>();
    lazy->paths = std::move(paths);
    lazy_ = std::move(lazy);
}

const Face& FallbackFaces::operator[](std::size_t i) const {
    static const Face kNone;  // immutable: what a default-constructed set has
    if (!lazy_) return kNone;
    std::call_once(lazy_->once[i], [&] {
        const std::string& path = lazy_->paths[i];
        Face face;
        std::string problem;
        if (!path.empty() && parse_face(path, &face, problem)) lazy_->faces[i] = std::move(face);
    });
    return lazy_->faces[i];
}

const std::string& FallbackFaces::path(std::size_t i) const {
    static const std::string kNone;
    return lazy_ ? lazy_->paths[i] : kNone;
}

const Face& FontSet::face(int index) const {
    auto i = static_cast<std::size_t>(index % 4);
    return index < 4 ? primary[i] : fallback[i];
}

FontSet load_fonts(const std::string& dir, Diagnostics& diagnostics,
                   const std::string& hyphen_dir) {
    static constexpr const char* kPrimary[4] = {
        "LiberationSerif-Regular.ttf", "LiberationSerif-Italic.ttf", "LiberationSerif-Bold.ttf",
        "LiberationSerif-BoldItalic.ttf"};
    static constexpr const char* kFallback[4] = {"DejaVuSerif.ttf", "DejaVuSerif-Italic.ttf",
                                                 "DejaVuSerif-Bold.ttf",
                                                 "DejaVuSerif-BoldItalic.ttf"};
    FontSet set;
    std::array<std::string, 4> fallback;
    // Primary and fallback interleaved, so that the diagnostics come in the order they did
    // when every face was parsed here.
    for (std::size_t i = 0; i < 4; ++i) {
        std::string path = dir + "/" + kPrimary[i], problem;
        if (!parse_face(path, &set.primary[i], problem))
            error(diagnostics, {path, 0, 0}, "font.unusable", problem);
        // Only checked here; FallbackFaces reads the metrics if layout needs the face.
        path = dir + "/" + kFallback[i];
        if (parse_face(path, nullptr, problem))
            fallback[i] = std::move(path);
        else
            error(diagnostics, {path, 0, 0}, "font.unusable", problem);
    }
    set.fallback = FallbackFaces(std::move(fallback));
    for (const char* language : {"en-GB", "en-US"}) {
        if (auto patterns = find_hyphenation(hyphenation_dictionary(hyphen_dir, language)))
            set.hyphenation.push_back(std::move(*patterns));
    }
    return set;
}

}  // namespace dossier::layout
