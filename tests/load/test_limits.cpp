// Resource bounds on hostile input: the real `dossier check` on an alias bomb, 100,000 levels
// of nesting, a 50 MB file, 1 MB of binary junk and lists or maps of hundreds of thousands of
// entries must each exit 1 within a second and 100 MB of memory. Measured per child with
// wait4(), so the bound is the binary's own. Under the sanitizers (DOSSIER_SANITIZE), which
// slow code down and keep freed memory in quarantine, the bounds are 5 s and 600 MB.
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

#include "../support/temp_files.hpp"

using dossier::test::TempDir;

namespace {

#ifdef DOSSIER_SANITIZED
constexpr double kMaxSeconds = 5.0;
constexpr long kMaxRssKib = 600 * 1024;
#else
constexpr double kMaxSeconds = 1.0;
constexpr long kMaxRssKib = 100 * 1024;
#endif

struct Run {
    int status = -1;  // exit status, or -1 when killed by a signal
    double seconds = 0;
    long max_rss_kib = 0;
};

Run run_check(const std::string& file) {
    auto start = std::chrono::steady_clock::now();
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        dup2(null, 2);
        execl(DOSSIER_BINARY, DOSSIER_BINARY, "check", file.c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    int status = 0;
    rusage usage{};
    REQUIRE(wait4(pid, &status, 0, &usage) == pid);
    Run r;
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.max_rss_kib = usage.ru_maxrss;
    return r;
}

Run check_bounded(const std::string& what, const std::string& file) {
    Run r = run_check(file);
    WARN(what << ": exit " << r.status << ", " << r.seconds * 1000 << " ms, "
              << r.max_rss_kib / 1024 << " MiB peak RSS");
    CHECK(r.status == 1);
    CHECK(r.seconds < kMaxSeconds);
    CHECK(r.max_rss_kib < kMaxRssKib);
    return r;
}

// The stderr of `dossier check FILE`.
std::string check_stderr(const std::string& file, const std::string& out) {
    std::string cmd = std::string(DOSSIER_BINARY) + " check '" + file + "' 2> '" + out + "'";
    (void)std::system(cmd.c_str());
    std::ifstream in(out);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace

TEST_CASE("an alias bomb is refused quickly") {
    TempDir dir;
    std::string text = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
    for (int i = 1; i < 10; ++i) {
        std::string prev = "*a" + std::to_string(i - 1);
        text += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
        for (int k = 0; k < 9; ++k) text += (k ? ", " : "") + prev;
        text += "]\n";
    }
    check_bounded("alias bomb", dir.write("bomb.yaml", text));
}

TEST_CASE("100,000 levels of nesting are refused quickly") {
    TempDir dir;
    std::string flow = "facts: " + std::string(100000, '[') + std::string(100000, ']') + "\n";
    check_bounded("100,000 nested lists", dir.write("deep.yaml", flow));
    std::string maps;
    for (int i = 0; i < 100000; ++i) maps += "{a: ";
    maps += "1" + std::string(100000, '}') + "\n";
    check_bounded("100,000 nested maps", dir.write("deep-maps.yaml", maps));
}

TEST_CASE("a 50 MB file is refused quickly") {
    TempDir dir;
    std::string path = dir.write("big.yaml", "");
    std::ofstream out(path, std::ios::binary);
    std::string line = "key: " + std::string(1018, 'x') + "\n";  // 1 KiB
    for (int i = 0; i < 50 * 1024; ++i) out << line;
    out.close();
    check_bounded("50 MB file", path);
}

TEST_CASE("binary junk is refused quickly") {
    TempDir dir;
    std::string junk(1 << 20, '\0');
    std::uint32_t x = 2463534242u;  // xorshift: the same junk on every run
    for (char& c : junk) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        c = static_cast<char>(x & 0xFF);
    }
    check_bounded("1 MB binary junk", dir.write("junk.yaml", junk));
    // Junk that is valid UTF-8 gets as far as the YAML parser.
    std::string text;
    for (std::size_t i = 0; text.size() < (1 << 20) - 8; ++i) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        text += static_cast<char>(0x20 + x % 0x5F);
        if (x % 61 == 0) text += '\n';
    }
    check_bounded("1 MB printable junk", dir.write("text-junk.yaml", text));
}

TEST_CASE("lists and maps of more than 10,000 entries are refused quickly") {
    TempDir dir;
    // A 1 MiB flow list of 300,000 one-character items: it used to take 2.6 s and 225 MB.
    std::string flow = "dossier: 1\nfacts:\n  many: [1";
    for (int i = 1; i < 300000; ++i) flow += ",1";
    flow += "]\n";
    REQUIRE(flow.size() < (1 << 20));
    std::string path = dir.write("flow-list.yaml", flow);
    check_bounded("300,000-item flow list", path);
    std::string err = check_stderr(path, dir.path() + "/flow-list.err");
    CHECK(err.find("more than 10000 entries in one list (it starts at line 3)") !=
          std::string::npos);

    // A block list and a block mapping, one entry a line.
    std::string block = "dossier: 1\nfacts:\n  many:\n";
    for (int i = 0; i < 100000; ++i) block += "  - 1\n";
    check_bounded("100,000-item block list", dir.write("block-list.yaml", block));
    std::string map = "dossier: 1\nfacts:\n";
    for (int i = 0; i < 60000; ++i) map += "  k" + std::to_string(i) + ": 1\n";
    REQUIRE(map.size() < (1 << 20));
    path = dir.write("big-map.yaml", map);
    check_bounded("60,000-key mapping", path);
    err = check_stderr(path, dir.path() + "/big-map.err");
    CHECK(err.find("more than 10000 entries in one mapping") != std::string::npos);
    // A flow mapping of 100,000 keys.
    std::string fmap = "dossier: 1\nfacts: {";
    for (int i = 0; i < 100000; ++i) fmap += (i ? ",k" : "k") + std::to_string(i) + ":1";
    fmap += "}\n";
    REQUIRE(fmap.size() < (1 << 20));
    check_bounded("100,000-key flow mapping", dir.write("flow-map.yaml", fmap));
}

TEST_CASE("10,000 entries are still read") {
    TempDir dir;
    // At the cap the file reads; whatever the schema then says, it is not the entry limit.
    std::string flow = "dossier: 1\nfacts:\n  many: [1";
    for (int i = 1; i < 10000; ++i) flow += ",1";
    flow += "]\n";
    std::string path = dir.write("at-cap.yaml", flow);
    std::string err = check_stderr(path, dir.path() + "/at-cap.err");
    CHECK(err.find("entries in one") == std::string::npos);
}
