#include <unicode/uscript.h>

#include <cstring>
#include <iterator>
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
    const auto mappings = file->mappings();
    // Mappings are in code point order and below U+110000: the last gives the table's length.
    face->block_of.assign(mappings.empty() ? 0 : (mappings.back().first >> 8) + 1, 0);
    face->glyph.assign(0x100, 0);  // block 0: no characters
    for (const auto& [c, g] : mappings) {
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
    explicit Lazy(std::vector<std::string> p) : paths(std::move(p)), once(paths.size()) {
        faces.resize(paths.size());
    }
    std::vector<std::string> paths;
    mutable std::vector<std::once_flag> once;  // sized once: once_flag cannot move
    mutable std::vector<Face> faces;
};

FallbackFaces::FallbackFaces(std::vector<std::string> paths)
    : lazy_(std::make_shared<Lazy>(std::move(paths))) {}

const Face& FallbackFaces::operator[](std::size_t i) const {
    static const Face kNone;  // immutable: what a default-constructed set has
    if (!lazy_ || i >= lazy_->paths.size()) return kNone;
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
    return lazy_ && i < lazy_->paths.size() ? lazy_->paths[i] : kNone;
}

std::size_t FallbackFaces::size() const { return lazy_ ? lazy_->paths.size() : 0; }

namespace {

// The scripts with a face of their own, in the order of FontSet::scripts (two faces each).
constexpr UScriptCode kScripts[] = {USCRIPT_ARABIC, USCRIPT_HEBREW, USCRIPT_ETHIOPIC};
constexpr std::size_t kPrimaryCount = 4, kFallbackCount = 4;
constexpr std::size_t kScriptCount = 2 * std::size(kScripts);

// Whether c may belong to a script of kScripts: their blocks (Hebrew, Arabic and its
// supplements, Ethiopic and its extensions, the presentation forms) and the supplementary
// planes. Keeps the script lookup off the path of Latin text and its punctuation.
bool in_script_blocks(char32_t c) {
    return (c >= 0x0590 && c < 0x13A0) || (c >= 0x2D80 && c < 0x2DE0) ||
           (c >= 0xAB00 && c < 0xAB30) || (c >= 0xFB1D && c < 0xFF00) || c >= 0x10000;
}

int script_index(UScriptCode script) {
    for (std::size_t k = 0; k < std::size(kScripts); ++k)
        if (script == kScripts[k]) return static_cast<int>(k);
    return -1;
}

// The position in kScripts of c's own script (its Unicode Script property), or -1.
int own_script(char32_t c) {
    if (!in_script_blocks(c)) return -1;
    UErrorCode status = U_ZERO_ERROR;
    const UScriptCode script = uscript_getScript(static_cast<UChar32>(c), &status);
    return U_FAILURE(status) ? -1 : script_index(script);
}

// For a character of the Common and Inherited scripts (the Arabic comma, question mark and
// vowel marks), the position in kScripts of the first of its script extensions that has a face,
// or -1.
int shared_script(char32_t c) {
    UErrorCode status = U_ZERO_ERROR;
    UScriptCode extensions[16];
    const int32_t n = uscript_getScriptExtensions(
        static_cast<UChar32>(c), extensions, static_cast<int32_t>(std::size(extensions)), &status);
    if (U_FAILURE(status)) return -1;
    for (int32_t e = 0; e < n; ++e)
        if (const int k = script_index(extensions[e]); k >= 0) return k;
    return -1;
}

}  // namespace

std::size_t FontSet::face_count() const { return kPrimaryCount + kFallbackCount + kScriptCount; }

const Face& FontSet::face(int index) const {
    static const Face kNone;
    if (index < 0) return kNone;
    auto i = static_cast<std::size_t>(index);
    if (i < kPrimaryCount) return primary[i];
    i -= kPrimaryCount;
    if (i < kFallbackCount) return fallback[i];
    return scripts[i - kFallbackCount];  // empty beyond the end
}

const std::string& FontSet::path(int index) const {
    static const std::string kNone;
    if (index < 0) return kNone;
    auto i = static_cast<std::size_t>(index);
    if (i < kPrimaryCount) return primary[i].path;
    i -= kPrimaryCount;
    if (i < kFallbackCount) return fallback.path(i);
    return scripts.path(i - kFallbackCount);
}

int FontSet::pick(char32_t c, Style style) const {
    const auto s = static_cast<std::size_t>(style);
    const bool bold = style == Style::bold || style == Style::bold_italic;
    const auto script_face = [&](int script) {
        const std::size_t i = 2 * static_cast<std::size_t>(script) + (bold ? 1 : 0);
        return scripts[i].has(c) ? static_cast<int>(kPrimaryCount + kFallbackCount + i) : -1;
    };
    // A letter of a script with a face of its own is set in that face even when the primary
    // has it (Liberation Serif has Hebrew letters, without the marks and the design of a Hebrew
    // face), so that a word is never set in two faces.
    if (const int script = own_script(c); script >= 0) {
        if (const int font = script_face(script); font >= 0) return font;
    }
    if (primary[s].has(c)) return static_cast<int>(s);
    if (const int script = shared_script(c); script >= 0) {
        if (const int font = script_face(script); font >= 0) return font;
    }
    if (fallback[s].has(c)) return static_cast<int>(kPrimaryCount + s);
    return -1;
}

FontSet load_fonts(const std::string& dir, Diagnostics& diagnostics,
                   const std::string& hyphen_dir) {
    static constexpr const char* kPrimary[4] = {
        "LiberationSerif-Regular.ttf", "LiberationSerif-Italic.ttf", "LiberationSerif-Bold.ttf",
        "LiberationSerif-BoldItalic.ttf"};
    static constexpr const char* kFallback[4] = {"DejaVuSerif.ttf", "DejaVuSerif-Italic.ttf",
                                                 "DejaVuSerif-Bold.ttf",
                                                 "DejaVuSerif-BoldItalic.ttf"};
    static constexpr const char* kScriptFiles[kScriptCount] = {
        "NotoNaskhArabic-Regular.ttf",   "NotoNaskhArabic-Bold.ttf",
        "NotoSerifHebrew-Regular.ttf",   "NotoSerifHebrew-Bold.ttf",
        "NotoSerifEthiopic-Regular.ttf", "NotoSerifEthiopic-Bold.ttf"};
    FontSet set;
    // Only checked here; FallbackFaces reads the metrics if layout needs the face.
    const auto check = [&](const char* file) {
        std::string path = dir + "/" + file, problem;
        if (parse_face(path, nullptr, problem)) return path;
        error(diagnostics, {path, 0, 0}, "font.unusable", problem);
        return std::string();
    };
    std::vector<std::string> fallback, scripts;
    // Primary and fallback interleaved, so that the diagnostics come in the order they did
    // when every face was parsed here.
    for (std::size_t i = 0; i < 4; ++i) {
        std::string path = dir + "/" + kPrimary[i], problem;
        if (!parse_face(path, &set.primary[i], problem))
            error(diagnostics, {path, 0, 0}, "font.unusable", problem);
        fallback.push_back(check(kFallback[i]));
    }
    for (const char* file : kScriptFiles) scripts.push_back(check(file));
    set.fallback = FallbackFaces(std::move(fallback));
    set.scripts = FallbackFaces(std::move(scripts));
    for (const char* language : {"en-GB", "en-US"}) {
        if (auto patterns = find_hyphenation(hyphenation_dictionary(hyphen_dir, language)))
            set.hyphenation.push_back(std::move(*patterns));
    }
    return set;
}

}  // namespace dossier::layout
