#include "cli/manifest.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "cli/output.hpp"
#include "model/json.hpp"

namespace fs = std::filesystem;

namespace dossier::cli {

namespace {

// The length of the valid UTF-8 sequence at s[i], or 0 when it is not one (overlong forms,
// surrogates and code points past U+10FFFF are not).
std::size_t utf8_length(const std::string& s, std::size_t i) {
    auto at = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    unsigned char b = at(i);
    if (b < 0x80) return 1;
    std::size_t n = b >= 0xC2 && b <= 0xDF   ? 2
                    : b >= 0xE0 && b <= 0xEF ? 3
                    : b >= 0xF0 && b <= 0xF4 ? 4
                                             : 0;
    if (n == 0 || i + n > s.size()) return 0;
    for (std::size_t k = 1; k < n; ++k)
        if ((at(i + k) & 0xC0) != 0x80) return 0;
    unsigned char c = at(i + 1);
    if (b == 0xE0 && c < 0xA0) return 0;  // overlong
    if (b == 0xED && c > 0x9F) return 0;  // surrogate
    if (b == 0xF0 && c < 0x90) return 0;  // overlong
    if (b == 0xF4 && c > 0x8F) return 0;  // past U+10FFFF
    return n;
}

// The whole file, or "" when it does not exist; nullopt (with `problem`) when it cannot be read.
std::optional<std::string> read_if_present(const std::string& path, std::string& problem) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0) {
        if (errno == ENOENT) return std::string();
        problem = "cannot read " + path + ": " + std::strerror(errno);
        return std::nullopt;
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        problem = "cannot read " + path + ": not a regular file";
        ::close(fd);
        return std::nullopt;
    }
    std::string text;
    char buffer[1 << 16];
    for (;;) {
        ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n == 0) break;
        if (n < 0) {
            if (errno == EINTR) continue;
            problem = "cannot read " + path + ": " + std::strerror(errno);
            ::close(fd);
            return std::nullopt;
        }
        text.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return text;
}

Json to_json(const OutputRecord& r) {
    Json j;
    j["output"] = r.output;
    j["input"] = r.input;
    j["mode"] = r.mode;
    j["encrypted"] = r.encrypted;
    j["date"] = r.date;
    j["engine"] = r.engine;
    j["inputs"] = r.inputs;
    j["pdf"] = r.pdf;
    j["pages"] = r.pages;
    return j;
}

std::optional<OutputRecord> from_json(const std::string& line) {
    Json j = Json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return std::nullopt;
    OutputRecord r;
    for (auto [key, field] : {std::pair{"output", &r.output},
                              {"input", &r.input},
                              {"mode", &r.mode},
                              {"date", &r.date},
                              {"engine", &r.engine},
                              {"inputs", &r.inputs},
                              {"pdf", &r.pdf}}) {
        auto it = j.find(key);
        if (it == j.end() || !it->is_string()) return std::nullopt;
        *field = it->get<std::string>();
    }
    auto encrypted = j.find("encrypted");
    auto pages = j.find("pages");
    if (encrypted == j.end() || !encrypted->is_boolean() || pages == j.end() ||
        !pages->is_number_integer())
        return std::nullopt;
    r.encrypted = encrypted->get<bool>();
    r.pages = pages->get<int>();
    // Only a plain file name: a record must never point outside OUTDIR.
    if (r.output.empty() || r.output.find('/') != std::string::npos || r.output[0] == '.')
        return std::nullopt;
    return r;
}

bool fsync_folder(const std::string& dir, std::string& problem) {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 || ::fsync(fd) != 0) {
        problem = "cannot sync the folder " + dir + ": " + std::strerror(errno);
        if (fd >= 0) ::close(fd);
        return false;
    }
    ::close(fd);
    return true;
}

}  // namespace

