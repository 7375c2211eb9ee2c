// HarfBuzz shaping, NFC and bidi levels for the paragraph setter (see shaping.hpp).
#include "layout/shaping.hpp"

#include <hb.h>
#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/ubidi.h>
#include <unicode/uchar.h>

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace dossier::layout {

namespace {

struct FontDeleter {
    void operator()(hb_font_t* font) const { hb_font_destroy(font); }
};
using FontPtr = std::unique_ptr<hb_font_t, FontDeleter>;

struct BufferDeleter {
    void operator()(hb_buffer_t* buffer) const { hb_buffer_destroy(buffer); }
};

// The HarfBuzz font of the file at `path` at a scale of one font unit per unit, so that
// kerning comes out in the face's own units; null when HarfBuzz cannot read the file.
FontPtr open_font(const std::string& path, unsigned& units_per_em) {
    hb_blob_t* blob = hb_blob_create_from_file_or_fail(path.c_str());
    if (blob == nullptr) return nullptr;
    hb_face_t* face = hb_face_create(blob, 0);
    hb_blob_destroy(blob);  // the face holds its own reference
    units_per_em = hb_face_get_upem(face);
    hb_font_t* font = hb_font_create(face);
    hb_face_destroy(face);
    if (font == hb_font_get_empty() || units_per_em == 0) {
        hb_font_destroy(font);
        return nullptr;
    }
    hb_font_set_scale(font, static_cast<int>(units_per_em), static_cast<int>(units_per_em));
    return FontPtr(font);
}

// Font units to 1/1000 em, rounded half away from zero.
std::int32_t per_mille(std::int64_t units, unsigned units_per_em) {
    const std::int64_t scaled = units * 1000;
    const std::int64_t half = units_per_em / 2;
    return static_cast<std::int32_t>(scaled >= 0 ? (scaled + half) / units_per_em
                                                 : (scaled - half) / units_per_em);
}

struct Key {
    int font = 0;
    bool rtl = false;
    std::u32string word;
    bool operator==(const Key&) const = default;
};

struct KeyHash {
    std::size_t operator()(const Key& k) const {
        return std::hash<std::u32string>{}(k.word) ^ (static_cast<std::size_t>(k.font) << 1) ^
               static_cast<std::size_t>(k.rtl);
    }
};

}  // namespace

struct Shaper::Impl {
    const FontSet& fonts;
    hb_language_t language = HB_LANGUAGE_INVALID;
    struct Opened {
        bool tried = false;
        FontPtr font;
        unsigned units_per_em = 1000;
    };
    std::vector<Opened> opened;
    std::unique_ptr<hb_buffer_t, BufferDeleter> buffer{hb_buffer_create()};
    std::unordered_map<Key, std::vector<ShapedGlyph>, KeyHash> cache;
    Key probe;

    Impl(const FontSet& f, const std::string& tag) : fonts(f), opened(f.face_count()) {
        language = hb_language_from_string(tag.c_str(), static_cast<int>(tag.size()));
    }

    Opened& open(int index) {
        Opened& o = opened[static_cast<std::size_t>(index)];
        if (!o.tried) {
            o.tried = true;
            o.font = open_font(fonts.face(index).path, o.units_per_em);
        }
        return o;
    }

    // Each character's nominal glyph at its face's width: what a face HarfBuzz cannot read
    // still gets, so that the text is set (without kerning) rather than lost.
    void nominal(const Face& face, std::u32string_view word, bool rtl,
                 std::vector<ShapedGlyph>& out) const {
        for (std::size_t i = 0; i < word.size(); ++i) {
            std::uint16_t g = face.glyph_of(word[i]);
            out.push_back({g, g < face.advance.size() ? face.advance[g] : 0, 0, 0,
                           static_cast<std::uint32_t>(i)});
        }
        if (rtl) std::reverse(out.begin(), out.end());
    }

    void shape(int index, std::u32string_view word, bool rtl, std::vector<ShapedGlyph>& out) {
        const Face& face = fonts.face(index);
        Opened& o = open(index);
        hb_buffer_t* b = buffer.get();
        if (!o.font || !hb_buffer_allocation_successful(b)) return nominal(face, word, rtl, out);
        hb_buffer_clear_contents(b);
        hb_buffer_add_utf32(b, reinterpret_cast<const std::uint32_t*>(word.data()),
                            static_cast<int>(word.size()), 0, static_cast<int>(word.size()));
        hb_buffer_set_direction(b, rtl ? HB_DIRECTION_RTL : HB_DIRECTION_LTR);
        hb_buffer_set_language(b, language);
        hb_buffer_guess_segment_properties(b);  // the script, from the characters
        hb_shape(o.font.get(), b, nullptr, 0);
        if (!hb_buffer_allocation_successful(b)) return nominal(face, word, rtl, out);
        unsigned n = 0;
        const hb_glyph_info_t* info = hb_buffer_get_glyph_infos(b, &n);
        const hb_glyph_position_t* pos = hb_buffer_get_glyph_positions(b, &n);
        for (unsigned i = 0; i < n; ++i) {
            const auto id = static_cast<std::uint16_t>(info[i].codepoint);
            // The face's width as the PDF states it (truncated 1/1000 em) plus the kerning the
            // shaper added to it: an unkerned glyph then needs no adjustment in the PDF.
            const std::int32_t width = id < face.advance.size() ? face.advance[id] : 0;
            const hb_position_t nominal_units = hb_font_get_glyph_h_advance(o.font.get(), id);
            std::int32_t advance =
                width + per_mille(pos[i].x_advance - nominal_units, o.units_per_em);
            if (pos[i].x_advance == 0) advance = 0;  // a mark: it does not move the pen
            out.push_back({id, advance, per_mille(pos[i].x_offset, o.units_per_em),
                           per_mille(pos[i].y_offset, o.units_per_em), info[i].cluster});
        }
    }
};

Shaper::Shaper(const FontSet& fonts, const std::string& language)
    : impl_(std::make_unique<Impl>(fonts, language)) {}

Shaper::~Shaper() = default;

const std::vector<ShapedGlyph>& Shaper::shape(int font, std::u32string_view word, bool rtl) {
    // The lookup key reuses one buffer: most words are found, and need no allocation.
    Key& probe = impl_->probe;
    probe.font = font;
    probe.rtl = rtl;
    probe.word.assign(word);
    auto found = impl_->cache.find(probe);
    if (found != impl_->cache.end()) return found->second;
    Key key = probe;
    std::vector<ShapedGlyph> glyphs;
    impl_->shape(font, word, rtl, glyphs);
    // Bounded: a pathological input of unique words must not grow the cache without limit.
    if (impl_->cache.size() > 50000) impl_->cache.clear();
    return impl_->cache.emplace(std::move(key), std::move(glyphs)).first->second;
}

std::string to_nfc(const std::string& text) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
    if (U_FAILURE(status)) return text;
    if (nfc->isNormalizedUTF8(text, status) || U_FAILURE(status)) return text;
    status = U_ZERO_ERROR;
    std::string out;
    icu::StringByteSink<std::string> sink(&out, static_cast<int32_t>(text.size()));
    nfc->normalizeUTF8(0, text, sink, nullptr, status);
    return U_SUCCESS(status) ? out : text;
}

