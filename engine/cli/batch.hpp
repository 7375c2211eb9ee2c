// `dossier batch`: many cases, one process, N worker threads, atomic outputs, change
// detection, and a clean stop on SIGINT/SIGTERM.
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
    bool draft = false;  // gaps marked in the report, DRAFT on every page
    bool force = false;  // render even when the inputs are unchanged
    bool first_fit = false;
    Date today;
};

// Parses "K/N" (1 <= K <= N <= 10000). Returns false when malformed.
bool parse_shard(const std::string& text, int& shard, int& shards);

// Case files named by `inputs`: files as given; folders searched recursively for *.yaml files
// that are case files (a top-level `dossier:` key), so expert profiles beside them are skipped.
// Sorted and without duplicates, so every process sees the same list. Unreadable paths are
// diagnostics.
std::vector<std::string> find_cases(const std::vector<std::string>& inputs,
                                    Diagnostics& diagnostics);

// Runs the batch and returns the exit status: 0 when every case rendered or was unchanged,
// 1 when any failed, 130 when interrupted. Writes OUTDIR/<reference>.pdf per case,
// OUTDIR/summary.json (summary-K-of-N.json for a shard) and the change manifest.
int run_batch(const Engine& engine, const BatchOptions& options);

}  // namespace dossier::cli
