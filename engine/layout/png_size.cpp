// PNG structure (ISO/IEC 15948, the PNG specification, sections 5 and 11.2.2): an 8-byte
// signature, then chunks of length (4 bytes, big-endian), type (4), data, CRC-32 of type and
// data (4). IHDR holds width, height, bit depth, colour type, compression, filter, interlace.
#include "layout/png_size.hpp"

#include <array>
#include <cerrno>
#include <cstdio>
#include <memory>
#include <system_error>

#include "model/file_bytes.hpp"
#include "model/pages.hpp"

namespace dossier::layout {

namespace {

constexpr std::string_view kSignature("\x89PNG\r\n\x1a\n", 8);
constexpr std::size_t kMaxFileBytes = std::size_t{64} << 20;

// CRC-32 as PNG uses it (polynomial 0xEDB88320, reflected), table built at compile time.
constexpr std::array<std::uint32_t, 256> kCrcTable = [] {
    std::array<std::uint32_t, 256> table{};
    for (std::uint32_t n = 0; n < 256; ++n) {
        std::uint32_t c = n;
        for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        table[n] = c;
    }
    return table;
}();

std::uint32_t crc32(std::string_view bytes) {
    std::uint32_t c = 0xFFFFFFFFu;
    for (char ch : bytes) c = kCrcTable[(c ^ static_cast<unsigned char>(ch)) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

std::uint32_t be32(std::string_view bytes, std::size_t at) {
    std::uint32_t v = 0;
    for (std::size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(bytes[at + i]);
    return v;
}

// Bit depths the specification allows for each colour type (table 11.1).
bool valid_depth(unsigned colour, unsigned depth) {
    switch (colour) {
        case 0:  // greyscale
            return depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
        case 3:  // indexed
            return depth == 1 || depth == 2 || depth == 4 || depth == 8;
        case 2:  // truecolour
        case 4:  // greyscale with alpha
        case 6:  // truecolour with alpha
            return depth == 8 || depth == 16;
        default:
            return false;
    }
}

std::optional<PngSize> fail(std::string& problem, std::string why) {
    problem = std::move(why);
    return std::nullopt;
}

}  // namespace

std::optional<PngSize> png_size(std::string_view bytes, std::string& problem) {
    if (bytes.substr(0, kSignature.size()) != kSignature)
        return fail(problem, "it is not a PNG file (its first bytes are not the PNG signature)");
    PngSize size;
    bool palette_needed = false, palette = false, data = false;
    std::size_t at = kSignature.size();
    for (int index = 0;; ++index) {
        if (bytes.size() - at < 12) return fail(problem, "the PNG file is truncated");
        const std::uint32_t length = be32(bytes, at);
        const std::string_view type = bytes.substr(at + 4, 4);
        if (length > 0x7FFFFFFFu || bytes.size() - at - 12 < length)
            return fail(problem, "the PNG file is truncated");
        const std::string_view body = bytes.substr(at + 8, length);
        if (crc32(bytes.substr(at + 4, 4 + length)) != be32(bytes, at + 8 + length))
            return fail(problem, "the PNG file is damaged (a checksum does not match)");
        at += 12 + std::size_t{length};
        if (index == 0) {
            if (type != "IHDR" || length != 13)
                return fail(problem, "the PNG file is damaged (it does not start with IHDR)");
            size.width = be32(body, 0);
            size.height = be32(body, 4);
            const auto depth = static_cast<unsigned char>(body[8]);
            const auto colour = static_cast<unsigned char>(body[9]);
            if (size.width == 0 || size.height == 0 || size.width > 0x7FFFFFFFu ||
                size.height > 0x7FFFFFFFu || !valid_depth(colour, depth) || body[10] != 0 ||
                body[11] != 0 || static_cast<unsigned char>(body[12]) > 1)
                return fail(problem, "the PNG file is damaged (its header is not valid)");
            if (body[12] == 1)
                return fail(problem,
                            "it is an interlaced PNG image, which cannot be embedded; save it "
                            "again without interlacing");
            if (size.width > kMaxImageSide || size.height > kMaxImageSide ||
                std::uint64_t{size.width} * size.height > kMaxImagePixels)
                return fail(problem, "the image is " + std::to_string(size.width) + " x " +
                                         std::to_string(size.height) + " pixels; at most " +
                                         std::to_string(kMaxImageSide) + " on a side and " +
                                         std::to_string(kMaxImagePixels >> 20) +
                                         " million in all are accepted");
            palette_needed = colour == 3;
            continue;
        }
        if (type == "IHDR") return fail(problem, "the PNG file is damaged (it has a second IHDR)");
        if (type == "PLTE") palette = true;
        if (type == "IDAT") {
            if (palette_needed && !palette)
                return fail(problem, "the PNG file is damaged (its palette is missing)");
            data = true;
        }
        if (type == "IEND") break;
    }
    if (!data) return fail(problem, "the PNG file has no image data");
    return size;
}

std::optional<PngSize> read_png_size(const std::string& path, std::string& problem) {
    // Only a regular file, within the bound: a FIFO or a device named as the signature must
    // not block or grow without end.
    FileProblem why;
    auto bytes = read_regular_file(path, kMaxFileBytes, why);
    if (!bytes) return fail(problem, why.reason);
    return png_size(*bytes, problem);
}

}  // namespace dossier::layout
