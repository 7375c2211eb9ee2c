// The PDF writer: validates a display list, then replays it into one libharu document per call
// and returns the saved bytes. libharu's errors are sticky and a NULL handle passed back into it
// can crash, so every call is checked and the first failure ends the write with a diagnostic.

// hpdf_catalog.h, hpdf_doc.h and hpdf_objects.h are libharu's internal headers (installed with
// libhpdf-dev); they are needed only for page labels that HPDF_AddPageLabel cannot express
// (prefix only, or a non-ASCII prefix).
#include <hpdf.h>
#include <hpdf_catalog.h>
#include <hpdf_doc.h>
#include <hpdf_objects.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <numbers>
#include <string>
#include <string_view>
#include <vector>

#include "pdf/encrypt.hpp"
#include "pdf/pdf.hpp"

namespace dossier::pdf {
namespace {

constexpr const char* kCode = "pdf.write";

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

class Writer {
  public:
    Writer(const Pages& pages, const Options& options, Diagnostics& diagnostics)
        : in_(pages), options_(options), diagnostics_(diagnostics) {}

    std::string run() {
        if (!validate()) return {};
        doc_.reset(HPDF_New(record_error, &errors_));
        if (!doc_) {
            fail("creating the document", HPDF_OK);
            return {};
        }
        if (!setup() || !add_pages()) return {};
        for (std::size_t i = 0; i < in_.pages.size(); ++i) {
            if (!draw_page(i)) return {};
        }
        if (!add_links() || !add_outline() || !add_labels() || !add_info()) return {};
        return save();
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

    bool check(HPDF_STATUS status, const std::string& doing) {
        if (status == HPDF_OK && errors_.code == HPDF_OK) return true;
        return fail(doing, status);
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

    // ---- validation -------------------------------------------------------------------------

    // A bad display list is a bug upstream, but it must not reach libharu, where it could crash
    // or silently produce a broken file. Everything is checked before any PDF object exists.
    bool validate() {
        const auto page_count = static_cast<long long>(in_.pages.size());
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
        if (options_.compress &&
            !check(HPDF_SetCompressionMode(doc, HPDF_COMP_ALL), "enabling compression")) {
            return false;
        }
        if (!check(HPDF_UseUTFEncodings(doc), "enabling UTF-8 encodings")) return false;
        // Info strings are converted with the current encoder: without this, non-ASCII titles
        // would be written as raw bytes.
        if (!check(HPDF_SetCurrentEncoder(doc, "UTF-8"), "selecting the UTF-8 encoder")) {
            return false;
        }
        utf8_ = HPDF_GetEncoder(doc, "UTF-8");
        return check_handle(utf8_, "getting the UTF-8 encoder");
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

    // Loads a font on first use only, so unused faces cost nothing in the file.
    HPDF_Font font(int index) {
        auto& slot = fonts_[index];
        if (slot != nullptr) return slot;
        const std::string& path = in_.fonts[static_cast<std::size_t>(index)].path;
        // libharu reports a missing file as a bare error code; say which file it was.
        std::ifstream probe(path, std::ios::binary);
        char byte = 0;
        if (!probe || !probe.get(byte)) {
            error(diagnostics_, Span{}, kCode, "cannot read font file '" + path + "'");
            return nullptr;
        }
        const std::string doing = "loading font '" + path + "'";
        // Two indices may name the same file; libharu refuses to register a face twice.
        auto loaded = loaded_names_.find(path);
        const char* name = nullptr;
        if (loaded != loaded_names_.end()) {
            name = loaded->second.c_str();
        } else {
            name = HPDF_LoadTTFontFromFile(doc_.get(), path.c_str(), HPDF_TRUE);
            if (!check_handle(name, doing)) return nullptr;
            loaded = loaded_names_.emplace(path, name).first;
            name = loaded->second.c_str();
        }
        HPDF_Font handle = HPDF_GetFont(doc_.get(), name, "UTF-8");
        if (!check_handle(handle, doing)) return nullptr;
        slot = handle;
        return handle;
    }

    // Fill colour is graphics state shared by rules and text; set it only when it changes so the
    // content stream stays small.
    bool set_gray(HPDF_Page page, std::uint8_t gray, int& current, const std::string& doing) {
        if (gray == current) return true;
        current = gray;
        return check(HPDF_Page_SetGrayFill(page, static_cast<float>(gray / 255.0)), doing);
    }

    // Paint order: rules first (boxes and shading sit under text), then every run in list order
    // inside one text object, so layout decides whether the watermark is under or over the text.
    bool draw_page(std::size_t index) {
        HPDF_Page page = pages_[index];
        const Page& in = in_.pages[index];
        const std::string doing = "drawing page " + std::to_string(index + 1);
        int gray = 0;  // a new content stream starts with black fill

        for (const Rule& rule : in.rules) {
            if (!set_gray(page, rule.gray, gray, doing) ||
                !check(HPDF_Page_Rectangle(page, points(rule.x),
                                           flip(std::int64_t{rule.y} + rule.height),
                                           points(rule.width), points(rule.height)),
                       doing) ||
                !check(HPDF_Page_Fill(page), doing)) {
                return false;
            }
        }

        bool in_text = false;
        int current_font = -1;
        Unit current_size = 0;
        for (const TextRun& run : in.runs) {
            if (run.text.empty()) continue;
            if (!in_text) {
                if (!check(HPDF_Page_BeginText(page), doing)) return false;
                in_text = true;
            }
            if (run.font != current_font || run.size != current_size) {
                HPDF_Font f = font(run.font);
                if (f == nullptr) return false;
                if (!check(HPDF_Page_SetFontAndSize(page, f, points(run.size)), doing)) {
                    return false;
                }
                current_font = run.font;
                current_size = run.size;
            }
            if (!set_gray(page, run.gray, gray, doing)) return false;
            // Absolute positioning via the text matrix: no accumulated rounding from relative
            // moves, and rotation is the same call with cos/sin.
            float a = 1, b = 0;
            if (run.rotation % 360 != 0) {
                const double radians = run.rotation * std::numbers::pi / 180.0;
                a = static_cast<float>(std::cos(radians));
                b = static_cast<float>(std::sin(radians));
            }
            if (!check(HPDF_Page_SetTextMatrix(page, a, b, -b, a, points(run.x), flip(run.y)),
                       doing) ||
                !check(HPDF_Page_ShowText(page, run.text.c_str()), doing)) {
                return false;
            }
        }
        if (in_text && !check(HPDF_Page_EndText(page), doing)) return false;
        return true;
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
                // No visible border: links are marked by their text, not by a box.
                if (!check(HPDF_LinkAnnot_SetBorderStyle(annot, 0, 0, 0), doing)) return false;
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
            HPDF_Destination dst = destination(b.page, b.y, doing);
            if (dst == nullptr) return false;
            // Top-level entries show their children; deeper levels start folded.
            if (!check(HPDF_Outline_SetDestination(outline, dst), doing) ||
                !check(HPDF_Outline_SetOpened(outline, b.level == 0 ? HPDF_TRUE : HPDF_FALSE),
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
        // libharu's default producer names only itself; name the application and the library.
        const std::string producer = std::string("Dossier (libharu ") + HPDF_GetVersion() + ")";
        if (!check(HPDF_SetInfoAttr(doc, HPDF_INFO_PRODUCER, producer.c_str()),
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
    std::map<int, HPDF_Font> fonts_;
    std::map<std::string, std::string> loaded_names_;  // font path -> libharu font name
};

}  // namespace

std::string write(const Pages& pages, const Options& options, Diagnostics& diagnostics) {
    std::string bytes = Writer(pages, options, diagnostics).run();
    if (bytes.empty() || options.password.empty()) return bytes;
    return encrypt_aes256(bytes, options.password, diagnostics);
}

}  // namespace dossier::pdf
