#include "cli/sha256.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

namespace dossier::cli {

Sha256::Sha256() { sha256_init(&ctx_); }

void Sha256::update(std::string_view data) {
    sha256_update(&ctx_, data.size(), reinterpret_cast<const std::uint8_t*>(data.data()));
}

std::string Sha256::hex() {
    std::array<std::uint8_t, SHA256_DIGEST_SIZE> digest{};
    sha256_digest(&ctx_, digest.size(), digest.data());
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(2 * digest.size());
    for (std::uint8_t b : digest) {
        out += kHex[b >> 4];
        out += kHex[b & 15];
    }
    return out;
}

std::optional<std::string> sha256_file(const std::string& path, std::string& problem) {
    // O_NONBLOCK: a FIFO put where an output was must not hang the run.
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        problem = "cannot read " + path + ": " + std::strerror(errno);
        return std::nullopt;
    }
    Sha256 h;
    std::array<char, 1 << 16> buffer{};
    for (;;) {
        ssize_t n = ::read(fd, buffer.data(), buffer.size());
        if (n == 0) break;
        if (n < 0) {
            if (errno == EINTR) continue;
            problem = "cannot read " + path + ": " + std::strerror(errno);
            ::close(fd);
            return std::nullopt;
        }
        h.update(std::string_view(buffer.data(), static_cast<std::size_t>(n)));
    }
    ::close(fd);
    return h.hex();
}

}  // namespace dossier::cli
