// SHA-256 from Debian's nettle (a maintained, audited implementation), for the content hashes
// that let `batch` skip unchanged cases and recognise its own outputs.
#pragma once

#include <nettle/sha2.h>

#include <optional>
#include <string>
#include <string_view>

namespace dossier::cli {

class Sha256 {
  public:
    Sha256();
    void update(std::string_view data);
    // The digest of everything updated so far as 64 lower-case hex digits. Starts a new hash:
    // later updates begin from empty (nettle resets its context on digest).
    std::string hex();

  private:
    sha256_ctx ctx_;
};

// The SHA-256 of a whole file's bytes as hex, read in blocks (any size, constant memory).
// nullopt when the file cannot be opened or read, with `problem` saying why (errno text).
std::optional<std::string> sha256_file(const std::string& path, std::string& problem);

}  // namespace dossier::cli
