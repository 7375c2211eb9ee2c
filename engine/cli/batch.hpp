// `dossier batch`: many cases, one process, N worker threads, atomic outputs, change
// detection, ownership of outputs, and a clean stop on SIGINT/SIGTERM.
#pragma once

#include <string>
#include <vector>

#include "cli/pipeline.hpp"

namespace dossier::cli {

struct BatchOptions {
    std::vector<std::string> inputs;  // case files and folders (searched recursively)
    std::string outdir;
    int jobs = 0;               // worker threads; 0 = the number of cores
    int shard = 1, shards = 1;  // render only shard `shard` of `shards` (1-based)
    bool sample = false;
    bool draft = false;    // gaps marked in the report, DRAFT on every page
    bool force = false;    // render even current cases, and take over outputs other cases own
    bool no_wait = false;  // another batch holds OUTDIR: stop (exit 1) instead of waiting
    bool first_fit = false;
    std::string password;  // non-empty: every report encrypted with it (AES-256)
    pdf::Standard pdf_standard = pdf::Standard::pdfa_1b;  // never PDF/A with a password
    Date today;                                           // report date for cases that give none
};

// Parses "K/N" (1 <= K <= N <= 10000). Returns false when malformed.
bool parse_shard(const std::string& text, int& shard, int& shards);

// Runs the batch and returns the exit status: 0 when every case rendered or was current, 1
// when any failed, a folder could not be read or OUTDIR is busy with --no-wait, 130 when
// interrupted. Writes OUTDIR/<reference>.pdf per case (a sample: OUTDIR/SAMPLE-<12 hex
// digits>.pdf, named from the case file's path), OUTDIR/summary.json (summary-K-of-N.json for
// a shard), and the journal and manifest of outputs (manifest.hpp), all under the OUTDIR lock
// (outdir_lock.hpp). Prints progress and diagnostics on stderr.
int run_batch(const Engine& engine, const BatchOptions& options);

}  // namespace dossier::cli
