// The pixel size of a PNG image, read by layout to give a picture (the signature) its aspect
// ratio without the PDF library. Inside the layout stage; the tests include it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dossier::layout {

struct PngSize {
    std::uint32_t width = 0, height = 0;  // pixels
};

// The size of the PNG image in `bytes`, after checking what can be checked without
// decompressing it: the signature; an IHDR chunk first with a valid bit depth and colour type;
// every chunk complete with a correct CRC; a palette when the colour type needs one; image data;
// IEND at the end. Also refused: interlaced images (libharu 2.3.0 cannot embed them) and images
// beyond kMaxImageSide / kMaxImagePixels (model/pages.hpp). Checking the chunks matters because
// libharu hands a damaged file to libpng in a way that aborts the process; the PDF writer
// decodes each file once more before libharu sees it. nullopt, with `problem` set to a phrase
// such as "it is not a PNG file", when the bytes do not pass.
std::optional<PngSize> png_size(std::string_view bytes, std::string& problem);

// Same for the file at `path`; a file that cannot be read gives the system's reason
// ("No such file or directory") as the problem. Files over 64 MB are refused unread.
std::optional<PngSize> read_png_size(const std::string& path, std::string& problem);

}  // namespace dossier::layout
