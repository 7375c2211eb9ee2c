#include "cli/outdir_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <thread>

namespace fs = std::filesystem;

namespace dossier::cli {

OutdirLock::~OutdirLock() {
    if (fd_ >= 0) ::close(fd_);  // closing the last descriptor releases the flock
}

LockResult OutdirLock::try_lock(const std::string& outdir, std::string& problem) {
    path_ = (fs::path(outdir) / ".dossier-lock").string();
    fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0666);
    if (fd_ < 0) {
        problem = "cannot open the lock file " + path_ + ": " + std::strerror(errno);
        return LockResult::failed;
    }
    return attempt(problem);
}

LockResult OutdirLock::attempt(std::string& problem) {
    if (::flock(fd_, LOCK_EX | LOCK_NB) == 0) {
        // Who holds it, for the message a second batch prints. Advice only: a failure to
        // write it changes nothing about the lock.
        std::string pid = std::to_string(::getpid()) + "\n";
        if (::ftruncate(fd_, 0) == 0) {
            ssize_t n = ::pwrite(fd_, pid.data(), pid.size(), 0);
            (void)n;
        }
        return LockResult::acquired;
    }
    if (errno == EWOULDBLOCK || errno == EINTR) return LockResult::busy;
    problem = "cannot lock " + path_ + ": " + std::strerror(errno);
    return LockResult::failed;
}

LockResult OutdirLock::wait(const std::function<bool()>& stop, std::string& problem) {
    for (;;) {
        LockResult r = attempt(problem);
        if (r != LockResult::busy) return r;
        if (stop()) return LockResult::interrupted;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

std::string OutdirLock::holder() const {
    char buffer[32] = {};
    ssize_t n = fd_ >= 0 ? ::pread(fd_, buffer, sizeof buffer - 1, 0) : -1;
    std::string text = n > 0 ? std::string(buffer, static_cast<std::size_t>(n)) : "";
    text.erase(std::remove(text.begin(), text.end(), '\n'), text.end());
    return std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }) ? text
                                                                                              : "";
}

std::vector<std::string> remove_stale_temporaries(const std::string& outdir,
                                                  std::vector<std::string>& problems) {
    // ".<name>.tmp-" and six characters from mkstemp's alphabet.
    auto is_temporary = [](const std::string& name) {
        auto at = name.rfind(".tmp-");
        if (name.size() < 2 || name[0] != '.' || at == std::string::npos || at < 2) return false;
        if (name.size() - at - 5 != 6) return false;
        return std::all_of(name.begin() + static_cast<std::ptrdiff_t>(at) + 5, name.end(),
                           [](char c) { return std::isalnum(static_cast<unsigned char>(c)); });
    };
    std::vector<std::string> removed;
    std::error_code ec;
    for (auto it = fs::directory_iterator(outdir, ec); !ec && it != fs::directory_iterator();
         it.increment(ec)) {
        std::string name = it->path().filename().string();
        if (!is_temporary(name)) continue;
        struct stat st {};
        if (::lstat(it->path().c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
        if (::unlink(it->path().c_str()) == 0)
            removed.push_back(name);
        else
            problems.push_back("cannot remove the stale temporary file " + it->path().string() +
                               ": " + std::strerror(errno));
    }
    if (ec) problems.push_back("cannot list " + outdir + ": " + ec.message());
    std::sort(removed.begin(), removed.end());
    return removed;
}

}  // namespace dossier::cli
