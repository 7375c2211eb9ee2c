#include "cli/output.hpp"

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <iostream>

#include "load/load.hpp"

namespace fs = std::filesystem;

namespace dossier::cli {

namespace {

const char* severity_name(Severity s) {
    return s == Severity::error ? "error" : s == Severity::warning ? "warning" : "note";
}

std::string errno_text(int e) { return std::strerror(e); }

// --- the temporary file a signal should remove ---------------------------------------------

// Set by remove_temporary_files_on_signals (a single render); batch writes from several
// threads and never sets it, so the buffer below is only ever written by one thread.
volatile std::sig_atomic_t g_tracking = 0;
volatile std::sig_atomic_t g_has_temporary = 0;
char g_temporary[4096];

void track_temporary(const std::string& path) {
    if (!g_tracking || path.size() >= sizeof g_temporary) return;
    g_has_temporary = 0;
    std::memcpy(g_temporary, path.c_str(), path.size() + 1);
    g_has_temporary = 1;
}

void untrack_temporary() { g_has_temporary = 0; }

extern "C" void remove_temporary_and_die(int sig) {
    if (g_has_temporary) ::unlink(g_temporary);  // async-signal-safe
    ::signal(sig, SIG_DFL);
    ::raise(sig);
}

// --- writing -------------------------------------------------------------------------------

bool write_all(int fd, const std::string& bytes, const std::string& what, std::string& problem) {
    std::size_t done = 0;
    while (done < bytes.size()) {
        ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            problem = "cannot write " + what + ": " + errno_text(errno);
            return false;
        }
        done += static_cast<std::size_t>(n);
    }
    return true;
}

// Six letters and digits from the kernel's random source (the pid and the clock without one).
std::string random_suffix() {
    static const char kAlphabet[] =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    unsigned char raw[6];
    if (::getrandom(raw, sizeof raw, GRND_NONBLOCK) != static_cast<ssize_t>(sizeof raw)) {
        unsigned long seed = static_cast<unsigned long>(::getpid()) * 2654435761UL ^
                             static_cast<unsigned long>(std::clock()) ^
                             static_cast<unsigned long>(std::time(nullptr));
        for (unsigned char& b : raw) b = static_cast<unsigned char>(seed >>= 5);
    }
    std::string out;
    for (unsigned char b : raw) out += kAlphabet[b % (sizeof kAlphabet - 1)];
    return out;
}

// The file `path` leads to through any symlinks (relative ones resolved from the link's
// folder); it need not exist yet. False with `problem` set on a loop or an unreadable link.
bool follow_links(const std::string& path, std::string& target, std::string& problem) {
    std::string at = path;
    for (int hops = 0; hops <= 40; ++hops) {
        struct stat st;
        if (::lstat(at.c_str(), &st) != 0) {
            if (errno != ENOENT) {
                problem = "cannot write " + path + ": " + errno_text(errno);
                return false;
            }
            target = at;  // a new file, or a dangling link's target to create
            return true;
        }
        if (!S_ISLNK(st.st_mode)) {
            target = at;
            return true;
        }
        std::error_code ec;
        fs::path link = fs::read_symlink(at, ec);
        if (ec) {
            problem =
                "cannot write " + path + ": cannot read the symlink " + at + ": " + ec.message();
            return false;
        }
        at = (link.is_absolute() ? link : fs::path(at).parent_path() / link).string();
    }
    problem = "cannot write " + path + ": " + errno_text(ELOOP);
    return false;
}

// The input `st` is (same device and inode), or empty.
std::string input_named(const struct stat& st, const std::vector<std::string>& inputs) {
    for (const std::string& in : inputs) {
        struct stat is;
        if (!in.empty() && ::stat(in.c_str(), &is) == 0 && is.st_dev == st.st_dev &&
            is.st_ino == st.st_ino)
            return in;
    }
    return {};
}

void sync_folder(const fs::path& dir) {
    // Makes the rename durable; a file system that cannot sync a folder still renamed it.
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    ::fsync(fd);
    ::close(fd);
}

// Writes `bytes` to a new temporary file beside `target` and renames it over `target`. With
// `existing` (the regular file being replaced), the new file gets its permission bits and,
// where the process may, its owner and group; otherwise the mode is what the umask gives:
// the file is created with 0666 and the kernel applies the umask (and a folder's default ACL)
// as it does for every program, where mkstemp's 0600 would need the umask read and put back.
bool replace_file(const std::string& path, const std::string& target, const struct stat* existing,
                  const std::string& bytes, std::string& problem) {
    fs::path t(target);
    fs::path dir = t.parent_path().empty() ? fs::path(".") : t.parent_path();
    // Names near NAME_MAX leave no room for the suffix; the prefix only helps a person
    // recognise the file.
    std::string stem = t.filename().string().substr(0, 200);
    std::string temporary;
    int fd = -1;
    for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
        temporary = (dir / ("." + stem + ".tmp-" + random_suffix())).string();
        fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                    existing ? 0600 : 0666);
        if (fd < 0 && errno != EEXIST) break;
    }
    if (fd < 0) {
        problem = "cannot create a temporary file in " + dir.string() + ": " + errno_text(errno);
        return false;
    }
    track_temporary(temporary);
    auto fail = [&](const std::string& what) {
        problem = what + ": " + errno_text(errno);
        if (fd >= 0) ::close(fd);
        ::unlink(temporary.c_str());
        untrack_temporary();
        return false;
    };
    if (!write_all(fd, bytes, path, problem)) {
        int saved = errno;
        ::close(fd);
        ::unlink(temporary.c_str());
        untrack_temporary();
        errno = saved;
        return false;
    }
    if (existing) {
        // Owner first: chown may clear mode bits. Only root may give a file away; a user may
        // still keep its group when they belong to it. Neither failing loses anything.
        if (::fchown(fd, existing->st_uid, existing->st_gid) != 0)
            (void)::fchown(fd, static_cast<uid_t>(-1), existing->st_gid);
        // The permission bits and the sticky bit; never set-user-ID or set-group-ID on a
        // document written now.
        if (::fchmod(fd, existing->st_mode & 01777) != 0) return fail("cannot write " + path);
    }
    if (::fsync(fd) != 0) return fail("cannot write " + path);
    int closing = ::close(fd);
    fd = -1;
    if (closing != 0) return fail("cannot write " + path);
    if (std::rename(temporary.c_str(), target.c_str()) != 0)
        return fail("cannot move the output into place at " + target);
    untrack_temporary();
    sync_folder(dir);
    return true;
}

