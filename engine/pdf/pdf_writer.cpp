// The PDF writer: validates a display list, then replays it into one libharu document per call
// and returns the saved bytes. libharu's errors are sticky and a NULL handle passed back into it
// can crash, so every call is checked and the first failure ends the write with a diagnostic.

// hpdf_catalog.h, hpdf_doc.h, hpdf_objects.h and hpdf_pages.h are libharu's internal headers
// (installed with libhpdf-dev). Its object API builds what its public API cannot: our font
// objects (libharu's own TrueType embedding is what made rendering slow, see bench/RESULTS.md),
// page content written as bytes with a /Filter entry for streams we deflate ourselves, and page
// labels HPDF_AddPageLabel cannot express (prefix only, or a non-ASCII prefix).
#include <hpdf.h>
#include <hpdf_catalog.h>
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <numbers>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/truetype.hpp"
#include "pdf/archival.hpp"
#include "pdf/encrypt.hpp"
#include "pdf/font_subset.hpp"
#include "pdf/pdf.hpp"
#include "pdf/png_file.hpp"

namespace dossier::pdf {
namespace {

constexpr const char* kCode = "pdf.write";

// An annotation's /F bit 3, "print" (libharu's HPDF_ANNOT_PRINT is an index, not the bit).
constexpr int kPrintFlag = 4;

// What libharu's error handler saw. The handler runs inside C code, so it only records: it never
// throws or longjmps. One instance per write() call, handed to libharu as user_data.
struct ErrorRecord {
    HPDF_STATUS code = HPDF_OK;
    HPDF_STATUS detail = 0;
};

void record_error(HPDF_STATUS code, HPDF_STATUS detail, void* user_data) {
    auto* record = static_cast<ErrorRecord*>(user_data);
    // Keep the first error: later ones are usually consequences of it (errors are sticky).
    if (record->code == HPDF_OK) {
        record->code = code;
        record->detail = detail;
    }
}

struct DocFree {
    void operator()(HPDF_Doc doc) const { HPDF_Free(doc); }
};
using DocPtr = std::unique_ptr<HPDF_Doc_Rec, DocFree>;

std::string hex(HPDF_STATUS value) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "0x%04lX", static_cast<unsigned long>(value));
    return buffer;
}

// Units to points. Sums and differences are formed in whole units first (64-bit, so nothing
// overflows), leaving a single rounding to float per coordinate.
float points(std::int64_t units) { return static_cast<float>(static_cast<double>(units) / 1000.0); }

