#include "cli/batch.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "cli/output.hpp"
#include "cli/sha256.hpp"

namespace fs = std::filesystem;

namespace dossier::cli {

namespace {

// A signal handler can only touch lock-free atomics with static storage: this flag is the one
// piece of process-wide state, and only batch runs install the handler that sets it.
std::atomic<int> g_stop_signal{0};

extern "C" void on_stop_signal(int signal) { g_stop_signal.store(signal); }

class SignalGuard {
  public:
    SignalGuard() {
        struct sigaction sa {};
        sa.sa_handler = on_stop_signal;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, &old_int_);
        sigaction(SIGTERM, &sa, &old_term_);
    }
    ~SignalGuard() {
        sigaction(SIGINT, &old_int_, nullptr);
        sigaction(SIGTERM, &old_term_, nullptr);
    }
    SignalGuard(const SignalGuard&) = delete;
    SignalGuard& operator=(const SignalGuard&) = delete;

  private:
    struct sigaction old_int_ {};
    struct sigaction old_term_ {};
};

std::optional<std::string> read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

bool is_case_file(const fs::path& p) {
    std::ifstream in(p);
    std::string line;
    for (int i = 0; i < 200 && std::getline(in, line); ++i)
        if (line.rfind("dossier:", 0) == 0) return true;
    return false;
}

struct Outcome {
    std::string input, status, reference, output;  // status: ok, skipped, failed, not-run
    int pages = 0;
    double milliseconds = 0;
    Diagnostics diagnostics;
};

// Content hashes of earlier successful renders, read from every manifest in OUTDIR so that
// shards (which each write their own) and whole runs see each other's work.
class Manifest {
  public:
    Manifest(std::string outdir, int shard, int shards) : outdir_(std::move(outdir)) {
        name_ = shards == 1 ? ".dossier-manifest"
                            : ".dossier-manifest." + std::to_string(shard) + "-of-" +
                                  std::to_string(shards);
        std::error_code ec;
        for (const auto& e : fs::directory_iterator(outdir_, ec)) {
            std::string f = e.path().filename().string();
            if (f.rfind(".dossier-manifest", 0) != 0 || f.find(".tmp-") != std::string::npos)
                continue;
            std::ifstream in(e.path());
            std::string line;
            while (std::getline(in, line)) {
                auto tab = line.find('\t');
                if (tab == std::string::npos) continue;
                known_.insert(line.substr(0, tab) + '\t' + line.substr(tab + 1));
                if (f == name_) own_.insert(line);
            }
        }
    }
    bool current(const std::string& reference, const std::string& hash) const {
        return known_.count(reference + '\t' + hash) > 0;
    }
    void record(const std::string& reference, const std::string& hash) {
        std::lock_guard lock(mutex_);
        std::erase_if(own_,
                      [&](const std::string& l) { return l.rfind(reference + '\t', 0) == 0; });
        own_.insert(reference + '\t' + hash);
    }
    bool save(std::string& problem) {
        std::string text;
        for (const std::string& l : own_) text += l + '\n';
        return write_atomically(outdir_ + "/" + name_, text, problem);
    }

  private:
    std::string outdir_, name_;
    std::set<std::string> known_, own_;
    std::mutex mutex_;
};

std::string summary_json(const std::vector<Outcome>& outcomes, double seconds, bool interrupted) {
    int ok = 0, skipped = 0, failed = 0, not_run = 0;
    std::string cases;
    for (const Outcome& o : outcomes) {
        ok += o.status == "ok";
        skipped += o.status == "skipped";
        failed += o.status == "failed";
        not_run += o.status == "not-run";
        cases += cases.empty() ? "\n    " : ",\n    ";
        char ms[32];
        std::snprintf(ms, sizeof ms, "%.1f", o.milliseconds);
        cases += "{\"input\": " + json_string(o.input) + ", \"status\": \"" + o.status +
                 "\", \"reference\": " + json_string(o.reference) +
                 ", \"pages\": " + std::to_string(o.pages) + ", \"milliseconds\": " + ms +
                 ", \"output\": " + json_string(o.output) +
                 ", \"diagnostics\": " + diagnostics_json(o.diagnostics) + "}";
    }
    char secs[32];
    std::snprintf(secs, sizeof secs, "%.3f", seconds);
    return std::string("{\n  \"ok\": ") + std::to_string(ok) +
           ",\n  \"skipped\": " + std::to_string(skipped) +
           ",\n  \"failed\": " + std::to_string(failed) +
           ",\n  \"not_run\": " + std::to_string(not_run) +
           ",\n  \"interrupted\": " + (interrupted ? "true" : "false") +
           ",\n  \"seconds\": " + secs + ",\n  \"cases\": [" + cases + "\n  ]\n}\n";
}

// Progress on stderr: a self-updating line on a terminal, one plain line per case otherwise.
class Progress {
  public:
    Progress(std::size_t total) : total_(total), tty_(isatty(STDERR_FILENO) == 1) {}

