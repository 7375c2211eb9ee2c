// The PDF backend: walks a display list and produces PDF bytes. libharu builds the document
// (pages, outline, links, labels, info, image XObjects); the embedded font subsets and the page
// content streams are written here. This is the only part of Dossier that includes hpdf.h.
#pragma once

#include <memory>
#include <string>

#include "model/pages.hpp"

namespace dossier {
class TrueTypeFace;
}

namespace dossier::pdf {

// TrueType faces read (mapped and their tables indexed) once and shared by every write() that is
// given this cache, so that a batch does not map each font file again for every report. Safe to
// use from any number of threads at once; movable, not copyable. Faces stay mapped for the
// cache's lifetime.
class FontCache {
  public:
    FontCache();
    ~FontCache();
    FontCache(FontCache&&) noexcept;
    FontCache& operator=(FontCache&&) noexcept;

    // The face at `path`, read on first request; nullptr with `problem` set when it cannot be
    // read (failures are not kept: the next request tries again).
    std::shared_ptr<const TrueTypeFace> face(const std::string& path, std::string& problem) const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// What the document claims to conform to, and so what it carries beyond a plain PDF.
enum class Standard {
    none,     // a plain PDF: no XMP metadata, output intent, document ID or CIDSets
    pdfa_1b,  // PDF/A-1b (ISO 19005-1, level B), as Apache PDFBox Preflight checks it
};

struct Options {
    bool compress = true;
    Standard standard = Standard::pdfa_1b;
    // Non-empty: the PDF is encrypted with AES-256 and opens only with this password. Encrypted
    // output is not byte-identical from run to run (the encryption salts are random). PDF/A
    // forbids encryption: a password with Standard::pdfa_1b is an error.
    std::string password{};
    // Where to find fonts already read; nullptr reads them for this document only.
    const FontCache* fonts = nullptr;
};

// Writes `pages` as a PDF document and returns its bytes (empty on failure). The same input
// gives the same bytes: no clock is read; dates come from pages.info.date. Fonts are loaded
// from pages.fonts[i].path only when a run uses them, embedded as subsets. Each distinct
// image file (Page::images) is read once, decoded with libpng as a check, and embedded once,
// deflated when compressing. Failures (an unreadable font, an image file that is missing, not
// a PNG, damaged, interlaced or too large, a libharu error, a password with PDF/A) are appended to
// `diagnostics` and yield an empty string; nothing is ever written to disk here. Thread-safe for
// distinct `pages` values.
std::string write(const Pages& pages, const Options& options, Diagnostics& diagnostics);

}  // namespace dossier::pdf