// A character device or FIFO: opened for writing as it is, never created, truncated or
// replaced. A FIFO's open waits for a reader, as any writer's would.
bool write_in_place(const std::string& path, const std::string& target, const std::string& bytes,
                    std::string& problem) {
    int fd = ::open(target.c_str(), O_WRONLY | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        problem = "cannot write " + path + ": " + errno_text(errno);
        return false;
    }
    struct stat st;
    if (::fstat(fd, &st) != 0 || !(S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode))) {
        // Replaced by something else since it was looked at: written by no one.
        ::close(fd);
        problem = "cannot write " + path + ": it changed while it was opened";
        return false;
    }
    bool ok = write_all(fd, bytes, path, problem);
    if (::close(fd) != 0 && ok) {
        problem = "cannot write " + path + ": " + errno_text(errno);
        ok = false;
    }
    return ok;
}

bool write_standard_output(const std::string& bytes, const std::vector<std::string>& inputs,
                           std::string& problem) {
    struct stat st;
    if (::fstat(STDOUT_FILENO, &st) != 0) {
        problem = "cannot write to standard output: " + errno_text(errno);
        return false;
    }
    if (::isatty(STDOUT_FILENO)) {
        problem = "standard output is a terminal: redirect it to a file or a pipe (-o - > out.pdf)";
        return false;
    }
    if (S_ISREG(st.st_mode))
        if (std::string in = input_named(st, inputs); !in.empty()) {
            problem = "standard output is " + in + ", an input of this render";
            return false;
        }
    std::cout.flush();
    return write_all(STDOUT_FILENO, bytes, "to standard output", problem);
}