std::string exact_path_text(const std::string& path) {
    std::string out;
    for (std::size_t i = 0; i < path.size();) {
        std::size_t n = utf8_length(path, i);
        if (n == 0) {
            char hex[8];
            std::snprintf(hex, sizeof hex, "\\x%02x", static_cast<unsigned char>(path[i]));
            out += hex;
            i += 1;
        } else if (path[i] == '\\') {
            out += "\\\\";
            i += 1;
        } else {
            out.append(path, i, n);
            i += n;
        }
    }
    return out;
}

Manifest::~Manifest() {
    if (journal_ >= 0) ::close(journal_);
}

bool Manifest::open(const std::string& outdir, std::string& problem) {
    outdir_ = outdir;
    manifest_path_ = (fs::path(outdir) / ".dossier-manifest").string();
    journal_path_ = (fs::path(outdir) / ".dossier-journal").string();
    auto manifest = read_if_present(manifest_path_, problem);
    if (!manifest) return false;
    auto journal = read_if_present(journal_path_, problem);
    if (!journal) return false;
    for (const std::string* text : {&*manifest, &*journal}) {
        std::size_t start = 0;
        while (start < text->size()) {
            std::size_t end = text->find('\n', start);
            if (end == std::string::npos) end = text->size();
            std::string line = text->substr(start, end - start);
            start = end + 1;
            if (line.empty()) continue;
            if (auto r = from_json(line))
                records_[r->output] = std::move(*r);
            else
                ++ignored_;
        }
    }
    journal_ =
        ::open(journal_path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0666);
    if (journal_ < 0) {
        problem = "cannot open the journal " + journal_path_ + ": " + std::strerror(errno);
        return false;
    }
    // The journal's own name must survive a crash, or its records would be lost with it.
    if (!fsync_folder(outdir_, problem)) return false;
    if (!journal->empty() || ignored_ > 0) return compact(problem);
    return true;
}

std::optional<OutputRecord> Manifest::find(const std::string& output) const {
    std::lock_guard lock(mutex_);
    auto it = records_.find(output);
    if (it == records_.end()) return std::nullopt;
    return it->second;
}

std::vector<OutputRecord> Manifest::all() const {
    std::lock_guard lock(mutex_);
    std::vector<OutputRecord> out;
    for (const auto& [name, r] : records_) out.push_back(r);
    return out;
}

bool Manifest::record(const OutputRecord& record, std::string& problem) {
    std::string line = json_text(to_json(record)) + "\n";
    std::lock_guard lock(mutex_);
    // After a failed write the journal may end in part of a line: start on a fresh one, so
    // that only the broken record is lost when the journal is read.
    if (torn_) line.insert(line.begin(), '\n');
    std::size_t done = 0;
    while (done < line.size()) {
        ssize_t n = ::write(journal_, line.data() + done, line.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            problem = "cannot write the journal " + journal_path_ + ": " +
                      std::strerror(n < 0 ? errno : ENOSPC);
            torn_ = done > 0 || torn_;
            return false;
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(journal_) != 0) {
        problem = "cannot sync the journal " + journal_path_ + ": " + std::strerror(errno);
        return false;
    }
    torn_ = false;
    records_[record.output] = record;
    return true;
}

bool Manifest::compact(std::string& problem) {
    std::lock_guard lock(mutex_);
    std::string text;
    for (auto it = records_.begin(); it != records_.end();) {
        struct stat st {};
        // An output removed since is nobody's any more.
        if (::lstat((fs::path(outdir_) / it->first).c_str(), &st) != 0 && errno == ENOENT) {
            it = records_.erase(it);
            continue;
        }
        text += json_text(to_json(it->second)) + "\n";
        ++it;
    }
    if (!write_atomically(manifest_path_, text, problem)) return false;
    if (!fsync_folder(outdir_, problem)) return false;
    if (::ftruncate(journal_, 0) != 0 || ::fsync(journal_) != 0) {
        problem = "cannot empty the journal " + journal_path_ + ": " + std::strerror(errno);
        return false;
    }
    torn_ = false;
    return true;
}

}  // namespace dossier::cli
