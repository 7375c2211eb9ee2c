#include "model/file_bytes.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace dossier {

namespace {

// "a FIFO" for the file types that are not regular files.
const char* kind_of(mode_t mode) {
    if (S_ISDIR(mode)) return "a directory";
    if (S_ISFIFO(mode)) return "a FIFO";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    if (S_ISSOCK(mode)) return "a socket";
    return "a special file";
}

void set_errno_problem(FileProblem& problem, int error) {
    problem.code = "file.unreadable";
    problem.reason = std::strerror(error);
    problem.message = "cannot read file: " + problem.reason;
}

void set_kind_problem(FileProblem& problem, mode_t mode) {
    problem.code = "file.not-regular";
    problem.message = std::string("is ") + kind_of(mode) + ", not a regular file";
    problem.reason = "it " + problem.message;
}

void set_size_problem(FileProblem& problem, unsigned long long size, std::size_t max_bytes) {
    problem.code = "file.too-large";
    std::string numbers =
        std::to_string(size) + " bytes; the limit is " + std::to_string(max_bytes);
    problem.message = "file is too large: " + numbers;
    problem.reason = "it is " + numbers;
}

}  // namespace

int open_regular_file(const std::string& path, std::size_t max_bytes, std::size_t& size,
                      FileProblem& problem) {
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) {
        set_errno_problem(problem, errno);
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        set_kind_problem(problem, st.st_mode);
        return -1;
    }
    int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        set_errno_problem(problem, errno);
        return -1;
    }
    // The path may name something else by now: what counts is what was opened.
    if (::fstat(fd, &st) != 0) {
        set_errno_problem(problem, errno);
        ::close(fd);
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        set_kind_problem(problem, st.st_mode);
        ::close(fd);
        return -1;
    }
    if (st.st_size < 0 || static_cast<unsigned long long>(st.st_size) > max_bytes) {
        set_size_problem(problem, static_cast<unsigned long long>(st.st_size), max_bytes);
        ::close(fd);
        return -1;
    }
    size = static_cast<std::size_t>(st.st_size);
    return fd;
}

namespace {

// Reads what `fd` holds, at most max_bytes + 1 bytes (one more tells that it grew too large).
bool read_bounded(int fd, std::size_t expected, std::size_t max_bytes, std::string& out,
                  FileProblem& problem) {
    out.clear();
    out.reserve(expected);
    char buffer[65536];
    for (;;) {
        std::size_t room = max_bytes + 1 - out.size();
        ssize_t n = ::read(fd, buffer, room < sizeof buffer ? room : sizeof buffer);
        if (n < 0) {
            if (errno == EINTR) continue;
            set_errno_problem(problem, errno);
            return false;
        }
        if (n == 0) return true;
        out.append(buffer, static_cast<std::size_t>(n));
        if (out.size() > max_bytes) {
            set_size_problem(problem, out.size(), max_bytes);
            problem.message = "file is too large: more than " + std::to_string(max_bytes) +
                              " bytes (it grew while it was read)";
            problem.reason = "it is more than " + std::to_string(max_bytes) + " bytes";
            return false;
        }
    }
}

}  // namespace

std::optional<std::string> read_regular_file(const std::string& path, std::size_t max_bytes,
                                             FileProblem& problem) {
    std::size_t size = 0;
    int fd = open_regular_file(path, max_bytes, size, problem);
    if (fd < 0) return std::nullopt;
    std::string text;
    bool ok = read_bounded(fd, size, max_bytes, text, problem);
    ::close(fd);
    if (!ok) return std::nullopt;
    return text;
}

FileBytes::FileBytes(const std::string& path, std::size_t max_bytes) {
    std::size_t size = 0;
    fd_ = open_regular_file(path, max_bytes, size, problem_);
    if (fd_ < 0 || size == 0) return;
    void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd_, 0);
    if (p != MAP_FAILED) {
        map_ = p;
        size_ = size;
        return;
    }
    // No mapping (a file system that cannot map): read it, within the same bound.
    if (!read_bounded(fd_, size, max_bytes, copy_, problem_)) {
        copy_.clear();
        ::close(fd_);
        fd_ = -1;
    }
}

FileBytes::~FileBytes() {
    if (map_) ::munmap(map_, size_);
    if (fd_ >= 0) ::close(fd_);
}

}  // namespace dossier
