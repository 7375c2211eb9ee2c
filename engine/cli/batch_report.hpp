// What a batch tells people and scripts about its cases: the progress lines on stderr and
// summary.json. Kept apart from the running of the batch (batch.cpp).
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "cli/discovery.hpp"
#include "cli/pipeline.hpp"
#include "compose/redaction.hpp"
#include "model/json.hpp"

namespace dossier::cli {

enum class CaseStatus { pending, rendered, unchanged, failed, not_run };

// "rendered", "unchanged", "failed" or "not-run" (pending reads as not-run).
const char* status_name(CaseStatus s);

// One case through a batch: planned (output name and input hash decided), then rendered, found
// current, or failed.
struct CaseRun {
    std::string input;  // as discovered
    // Who owns the output in the manifest: exact_path_text of the canonical absolute path; for
    // a sample, "sha256:" and the digest of that path (a sample's records name no file).
    std::string owner;
    std::optional<Plan> plan;
    std::string sample_reference;  // a sample: SAMPLE-<12 hex digits of the path's digest>
    std::string output_name;       // inside OUTDIR; empty when the case did not plan
    std::string output;            // OUTDIR/output_name
    std::string inputs_hash;       // empty when an input could not be read: never current
    // A sample: the real case's identity, to keep it out of the summary; null when the case
    // does not load.
    std::shared_ptr<const compose::Identity> identity;
    CaseStatus status = CaseStatus::pending;
    int pages = 0;
    double milliseconds = 0;
    Diagnostics diagnostics;
};

// Progress on stderr: one line per case ending in a newline, whatever the length of its paths;
// on a terminal, failures only, under a live line that is cleared to the end and cut to the
// terminal's width (a wrapped line could not be redrawn in place). Thread-safe.
class Progress {
  public:
    explicit Progress(std::size_t total);
    void finished(const CaseRun& c);
    void end();  // clears the live line

  private:
    void draw();
    std::size_t total_, done_ = 0, failed_ = 0;
    bool tty_;
    std::mutex mutex_;
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

struct BatchTotals {
    std::size_t rendered = 0, unchanged = 0, failed = 0, not_run = 0;
};
BatchTotals totals(const std::vector<CaseRun>& cases);

// summary.json: {"ok", "rendered", "unchanged", "failed", "not_run", "interrupted", "seconds",
// "cases": [{"input", "ok", "status", "reference", "output", "pages", "milliseconds",
// "diagnostics"}], "skipped": [{"file", "reason"}], "diagnostics"} where "ok" is true only when
// every case rendered or was current and the run had no error (as in check --json), and the
// top-level "diagnostics" are the run's own (folders that could not be read, ...). In a
// `sample` batch a case's record names its sample reference, its input redacted with the
// case's identity, and is then searched for that identity (verify_no_identity); a case whose
// identity is unknown (it did not load), or whose record still holds it, has its input and
// diagnostic messages withheld.
Json summary_json(const std::vector<CaseRun>& cases, const Discovery& found, const Diagnostics& run,
                  bool sample, bool ok, double seconds, bool interrupted);

}  // namespace dossier::cli
