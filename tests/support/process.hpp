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

// The whole content of a file; empty when it cannot be read.
inline std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace dossier::test
