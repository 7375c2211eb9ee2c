// Reading input files: only regular files, each within a size bound checked before it is read,
// and every refusal with its reason. Case files, profiles, clauses, schemas, fonts and
// dictionaries all come through here, so that a FIFO never hangs a run, a device such as
// /dev/zero never grows memory without bound, and a directory is called a directory.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace dossier {

// Why a file was not read.
struct FileProblem {
    // "file.unreadable" (open or read failed: errno), "file.not-regular" (a directory, FIFO,
    // device or socket) or "file.too-large".
    std::string code;
    // For a diagnostic about the file itself: "cannot read file: No such file or directory",
    // "is a FIFO, not a regular file", "file is too large: 2000000 bytes; the limit is 1048576".
    std::string message;
    // For a diagnostic about the file at the place that names it: "No such file or directory",
    // "it is a FIFO, not a regular file", "it is 2000000 bytes; the limit is 1048576".
    std::string reason;
};

// The whole content of `path` (symlinks followed) when it is a regular file of at most
// `max_bytes` bytes; otherwise nullopt with `problem` set. The type is checked with stat()
// before the file is opened (opening a device can have effects of its own) and again with
// fstat() on the descriptor, which is opened with O_NONBLOCK so that a FIFO swapped in between
// cannot block. A file that grows past `max_bytes` while it is read is refused too. Never throws
// except std::bad_alloc.
std::optional<std::string> read_regular_file(const std::string& path, std::size_t max_bytes,
                                             FileProblem& problem);

// The same checks, keeping the descriptor: returns an fd open read-only on the regular file
// (the caller owns it and closes it) and its size in `size`, or -1 with `problem` set.
int open_regular_file(const std::string& path, std::size_t max_bytes, std::size_t& size,
                      FileProblem& problem);

// The bytes of a file, mapped read-only: the font reader uses a few kilobytes of tables out of
// each ~380 KB face, and the pattern reader only reads its 100 KB dictionary, so mapping
// touches only the pages used where reading would allocate and copy (page faults are dear on
// the small virtual machines the tool runs on: about 12 us each). Only a regular file of at
// most `max_bytes` is opened (open_regular_file); anything else is not opened, with the
// reason in problem().
class FileBytes {
  public:
    static constexpr std::size_t kDefaultMaxBytes = std::size_t{64} << 20;  // 64 MiB

    explicit FileBytes(const std::string& path, std::size_t max_bytes = kDefaultMaxBytes);
    ~FileBytes();
    FileBytes(const FileBytes&) = delete;
    FileBytes& operator=(const FileBytes&) = delete;

    // False when the file was not opened (its bytes are then empty; problem() says why).
    bool opened() const { return fd_ >= 0; }
    const FileProblem& problem() const { return problem_; }
    // Valid as long as this object.
    std::string_view bytes() const {
        return map_ ? std::string_view(static_cast<const char*>(map_), size_) : copy_;
    }

  private:
    int fd_ = -1;
    void* map_ = nullptr;
    std::size_t size_ = 0;
    std::string copy_;
    FileProblem problem_;
};

}  // namespace dossier