    void finished(const Outcome& o) {
        std::lock_guard lock(mutex_);
        ++done_;
        failed_ += o.status == "failed";
        if (tty_) std::cerr << "\r\033[K";
        if (!tty_ || o.status == "failed") {
            char line[512];
            if (o.status == "failed")
                std::snprintf(line, sizeof line, "FAILED  %s\n", o.input.c_str());
            else
                std::snprintf(line, sizeof line, "%-7s %s -> %s (%d pages, %.0f ms)\n",
                              o.status.c_str(), o.input.c_str(), o.output.c_str(), o.pages,
                              o.milliseconds);
            std::cerr << line;
            if (o.status == "failed") print_diagnostics(o.diagnostics);
        }
        if (tty_) draw();
    }
    void end() {
        if (tty_) std::cerr << "\r\033[K";
    }

  private:
    void draw() {
        double elapsed =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
        double rate = elapsed > 0 ? static_cast<double>(done_) / elapsed : 0;
        double left = rate > 0 ? static_cast<double>(total_ - done_) / rate : 0;
        char line[160];
        std::snprintf(line, sizeof line, "[%zu/%zu] %zu failed, %.1f reports/s, %.0f s left", done_,
                      total_, failed_, rate, left);
        std::cerr << line << std::flush;
    }

    std::size_t total_, done_ = 0, failed_ = 0;
    bool tty_;
    std::mutex mutex_;
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace

bool parse_shard(const std::string& text, int& shard, int& shards) {
    auto slash = text.find('/');
    if (slash == std::string::npos) return false;
    try {
        std::size_t a = 0, b = 0;
        int k = std::stoi(text.substr(0, slash), &a);
        int n = std::stoi(text.substr(slash + 1), &b);
        if (a != slash || b != text.size() - slash - 1) return false;
        if (n < 1 || n > 10000 || k < 1 || k > n) return false;
        shard = k;
        shards = n;
        return true;
    } catch (const std::exception&) {
        return false;
    }
}

std::vector<std::string> find_cases(const std::vector<std::string>& inputs,
                                    Diagnostics& diagnostics) {
    std::vector<std::string> cases;
    for (const std::string& in : inputs) {
        std::error_code ec;
        if (fs::is_directory(in, ec)) {
            for (auto it = fs::recursive_directory_iterator(in, ec);
                 !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
                const fs::path& p = it->path();
                if (it->is_regular_file(ec) && p.extension() == ".yaml" && is_case_file(p))
                    cases.push_back(p.lexically_normal().string());
            }
            if (ec)
                error(diagnostics, {in, 0, 0}, "batch.input",
                      "cannot read folder: " + ec.message());
        } else if (fs::is_regular_file(in, ec)) {
            cases.push_back(fs::path(in).lexically_normal().string());
        } else {
            error(diagnostics, {in, 0, 0}, "batch.input", "no such case file or folder");
        }
    }
    std::sort(cases.begin(), cases.end());
    cases.erase(std::unique(cases.begin(), cases.end()), cases.end());
    return cases;
}

int run_batch(const Engine& engine, const BatchOptions& options) {
    auto start = std::chrono::steady_clock::now();
    Diagnostics setup;
    std::vector<std::string> all = find_cases(options.inputs, setup);
    std::error_code ec;
    fs::create_directories(options.outdir, ec);
    if (ec) error(setup, {options.outdir, 0, 0}, "batch.output", "cannot create: " + ec.message());
    if (has_errors(setup)) {
        print_diagnostics(setup);
        return 1;
    }
    // Round-robin over the sorted list: every shard gets an even share, and shards 1..N
    // together cover each case exactly once.
    std::vector<std::string> cases;
    for (std::size_t i = 0; i < all.size(); ++i)
        if (static_cast<int>(i % static_cast<std::size_t>(options.shards)) == options.shard - 1)
            cases.push_back(all[i]);

    // Everything that is the same for every case goes into each hash once.
    Sha256 common_hash;
    common_hash.update("dossier " + engine.version + (options.sample ? " sample" : "") +
                       (options.draft ? " draft" : "") + (options.first_fit ? " first-fit" : "") +
                       "\n");
    for (const auto& e : fs::directory_iterator(engine.data_dir + "/fonts", ec))
        if (auto bytes = read_file(e.path().string())) common_hash.update(*bytes);
    const std::string common = common_hash.hex();

    Manifest manifest(options.outdir, options.shard, options.shards);
    std::vector<Outcome> outcomes(cases.size());
    std::mutex claim_mutex;
    std::map<std::string, std::string> claimed;  // reference -> input
    Progress progress(cases.size());
    std::atomic<std::size_t> next{0};
    SignalGuard signals;
    g_stop_signal.store(0);

    auto work = [&] {
        for (;;) {
            if (g_stop_signal.load() != 0) return;
            std::size_t i = next.fetch_add(1);
            if (i >= cases.size()) return;
            Outcome& o = outcomes[i];
            o.input = cases[i];
            auto t0 = std::chrono::steady_clock::now();
            auto elapsed = [&] {
                return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() -
                                                                 t0)
                    .count();
            };
            std::string hash;
            if (auto plan = plan_case(engine, o.input, options.today)) {
                Sha256 h;
                h.update(common);
                for (const std::string& f : plan->inputs) {
                    h.update(f);
                    h.update(std::string_view("\0", 1));
                    h.update(read_file(f).value_or(""));
                    h.update(std::string_view("\0", 1));
                }
                hash = h.hex();
                o.reference = plan->reference;
                o.output = options.outdir + "/" + plan->reference + ".pdf";
                if (!options.force && manifest.current(plan->reference, hash) &&
                    fs::exists(o.output, ec)) {
                    std::lock_guard lock(claim_mutex);
                    if (claimed.emplace(o.reference, o.input).second) {
                        o.status = "skipped";
                        o.milliseconds = elapsed();
                        progress.finished(o);
                        continue;
                    }
                }
            }
            RenderOptions ro;
            ro.sample = options.sample;
            ro.draft = options.draft;
            ro.first_fit = options.first_fit;
            ro.today = options.today;
            RenderResult r = render_case(engine, o.input, ro);
            o.diagnostics = std::move(r.diagnostics);
            if (r.c) {
                o.reference = r.c->reference;
                o.output = options.outdir + "/" + o.reference + ".pdf";
            }
            if (r.ok()) {
                std::lock_guard lock(claim_mutex);
                auto [it, fresh] = claimed.emplace(o.reference, o.input);
                if (!fresh && it->second != o.input)
                    error(o.diagnostics, {o.input, 0, 0}, "batch.duplicate-reference",
                          "reference \"" + o.reference + "\" is also used by " + it->second +
                              "; both would write " + o.output);
            }
            std::string problem;
            if (r.ok() && !has_errors(o.diagnostics)) {
                if (write_atomically(o.output, r.pdf, problem)) {
                    o.status = "ok";
                    o.pages = r.pages;
                    if (!hash.empty()) manifest.record(o.reference, hash);
                } else {
                    error(o.diagnostics, {o.output, 0, 0}, "output.write", problem);
                }
            }
            if (o.status.empty()) {
                o.status = "failed";
                o.output.clear();
            }
            o.milliseconds = elapsed();
            progress.finished(o);
        }
    };

