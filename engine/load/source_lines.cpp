#include "load/source_lines.hpp"

#include <mutex>
#include <set>

#include "load/load.hpp"
#include "load/yaml_reader.hpp"
#include "model/file_bytes.hpp"

namespace fs = std::filesystem;

namespace dossier::load {

namespace {

constexpr std::size_t kMaxShownLine = 1000;       // bytes
constexpr std::size_t kMaxSourceBytes = 1 << 20;  // the bound of every file read here

// The files whose lines source_line() may print: shared by every thread of a batch, and only
// ever added to (a file that was fit to show for one case stays so).
class EchoFiles {
  public:
    void allow(const std::string& file) {
        std::lock_guard lock(mutex_);
        files_.insert(file);
    }
    bool allowed(const std::string& file) {
        std::lock_guard lock(mutex_);
        return files_.count(file) > 0;
    }

  private:
    std::mutex mutex_;
    std::set<std::string> files_;
};

EchoFiles& echo_files() {
    static EchoFiles files;
    return files;
}

// Whether `real` (a resolved path) is `folder` (resolved) or inside it at any depth.
bool inside(const fs::path& real, const fs::path& folder) {
    if (real.empty() || folder.empty()) return false;
    auto r = real.begin();
    for (auto f = folder.begin(); f != folder.end(); ++f, ++r) {
        if (f->empty()) continue;  // the empty last element of "dir/"
        if (r == real.end() || *r != *f) return false;
    }
    return true;
}

// A line fit for a terminal: each invalid UTF-8 byte and each control character other than a
// tab becomes U+FFFD, one character for one column, so the caret still lines up.
std::string printable(const std::string& line) {
    static const std::string kReplacement = "\xEF\xBF\xBD";
    std::string out;
    for (std::size_t i = 0; i < line.size();) {
        auto b = static_cast<unsigned char>(line[i]);
        std::size_t len = b < 0x80         ? 1
                          : (b >> 5) == 6  ? 2
                          : (b >> 4) == 14 ? 3
                          : (b >> 3) == 30 ? 4
                                           : 0;
        Diagnostics ignored;
        if (len == 0 || i + len > line.size() || !check_utf8("", line.substr(i, len), ignored)) {
            out += kReplacement;
            ++i;
        } else if (len == 1 && (b < 0x20 || b == 0x7F) && b != '\t') {
            out += kReplacement;
            ++i;
        } else {
            out += line.substr(i, len);
            i += len;
        }
    }
    return out;
}

}  // namespace

void allow_echo(const std::string& file) { echo_files().allow(file); }

// A file a case or the library reaches (not one named on the command line) is shown only if
// its real path is inside one of `folders` and it read as the format expected of it: valid
// UTF-8 whose YAML begins with a mapping (a password file, a key or a witness statement does
// not, whatever its name).
void allow_echo_if(const std::string& file, bool began_as_map,
                   const std::vector<fs::path>& folders) {
    if (!began_as_map) return;
    fs::path real = real_path(file);
    for (const fs::path& folder : folders)
        if (inside(real, folder)) return allow_echo(file);
}

fs::path real_path(const fs::path& path) {
    std::error_code ec;
    fs::path real = fs::weakly_canonical(fs::absolute(path.empty() ? "." : path, ec), ec);
    return ec ? fs::path() : real;
}

std::string_view line_of(std::string_view text, int line) {
    std::size_t at = 0;
    for (int i = 1; i < line; ++i) {
        at = text.find('\n', at);
        if (at == std::string_view::npos) return {};
        ++at;
    }
    if (line < 1) return {};
    std::string_view l = text.substr(at);
    l = l.substr(0, l.find('\n'));
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    return l.size() > kMaxShownLine ? std::string_view() : l;
}

std::string source_line(const std::string& file, int line) {
    if (line < 1 || !echo_files().allowed(file)) return {};
    FileProblem problem;
    auto text = read_regular_file(file, kMaxSourceBytes, problem);
    if (!text) return {};
    // line_of leaves out a line this long: it is no help under a message, and printing it
    // under each of many messages would take longer than reading the file.
    return printable(std::string(line_of(*text, line)));
}

}  // namespace dossier::load
