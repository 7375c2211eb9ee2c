#include "cli/password.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "load/yaml_reader.hpp"
#include "model/file_bytes.hpp"

namespace dossier::cli {

namespace {

constexpr std::size_t kMaxPasswordFile = 64 << 10;  // a password file holds one short line
constexpr std::size_t kMaxPasswordBytes = 127;      // PDF 2.0, 7.6.4.3.3: the rest is ignored
constexpr const char* kEnvironment = "DOSSIER_PASSWORD";

// The first line of `text`, without its line break.
std::string first_line(const std::string& text) {
    std::string line = text.substr(0, text.find('\n'));
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

// --- the prompt ------------------------------------------------------------------------------

// The terminal whose echo is off, for the signal handler to turn it back on.
volatile std::sig_atomic_t g_tty = -1;
struct termios g_saved_tty;

extern "C" void restore_tty_and_die(int sig) {
    if (g_tty >= 0) ::tcsetattr(g_tty, TCSAFLUSH, &g_saved_tty);  // async-signal-safe
    ::signal(sig, SIG_DFL);
    ::raise(sig);
}

constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP};

// One line from the terminal `fd`, with echo off.
std::optional<std::string> read_line_quietly(int fd, const char* prompt, std::string& problem) {
    if (::write(fd, prompt, std::strlen(prompt)) < 0) {
        problem = std::strerror(errno);
        return std::nullopt;
    }
    std::string line;
    for (;;) {
        char c;
        ssize_t n = ::read(fd, &c, 1);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            problem = std::strerror(errno);
            return std::nullopt;
        }
        if (n == 0 || c == '\n') break;
        if (line.size() > kMaxPasswordFile) {
            problem = "the answer is too long";
            return std::nullopt;
        }
        line += c;
    }
    if (::write(fd, "\n", 1) < 0) {
        // The echo of the line break is a courtesy; the password was read.
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

std::optional<std::string> ask(Diagnostics& diags) {
    int fd = ::open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
    struct termios saved;
    if (fd < 0 || ::tcgetattr(fd, &saved) != 0) {
        error(diags, {}, "password.no-terminal",
              std::string("cannot ask for the password: no terminal (") + std::strerror(errno) +
                  "); give --password-file FILE or set " + kEnvironment);
        if (fd >= 0) ::close(fd);
        return std::nullopt;
    }
    struct sigaction previous[std::size(kSignals)];
    g_saved_tty = saved;
    g_tty = fd;
    for (std::size_t i = 0; i < std::size(kSignals); ++i) {
        struct sigaction action {};
        action.sa_handler = restore_tty_and_die;
        sigemptyset(&action.sa_mask);
        ::sigaction(kSignals[i], &action, &previous[i]);
    }
    struct termios quiet = saved;
    quiet.c_lflag &= static_cast<tcflag_t>(~ECHO);
    quiet.c_lflag |= ICANON;
    std::string problem;
    std::optional<std::string> first, second;
    if (::tcsetattr(fd, TCSAFLUSH, &quiet) != 0) {
        problem = std::strerror(errno);
    } else {
        first = read_line_quietly(fd, "Password for the PDF: ", problem);
        if (first && !first->empty())
            second = read_line_quietly(fd, "The same password again: ", problem);
    }
    ::tcsetattr(fd, TCSAFLUSH, &saved);
    g_tty = -1;
    for (std::size_t i = 0; i < std::size(kSignals); ++i)
        ::sigaction(kSignals[i], &previous[i], nullptr);
    ::close(fd);
    if (!first) {
        error(diags, {}, "password.prompt",
              "cannot read the password from the terminal: " + problem);
        return std::nullopt;
    }
    if (!first->empty() && (!second || *second != *first)) {
        error(diags, {}, "password.mismatch", "the two passwords differ: nothing was written");
        return std::nullopt;
    }
    return first;
}

// --- the sources -----------------------------------------------------------------------------

std::optional<std::string> from_standard_input(Diagnostics& diags) {
    std::string text;
    char buffer[4096];
    while (text.find('\n') == std::string::npos && text.size() <= kMaxPasswordFile) {
        ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            error(diags, {}, "password.file",
                  std::string("--password-file -: cannot read standard input: ") +
                      std::strerror(errno));
            return std::nullopt;
        }
        if (n == 0) break;
        text.append(buffer, static_cast<std::size_t>(n));
    }
    return first_line(text);
}

std::optional<std::string> from_file(const std::string& path, Diagnostics& diags) {
    if (path == "-") return ::isatty(STDIN_FILENO) ? ask(diags) : from_standard_input(diags);
    FileProblem problem;
    auto text = read_regular_file(path, kMaxPasswordFile, problem);
    if (!text) {
        error(diags, {path, 0, 0}, "password.file",
              "--password-file: " +
                  (problem.code == "file.unreadable" ? problem.message : problem.reason));
        return std::nullopt;
    }
    struct stat st;
    if (::stat(path.c_str(), &st) == 0 && (st.st_mode & (S_IRGRP | S_IROTH))) {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
        warning(diags, {path, 0, 0}, "password.file-readable",
                std::string("--password-file: other users can read this file (mode ") + mode +
                    "); chmod 600 it");
    }
    return first_line(*text);
}

// Whatever the source, the password must protect the report.
bool usable(const std::string& password, const std::string& where, Diagnostics& diags) {
    const Span at{};
    if (password.empty()) {
        error(diags, at, "password.empty",
              "the password " + where +
                  " is empty: the report would open for anyone; nothing was written");
        return false;
    }
    if (password.find('\0') != std::string::npos) {
        error(diags, at, "password.nul", "the password " + where + " holds a NUL byte");
        return false;
    }
    Diagnostics ignored;
    if (!load::check_utf8("", password, ignored)) {
        error(diags, at, "password.utf8", "the password " + where + " is not valid UTF-8");
        return false;
    }
    if (password.size() > kMaxPasswordBytes) {
        error(diags, at, "password.too-long",
              "the password " + where + " has " + std::to_string(password.size()) +
                  " bytes; PDF encryption uses only the first " +
                  std::to_string(kMaxPasswordBytes) +
                  ", so a longer one would not protect as "
                  "much as it seems");
        return false;
    }
    return true;
}

}  // namespace

bool PasswordSource::wanted() const {
    return encrypt || !file.empty() || prompt || command_line.has_value() ||
           std::getenv(kEnvironment) != nullptr;
}

std::optional<std::string> read_password(const PasswordSource& source, Diagnostics& diags) {
    int given =
        (source.file.empty() ? 0 : 1) + (source.prompt ? 1 : 0) + (source.command_line ? 1 : 0);
    if (given > 1) {
        error(diags, {}, "password.sources",
              "give the password one way only: --password-file, --password-prompt or "
              "--password");
        return std::nullopt;
    }
    std::optional<std::string> password;
    std::string where;
    if (!source.file.empty()) {
        where = source.file == "-" ? "from standard input" : "in " + source.file;
        password = from_file(source.file, diags);
    } else if (source.prompt) {
        where = "typed";
        password = ask(diags);
    } else if (source.command_line) {
        where = "given with --password";
        warning(diags, {}, "password.command-line",
                "--password: other users of this machine can read the password while dossier "
                "runs (ps, /proc); use --password-file FILE, --password-prompt or " +
                    std::string(kEnvironment));
        password = source.command_line;
    } else if (const char* env = std::getenv(kEnvironment)) {
        where = std::string("in ") + kEnvironment;
        password = std::string(env);
    } else if (source.encrypt) {
        // Asked for on a terminal only when the command is run from one: a script or a
        // service gets an error rather than a prompt nobody sees.
        if (!::isatty(STDIN_FILENO)) {
            error(diags, {}, "password.none",
                  std::string("--encrypt: no password: give --password-file FILE, set ") +
                      kEnvironment + ", or run it on a terminal to be asked");
            return std::nullopt;
        }
        where = "typed";
        password = ask(diags);
    } else {
        error(diags, {}, "password.none", "no password was given");
        return std::nullopt;
    }
    if (!password || !usable(*password, where, diags)) return std::nullopt;
    return password;
}

}  // namespace dossier::cli
