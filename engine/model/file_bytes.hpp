// A data file's bytes without copying them, for the stages that read fonts and dictionaries
// (layout for metrics and hyphenation, pdf for embedding).
#pragma once

#include <string>
#include <string_view>

namespace dossier {

// The bytes of a file, mapped read-only: the font reader uses a few kilobytes of tables out of
// each ~380 KB face, and the pattern reader only reads its 100 KB dictionary, so mapping
// touches only the pages used where reading would allocate and copy (page faults are dear on
// the small virtual machines the tool runs on: about 12 us each). Something other than a
// regular file (a pipe, a directory) is read instead, as std::ifstream would: a directory then
// has no bytes.
class FileBytes {
  public:
    explicit FileBytes(const std::string& path);
    ~FileBytes();
    FileBytes(const FileBytes&) = delete;
    FileBytes& operator=(const FileBytes&) = delete;

    // False when the file could not be opened (its bytes are then empty).
    bool opened() const { return fd_ >= 0; }
    // Valid as long as this object.
    std::string_view bytes() const {
        return map_ ? std::string_view(static_cast<const char*>(map_), size_) : copy_;
    }

  private:
    int fd_ = -1;
    void* map_ = nullptr;
    std::size_t size_ = 0;
    std::string copy_;
};

}  // namespace dossier
