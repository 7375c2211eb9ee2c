// Helpers shared by the PDF writer's tests: temp files, the PDF tools (qpdf, poppler-utils)
// run on the output, and a hand-made sample display list.
#pragma once

#include <unistd.h>

#include <array>
#include <atomic>
#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "pdf/pdf.hpp"

namespace dossier::test_pdf {

namespace fs = std::filesystem;

inline const std::string kFonts = DOSSIER_SOURCE_DIR "/fonts/";

// ---- helpers ---------------------------------------------------------------------------------

// A file in the temp directory, removed when the test ends (pass or fail).
class TempFile {
  public:
    explicit TempFile(const std::string& suffix) {
        static std::atomic<int> counter{0};  // unique within the process; pid across processes
        path_ = fs::temp_directory_path() / ("dossier-test-pdf-" + std::to_string(::getpid()) +
                                             "-" + std::to_string(counter++) + suffix);
    }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    ~TempFile() {
        std::error_code ignored;
        fs::remove(path_, ignored);
    }
    std::string path() const { return path_.string(); }

  private:
    fs::path path_;
};

struct Result {
    int exit_code = -1;
    std::string output;
};

// Runs a shell command and captures its stdout (stderr goes where the command line says).
inline Result run(const std::string& command) {
    Result result;
    FILE* pipe = ::popen(command.c_str(), "r");
    REQUIRE(pipe != nullptr);
    std::array<char, 4096> buffer{};
    std::size_t n = 0;
    while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) {
        result.output.append(buffer.data(), n);
    }
    const int status = ::pclose(pipe);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

inline void require_tool(const std::string& tool) {
    INFO("required tool missing: " << tool << " (install qpdf and poppler-utils)");
    REQUIRE(std::system(("command -v " + tool + " >/dev/null 2>&1").c_str()) == 0);
}

inline std::string quote(const std::string& s) { return "'" + s + "'"; }

inline void save(const std::string& bytes, const std::string& path) {
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    REQUIRE(out.good());
}

inline std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The document with every stream decompressed and no object streams, so that plain-text
// searches see the dictionaries and page contents.
inline std::string qdf(const std::string& pdf_path) {
    require_tool("qpdf");
    TempFile out(".qdf.pdf");
    const Result r = run("qpdf --qdf --object-streams=disable " + quote(pdf_path) + " " +
                         quote(out.path()) + " 2>&1");
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    return slurp(out.path());
}

inline std::string qpdf_json(const std::string& pdf_path, const std::string& key) {
    require_tool("qpdf");
    const Result r = run("qpdf --json --json-key=" + key + " " + quote(pdf_path) + " 2>/dev/null");
    REQUIRE(r.exit_code == 0);
    return r.output;
}

inline bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

// Collapses every run of whitespace to one space, so that qpdf's one-item-per-line QDF layout
// can be searched with ordinary PDF syntax such as "/Rect [ 72 709.89".
inline std::string squeeze(const std::string& s) {
    std::string out;
    bool space = false;
    for (char c : s) {
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
            space = true;
            continue;
        }
        if (space && !out.empty()) out += ' ';
        space = false;
        out += c;
    }
    return out;
}

// The value of a "Key:   value" line of pdfinfo output, or "<missing>".
inline std::string field(const std::string& output, const std::string& key) {
    std::istringstream lines(output);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.rfind(key + ":", 0) != 0) continue;
        const auto value = line.find_first_not_of(' ', key.size() + 1);
        return value == std::string::npos ? std::string{} : line.substr(value);
    }
    return "<missing>";
}

inline bool has_code(const Diagnostics& ds, const std::string& needle) {
    for (const Diagnostic& d : ds) {
        if (d.code == "pdf.write" && d.severity == Severity::error && contains(d.message, needle)) {
            return true;
        }
    }
    return false;
}

inline std::string messages(const Diagnostics& ds) {
    std::string out;
    for (const Diagnostic& d : ds) out += d.code + ": " + d.message + "\n";
    return out;
}