bool valid_utf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto b = static_cast<unsigned char>(s[i]);
        int extra = 0;
        std::uint32_t cp = 0;
        if (b < 0x80) {
            ++i;
            continue;
        } else if ((b & 0xE0) == 0xC0) {
            extra = 1;
            cp = b & 0x1F;
        } else if ((b & 0xF0) == 0xE0) {
            extra = 2;
            cp = b & 0x0F;
        } else if ((b & 0xF8) == 0xF0) {
            extra = 3;
            cp = b & 0x07;
        } else {
            return false;
        }
        if (i + static_cast<std::size_t>(extra) >= s.size()) return false;  // truncated
        for (int k = 1; k <= extra; ++k) {
            const auto c = static_cast<unsigned char>(s[i + k]);
            if ((c & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (c & 0x3F);
        }
        // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
        static constexpr std::uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
        if (cp < kMin[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
        i += static_cast<std::size_t>(extra) + 1;
    }
    return true;
}

bool is_ascii(std::string_view s) {
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// A URI in a PDF is 7-bit ASCII. Layout may hand over an IRI (non-ASCII path or host), so
// percent-encode every byte that is not printable ASCII rather than let libharu copy it raw.
std::string ascii_uri(std::string_view uri) {
    std::string out;
    for (char ch : uri) {
        const auto b = static_cast<unsigned char>(ch);
        if (b <= 0x20 || b >= 0x7F) {
            char buffer[4];
            std::snprintf(buffer, sizeof buffer, "%%%02X", b);
            out += buffer;
        } else {
            out += ch;
        }
    }
    return out;
}

// zlib level for every stream, chosen by measurement on the example report (bench/RESULTS.md):
// levels 1, 2, 4 and 6 cost 192.8, 193.3, 200.5 and 213.0 M instructions for the whole render
// and give 154, 152, 145 and 143 KB. Level 2 is the knee: past it, each percent of file size
// costs several times more time than before it.
constexpr int kDeflateLevel = 2;

bool deflate(std::string_view data, std::string& out) {
    uLongf size = compressBound(static_cast<uLong>(data.size()));
    out.resize(size);
    const int status = compress2(reinterpret_cast<Bytef*>(out.data()), &size,
                                 reinterpret_cast<const Bytef*>(data.data()),
                                 static_cast<uLong>(data.size()), kDeflateLevel);
    if (status != Z_OK) return false;
    out.resize(size);
    return true;
}

// libharu's dictionary write hook: runs after the entries, before ">>".
HPDF_STATUS write_flate_filter(HPDF_Dict, HPDF_Stream stream) {
    return HPDF_Stream_WriteStr(stream, "/Filter /FlateDecode\012");
}

// A length in units as PDF points, exactly: units are 1/1000 pt, so at most three decimals.
void append_units(std::string& out, std::int64_t units) {
    char digits[32];
    char* end = digits + sizeof digits;
    char* p = end;
    const bool negative = units < 0;
    std::uint64_t v =
        negative ? 0 - static_cast<std::uint64_t>(units) : static_cast<std::uint64_t>(units);
    if (std::uint64_t fraction = v % 1000; fraction != 0) {
        int places = 3;
        while (fraction % 10 == 0) {
            fraction /= 10;
            --places;
        }
        for (int i = 0; i < places; ++i) {
            *--p = static_cast<char>('0' + fraction % 10);
            fraction /= 10;
        }
        *--p = '.';
    }
    v /= 1000;
    do {
        *--p = static_cast<char>('0' + v % 10);
        v /= 10;
    } while (v != 0);
    if (negative) *--p = '-';
    out.append(p, end);
}

void append_point(std::string& out, std::int64_t x, std::int64_t y) {
    append_units(out, x);
    out += ' ';
    append_units(out, y);
}

// A number that is not a whole unit (gray levels, rotation): five decimals are far below what
// any device resolves.
void append_real(std::string& out, double value) {
    char digits[32];
    std::snprintf(digits, sizeof digits, "%.5f", value);
    std::string_view d(digits);
    while (d.back() == '0') d.remove_suffix(1);
    if (d.back() == '.') d.remove_suffix(1);
    if (d == "-0") d = "0";
    out += d;
}

// Decodes one character of text validate() has already checked to be UTF-8.
char32_t next_code_point(std::string_view s, std::size_t& i) {
    const auto b = static_cast<unsigned char>(s[i]);
    const int extra = b < 0x80 ? 0 : b < 0xE0 ? 1 : b < 0xF0 ? 2 : 3;
    char32_t c = extra == 0 ? b : b & (0x3F >> extra);
    for (int k = 1; k <= extra; ++k) c = (c << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    i += static_cast<std::size_t>(extra) + 1;
    return c;
}

// The six capital letters before a subset font's name ("ABCDEF+Name") that tell readers it is
// a subset. Derived from the glyph set, not random, so the output stays reproducible.
std::string subset_tag(std::string_view name, const std::vector<std::uint16_t>& glyphs) {
    std::uint64_t hash = 14695981039346656037ull;  // FNV-1a
    const auto mix = [&](std::uint64_t byte) {
        hash ^= byte;
        hash *= 1099511628211ull;
    };
    for (char c : name) mix(static_cast<unsigned char>(c));
    for (std::uint16_t g : glyphs) {
        mix(g >> 8);
        mix(g & 0xFF);
    }
    std::string tag;
    for (int i = 0; i < 6; ++i) {
        tag += static_cast<char>('A' + hash % 26);
        hash /= 26;
    }
    return tag;
}

// `text` as UTF-16BE in hexadecimal digits (surrogate pairs past U+FFFF), as ToUnicode maps and
// /ActualText strings want it.
std::string utf16_hex(std::u32string_view text) {
    std::string out;
    char unit[8];
    const auto put = [&](unsigned u) {
        std::snprintf(unit, sizeof unit, "%04X", u);
        out += unit;
    };
    for (char32_t c : text) {
        if (c < 0x10000) {
            put(static_cast<unsigned>(c));
        } else {
            put(0xD800 + ((static_cast<unsigned>(c) - 0x10000) >> 10));
            put(0xDC00 + ((static_cast<unsigned>(c) - 0x10000) & 0x3FF));
        }
    }
    return out;
}

std::u32string decode(std::string_view text) {
    std::u32string out;
    for (std::size_t i = 0; i < text.size();) out += next_code_point(text, i);
    return out;
}

// A ToUnicode CMap from glyph ids (the codes of an Identity-H font) to the text they show (one
// character, or several for a ligature), in blocks of at most 100 entries as the CMap format
// requires; destinations are UTF-16BE.
std::string to_unicode_cmap(const std::vector<std::string>& text_of) {
    std::vector<std::size_t> entries;
    for (std::size_t g = 0; g < text_of.size(); ++g) {
        if (!text_of[g].empty()) entries.push_back(g);
    }
    std::string out =
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
    for (std::size_t i = 0; i < entries.size(); i += 100) {
        const std::size_t n = std::min<std::size_t>(100, entries.size() - i);
        out += std::to_string(n) + " beginbfchar\n";
        for (std::size_t k = i; k < i + n; ++k) {
            char code[16];
            std::snprintf(code, sizeof code, "<%04X> <", static_cast<unsigned>(entries[k]));
            out += code;
            out += utf16_hex(decode(text_of[entries[k]]));
            out += ">\n";
        }
        out += "endbfchar\n";
    }
    out += "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
    return out;
}

class Writer final : public DocumentSteps {
  public:
    Writer(const Pages& pages, const Options& options, Diagnostics& diagnostics)
        : in_(pages), options_(options), diagnostics_(diagnostics) {}

    std::string run() {
        if (!validate() || !read_images()) return {};
        doc_.reset(HPDF_New(record_error, &errors_));
        if (!doc_) {
            fail("creating the document", HPDF_OK);
            return {};
        }
        if (!setup() || !load_images() || !add_pages()) return {};
        for (std::size_t i = 0; i < in_.pages.size(); ++i) {
            if (!draw_page(i)) return {};
        }
        if (!finish_fonts() || !add_links() || !add_outline() || !add_labels() || !add_info()) {
            return {};
        }
        if (archival() && !add_archival_objects(doc_.get(), in_.info, producer(), *this)) return {};
        std::string bytes = save();
        if (!bytes.empty() && archival() && !fill_document_id(bytes)) {
            error(diagnostics_, Span{}, kCode, "the saved document has no placeholder ID to fill");
            return {};
        }
        return bytes;
    }

    // DocumentSteps, for archival.cpp.
    bool check(HPDF_STATUS status, const std::string& doing) override {
        if (status == HPDF_OK && errors_.code == HPDF_OK) return true;
        return fail(doing, status);
    }

    bool check_object(const void* handle, const std::string& doing) override {
        return check_handle(handle, doing);
    }

    // Writes `data` into a stream object, deflated at kDeflateLevel when compressing and
    // `compressible`. libharu can only deflate at zlib's default level, and drops any /Filter
    // entry from a stream it did not compress itself, so the entry is written by the
    // dictionary's write hook.
    bool put_stream(HPDF_Dict stream, std::string_view data, const std::string& doing,
                    bool compressible) override {
        std::string deflated;
        if (compressible && options_.compress) {
            if (!deflate(data, deflated)) {
                error(diagnostics_, Span{}, kCode, "zlib failed while " + doing);
                return false;
            }
            data = deflated;
            stream->write_fn = write_flate_filter;
        }
        return check(
            HPDF_Stream_Write(stream->stream, reinterpret_cast<const HPDF_BYTE*>(data.data()),
                              static_cast<HPDF_UINT>(data.size())),
            doing);
    }

  private:
    // PDF's y grows upward from the bottom edge; the display list's grows downward from the top.
    float flip(std::int64_t top_down) const { return points(std::int64_t{in_.height} - top_down); }

    // ---- error reporting ----------------------------------------------------------------------

    // Adds the diagnostic for a failed step. `status` is what the call returned (HPDF_OK when
    // it returned a NULL handle instead); the handler's record wins because it is the root cause.
    bool fail(const std::string& doing, HPDF_STATUS status) {
        HPDF_STATUS code = errors_.code;
        HPDF_STATUS detail = errors_.detail;
        if (code == HPDF_OK) code = status;
        // Some libharu failures never reach the handler but still set the document's error.
        if (code == HPDF_OK && doc_) {
            code = HPDF_GetError(doc_.get());
            detail = HPDF_GetErrorDetail(doc_.get());
        }
        std::string message = "libharu error " + hex(code);
        if (detail != 0) message += " (detail " + hex(detail) + ")";
        message += " while " + doing;
        error(diagnostics_, Span{}, kCode, std::move(message));
        return false;
    }

    template <typename Handle>
    bool check_handle(Handle handle, const std::string& doing) {
        if (handle != nullptr && errors_.code == HPDF_OK) return true;
        return fail(doing, HPDF_OK);
    }

    bool invalid(std::string message) {
        error(diagnostics_, Span{}, kCode, "invalid display list: " + std::move(message));
        return false;
    }

    bool archival() const { return options_.standard == Standard::pdfa_1b; }

    // libharu's default producer names only itself; name the application and the library.
    static std::string producer() {
        return std::string("Dossier (libharu ") + HPDF_GetVersion() + ")";
    }

    // ---- validation -------------------------------------------------------------------------

    // A bad display list is a bug upstream, but it must not reach libharu, where it could crash
    // or silently produce a broken file. Everything is checked before any PDF object exists.
    bool validate() {
        const auto page_count = static_cast<long long>(in_.pages.size());
        if (archival() && !options_.password.empty()) {
            error(diagnostics_, Span{}, kCode, "an encrypted report cannot be PDF/A");
            return false;
        }
        if (in_.width <= 0 || in_.height <= 0) {
            return invalid("page size " + std::to_string(in_.width) + " x " +
                           std::to_string(in_.height) + " is not positive");
        }
        if (page_count == 0) return invalid("there are no pages");
        for (std::size_t p = 0; p < in_.pages.size(); ++p) {
            const Page& page = in_.pages[p];
            const std::string where = "page " + std::to_string(p + 1) + ": ";
            for (const TextRun& run : page.runs) {
                if (run.font < 0 || static_cast<std::size_t>(run.font) >= in_.fonts.size()) {
                    return invalid(where + "text run uses font " + std::to_string(run.font) +
                                   " but there are " + std::to_string(in_.fonts.size()) + " fonts");
                }
                if (run.size <= 0) {
                    return invalid(where + "text run has font size " + std::to_string(run.size));
                }
                if (!valid_utf8(run.text)) return invalid(where + "text run is not valid UTF-8");
            }
            for (const Rule& rule : page.rules) {
                if (rule.width < 0 || rule.height < 0) {
                    return invalid(where + "rule has a negative width or height");
                }
            }
            for (const Image& image : page.images) {
                if (image.path.empty()) return invalid(where + "an image has no file");
                if (image.width <= 0 || image.height <= 0) {
                    return invalid(where + "image '" + image.path + "' has a size of " +
                                   std::to_string(image.width) + " x " +
                                   std::to_string(image.height));
                }
            }
            for (const Link& link : page.links) {
                if (link.width < 0 || link.height < 0) {
                    return invalid(where + "link has a negative width or height");
                }
                if (link.target_page >= 0) {
                    if (link.target_page >= page_count) {
                        return invalid(where + "link targets page " +
                                       std::to_string(link.target_page + 1) + " of " +
                                       std::to_string(page_count));
                    }
                } else if (link.uri.empty()) {
                    return invalid(where + "link has neither a target page nor a URI");
                }
            }
        }
        int previous_level = -1;
        for (const Bookmark& b : in_.outline) {
            if (b.page < 0 || b.page >= page_count) {
                return invalid("bookmark '" + b.title + "' points to page " +
                               std::to_string(b.page + 1) + " of " + std::to_string(page_count));
            }
            if (b.level < 0 || b.level > previous_level + 1) {
                return invalid("bookmark '" + b.title + "' has level " + std::to_string(b.level) +
                               " after level " + std::to_string(previous_level));
            }
            if (!valid_utf8(b.title)) return invalid("a bookmark title is not valid UTF-8");
            previous_level = b.level;
        }
        int previous_first = -1;
        for (const PageLabelRange& range : in_.labels) {
            // /PageLabels is a number tree: keys strictly ascending, the first one page 0.
            if (range.first_page <= previous_first || range.first_page >= page_count ||
                (previous_first < 0 && range.first_page != 0)) {
                return invalid(
                    "page label ranges must start at page 0 and ascend within the "
                    "document (got first page " +
                    std::to_string(range.first_page) + ")");
            }
            if (range.start < 1) {
                return invalid("page label range starts at " + std::to_string(range.start));
            }
            if (!valid_utf8(range.prefix)) return invalid("a page label prefix is not valid UTF-8");
            previous_first = range.first_page;
        }
        const DocumentInfo& info = in_.info;
        for (const std::string* s :
             {&info.title, &info.author, &info.subject, &info.keywords, &info.creator}) {
            if (!valid_utf8(*s)) return invalid("document information is not valid UTF-8");
        }
        return true;
    }

    // ---- document -------------------------------------------------------------------------

    bool setup() {
        HPDF_Doc doc = doc_.get();
        // libharu writes %PDF-1.3 unless told otherwise; PDF/A-1 is based on PDF 1.4, and
        // nothing written here needs a later version.
        doc->pdf_version = HPDF_VER_14;
        if (!check(HPDF_UseUTFEncodings(doc), "enabling UTF-8 encodings")) return false;
        // Info strings are converted with the current encoder: without this, non-ASCII titles
        // would be written as raw bytes.
        if (!check(HPDF_SetCurrentEncoder(doc, "UTF-8"), "selecting the UTF-8 encoder")) {
            return false;
        }
        utf8_ = HPDF_GetEncoder(doc, "UTF-8");
        if (!check_handle(utf8_, "getting the UTF-8 encoder")) return false;
        // libharu deflates the image streams it builds only in this mode, which touches nothing
        // else we write (pages and fonts are our own streams); set only when there are images,
        // so that documents without them are byte for byte what they were.
        if (options_.compress && !images_.empty()) {
            return check(HPDF_SetCompressionMode(doc, HPDF_COMP_IMAGE), "compressing images");
        }
        return true;
    }

    // ---- images -----------------------------------------------------------------------------

    // Reads and checks each distinct image file once, before the document exists.
    bool read_images() {
        for (const Page& page : in_.pages) {
            for (const Image& image : page.images) {
                if (images_.count(image.path) != 0) continue;
                std::string problem;
                auto png = read_png(image.path, problem);
                if (!png) {
                    error(diagnostics_, Span{image.path, 0, 0}, kCode,
                          "image file '" + image.path + "': " + problem);
                    return false;
                }
                // PDF/A-1 has no transparency: an image with alpha is drawn onto white first.
                if (archival() && png->alpha && !flatten_png(*png, problem)) {
                    error(diagnostics_, Span{image.path, 0, 0}, kCode,
                          "image file '" + image.path + "': " + problem);
                    return false;
                }
                images_[image.path].png = std::move(*png);
            }
        }
        return true;
    }

    // Embeds each image once, from the bytes read_images() checked: the file is not read
    // again, so it cannot change in between.
    bool load_images() {
        for (auto& [path, image] : images_) {
            const std::string& bytes = image.png.bytes;
            const std::string& flat = image.png.flat;
            image.handle = flat.empty()
                               ? HPDF_LoadPngImageFromMem(
                                     doc_.get(), reinterpret_cast<const HPDF_BYTE*>(bytes.data()),
                                     static_cast<HPDF_UINT>(bytes.size()))
                               : HPDF_LoadRawImageFromMem(
                                     doc_.get(), reinterpret_cast<const HPDF_BYTE*>(flat.data()),
                                     image.png.width, image.png.height,
                                     image.png.color ? HPDF_CS_DEVICE_RGB : HPDF_CS_DEVICE_GRAY, 8);
            if (!check_handle(image.handle, "embedding image '" + path + "'")) return false;
            image.png.bytes = {};  // libharu holds the pixels now
            image.png.flat = {};
        }
        return true;
    }

    bool add_pages() {
        for (std::size_t i = 0; i < in_.pages.size(); ++i) {
            const std::string doing = "adding page " + std::to_string(i + 1);
            HPDF_Page page = HPDF_AddPage(doc_.get());
            if (!check_handle(page, doing)) return false;
            if (!check(HPDF_Page_SetWidth(page, points(in_.width)), doing) ||
                !check(HPDF_Page_SetHeight(page, points(in_.height)), doing)) {
                return false;
            }
            pages_.push_back(page);
        }
        return true;
    }

    // ---- fonts and page content ---------------------------------------------------------------

    // One embedded face: the Type0 font object exists from the first run that uses it (pages
    // refer to it), and is filled in by finish_fonts() once every glyph the document shows is
    // known. Font indices naming the same file share one.
    struct Embedded {
        Embedded(std::string name, std::shared_ptr<const TrueTypeFace> file, HPDF_Dict font)
            : resource(std::move(name)), owner(std::move(file)), face(*owner), type0(font) {}
        std::string resource;                       // "F1", "F2", ... in order of first use
        std::shared_ptr<const TrueTypeFace> owner;  // keeps `face` alive
        const TrueTypeFace& face;
        HPDF_Dict type0 = nullptr;
        // Glyph id -> the text it shows in the ToUnicode map: the first text it was drawn for,
        // other than an inserted hyphen's. `used` holds every glyph drawn, with text or not.
        std::vector<std::string> text_of;  // UTF-8
        std::vector<bool> used;

        // Records that `glyph` is drawn for `text`; true when the ToUnicode map gives exactly
        // that text for it, so the run needs no /ActualText for this glyph.
        bool note(std::uint16_t glyph, std::string_view text) {
            if (used.size() <= glyph) {
                used.resize(glyph + 1u, false);
                text_of.resize(glyph + 1u);
            }
            used[glyph] = true;
            std::string& mapped = text_of[glyph];
            if (mapped.empty() && !text.empty() && text != "\u00AD") mapped = text;
            return !text.empty() && mapped == text;
        }
    };

    // The face for font `index`, read and registered on first use only, so unused faces cost
    // nothing; nullptr after a diagnostic.
    Embedded* font(int index) {
        auto& slot = font_by_index_[index];
        if (slot != nullptr) return slot;
        const std::string& path = in_.fonts[static_cast<std::size_t>(index)].path;
        auto found = font_by_path_.find(path);
        if (found == font_by_path_.end()) {
            std::string problem;
            std::shared_ptr<const TrueTypeFace> face;
            if (options_.fonts != nullptr) {
                face = options_.fonts->face(path, problem);
            } else if (auto read = TrueTypeFace::read(path, problem)) {
                face = std::make_shared<const TrueTypeFace>(std::move(*read));
            }
            if (face == nullptr) {
                error(diagnostics_, Span{}, kCode, "font file '" + path + "': " + problem);
                return nullptr;
            }
            const std::string doing = "registering font '" + path + "'";
            HPDF_Dict type0 = HPDF_Dict_New(doc_->mmgr);
            if (!check_handle(type0, doing) || !check(HPDF_Xref_Add(doc_->xref, type0), doing)) {
                return nullptr;
            }
            auto embedded = std::make_unique<Embedded>("F" + std::to_string(embedded_.size() + 1),
                                                       std::move(face), type0);
            embedded_.push_back(std::move(embedded));
            found = font_by_path_.emplace(path, embedded_.back().get()).first;
        }
        slot = found->second;
        return slot;
    }

    // Appends glyph id `g` as the two bytes of a code in a PDF literal string (the caller writes
    // the parentheses). Inside a literal string only the delimiters and backslash need
    // escaping, and CR, which a reader would turn into LF.
    static void append_code(std::uint16_t g, std::string& out) {
        for (const auto byte : {static_cast<char>(g >> 8), static_cast<char>(g & 0xFF)}) {
            if (byte == '(' || byte == ')' || byte == '\\') {
                out += '\\';
                out += byte;
            } else if (byte == '\r') {
                out += "\\r";
            } else {
                out += byte;
            }
        }
    }

    // Each character's nominal glyph at its face's width, for a run that layout did not shape
    // (tests of this writer build such runs by hand). False after a diagnostic: a character
    // the face lacks is a bug upstream, reported rather than drawn as an empty box.
    bool nominal_glyphs(Embedded& font, const std::string& text, std::vector<Glyph>& out) {
        out.clear();
        for (std::size_t i = 0; i < text.size();) {
            const auto begin = static_cast<std::uint32_t>(i);
            const char32_t c = next_code_point(text, i);
            const std::uint16_t g = font.face.glyph(c);
            if (g == 0) {
                char code[16];
                std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(c));
                return invalid(std::string("character ") + code + " has no glyph in " +
                               font.face.descriptor().postscript_name);
            }
            out.push_back({g, font.face.advance(g), 0, 0, begin, static_cast<std::uint32_t>(i)});
        }
        return true;
    }

    // Whether the ToUnicode map reproduces `run.text` from its glyphs: glyphs in logical order
    // (or exactly reversed, right to left),
    // each with its own text, the map giving that text. Otherwise (right-to-left text, a glyph
    // shared by two characters, an inserted hyphen, a ligature's second glyph) the run is drawn
    // inside an /ActualText span that carries the text. Notes every glyph as used either way.
    bool plain_text(Embedded& font, const TextRun& run, const std::vector<Glyph>& glyphs) {
        bool mapped = true, forward = true, backward = true;
        std::uint32_t ahead = 0;
        auto behind = static_cast<std::uint32_t>(run.text.size());
        for (const Glyph& g : glyphs) {
            const std::string_view text =
                std::string_view(run.text).substr(g.text_begin, g.text_end - g.text_begin);
            if (!font.note(g.id, text)) mapped = false;
            if (g.text_begin != ahead) forward = false;
            if (g.text_end != behind) backward = false;
            ahead = g.text_end;
            behind = g.text_begin;
        }
        // A right-to-left run's glyphs cover its text backwards: readers put such glyphs back
        // in reading order themselves (an /ActualText would be reversed a second time).
        return mapped && ((forward && ahead == run.text.size()) || (backward && behind == 0));
    }

    // The page's content stream is built here as text rather than through libharu's operator
    // functions: positions are written exactly (units are 1/1000 pt, so three decimals always
    // suffice), and text is shown as glyph ids of our own embedded fonts.
    // Paint order: rules first (boxes and shading sit under text), then images, then every run in
    // list order inside one text object, so layout decides whether the watermark is under or
    // over the text (it is over images: a sample's signature stays marked).
    bool draw_page(std::size_t index) {
        const Page& in = in_.pages[index];
        const std::string doing = "drawing page " + std::to_string(index + 1);
        HPDF_Page page = pages_[index];
        std::string out;
        out.reserve(256 + in.rules.size() * 48 + in.runs.size() * 64);
        int gray = 0;  // a new content stream starts with black fill
        const auto set_gray = [&](std::uint8_t value) {
            if (value == gray) return;
            gray = value;
            append_real(out, value / 255.0);
            out += " g\n";
        };
        for (const Rule& rule : in.rules) {
            set_gray(rule.gray);
            append_units(out, rule.x);
            out += ' ';
            append_units(out, std::int64_t{in_.height} - rule.y - rule.height);
            out += ' ';
            append_units(out, rule.width);
            out += ' ';
            append_units(out, rule.height);
            out += " re\nf\n";
        }
        // Each image scaled from its unit square onto its rectangle, inside q/Q so the matrix
        // (and the fill colour) are as before; libharu names the XObject in the page resources.
        for (const Image& image : in.images) {
            const char* name = HPDF_Page_GetXObjectName(page, images_.at(image.path).handle);
            if (!check_handle(name, doing)) return false;
            out += "q\n";
            append_units(out, image.width);
            out += " 0 0 ";
            append_units(out, image.height);
            out += ' ';
            append_point(out, image.x, std::int64_t{in_.height} - image.y - image.height);
            out += " cm\n/";
            out += name;
            out += " Do\nQ\n";
        }

        std::vector<Embedded*> used;  // in order of first use on the page: reproducible
        bool in_text = false;
        Embedded* current_font = nullptr;
        Unit current_size = 0;
        // Where the text line matrix stands (PDF coordinates, units), so unrotated runs move
        // with short relative Td operators; unknown after a rotated run.
        bool origin_known = true;
        std::int64_t origin_x = 0, origin_y = 0;
        // Runs on one baseline in one font and colour share a TJ array: the space between two
        // words becomes a number (thousandths of the font size) instead of a new text position.
        // `array_end` is where the glyphs shown so far end, in 1/1000 unit, exactly.
        bool in_array = false;
        std::int64_t array_y = 0, array_end = 0;
        // Inside the array, whether a string is open: glyphs that touch the previous ones (no
        // adjustment) continue its string, even across runs.
        bool in_string = false;
        const auto close_array = [&] {
            if (in_string) out += ')';
            in_string = false;
            if (in_array) out += "]TJ\n";
            in_array = false;
        };
        Unit rise = 0;  // the text rise (Ts) in force, for glyphs moved up or down (marks)
        std::vector<Glyph> nominal;
        for (const TextRun& run : in.runs) {
            if (run.text.empty() && run.glyphs.empty()) continue;
            if (!in_text) {
                out += "BT\n";
                in_text = true;
            }
            Embedded* f = font(run.font);
            if (f == nullptr) return false;
            if (std::find(used.begin(), used.end(), f) == used.end()) used.push_back(f);
            if (run.glyphs.empty() && !nominal_glyphs(*f, run.text, nominal)) return false;
            const std::vector<Glyph>& glyphs = run.glyphs.empty() ? nominal : run.glyphs;
            for (const Glyph& g : glyphs) {
                if (g.id >= f->face.glyph_count() || g.text_begin > g.text_end ||
                    g.text_end > run.text.size()) {
                    return invalid("glyph " + std::to_string(g.id) + " (text bytes " +
                                   std::to_string(g.text_begin) + "-" + std::to_string(g.text_end) +
                                   ") is not in " + f->face.descriptor().postscript_name +
                                   " or its run");
                }
            }
            const bool actual = !plain_text(*f, run, glyphs);
            const std::int64_t x = run.x, y = std::int64_t{in_.height} - run.y;
            const bool rotated = run.rotation % 360 != 0;
            if (f != current_font || run.size != current_size || run.gray != gray || rotated ||
                y != array_y || actual) {
                close_array();
            }
            if (f != current_font || run.size != current_size) {
                out += '/';
                out += f->resource;
                out += ' ';
                append_units(out, run.size);
                out += " Tf\n";
                current_font = f;
                current_size = run.size;
            }
            set_gray(run.gray);
            if (actual) {
                out += "/Span <</ActualText <FEFF";
                out += utf16_hex(decode(run.text));
                out += ">>> BDC\n";
            }
            if (in_array) {
                // Continues the array: the gap to this run becomes the first adjustment.
            } else if (rotated) {
                const double radians = run.rotation * std::numbers::pi / 180.0;
                const double a = std::cos(radians), b = std::sin(radians);
                for (double v : {a, b, -b, a}) {
                    append_real(out, v);
                    out += ' ';
                }
                append_point(out, x, y);
                out += " Tm\n";
                origin_known = false;
                array_end = x * 1000;
            } else {
                if (origin_known) {
                    append_point(out, x - origin_x, y - origin_y);
                    out += " Td\n";
                } else {
                    out += "1 0 0 1 ";
                    append_point(out, x, y);
                    out += " Tm\n";
                    origin_known = true;
                }
                origin_x = x;
                origin_y = y;
                array_end = x * 1000;
            }
            if (!in_array) {
                out += '[';
                in_array = true;
                array_y = y;
            }
            // Each glyph where the shaper put it: `pen` is where it stands (1/1000 unit),
            // `array_end` where the PDF's own advance left the text position; a difference
            // (kerning, a mark's offset, the space before this run) is a TJ adjustment of
            // -gap * 1000 / size, rounded to three decimals (an error below 1/100,000 pt).
            const std::int64_t size = run.size;
            std::int64_t pen = x * 1000;
            for (const Glyph& g : glyphs) {
                const Unit glyph_rise = static_cast<Unit>(std::int64_t{g.dy} * size / 1000);
                if (glyph_rise != rise) {
                    if (in_string) out += ')';
                    in_string = false;
                    out += "]TJ\n";
                    append_units(out, glyph_rise);
                    out += " Ts\n[";
                    rise = glyph_rise;
                }
                const std::int64_t at = pen + std::int64_t{g.dx} * size;
                const std::int64_t scaled = -(at - array_end) * 1000;
                const std::int64_t adjustment =
                    (scaled >= 0 ? scaled + size / 2 : scaled - size / 2) / size;
                if (adjustment != 0) {
                    if (in_string) out += ')';
                    in_string = false;
                    append_units(out, adjustment);
                }
                if (!in_string) out += '(';
                in_string = true;
                append_code(g.id, out);
                array_end = at + std::int64_t{f->face.advance(g.id)} * size;
                pen += std::int64_t{g.advance} * size;
            }
            if (rise != 0) {
                if (in_string) out += ')';
                in_string = false;
                out += "]TJ\n0 Ts\n[";
                rise = 0;
            }
            if (rotated || actual) close_array();
            if (actual) out += "EMC\n";
        }
        close_array();
        if (in_text) out += "ET\n";

        if (!used.empty()) {
            auto* resources =
                static_cast<HPDF_Dict>(HPDF_Dict_GetItem(page, "Resources", HPDF_OCLASS_DICT));
            HPDF_Dict fonts = HPDF_Dict_New(doc_->mmgr);
            if (!check_handle(resources, doing) || !check_handle(fonts, doing) ||
                !check(HPDF_Dict_Add(resources, "Font", fonts), doing)) {
                return false;
            }
            for (Embedded* f : used) {
                if (!check(HPDF_Dict_Add(fonts, f->resource.c_str(), f->type0), doing)) {
                    return false;
                }
            }
        }
        auto* attr = static_cast<HPDF_PageAttr>(page->attr);
        return put_stream(attr->contents, out, doing);
    }

    bool put_stream(HPDF_Dict stream, std::string_view data, const std::string& doing) {
        return put_stream(stream, data, doing, true);
    }

    // Creates the font objects for every embedded face: the subset font program, descriptor,
    // CIDFont with the widths of the glyphs used, and a ToUnicode map, so that text extracts.
    bool finish_fonts() {
        for (const auto& f : embedded_) {
            const std::string doing = "embedding " + f->face.descriptor().postscript_name;
            if (!finish_font(*f, doing)) return false;
        }
        return true;
    }

    bool finish_font(Embedded& f, const std::string& doing) {
        HPDF_MMgr mmgr = doc_->mmgr;
        HPDF_Xref xref = doc_->xref;
        std::vector<std::uint16_t> glyphs;
        for (std::size_t g = 0; g < f.used.size(); ++g) {
            if (f.used[g]) glyphs.push_back(static_cast<std::uint16_t>(g));
        }
        const TrueTypeFace::Descriptor& d = f.face.descriptor();
        const std::string base = subset_tag(d.postscript_name, glyphs) + "+" + d.postscript_name;

        std::string problem;
        const std::optional<std::string> subset = subset_font(f.face.bytes(), glyphs, problem);
        if (!subset) {
            error(diagnostics_, Span{}, kCode,
                  "cannot subset " + d.postscript_name + ": " + problem);
            return false;
        }
        const std::string& program = *subset;
        HPDF_Dict file = HPDF_DictStream_New(mmgr, xref);
        if (!check_handle(file, doing) ||
            !check(HPDF_Dict_AddNumber(file, "Length1", static_cast<HPDF_INT32>(program.size())),
                   doing) ||
            !put_stream(file, program, doing)) {
            return false;
        }

        HPDF_Dict descriptor = HPDF_Dict_New(mmgr);
        HPDF_Array bbox = HPDF_Array_New(mmgr);
        if (!check_handle(descriptor, doing) || !check(HPDF_Xref_Add(xref, descriptor), doing) ||
            !check_handle(bbox, doing)) {
            return false;
        }
        for (int v : d.bbox) {
            if (!check(HPDF_Array_AddNumber(bbox, v), doing)) return false;
        }
        // Flags: nonsymbolic (the font's own Unicode cmap covers what is shown), italic, fixed.
        const int flags = 32 | (d.italic ? 64 : 0) | (d.fixed_pitch ? 1 : 0);
        if (!check(HPDF_Dict_AddName(descriptor, "Type", "FontDescriptor"), doing) ||
            !check(HPDF_Dict_AddName(descriptor, "FontName", base.c_str()), doing) ||
            !check(HPDF_Dict_AddNumber(descriptor, "Flags", flags), doing) ||
            !check(HPDF_Dict_Add(descriptor, "FontBBox", bbox), doing) ||
            !check(HPDF_Dict_AddReal(descriptor, "ItalicAngle",
                                     static_cast<HPDF_REAL>(d.italic_angle)),
                   doing) ||
            !check(HPDF_Dict_AddNumber(descriptor, "Ascent", d.ascent), doing) ||
            !check(HPDF_Dict_AddNumber(descriptor, "Descent", d.descent), doing) ||
            !check(HPDF_Dict_AddNumber(descriptor, "CapHeight", d.cap_height), doing) ||
            !check(HPDF_Dict_AddNumber(descriptor, "StemV", d.stem_v), doing) ||
            !check(HPDF_Dict_Add(descriptor, "FontFile2", file), doing)) {
            return false;
        }
        // PDF/A-1 wants the CIDs of a subset listed (ISO 19005-1, 6.3.5).
        if (archival()) {
            HPDF_Dict cids = HPDF_DictStream_New(mmgr, xref);
            if (!check_handle(cids, doing) || !put_stream(cids, cid_set(glyphs), doing) ||
                !check(HPDF_Dict_Add(descriptor, "CIDSet", cids), doing)) {
                return false;
            }
        }

        // Widths as runs of consecutive glyph ids: [first [w w ...] first [w ...] ...].
        HPDF_Array widths = HPDF_Array_New(mmgr);
        if (!check_handle(widths, doing)) return false;
        for (std::size_t i = 0; i < glyphs.size();) {
            HPDF_Array run = HPDF_Array_New(mmgr);
            if (!check_handle(run, doing) ||
                !check(HPDF_Array_AddNumber(widths, glyphs[i]), doing) ||
                !check(HPDF_Array_Add(widths, run), doing)) {
                return false;
            }
            std::size_t j = i;
            do {
                if (!check(HPDF_Array_AddNumber(run, f.face.advance(glyphs[j])), doing)) {
                    return false;
                }
                ++j;
            } while (j < glyphs.size() && glyphs[j] == glyphs[j - 1] + 1);
            i = j;
        }
        HPDF_Dict system = HPDF_Dict_New(mmgr);
        if (!check_handle(system, doing) ||
            !check(HPDF_Dict_Add(system, "Registry", HPDF_String_New(mmgr, "Adobe", nullptr)),
                   doing) ||
            !check(HPDF_Dict_Add(system, "Ordering", HPDF_String_New(mmgr, "Identity", nullptr)),
                   doing) ||
            !check(HPDF_Dict_AddNumber(system, "Supplement", 0), doing)) {
            return false;
        }
        HPDF_Dict cid = HPDF_Dict_New(mmgr);
        if (!check_handle(cid, doing) || !check(HPDF_Xref_Add(xref, cid), doing) ||
            !check(HPDF_Dict_AddName(cid, "Type", "Font"), doing) ||
            !check(HPDF_Dict_AddName(cid, "Subtype", "CIDFontType2"), doing) ||
            !check(HPDF_Dict_AddName(cid, "BaseFont", base.c_str()), doing) ||
            !check(HPDF_Dict_Add(cid, "CIDSystemInfo", system), doing) ||
            !check(HPDF_Dict_Add(cid, "FontDescriptor", descriptor), doing) ||
            !check(HPDF_Dict_Add(cid, "W", widths), doing) ||
            !check(HPDF_Dict_AddName(cid, "CIDToGIDMap", "Identity"), doing)) {
            return false;
        }

        HPDF_Dict to_unicode = HPDF_DictStream_New(mmgr, xref);
        if (!check_handle(to_unicode, doing) ||
            !put_stream(to_unicode, to_unicode_cmap(f.text_of), doing)) {
            return false;
        }
        HPDF_Array descendants = HPDF_Array_New(mmgr);
        return check_handle(descendants, doing) && check(HPDF_Array_Add(descendants, cid), doing) &&
               check(HPDF_Dict_AddName(f.type0, "Type", "Font"), doing) &&
               check(HPDF_Dict_AddName(f.type0, "Subtype", "Type0"), doing) &&
               check(HPDF_Dict_AddName(f.type0, "BaseFont", base.c_str()), doing) &&
               check(HPDF_Dict_AddName(f.type0, "Encoding", "Identity-H"), doing) &&
               check(HPDF_Dict_Add(f.type0, "DescendantFonts", descendants), doing) &&
               check(HPDF_Dict_Add(f.type0, "ToUnicode", to_unicode), doing);
    }

    // A destination scrolls to `y` on `page` at the viewer's current zoom. FitH rather than XYZ:
    // XYZ with zoom 0 ("keep zoom") is rejected by libharu 2.3.0 and poisons the document.
    HPDF_Destination destination(int page, Unit y, const std::string& doing) {
        HPDF_Destination dst = HPDF_Page_CreateDestination(pages_[static_cast<std::size_t>(page)]);
        if (!check_handle(dst, doing)) return nullptr;
        if (!check(HPDF_Destination_SetFitH(dst, flip(y)), doing)) {
            return nullptr;
        }
        return dst;
    }

    bool add_links() {
        for (std::size_t p = 0; p < in_.pages.size(); ++p) {
            const std::string doing = "adding a link on page " + std::to_string(p + 1);
            for (const Link& link : in_.pages[p].links) {
                const HPDF_Rect rect{points(link.x), flip(std::int64_t{link.y} + link.height),
                                     points(std::int64_t{link.x} + link.width), flip(link.y)};
                HPDF_Annotation annot = nullptr;
                if (link.target_page >= 0) {
                    HPDF_Destination dst = destination(link.target_page, link.target_y, doing);
                    if (dst == nullptr) return false;
                    annot = HPDF_Page_CreateLinkAnnot(pages_[p], rect, dst);
                } else {
                    annot =
                        HPDF_Page_CreateURILinkAnnot(pages_[p], rect, ascii_uri(link.uri).c_str());
                }
                if (!check_handle(annot, doing)) return false;
                // No visible border: links are marked by their text, not by a box. Printed like
                // the page (/F 4, which PDF/A requires; a link has no appearance to print), and
                // described by /Contents for readers that cannot see it: its text, or its
                // address when layout gave no text. ASCII as a literal string: UTF-16 in hex
                // digits takes four bytes a character (11 KB more for the example's links).
                const std::string& contents = !link.text.empty() ? link.text
                                              : !link.uri.empty()
                                                  ? link.uri
                                                  : "page " + std::to_string(link.target_page + 1);
                if (!check(HPDF_LinkAnnot_SetBorderStyle(annot, 0, 0, 0), doing) ||
                    !check(HPDF_Dict_AddNumber(annot, "F", kPrintFlag), doing) ||
                    !check(HPDF_Dict_Add(annot, "Contents",
                                         HPDF_String_New(doc_->mmgr, contents.c_str(),
                                                         is_ascii(contents) ? nullptr : utf8_)),
                           doing)) {
                    return false;
                }
            }
        }
        return true;
    }

    bool add_outline() {
        if (in_.outline.empty()) return true;
        std::vector<HPDF_Outline> parents;  // parents[level] = latest bookmark at that level
        for (const Bookmark& b : in_.outline) {
            const std::string doing = "adding bookmark '" + b.title + "'";
            const auto level = static_cast<std::size_t>(b.level);
            parents.resize(level);  // validate() guaranteed level <= parents.size()
            HPDF_Outline parent = level == 0 ? nullptr : parents[level - 1];
            HPDF_Outline outline = HPDF_CreateOutline(doc_.get(), parent, b.title.c_str(), utf8_);
            if (!check_handle(outline, doing)) return false;
            // libharu gives every item the root's /Type /Outlines, which items must not have,
            // and makes destinations indirect objects, which PDFBox cannot read in an outline
            // item ("can't convert to Destination"): the item gets no /Type and a direct
            // [page /FitH top] array.
            HPDF_Array dst = HPDF_Array_New(doc_->mmgr);
            if (!check_handle(dst, doing) ||
                !check(HPDF_Array_Add(dst, pages_[static_cast<std::size_t>(b.page)]), doing) ||
                !check(HPDF_Array_AddName(dst, "FitH"), doing) ||
                !check(HPDF_Array_AddReal(dst, flip(b.y)), doing) ||
                !check(HPDF_Dict_Add(outline, "Dest", dst), doing) ||
                !check(HPDF_Dict_RemoveElement(outline, "Type"), doing)) {
                return false;
            }
            // Top-level entries show their children; deeper levels start folded.
            if (!check(HPDF_Outline_SetOpened(outline, b.level == 0 ? HPDF_TRUE : HPDF_FALSE),
                       doing)) {
                return false;
            }
            parents.push_back(outline);
        }
        // A report with bookmarks opens with the bookmarks panel showing.
        return check(HPDF_SetPageMode(doc_.get(), HPDF_PAGE_MODE_USE_OUTLINE),
                     "showing the outline");
    }

    bool add_labels() {
        for (const PageLabelRange& range : in_.labels) {
            const std::string doing =
                "adding the page label for page " + std::to_string(range.first_page + 1);
            const auto first = static_cast<HPDF_UINT>(range.first_page);
            const auto start = static_cast<HPDF_UINT>(range.start);
            if (range.style != PageLabelRange::Style::none && is_ascii(range.prefix)) {
                const HPDF_PageNumStyle style = range.style == PageLabelRange::Style::roman_lower
                                                    ? HPDF_PAGE_NUM_STYLE_LOWER_ROMAN
                                                    : HPDF_PAGE_NUM_STYLE_DECIMAL;
                // libharu omits /St when it is 0, which means 1 anyway.
                if (!check(HPDF_AddPageLabel(doc_.get(), first, style, start,
                                             range.prefix.empty() ? nullptr : range.prefix.c_str()),
                           doing)) {
                    return false;
                }
            } else if (!add_label_dict(range, doing)) {
                return false;
            }
        }
        return true;
    }

    // HPDF_AddPageLabel cannot write a label without /S (prefix only, which is what "none"
    // means in PDF) and writes the prefix as raw bytes (its encoder is NULL), so such labels are
    // built with libharu's object API, the prefix going out as UTF-16BE through the UTF-8 encoder.
    bool add_label_dict(const PageLabelRange& range, const std::string& doing) {
        HPDF_Doc doc = doc_.get();
        HPDF_Dict label = HPDF_Dict_New(doc->mmgr);
        if (!check_handle(label, doing)) return false;
        const char* style_name = nullptr;
        switch (range.style) {
            case PageLabelRange::Style::none:
                break;
            case PageLabelRange::Style::decimal:
                style_name = "D";
                break;
            case PageLabelRange::Style::roman_lower:
                style_name = "r";
                break;
        }
        if (style_name != nullptr && !check(HPDF_Dict_AddName(label, "S", style_name), doing)) {
            return false;
        }
        if (!range.prefix.empty()) {
            // HPDF_Dict_Add takes ownership of the string, and frees it on failure.
            HPDF_String prefix = HPDF_String_New(doc->mmgr, range.prefix.c_str(), utf8_);
            if (!check_handle(prefix, doing) || !check(HPDF_Dict_Add(label, "P", prefix), doing)) {
                return false;
            }
        }
        if (style_name != nullptr && range.start != 1 &&
            !check(HPDF_Dict_AddNumber(label, "St", range.start), doing)) {
            return false;
        }
        // The label is owned by the document once added (through the catalog's /Nums array).
        return check(HPDF_Catalog_AddPageLabel(doc->catalog,
                                               static_cast<HPDF_UINT>(range.first_page), label),
                     doing);
    }

    bool add_info() {
        HPDF_Doc doc = doc_.get();
        const DocumentInfo& info = in_.info;
        const std::pair<HPDF_InfoType, const std::string*> attrs[] = {
            {HPDF_INFO_TITLE, &info.title},     {HPDF_INFO_AUTHOR, &info.author},
            {HPDF_INFO_SUBJECT, &info.subject}, {HPDF_INFO_KEYWORDS, &info.keywords},
            {HPDF_INFO_CREATOR, &info.creator},
        };
        for (const auto& [type, value] : attrs) {
            if (value->empty()) continue;
            if (!check(HPDF_SetInfoAttr(doc, type, value->c_str()), "writing document info")) {
                return false;
            }
        }
        if (!check(HPDF_SetInfoAttr(doc, HPDF_INFO_PRODUCER, producer().c_str()),
                   "writing the producer")) {
            return false;
        }
        if (info.date.year == 0) return true;  // no report date: no dates rather than the clock
        HPDF_Date date{};
        date.year = info.date.year;
        date.month = info.date.month;
        date.day = info.date.day;
        // Midnight UTC as +00'00: the 'Z' form trips libharu's PDF/A path.
        date.ind = '+';
        const std::string doing = "writing the document date " + info.date.iso();
        return check(HPDF_SetInfoDateAttr(doc, HPDF_INFO_CREATION_DATE, date), doing) &&
               check(HPDF_SetInfoDateAttr(doc, HPDF_INFO_MOD_DATE, date), doing);
    }

    std::string save() {
        HPDF_Doc doc = doc_.get();
        if (!check(HPDF_SaveToStream(doc), "saving the document")) return {};
        const HPDF_UINT32 size = HPDF_GetStreamSize(doc);
        if (size == 0) {
            fail("saving the document (the stream is empty)", HPDF_OK);
            return {};
        }
        std::string bytes(size, '\0');
        std::size_t filled = 0;
        while (filled < bytes.size()) {
            auto chunk = static_cast<HPDF_UINT32>(bytes.size() - filled);
            const HPDF_STATUS status = HPDF_ReadFromStream(
                doc, reinterpret_cast<HPDF_BYTE*>(bytes.data() + filled), &chunk);
            filled += chunk;
            if (status == HPDF_STREAM_EOF) {
                // The end of the stream is reported through the error handler too; it is not a
                // failure once every byte is in.
                if (errors_.code == HPDF_STREAM_EOF) errors_ = {};
                HPDF_ResetError(doc);
                break;
            }
            if (!check(status, "reading the saved document")) return {};
            if (chunk == 0) break;
        }
        if (filled != bytes.size()) {
            fail("reading the saved document (" + std::to_string(filled) + " of " +
                     std::to_string(bytes.size()) + " bytes)",
                 HPDF_OK);
            return {};
        }
        return bytes;
    }

    const Pages& in_;
    const Options& options_;
    Diagnostics& diagnostics_;
    ErrorRecord errors_;  // declared before doc_: the handler may run while doc_ is freed
    DocPtr doc_;
    HPDF_Encoder utf8_ = nullptr;
    std::vector<HPDF_Page> pages_;
    std::vector<std::unique_ptr<Embedded>> embedded_;  // in order of first use
    std::map<int, Embedded*> font_by_index_;
    std::map<std::string, Embedded*> font_by_path_;
    struct LoadedImage {
        PngFile png;
        HPDF_Image handle = nullptr;
    };
    std::map<std::string, LoadedImage> images_;  // by path: one XObject per file
};

}  // namespace

struct FontCache::Impl {
    std::mutex mutex;
    std::map<std::string, std::shared_ptr<const TrueTypeFace>> faces;
};

FontCache::FontCache() : impl_(std::make_unique<Impl>()) {}
FontCache::~FontCache() = default;
FontCache::FontCache(FontCache&&) noexcept = default;
FontCache& FontCache::operator=(FontCache&&) noexcept = default;

std::shared_ptr<const TrueTypeFace> FontCache::face(const std::string& path,
                                                    std::string& problem) const {
    // Reading under the lock keeps one mapping per file; it happens once per face per process.
    std::lock_guard lock(impl_->mutex);
    auto& slot = impl_->faces[path];
    if (slot == nullptr) {
        if (auto read = TrueTypeFace::read(path, problem)) {
            slot = std::make_shared<const TrueTypeFace>(std::move(*read));
        } else {
            impl_->faces.erase(path);
            return nullptr;
        }
    }
    return slot;
}

std::string write(const Pages& pages, const Options& options, Diagnostics& diagnostics) {
    std::string bytes = Writer(pages, options, diagnostics).run();
    if (bytes.empty() || options.password.empty()) return bytes;
    return encrypt_aes256(bytes, options.password, diagnostics);
}

}  // namespace dossier::pdf