bool write_file(const std::string& path, const std::string& bytes,
                const std::vector<std::string>& inputs, std::string& problem) {
    std::string target;
    if (!follow_links(path, target, problem)) return false;
    struct stat st;
    if (::stat(target.c_str(), &st) != 0) {
        if (errno != ENOENT) {
            problem = "cannot write " + path + ": " + errno_text(errno);
            return false;
        }
        return replace_file(path, target, nullptr, bytes, problem);
    }
    std::string named = target == path ? path : path + " (a symlink to " + target + ")";
    if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode))
        return write_in_place(path, target, bytes, problem);
    if (S_ISDIR(st.st_mode)) {
        problem = "cannot write " + named + ": it is a directory; name a file";
        return false;
    }
    if (!S_ISREG(st.st_mode)) {
        const char* kind = S_ISBLK(st.st_mode)    ? "a block device"
                           : S_ISSOCK(st.st_mode) ? "a socket"
                                                  : "not a regular file";
        problem = "cannot write " + named + ": it is " + kind + "; name a file";
        return false;
    }
    if (std::string in = input_named(st, inputs); !in.empty()) {
        problem = "cannot write " + named + ": it is " +
                  (in == path ? std::string("an input") : "the input " + in) +
                  " of this render, which would be lost; name another output";
        return false;
    }
    return replace_file(path, target, &st, bytes, problem);
}

}  // namespace

void print_diagnostics(Diagnostics diagnostics) {
    sort_diagnostics(diagnostics);
    int errors = 0, warnings = 0, notes = 0;
    for (const Diagnostic& d : diagnostics) {
        std::string line = d.span.line > 0 ? load::source_line(d.span.file, d.span.line) : "";
        std::cerr << format_diagnostic(d, line);
        (d.severity == Severity::error     ? errors
         : d.severity == Severity::warning ? warnings
                                           : notes) += 1;
    }
    // Notes are counted as what they are: a note is no warning (an encrypted report's "not
    // PDF/A" note said "1 warning").
    const auto count_notes = [&] {
        return std::to_string(notes) + (notes == 1 ? " note" : " notes");
    };
    if (errors || warnings) {
        std::cerr << errors << (errors == 1 ? " error" : " errors") << ", " << warnings
                  << (warnings == 1 ? " warning" : " warnings")
                  << (notes ? ", " + count_notes() : std::string()) << "\n";
    } else if (notes) {
        std::cerr << count_notes() << "\n";
    }
}

Json diagnostics_to_json(Diagnostics diagnostics) {
    sort_diagnostics(diagnostics);
    Json out = Json::array();
    for (const Diagnostic& d : diagnostics)
        out.push_back(Json::object({{"file", d.span.file},
                                    {"line", d.span.line},
                                    {"column", d.span.column},
                                    {"severity", severity_name(d.severity)},
                                    {"message", d.message}}));
    return out;
}

bool write_output(const std::string& path, const std::string& bytes,
                  const std::vector<std::string>& inputs, std::string& problem) {
    if (path == "-") return write_standard_output(bytes, inputs, problem);
    return write_file(path, bytes, inputs, problem);
}

bool write_atomically(const std::string& path, const std::string& bytes, std::string& problem) {
    return write_file(path, bytes, {}, problem);
}

void remove_temporary_files_on_signals() {
    g_tracking = 1;
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
        struct sigaction action {};
        action.sa_handler = remove_temporary_and_die;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_RESETHAND;
        ::sigaction(sig, &action, nullptr);
    }
}

}  // namespace dossier::cli
