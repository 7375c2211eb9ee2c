// PNG files for the PDF writer: read once, decoded once with libpng to prove they are whole,
// then handed to libharu from memory. Inside the pdf stage.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace dossier::pdf {

struct PngFile {
    std::string bytes;                    // the file as read: what libharu is given
    std::uint32_t width = 0, height = 0;  // pixels
    bool alpha = false;  // an alpha channel or a transparent colour (tRNS): libharu's /SMask
    bool color = false;  // not gray
    // Set by flatten_png: the pixels composed onto white, 8 bits per channel, RGB (gray when
    // not `color`); what libharu is given instead of `bytes` when set.
    std::string flat;
};

// Reads the PNG file at `path` and decodes every pixel with libpng's simplified API, which
// reports errors instead of aborting. libharu 2.3.0 installs a libpng error handler that
// returns, so a truncated or corrupt file aborts the process inside HPDF_LoadPngImage*; only
// files that decode here may reach it. Also refused: interlaced images (libharu cannot embed
// them), images beyond kMaxImageSide / kMaxImagePixels (model/pages.hpp) and files over 64 MB.
// nullopt with `problem` set to a phrase ("No such file or directory", "libpng: ...")
// otherwise. Thread-safe.
std::optional<PngFile> read_png(const std::string& path, std::string& problem);

// Decodes a file read_png accepted into png.flat, composed onto white: PDF/A-1 forbids
// transparency (soft masks), and white is the paper a signature is drawn on. False with
// `problem` set when libpng fails.
bool flatten_png(PngFile& png, std::string& problem);

}  // namespace dossier::pdf