    int jobs = options.jobs > 0
                   ? options.jobs
                   : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    jobs = std::min<int>(jobs, static_cast<int>(std::max<std::size_t>(1, cases.size())));
    std::vector<std::thread> workers;
    for (int j = 1; j < jobs; ++j) workers.emplace_back(work);
    work();
    for (std::thread& t : workers) t.join();
    progress.end();

    bool interrupted = g_stop_signal.load() != 0;
    for (std::size_t i = 0; i < outcomes.size(); ++i)
        if (outcomes[i].status.empty()) {
            outcomes[i].input = cases[i];
            outcomes[i].status = "not-run";
        }
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::string problem;
    std::string summary =
        options.outdir + "/" +
        (options.shards == 1 ? std::string("summary.json")
                             : "summary-" + std::to_string(options.shard) + "-of-" +
                                   std::to_string(options.shards) + ".json");
    Diagnostics end;
    if (!manifest.save(problem)) error(end, {options.outdir, 0, 0}, "output.write", problem);
    if (!write_atomically(summary, summary_json(outcomes, seconds, interrupted), problem))
        error(end, {summary, 0, 0}, "output.write", problem);
    print_diagnostics(end);

    std::size_t ok = 0, skipped = 0, failed = 0, not_run = 0;
    for (const Outcome& o : outcomes) {
        ok += o.status == "ok";
        skipped += o.status == "skipped";
        failed += o.status == "failed";
        not_run += o.status == "not-run";
    }
    char line[256];
    std::snprintf(
        line, sizeof line,
        "batch: %zu rendered, %zu unchanged, %zu failed%s in %.2f s (%.1f reports/s)\n", ok,
        skipped, failed,
        interrupted ? (", " + std::to_string(not_run) + " not run (interrupted)").c_str() : "",
        seconds, seconds > 0 ? static_cast<double>(ok + skipped) / seconds : 0.0);
    std::cerr << line << "summary: " << summary << "\n";
    if (interrupted) return 130;
    return failed > 0 || has_errors(end) ? 1 : 0;
}

}  // namespace dossier::cli
