#include "pdf/png_file.hpp"

#include <png.h>

#include <cerrno>
#include <cstdio>
#include <memory>
#include <system_error>
#include <vector>

#include "model/file_bytes.hpp"
#include "model/pages.hpp"

namespace dossier::pdf {

namespace {

constexpr std::size_t kMaxFileBytes = std::size_t{64} << 20;

std::optional<PngFile> fail(std::string& problem, std::string why) {
    problem = std::move(why);
    return std::nullopt;
}

struct Finish {
    void operator()(png_image* image) const { png_image_free(image); }
};

}  // namespace

std::optional<PngFile> read_png(const std::string& path, std::string& problem) {
    // Only a regular file, within the bound: a FIFO or a device named as the signature must
    // not block or grow without end.
    FileProblem why;
    auto bytes = read_regular_file(path, kMaxFileBytes, why);
    if (!bytes) return fail(problem, why.reason);
    PngFile png;
    png.bytes = std::move(*bytes);

    png_image image{};
    image.version = PNG_IMAGE_VERSION;
    // Frees libpng's state on every path out (png_image_free does nothing once finished).
    std::unique_ptr<png_image, Finish> guard(&image);
    if (!png_image_begin_read_from_memory(&image, png.bytes.data(), png.bytes.size()))
        return fail(problem, std::string("libpng: ") + image.message);
    png.width = image.width;
    png.height = image.height;
    png.alpha = (image.format & PNG_FORMAT_FLAG_ALPHA) != 0;
    png.color = (image.format & PNG_FORMAT_FLAG_COLOR) != 0;
    if (png.width > kMaxImageSide || png.height > kMaxImageSide ||
        std::uint64_t{png.width} * png.height > kMaxImagePixels)
        return fail(problem, "the image is " + std::to_string(png.width) + " x " +
                                 std::to_string(png.height) + " pixels, more than accepted");
    // The IHDR's interlace method (byte 28: after the signature, the chunk's length and type,
    // width, height, depth, colour type, compression and filter); begin_read checked IHDR.
    if (png.bytes.size() > 28 && png.bytes[28] != 0)
        return fail(problem, "it is an interlaced PNG image, which libharu cannot embed");
    // One byte per pixel: the decode is only a check, so the smallest buffer will do.
    image.format = PNG_FORMAT_GRAY;
    std::vector<png_byte> pixels(PNG_IMAGE_SIZE(image));
    if (!png_image_finish_read(&image, nullptr, pixels.data(), 0, nullptr))
        return fail(problem, std::string("libpng: ") + image.message);
    return png;
}

bool flatten_png(PngFile& png, std::string& problem) {
    png_image image{};
    image.version = PNG_IMAGE_VERSION;
    std::unique_ptr<png_image, Finish> guard(&image);
    if (!png_image_begin_read_from_memory(&image, png.bytes.data(), png.bytes.size())) {
        problem = std::string("libpng: ") + image.message;
        return false;
    }
    // A format without alpha and a background: libpng composes every pixel onto it.
    image.format = png.color ? PNG_FORMAT_RGB : PNG_FORMAT_GRAY;
    const png_color white{255, 255, 255};
    std::string pixels(PNG_IMAGE_SIZE(image), '\0');
    if (!png_image_finish_read(&image, &white, pixels.data(), 0, nullptr)) {
        problem = std::string("libpng: ") + image.message;
        return false;
    }
    png.flat = std::move(pixels);
    return true;
}

}  // namespace dossier::pdf
