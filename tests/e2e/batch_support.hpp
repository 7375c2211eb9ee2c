// Test helpers for the batch tests: generated case folders and what a batch leaves in OUTDIR.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "../support/process.hpp"
#include "../support/temp_files.hpp"
#include "model/json.hpp"

namespace dossier::test {

// The example case with its own reference. `dated` false removes its report date, so that
// the date comes from SOURCE_DATE_EPOCH or the clock.
inline std::string example_case(const std::string& reference, bool dated = true) {
    static const std::string example =
        read_file(DOSSIER_SOURCE_DIR "/examples/tajikistan-lgbt.yaml");
    std::string text = std::regex_replace(example, std::regex("reference: TJ-2026-014"),
                                          "reference: " + reference);
    if (!dated) text = std::regex_replace(text, std::regex("\ndate: 2026-11-20\n"), "\n");
    return text;
}

inline void write_expert(const TempDir& dir, const std::string& folder) {
    static const std::string expert =
        read_file(DOSSIER_SOURCE_DIR "/examples/experts/example-expert.yaml");
    dir.write(folder + "/experts/example-expert.yaml", expert);
}

// Writes `count` cases (references B-<first>...) into dir/<folder>, with the expert profile.
inline std::string make_cases(const TempDir& dir, int count, const std::string& folder = "cases",
                              int first = 1) {
    write_expert(dir, folder);
    for (int i = first; i < first + count; ++i) {
        char name[64];
        std::snprintf(name, sizeof name, "/case-%03d.yaml", i);
        dir.write(folder + name, example_case("B-" + std::to_string(i)));
    }
    return dir.path() + "/" + folder;
}

inline std::set<std::string> pdfs_in(const std::filesystem::path& dir) {
    std::set<std::string> out;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec))
        if (e.path().extension() == ".pdf") out.insert(e.path().filename().string());
    return out;
}

inline int count_temporaries(const std::filesystem::path& dir) {
    int n = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir))
        if (e.path().filename().string().find(".tmp-") != std::string::npos) ++n;
    return n;
}

inline std::string cli(const std::string& args) { return std::string(DOSSIER_BINARY) + " " + args; }

// summary.json parsed; a discarded value when it is missing or not JSON.
inline Json summary_of(const std::string& outdir, const std::string& name = "summary.json") {
    return Json::parse(read_file(outdir + "/" + name), nullptr, false);
}

// The status summary.json gives the case whose input ends in `suffix` ("" when none does).
inline std::string status_of(const Json& summary, const std::string& suffix) {
    if (!summary.is_object()) return "";
    for (const Json& c : summary["cases"]) {
        std::string input = c["input"].get<std::string>();
        if (input.size() >= suffix.size() &&
            input.compare(input.size() - suffix.size(), suffix.size(), suffix) == 0)
            return c["status"].get<std::string>();
    }
    return "";
}

// Starts `dossier batch ARGS...` in the background, stderr to `log` (or /dev/null).
inline pid_t start_batch(const std::vector<std::string>& args, const std::string& log = "") {
    pid_t pid = fork();
    if (pid == 0) {
        int fd =
            ::open(log.empty() ? "/dev/null" : log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(fd, STDERR_FILENO);
        std::vector<char*> argv = {const_cast<char*>(DOSSIER_BINARY), const_cast<char*>("batch")};
        for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        execv(DOSSIER_BINARY, argv.data());
        _exit(127);
    }
    return pid;
}

// Waits until `dir` holds at least `n` PDFs (at most about 10 s).
inline void wait_for_pdfs(const std::string& dir, std::size_t n) {
    for (int i = 0; i < 400 && pdfs_in(dir).size() < n; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
}

// The exit status of `pid`, -1 unless it exited normally.
inline int wait_exit(pid_t pid) {
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace dossier::test
