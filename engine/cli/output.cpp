#include "cli/output.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <vector>

#include "load/load.hpp"

namespace fs = std::filesystem;

namespace dossier::cli {

namespace {

const char* severity_name(Severity s) {
    return s == Severity::error ? "error" : s == Severity::warning ? "warning" : "note";
}

}  // namespace

std::string json_string(const std::string& s) {
    std::string out = "\"";
    for (unsigned char c : s) {
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                if (c < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", c);
                    out += buf;
                } else {
                    out += static_cast<char>(c);
                }
        }
    }
    return out + "\"";
}

void print_diagnostics(Diagnostics diagnostics) {
    sort_diagnostics(diagnostics);
    int errors = 0, warnings = 0;
    for (const Diagnostic& d : diagnostics) {
        std::string line = d.span.line > 0 ? load::source_line(d.span.file, d.span.line) : "";
        std::cerr << format_diagnostic(d, line);
        (d.severity == Severity::error ? errors : warnings) += 1;
    }
    if (errors || warnings)
        std::cerr << errors << (errors == 1 ? " error" : " errors") << ", " << warnings
                  << (warnings == 1 ? " warning" : " warnings") << "\n";
}

std::string diagnostics_json(Diagnostics diagnostics) {
    sort_diagnostics(diagnostics);
    std::string out = "[";
    for (std::size_t i = 0; i < diagnostics.size(); ++i) {
        const Diagnostic& d = diagnostics[i];
        out += (i ? ", " : "");
        out += "{\"file\": " + json_string(d.span.file) +
               ", \"line\": " + std::to_string(d.span.line) +
               ", \"column\": " + std::to_string(d.span.column) + ", \"severity\": \"" +
               severity_name(d.severity) + "\", \"message\": " + json_string(d.message) + "}";
    }
    return out + "]";
}

bool write_atomically(const std::string& path, const std::string& bytes, std::string& problem) {
    fs::path target(path);
    fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
    std::string pattern = (dir / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
    std::vector<char> name(pattern.begin(), pattern.end());
    name.push_back('\0');
    int fd = mkstemp(name.data());
    if (fd < 0) {
        problem = "cannot create a temporary file in " + dir.string() + ": " + std::strerror(errno);
        return false;
    }
    auto fail = [&](const std::string& what) {
        problem = what + ": " + std::strerror(errno);
        ::close(fd);
        ::unlink(name.data());
        return false;
    };
    std::size_t done = 0;
    while (done < bytes.size()) {
        ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            return fail("cannot write " + path);
        }
        done += static_cast<std::size_t>(n);
    }
    // Reports are documents people share: the usual permissions, whatever mkstemp chose.
    if (::fchmod(fd, 0644) != 0 || ::fsync(fd) != 0) return fail("cannot write " + path);
    if (::close(fd) != 0) {
        problem = "cannot write " + path + ": " + std::strerror(errno);
        ::unlink(name.data());
        return false;
    }
    if (std::rename(name.data(), path.c_str()) != 0) {
        problem = "cannot move the output into place at " + path + ": " + std::strerror(errno);
        ::unlink(name.data());
        return false;
    }
    return true;
}

}  // namespace dossier::cli