inline TextRun text(int font, Unit size, Unit x, Unit y, std::string s) {
    TextRun run;
    run.font = font;
    run.size = size;
    run.x = x;
    run.y = y;
    run.text = std::move(s);
    return run;
}

// A three-page A4 report: cover, a contents page, a body page; two used fonts and one unused.
inline Pages sample() {
    Pages p;
    p.width = 595276;
    p.height = 841890;
    p.fonts = {{kFonts + "LiberationSerif-Regular.ttf"},
               {kFonts + "DejaVuSerif.ttf"},
               {kFonts + "LiberationSerif-Bold.ttf"}};  // never used by a run
    p.pages.resize(3);

    Page& cover = p.pages[0];
    cover.runs.push_back(text(0, 24 * kPoint, 72 * kPoint, 200 * kPoint, "Expert report"));
    cover.runs.push_back(
        text(1, 14 * kPoint, 72 * kPoint, 240 * kPoint, "Ҳуқуқи инсон дар Тоҷикистон"));
    TextRun watermark = text(0, 60 * kPoint, 150 * kPoint, 700 * kPoint, "SAMPLE");
    watermark.gray = 200;
    watermark.rotation = 45;
    cover.runs.push_back(watermark);
    cover.rules.push_back({72 * kPoint, 210 * kPoint, 451 * kPoint, 500, 0});
    cover.rules.push_back({72 * kPoint, 300 * kPoint, 451 * kPoint, 40 * kPoint, 230});

    Page& contents = p.pages[1];
    contents.runs.push_back(text(0, 12 * kPoint, 72 * kPoint, 100 * kPoint, "Contents"));
    contents.runs.push_back(text(0, 11 * kPoint, 72 * kPoint, 130 * kPoint, "1 Introduction"));
    Link internal;
    internal.x = 72 * kPoint;
    internal.y = 120 * kPoint;
    internal.width = 200 * kPoint;
    internal.height = 12 * kPoint;
    internal.target_page = 2;
    internal.target_y = 90 * kPoint;
    contents.links.push_back(internal);

    Page& body = p.pages[2];
    body.runs.push_back(text(0, 14 * kPoint, 72 * kPoint, 100 * kPoint, "1 Introduction"));
    body.runs.push_back(text(0, 11 * kPoint, 72 * kPoint, 130 * kPoint,
                             "The Constitution of Tajikistan guarantees rights."));
    body.runs.push_back(text(1, 11 * kPoint, 72 * kPoint, 150 * kPoint, "Ҳуқуқ ва озодиҳо"));
    body.runs.push_back(text(0, 11 * kPoint, 72 * kPoint, 170 * kPoint, "See the report."));
    Link external;
    external.x = 72 * kPoint;
    external.y = 160 * kPoint;
    external.width = 80 * kPoint;
    external.height = 12 * kPoint;
    external.uri = "https://example.org/report?id=1";
    body.links.push_back(external);

    p.outline = {{"Cover", 0, 0, 0},
                 {"Contents", 0, 1, 90 * kPoint},
                 {"1 Introduction", 0, 2, 90 * kPoint},
                 {"1.1 Ҳуқуқ", 1, 2, 140 * kPoint}};
    p.labels = {{0, PageLabelRange::Style::none, "Cover", 1},
                {1, PageLabelRange::Style::roman_lower, "", 1},
                {2, PageLabelRange::Style::decimal, "", 1}};
    p.info.title = "Expert report: Tajikistan";
    p.info.author = "Dr A. Expert";
    p.info.subject = "Country conditions";
    p.info.keywords = "asylum, Tajikistan";
    p.info.creator = "Dossier test";
    p.info.date = {2026, 11, 20};
    return p;
}

// Writes `pages` and requires success; returns the path of a temp file holding the PDF.
inline std::string write_ok(const Pages& pages, TempFile& file, pdf::Options options = {}) {
    Diagnostics ds;
    const std::string bytes = pdf::write(pages, options, ds);
    INFO(messages(ds));
    REQUIRE(ds.empty());
    REQUIRE_FALSE(bytes.empty());
    save(bytes, file.path());
    return file.path();
}

}  // namespace dossier::test_pdf
