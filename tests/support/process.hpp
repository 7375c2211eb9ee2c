// Test helper: runs a shell command and captures what it prints, for the end-to-end tests that
// drive the real `dossier` binary and the PDF tools.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace dossier::test {

struct Run {
    int status = -1;  // exit status; -1 when the command did not exit normally
    std::string out;  // stdout, and stderr unless the run was quiet
};

// Runs `command` with /bin/sh. `quiet` drops stderr (poppler's tools warn about every libharu
// ToUnicode map there); otherwise stderr is captured with stdout.
inline Run run(const std::string& command, bool quiet = false) {
    Run r;
    FILE* p = popen((command + (quiet ? " 2>/dev/null" : " 2>&1")).c_str(), "r");
    if (!p) throw std::runtime_error("popen failed: " + command);
    std::array<char, 4096> buf;
    std::size_t n;
    while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
    int st = pclose(p);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return r;
}

// `text` as a reader that honours soft hyphens reads it: a line-end hyphen the line breaker
// inserted is U+00AD in Dossier's text layer (PDF 32000-1, 14.8.2.2.3), which pdftotext prints
// followed by the line break; the word is joined again here.
inline std::string join_soft_hyphens(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text.compare(i, 2, "\u00AD") == 0) {
            i += 2;
            while (i < text.size() && (text[i] == '\n' || text[i] == ' ' || text[i] == '\f')) ++i;
            --i;
            continue;
        }
        out += text[i];
    }
    return out;
}

// The text of `pdf` as `pdftotext -enc UTF-8 OPTIONS` extracts it, soft hyphens joined.
inline std::string pdf_text(const std::string& pdf, const std::string& options = "") {
    return join_soft_hyphens(run("pdftotext -enc UTF-8 " + options + " " + pdf + " -", true).out);
}

// The whole content of a file; empty when it cannot be read.
inline std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace dossier::test