std::vector<std::uint8_t> bidi_levels(const std::u32string& text) {
    bool rtl = false, ltr = false;
    for (char32_t c : text) {
        auto d = u_charDirection(static_cast<UChar32>(c));
        if (d == U_RIGHT_TO_LEFT || d == U_RIGHT_TO_LEFT_ARABIC || d == U_RIGHT_TO_LEFT_EMBEDDING ||
            d == U_RIGHT_TO_LEFT_OVERRIDE || d == U_RIGHT_TO_LEFT_ISOLATE)
            rtl = true;
        else if (d == U_LEFT_TO_RIGHT)
            ltr = true;
    }
    if (!rtl) return {};
    // The paragraph's direction (UAX #9, HL1): right to left only when it has no left-to-right
    // letter at all (a quotation in Persian or Hebrew). A paragraph of the report that cites a
    // name in Hebrew, or an answer in Persian followed by "See paragraphs 25-31.", stays left to
    // right, as the report around it; the first-strong rule would turn such a paragraph round.
    const UBiDiLevel paragraph = ltr ? 0 : 1;
    std::u16string units;
    std::vector<int> char_of;  // UTF-16 index -> character index
    for (std::size_t i = 0; i < text.size(); ++i) {
        char32_t c = text[i];
        if (c < 0x10000) {
            units += static_cast<char16_t>(c);
            char_of.push_back(static_cast<int>(i));
        } else {
            units += static_cast<char16_t>(0xD7C0 + (c >> 10));
            units += static_cast<char16_t>(0xDC00 | (c & 0x3FF));
            char_of.push_back(static_cast<int>(i));
            char_of.push_back(static_cast<int>(i));
        }
    }
    UErrorCode status = U_ZERO_ERROR;
    UBiDi* bidi = ubidi_openSized(static_cast<int32_t>(units.size()), 0, &status);
    std::vector<std::uint8_t> levels(text.size(), 0);
    if (U_SUCCESS(status)) {
        ubidi_setPara(bidi, reinterpret_cast<const UChar*>(units.data()),
                      static_cast<int32_t>(units.size()), paragraph, nullptr, &status);
        const UBiDiLevel* l = U_SUCCESS(status) ? ubidi_getLevels(bidi, &status) : nullptr;
        if (l != nullptr && U_SUCCESS(status))
            for (std::size_t u = 0; u < units.size(); ++u)
                levels[static_cast<std::size_t>(char_of[u])] = l[u];
    }
    if (bidi != nullptr) ubidi_close(bidi);
    return levels;
}

std::vector<int> visual_order(const std::vector<std::uint8_t>& levels) {
    std::vector<int> order(levels.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
    if (levels.empty()) return order;
    const std::uint8_t highest = *std::max_element(levels.begin(), levels.end());
    std::uint8_t lowest_odd = 255;
    for (auto l : levels)
        if (l % 2 == 1) lowest_odd = std::min(lowest_odd, l);
    for (int level = highest; level >= lowest_odd && level > 0; --level) {
        for (std::size_t i = 0; i < levels.size();) {
            if (levels[static_cast<std::size_t>(order[i])] < level) {
                ++i;
                continue;
            }
            std::size_t j = i;
            while (j < levels.size() && levels[static_cast<std::size_t>(order[j])] >= level) ++j;
            std::reverse(order.begin() + static_cast<long>(i),
                         order.begin() + static_cast<long>(j));
            i = j;
        }
    }
    return order;
}

}  // namespace dossier::layout
