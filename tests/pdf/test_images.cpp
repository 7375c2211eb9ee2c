// Images in the display list (the signature): embedded once per file with libharu, drawn into
// their rectangles, and never handed to libharu when libpng cannot decode them (libharu would
// abort the process).
#include <catch2/catch.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "../support/preflight.hpp"
#include "pdf/pdf.hpp"
#include "pdf_tools.hpp"

using namespace dossier;
using namespace dossier::test_pdf;

namespace {

const std::string kRgba = DOSSIER_TEST_DIR "/fixtures/signature-rgba.png";  // 150 x 50, alpha
const std::string kGray = DOSSIER_TEST_DIR "/fixtures/signature-gray.png";  // 120 x 40

Image image(const std::string& path, Unit x, Unit y, Unit width, Unit height) {
    return {path, x, y, width, height};
}

// The sample with the RGBA signature on the cover and the body page, and the gray one on the
// body page.
Pages with_images() {
    Pages p = sample();
    p.pages[0].images.push_back(image(kRgba, 72 * kPoint, 400 * kPoint, 150 * kPoint, 50 * kPoint));
    p.pages[2].images.push_back(image(kRgba, 72 * kPoint, 600 * kPoint, 150 * kPoint, 50 * kPoint));
    p.pages[2].images.push_back(
        image(kGray, 300 * kPoint, 600 * kPoint, 120 * kPoint, 40 * kPoint));
    return p;
}

struct Listed {
    int page = 0;
    std::string type, colour;
    int width = 0, height = 0, object = 0;
};

// `pdfimages -list`, one entry per image drawn (soft masks are entries of their own).
std::vector<Listed> list_images(const std::string& pdf_path) {
    require_tool("pdfimages");
    const Result r = run("pdfimages -list " + quote(pdf_path) + " 2>&1");
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    std::istringstream lines(r.output);
    std::string line;
    std::getline(lines, line);  // column names
    std::getline(lines, line);  // dashes
    std::vector<Listed> out;
    while (std::getline(lines, line)) {
        std::istringstream cols(line);
        Listed l;
        int num = 0, comp = 0, bpc = 0;
        std::string enc, interp;
        cols >> l.page >> num >> l.type >> l.width >> l.height >> l.colour >> comp >> bpc >> enc >>
            interp >> l.object;
        if (cols) out.push_back(l);
    }
    return out;
}

// PNG's CRC-32, to damage a fixture's image data while keeping its checksums right.
std::uint32_t crc32(const std::string& bytes) {
    std::uint32_t c = 0xFFFFFFFFu;
    for (char ch : bytes) {
        c ^= static_cast<unsigned char>(ch);
        for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    }
    return c ^ 0xFFFFFFFFu;
}

// Flips bits in the chunk of `type` from `from` bytes into its data and recomputes its CRC: a
// file whose structure is whole and whose contents libpng cannot use.
std::string damage(std::string png, const std::string& type, std::size_t from) {
    const std::size_t at = png.find(type);
    REQUIRE(at != std::string::npos);
    std::uint32_t length = 0;
    for (std::size_t i = at - 4; i < at; ++i)
        length = (length << 8) | static_cast<unsigned char>(png[i]);
    for (std::size_t i = at + 4 + from; i < at + 4 + length; ++i)
        png[i] = static_cast<char>(png[i] ^ 0x5A);
    const std::uint32_t crc = crc32(png.substr(at, 4 + length));
    for (std::size_t i = 0; i < 4; ++i)
        png[at + 4 + length + i] = static_cast<char>(crc >> (24 - 8 * i));
    return png;
}

}  // namespace

TEST_CASE("images are embedded once per file and drawn into their rectangles", "[pdf]") {
    TempFile file(".pdf");
    // A plain PDF: PDF/A composes the alpha onto white instead (below).
    write_ok(with_images(), file, {.compress = false, .standard = pdf::Standard::none});
    const Result check = run("qpdf --check " + quote(file.path()) + " 2>&1");
    INFO(check.output);
    CHECK(check.exit_code == 0);

    const std::vector<Listed> images = list_images(file.path());
    REQUIRE(images.size() == 5);
    // Cover: the RGBA image and its soft mask (the alpha channel).
    CHECK((images[0].page == 1 && images[0].type == "image" && images[0].colour == "rgb"));
    CHECK((images[0].width == 150 && images[0].height == 50));
    CHECK((images[1].page == 1 && images[1].type == "smask"));
    // Body page: the same object again, then the gray image.
    CHECK((images[2].page == 3 && images[2].object == images[0].object));
    CHECK((images[3].page == 3 && images[3].type == "smask"));
    CHECK((images[4].page == 3 && images[4].colour == "gray" && images[4].width == 120));
    CHECK(images[4].object != images[0].object);

    // 150 x 50 pt with the top-left corner 72 pt from the left and 600 pt from the top: the
    // bottom edge is 841.89 - 650 = 191.89 pt up.
    const std::string raw = squeeze(qdf(file.path()));
    CHECK(contains(raw, "q 150 0 0 50 72 191.89 cm /X1 Do Q"));
    CHECK(contains(raw, "q 120 0 0 40 300 201.89 cm /X2 Do Q"));
}

