#include "cli/batch.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <mutex>
#include <thread>

#include "cli/batch_report.hpp"
#include "cli/discovery.hpp"
#include "cli/manifest.hpp"
#include "cli/outdir_lock.hpp"
#include "cli/output.hpp"
#include "cli/sha256.hpp"
#include "compose/redaction.hpp"
#include "load/load.hpp"
#include "model/json.hpp"

namespace fs = std::filesystem;

namespace dossier::cli {

namespace {

// A signal handler can only touch lock-free atomics with static storage: this flag is the one
// piece of process-wide state, and only batch runs install the handler that sets it.
std::atomic<int> g_stop_signal{0};

extern "C" void on_stop_signal(int signal) { g_stop_signal.store(signal); }

bool stop_requested() { return g_stop_signal.load() != 0; }

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

// The case file's canonical absolute path: the same file however the command line names it.
std::string canonical_path(const std::string& input) {
    std::error_code ec;
    fs::path p = fs::canonical(input, ec);
    if (ec) p = fs::absolute(input, ec).lexically_normal();
    return p.string();
}

std::string mode_of(const BatchOptions& o) {
    if (o.sample) return o.draft ? "sample-draft" : "sample";
    return o.draft ? "draft" : "full";
}

// What every case's input hash shares: the fonts (the bytes the PDF embeds) and the options
// that change the output but are not part of the mode.
std::string common_hash(const Engine& engine, const BatchOptions& options) {
    Sha256 h;
    h.update(std::string("dossier batch inputs 1\n") + (options.first_fit ? "first-fit\n" : "") +
             (options.pdf_standard == pdf::Standard::none ? "pdf-standard none\n"
                                                          : "pdf-standard pdfa-1b\n"));
    std::vector<std::string> fonts;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(engine.data_dir + "/fonts", ec))
        fonts.push_back(e.path().string());
    std::sort(fonts.begin(), fonts.end());
    std::string problem;
    for (const std::string& f : fonts)
        h.update(f + '\0' + sha256_file(f, problem).value_or("unreadable") + '\0');
    return h.hex();
}

// The input hash: each file's name and the SHA-256 of its bytes. Empty when one cannot be read.
std::string inputs_hash(const std::string& common, const std::vector<std::string>& files) {
    // Canonical names in their order: the same files however the command line names the case.
    std::vector<std::string> names;
    for (const std::string& f : files) names.push_back(canonical_path(f));
    std::sort(names.begin(), names.end());
    Sha256 h;
    h.update(common);
    std::string problem;
    for (const std::string& f : names) {
        auto digest = sha256_file(f, problem);
        if (!digest) return "";
        h.update(f + '\0' + *digest + '\0');
    }
    return h.hex();
}

// Runs fn(i) for every i < n on `jobs` threads; stops handing out work on SIGINT/SIGTERM.
template <class F>
void parallel_for(std::size_t n, int jobs, F&& fn) {
    std::atomic<std::size_t> next{0};
    auto work = [&] {
        for (;;) {
            if (stop_requested()) return;
            std::size_t i = next.fetch_add(1);
            if (i >= n) return;
            fn(i);
        }
    };
    std::vector<std::thread> workers;
    for (int j = 1; j < jobs; ++j) workers.emplace_back(work);
    work();
    for (std::thread& t : workers) t.join();
}

// Two cases of this run with one reference: an error for every one of them, decided from the
// plans before anything is rendered, so the outcome does not depend on -j or timing.
void fail_duplicates(std::vector<CaseRun>& jobs, const BatchOptions& options) {
    std::map<std::string, std::vector<std::size_t>> by_reference, by_output;
    for (std::size_t i = 0; i < jobs.size(); ++i)
        if (jobs[i].plan) {
            by_reference[jobs[i].plan->reference].push_back(i);
            by_output[jobs[i].output_name].push_back(i);
        }
    for (const auto* groups : {&by_reference, &by_output})
        for (const auto& [key, members] : *groups) {
            if (members.size() < 2) continue;
            for (std::size_t i : members) {
                CaseRun& j = jobs[i];
                if (j.status == CaseStatus::failed) continue;
                std::string others;
                for (std::size_t k : members)
                    if (k != i) others += (others.empty() ? "" : ", ") + jobs[k].input;
                // A sample's records must not carry the real reference.
                std::string what = options.sample ? std::string("this case's reference")
                                                  : "reference \"" + j.plan->reference + "\"";
                error(j.diagnostics, {j.input, 0, 0}, "batch.duplicate-reference",
                      what + " is also the reference of " + others +
                          "; none of them is rendered, since they would write one file",
                      {"give each case its own reference"});
                j.status = CaseStatus::failed;
            }
        }
}

bool is_current(const OutputRecord& r, const CaseRun& j, const BatchOptions& options,
                const std::string& engine_version) {
    if (r.input != j.owner || r.mode != mode_of(options) ||
        r.encrypted != !options.password.empty() || r.date != j.plan->date.iso() ||
        r.engine != engine_version || j.inputs_hash.empty() || r.inputs != j.inputs_hash)
        return false;
    // The output itself: truncated, emptied or replaced since, it is not the one recorded.
    std::string problem;
    auto digest = sha256_file(j.output, problem);
    return digest && *digest == r.pdf;
}

// Decides the case's output name, owner and input hash from a load and selection only.
void plan_job(CaseRun& j, const Engine& engine, const BatchOptions& options,
              const std::string& common) {
    std::string path = canonical_path(j.input);
    j.owner = exact_path_text(path);
    j.plan = plan_case(engine, j.input, options.today);
    if (!j.plan) return;  // the render reports why
    if (options.sample) {
        // Named from the path's digest, not from the case: stable across runs, unique, and
        // it says nothing of the case; the manifest keeps only the digest too.
        Sha256 h;
        h.update(path);
        std::string digest = h.hex();
        j.owner = "sha256:" + digest;
        j.sample_reference = "SAMPLE-" + digest.substr(0, 12);
        std::transform(j.sample_reference.begin(), j.sample_reference.end(),
                       j.sample_reference.begin(),
                       [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
        // The identity keeps it out of the summary, for current cases too (not rendered).
        Diagnostics ignored;
        if (auto c =
                load::load_case(j.input, options.today, engine.schemas, &engine.library, ignored))
            j.identity = std::make_shared<const compose::Identity>(
                compose::Identity::of(*c, compose::person_for(c->jurisdiction)));
    }
    j.output_name = (options.sample ? j.sample_reference : j.plan->reference) + ".pdf";
    j.output = (fs::path(options.outdir) / j.output_name).string();
    j.inputs_hash = inputs_hash(common, j.plan->inputs);
}

void run_job(CaseRun& j, const Engine& engine, const BatchOptions& options, Manifest& manifest) {
    auto t0 = std::chrono::steady_clock::now();
    auto finish = [&](CaseStatus s) {
        j.status = s;
        j.milliseconds =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                .count();
    };
    if (j.plan) {
        std::optional<OutputRecord> r = manifest.find(j.output_name);
        struct stat st {};
        bool exists = ::lstat(j.output.c_str(), &st) == 0;
        if (r && r->input != j.owner && exists && !options.force) {
            error(j.diagnostics, {j.input, 0, 0}, "batch.output-owned",
                  j.output + " belongs to " + r->input +
                      " (rendered by an earlier run or another shard) and is not overwritten",
                  {"give this case its own reference, or rerun with --force to let it take "
                   "the file over (also when that case has moved)"});
            return finish(CaseStatus::failed);
        }
        if (r && exists && !options.force && is_current(*r, j, options, engine.version)) {
            j.pages = r->pages;
            return finish(CaseStatus::unchanged);
        }
    }
    RenderOptions ro;
    ro.sample = options.sample;
    ro.sample_reference = j.sample_reference;
    ro.output_name = j.output_name;  // a sample checks that its file name holds no identity
    ro.draft = options.draft;
    ro.first_fit = options.first_fit;
    ro.password = options.password;
    ro.pdf_standard = options.pdf_standard;
    ro.today = options.today;
    RenderResult result = render_case(engine, j.input, ro);
    if (result.identity) j.identity = result.identity;
    Diagnostics& diags = j.diagnostics;
    diags.insert(diags.end(), result.diagnostics.begin(), result.diagnostics.end());
    if (!result.ok()) return finish(CaseStatus::failed);
    // The plan decided the output name and that no other case claims it; a case that loads
    // now but did not then, or with another reference, has changed under the run.
    if (!j.plan || !result.c ||
        result.c->reference != (options.sample ? j.sample_reference : j.plan->reference)) {
        error(diags, {j.input, 0, 0}, "batch.changed",
              "the case file changed while the batch ran; not written", {"run the batch again"});
        return finish(CaseStatus::failed);
    }
    std::string problem;
    // Never over one of the files the report was made from (a case file named like a report).
    if (!write_output(j.output, result.pdf, result.inputs, problem)) {
        error(diags, {j.output, 0, 0}, "output.write", problem);
        return finish(CaseStatus::failed);
    }
    Sha256 pdf;
    pdf.update(result.pdf);
    OutputRecord record{
        j.output_name,      j.owner,        mode_of(options), !options.password.empty(),
        j.plan->date.iso(), engine.version, j.inputs_hash,    pdf.hex(),
        result.pages};
    if (!manifest.record(record, problem)) {
        // The report is in place, but without a record the next run renders it again.
        error(diags, {j.output, 0, 0}, "batch.journal", "written, but not recorded: " + problem);
        return finish(CaseStatus::failed);
    }
    j.pages = result.pages;
    finish(CaseStatus::rendered);
}

void print_skipped(const Discovery& found) {
    for (const SkippedFile& s : found.skipped) {
        Diagnostic d;
        d.severity = s.warning ? Severity::warning : Severity::note;
        d.message = "skipped: " + s.reason;
        d.span.file = s.file;
        std::cerr << format_diagnostic(d);
    }
}

// Takes the OUTDIR lock, waiting for another batch unless --no-wait. 0 when held, else the
// exit status.
int lock_outdir(OutdirLock& lock, const BatchOptions& options) {
    std::string problem;
    LockResult r = lock.try_lock(options.outdir, problem);
    if (r == LockResult::busy) {
        std::string pid = lock.holder();
        std::string who = "another batch" + (pid.empty() ? "" : " (process " + pid + ")");
        if (options.no_wait) {
            std::cerr << "dossier batch: " << options.outdir << " is in use by " << who
                      << "; not started (--no-wait)\n";
            return 1;
        }
        std::cerr << "dossier batch: " << options.outdir << " is in use by " << who
                  << "; waiting for it to finish (--no-wait stops instead)\n";
        r = lock.wait(stop_requested, problem);
    }
    if (r == LockResult::interrupted) {
        std::cerr << "dossier batch: interrupted while waiting for " << options.outdir << "\n";
        return 130;
    }
    if (r != LockResult::acquired) {
        std::cerr << "dossier batch: " << problem << "\n";
        return 1;
    }
    return 0;
}

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

int run_batch(const Engine& engine, const BatchOptions& options) {
    auto start = std::chrono::steady_clock::now();
    SignalGuard signals;
    g_stop_signal.store(0);

    Discovery found = find_cases(options.inputs, options.outdir);
    print_skipped(found);
    Diagnostics run = found.diagnostics;  // problems of the run as a whole, for summary.json
    print_diagnostics(found.diagnostics);
    if (found.missing_argument) return 1;
    std::error_code ec;
    fs::create_directories(options.outdir, ec);
    if (ec) {
        std::cerr << "dossier batch: cannot create " << options.outdir << ": " << ec.message()
                  << "\n";
        return 1;
    }
    OutdirLock lock;
    if (int status = lock_outdir(lock, options); status != 0) return status;

    // Holding the lock: what an interrupted run left is nobody's now.
    std::vector<std::string> problems;
    std::vector<std::string> removed = remove_stale_temporaries(options.outdir, problems);
    if (!removed.empty())
        std::cerr << "dossier batch: removed " << removed.size()
                  << (removed.size() == 1 ? " temporary file" : " temporary files")
                  << " left by an interrupted run\n";
    for (const std::string& p : problems) warning(run, {options.outdir, 0, 0}, "batch.tidy", p);
    Manifest manifest;
    std::string problem;
    if (!manifest.open(options.outdir, problem)) {
        // Without the records nobody knows which outputs belong to which case: stop.
        std::cerr << "dossier batch: " << problem << "\n";
        return 1;
    }
    if (manifest.ignored_lines() > 0)
        warning(run, {options.outdir + "/.dossier-manifest", 0, 0}, "batch.manifest",
                std::to_string(manifest.ignored_lines()) +
                    " unreadable manifest lines were dropped (a run cut short); their outputs "
                    "are rendered again");

    // Round-robin over the sorted list: every shard gets an even share, and shards 1..N
    // together cover each case exactly once.
    std::vector<CaseRun> jobs;
    for (std::size_t i = 0; i < found.cases.size(); ++i)
        if (static_cast<int>(i % static_cast<std::size_t>(options.shards)) == options.shard - 1)
            jobs.emplace_back().input = found.cases[i];
    int threads = options.jobs > 0
                      ? options.jobs
                      : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    threads = std::min<int>(threads, static_cast<int>(std::max<std::size_t>(1, jobs.size())));

    const std::string common = common_hash(engine, options);
    parallel_for(jobs.size(), threads,
                 [&](std::size_t i) { plan_job(jobs[i], engine, options, common); });
    Progress progress(jobs.size());
    if (!stop_requested()) {
        fail_duplicates(jobs, options);
        for (const CaseRun& j : jobs)
            if (j.status == CaseStatus::failed) progress.finished(j);
        std::vector<std::size_t> todo;
        for (std::size_t i = 0; i < jobs.size(); ++i)
            if (jobs[i].status == CaseStatus::pending) todo.push_back(i);
        parallel_for(todo.size(), threads, [&](std::size_t k) {
            run_job(jobs[todo[k]], engine, options, manifest);
            progress.finished(jobs[todo[k]]);
        });
    }
    progress.end();

    bool interrupted = stop_requested();
    for (CaseRun& j : jobs)
        if (j.status == CaseStatus::pending) j.status = CaseStatus::not_run;
    if (!manifest.compact(problem))
        warning(run, {options.outdir, 0, 0}, "batch.manifest",
                "the manifest was not compacted (its journal keeps every record): " + problem);
    if (options.sample) {
        std::size_t named = 0;
        for (const OutputRecord& r : manifest.all()) named += r.mode.rfind("sample", 0) != 0;
        if (named > 0)
            warning(run, {options.outdir, 0, 0}, "batch.not-samples",
                    "this folder also holds " +
                        (named == 1
                             ? std::string("1 report that is not a sample and names the "
                                           "applicant; it is left in place")
                             : std::to_string(named) + " reports that are not samples and name the "
                                                       "applicant; they are left in place"));
    }

    BatchTotals t = totals(jobs);
    bool ok = t.failed == 0 && t.not_run == 0 && !has_errors(run);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::string summary =
        (fs::path(options.outdir) / (options.shards == 1
                                         ? std::string("summary.json")
                                         : "summary-" + std::to_string(options.shard) + "-of-" +
                                               std::to_string(options.shards) + ".json"))
            .string();
    Diagnostics tail;
    for (const Diagnostic& d : run)
        if (d.severity != Severity::error) tail.push_back(d);  // errors were printed above
    print_diagnostics(tail);
    bool summary_written = write_atomically(
        summary,
        json_text(summary_json(jobs, found, run, options.sample, ok, seconds, interrupted), 2) +
            "\n",
        problem);

    char line[256];
    std::snprintf(
        line, sizeof line,
        "batch: %zu rendered, %zu unchanged, %zu failed%s in %.2f s (%.1f reports/s)\n", t.rendered,
        t.unchanged, t.failed,
        interrupted ? (", " + std::to_string(t.not_run) + " not run (interrupted)").c_str() : "",
        seconds, seconds > 0 ? static_cast<double>(t.rendered + t.unchanged) / seconds : 0.0);
    std::cerr << line;
    if (summary_written) {
        std::cerr << "summary: " << summary << "\n";
    } else {
        // An earlier run's summary must not pass for this one's.
        bool removed_old = ::unlink(summary.c_str()) == 0;
        std::cerr << "dossier batch: no summary for this run: " << problem
                  << (removed_old ? "; the earlier " + summary + " was removed" : "") << "\n";
    }
    if (interrupted) return 130;
    return ok && summary_written ? 0 : 1;
}

}  // namespace dossier::cli
