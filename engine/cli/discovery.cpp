#include "cli/discovery.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>

namespace fs = std::filesystem;

namespace dossier::cli {

namespace {

// The loader's bound on a case file (load.cpp): anything larger cannot be rendered anyway.
constexpr std::size_t kMaxCaseBytes = 1 << 20;

bool is_yaml_name(const fs::path& p) {
    std::string ext = p.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return ext == ".yaml" || ext == ".yml";
}

// For a file that does not parse: does a line start with the key, however quoted?
bool has_dossier_line(const std::string& text) {
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = std::min(text.find('\n', start), text.size());
        std::string_view line(text.data() + start, end - start);
        start = end + 1;
        for (std::string_view key : {"dossier", "\"dossier\"", "'dossier'"}) {
            if (line.substr(0, key.size()) != key) continue;
            std::string_view rest = line.substr(key.size());
            while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t'))
                rest.remove_prefix(1);
            if (!rest.empty() && rest.front() == ':') return true;
        }
    }
    return false;
}

class Walker {
  public:
    Walker(Discovery& out, const std::string& exclude) : out_(out) {
        struct stat st {};
        if (!exclude.empty() && ::stat(exclude.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
            exclude_dev_ = st.st_dev;
            exclude_ino_ = st.st_ino;
            has_exclude_ = true;
        }
    }

    void folder(const fs::path& root) {
        std::vector<fs::path> pending = {root};
        while (!pending.empty()) {
            fs::path dir = pending.back();
            pending.pop_back();
            struct stat st {};
            if (has_exclude_ && ::stat(dir.c_str(), &st) == 0 && st.st_dev == exclude_dev_ &&
                st.st_ino == exclude_ino_) {
                skip(dir, "the output folder");
                continue;
            }
            std::error_code ec;
            fs::directory_iterator it(dir, ec);
            for (; !ec && it != fs::directory_iterator(); it.increment(ec)) entry(*it, pending);
            if (ec)
                error(out_.diagnostics, {dir.lexically_normal().string(), 0, 0}, "batch.input",
                      "cannot read folder: " + ec.message() + "; the cases in it are not rendered");
        }
    }

    void file(const fs::path& p) {
        std::string name = p.lexically_normal().string();
        if (!is_yaml_name(p)) return skip(p, "not a YAML file (.yaml or .yml)");
        int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
        struct stat st {};
        if (fd < 0 || ::fstat(fd, &st) != 0) {
            error(out_.diagnostics, {name, 0, 0}, "batch.input",
                  std::string("cannot read: ") + std::strerror(errno));
            if (fd >= 0) ::close(fd);
            return;
        }
        if (!S_ISREG(st.st_mode)) {
            ::close(fd);
            return skip(p, "not a regular file");
        }
        if (static_cast<std::size_t>(st.st_size) > kMaxCaseBytes) {
            ::close(fd);
            return skip(p,
                        "too large for a case file (" + std::to_string(st.st_size) +
                            " bytes; the limit is " + std::to_string(kMaxCaseBytes) + ")",
                        true);
        }
        std::string text(static_cast<std::size_t>(st.st_size), '\0');
        std::size_t done = 0;
        while (done < text.size()) {
            ssize_t n = ::read(fd, text.data() + done, text.size() - done);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) {
                error(out_.diagnostics, {name, 0, 0}, "batch.input",
                      std::string("cannot read: ") + std::strerror(errno));
                ::close(fd);
                return;
            }
            if (n == 0) break;  // shrank meanwhile: judge what is there
            done += static_cast<std::size_t>(n);
        }
        ::close(fd);
        text.resize(done);
        std::string reason;
        bool unparsed = false;
        if (is_case_text(std::move(text), reason, unparsed))
            out_.cases.push_back(name);
        else
            skip(p, reason, unparsed);
    }

  private:
    void entry(const fs::directory_entry& e, std::vector<fs::path>& pending) {
        std::error_code ec;
        fs::file_status own = e.symlink_status(ec);
        if (fs::is_directory(own)) return pending.push_back(e.path());
        fs::file_status target = fs::is_symlink(own) ? e.status(ec) : own;
        if (fs::is_directory(target))
            return skip(e.path(), "a symbolic link to a folder (not followed)");
        if (fs::is_symlink(own) && !fs::exists(target))
            return skip(e.path(), "a symbolic link to nothing", is_yaml_name(e.path()));
        file(e.path());
    }

    void skip(const fs::path& p, std::string reason, bool warning = false) {
        out_.skipped.push_back({p.lexically_normal().string(), std::move(reason), warning});
    }

    Discovery& out_;
    bool has_exclude_ = false;
    dev_t exclude_dev_ = 0;
    ino_t exclude_ino_ = 0;
};

}  // namespace

bool is_case_text(std::string text, std::string& reason, bool& unparsed) {
    unparsed = false;
    if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);  // a byte order mark
    try {
        YAML::Node root = YAML::Load(text);
        if (root.IsNull()) {
            reason = "not a case file (empty)";
            return false;
        }
        if (!root.IsMap()) {
            reason = "not a case file (not a YAML map)";
            return false;
        }
        for (const auto& kv : root)
            if (kv.first.IsScalar() && kv.first.Scalar() == "dossier") return true;
        reason = "not a case file (no top-level dossier key)";
        return false;
    } catch (const YAML::Exception& e) {
        if (has_dossier_line(text)) return true;
        unparsed = true;
        reason = "not valid YAML (line " + std::to_string(e.mark.line + 1) + ": " + e.msg +
                 ") and no line starts with a dossier key";
        return false;
    }
}

Discovery find_cases(const std::vector<std::string>& inputs, const std::string& exclude) {
    Discovery out;
    Walker walk(out, exclude);
    for (const std::string& in : inputs) {
        struct stat st {};
        if (::stat(in.c_str(), &st) != 0) {
            bool missing = errno == ENOENT || errno == ENOTDIR;
            error(out.diagnostics, {in, 0, 0}, "batch.input",
                  missing ? "no such case file or folder"
                          : std::string("cannot read: ") + std::strerror(errno));
            out.missing_argument = out.missing_argument || missing;
        } else if (S_ISDIR(st.st_mode)) {
            walk.folder(in);
        } else if (S_ISREG(st.st_mode)) {
            out.cases.push_back(fs::path(in).lexically_normal().string());
        } else {
            error(out.diagnostics, {in, 0, 0}, "batch.input",
                  "not a regular file or folder, so not read as a case");
        }
    }
    std::sort(out.cases.begin(), out.cases.end());
    out.cases.erase(std::unique(out.cases.begin(), out.cases.end()), out.cases.end());
    std::sort(out.skipped.begin(), out.skipped.end(),
              [](const SkippedFile& a, const SkippedFile& b) { return a.file < b.file; });
    return out;
}

}  // namespace dossier::cli