TEST_CASE("image data is deflated when compressing - and the bytes are reproducible", "[pdf]") {
    Diagnostics ds;
    const pdf::Options none{.standard = pdf::Standard::none};
    const std::string plain = pdf::write(sample(), none, ds);
    const std::string a = pdf::write(with_images(), none, ds);
    const std::string b = pdf::write(with_images(), none, ds);
    const std::string raw =
        pdf::write(with_images(), {.compress = false, .standard = pdf::Standard::none}, ds);
    INFO(messages(ds));
    REQUIRE(ds.empty());
    CHECK(a == b);
    // The RGBA image's pixels take 150 * 50 * 4 = 30000 bytes and the gray one's 4800.
    CHECK(a.size() - plain.size() < 10000);
    CHECK(raw.size() > a.size() + 30000);
    TempFile file(".pdf");
    save(a, file.path());
    CHECK(run("qpdf --check " + quote(file.path()) + " >/dev/null 2>&1").exit_code == 0);
    CHECK(list_images(file.path()).size() == 5);
}

TEST_CASE("PDF/A composes an image with alpha onto white: no soft mask, Preflight passes",
          "[pdf][pdfa]") {
    TempFile file(".pdf");
    write_ok(with_images(), file);
    const std::vector<Listed> images = list_images(file.path());
    REQUIRE(images.size() == 3);  // the RGBA image twice and the gray one, no /SMask
    CHECK((images[0].type == "image" && images[0].colour == "rgb" && images[0].width == 150));
    CHECK(images[1].object == images[0].object);
    CHECK(images[2].colour == "gray");
    CHECK_FALSE(contains(qdf(file.path()), "/SMask"));
    if (const std::string missing = dossier::test::preflight_missing(); !missing.empty()) {
        WARN("skipped: PDFBox Preflight cannot run without " << missing);
        return;
    }
    const dossier::test::Run r = dossier::test::preflight(quote(file.path()));
    INFO(r.out);
    CHECK(contains(r.out, "is a valid PDF/A-1b file"));
}

TEST_CASE("an image libpng cannot decode is a diagnostic - never handed to libharu", "[pdf]") {
    const std::string png = slurp(kRgba);
    REQUIRE(png.size() > 200);
    TempFile not_png(".png"), truncated(".png"), corrupt(".png"), interlaced(".png");
    save("GIF89a, not a PNG", not_png.path());
    save(png.substr(0, 200), truncated.path());
    // Valid chunks, but the compressed data is nonsense: libharu aborts on this one.
    save(damage(png, "IDAT", 2), corrupt.path());
    std::string header = png;
    header[28] = 1;  // Adam7, with the IHDR checksum fixed below
    const std::uint32_t crc = crc32(header.substr(12, 17));
    for (std::size_t i = 0; i < 4; ++i) header[29 + i] = static_cast<char>(crc >> (24 - 8 * i));
    save(header, interlaced.path());
    struct Case {
        std::string path, expect;
    };
    const Case cases[] = {
        {DOSSIER_TEST_DIR "/fixtures/missing.png", "No such file or directory"},
        {not_png.path(), "libpng"},
        {truncated.path(), "libpng"},
        {corrupt.path(), "libpng"},
        {interlaced.path(), "interlaced"},
    };
    for (const Case& c : cases) {
        INFO(c.path);
        Pages pages = with_images();
        pages.pages[2].images[1].path = c.path;
        Diagnostics ds;
        const std::string bytes = pdf::write(pages, {}, ds);
        INFO(messages(ds));
        CHECK(bytes.empty());
        CHECK(has_code(ds, "image file '" + c.path + "'"));
        CHECK(has_code(ds, c.expect));
    }
}

TEST_CASE("an image without a file or with no area is an invalid display list", "[pdf]") {
    for (int which = 0; which < 3; ++which) {
        Pages pages = with_images();
        Image& im = pages.pages[2].images[0];
        if (which == 0) im.path.clear();
        if (which == 1) im.width = 0;
        if (which == 2) im.height = -5;
        Diagnostics ds;
        CHECK(pdf::write(pages, {}, ds).empty());
        INFO(messages(ds));
        CHECK(has_code(ds, "invalid display list"));
    }
}
