// What batch knows about the outputs in OUTDIR: for each output file, which case file owns it
// and what it was rendered from. A journal of JSON lines, appended and fsynced as each case
// finishes, so that a killed run loses only the cases in flight; compacted into the manifest
// file atomically at the start and the end of every run.
#pragma once

#include <cstdio>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace dossier::cli {

// One output, as OUTDIR/.dossier-manifest and OUTDIR/.dossier-journal hold it, a JSON object
// per line: {"output", "input", "mode", "encrypted", "date", "engine", "inputs", "pdf",
// "pages"}. The output is current only when all of these match the case's plan and the file.
struct OutputRecord {
    std::string output;      // the file's name inside OUTDIR, e.g. "TJ-2026-014.pdf"
    std::string input;       // its owner: the case file's canonical absolute path
    std::string mode;        // "full", "draft", "sample" or "sample-draft"
    bool encrypted = false;  // rendered with a password (the password itself is never kept)
    std::string date;        // the report date, YYYY-MM-DD
    std::string engine;      // the engine version that rendered it
    std::string inputs;      // SHA-256 (hex) of the input files' names and bytes and the fonts
    std::string pdf;         // SHA-256 (hex) of the output file's own bytes
    int pages = 0;
};

// Thread-safe: find() and record() may be called from any worker thread. The caller must hold
// the OUTDIR lock (outdir_lock.hpp) from open() to compact(), or records would be lost.
class Manifest {
  public:
    Manifest() = default;
    ~Manifest();
    Manifest(const Manifest&) = delete;
    Manifest& operator=(const Manifest&) = delete;

    // Reads the manifest, replays the journal over it (a later record for the same output
    // wins), compacts, and opens the journal for appending. False (with `problem`) when either
    // file exists but cannot be read, or the journal cannot be opened: batch then stops
    // rather than work without knowing who owns what. Lines that are not records (a line cut
    // short by a crash) are counted in `ignored_lines` and dropped.
    bool open(const std::string& outdir, std::string& problem);
    std::size_t ignored_lines() const { return ignored_; }

    std::optional<OutputRecord> find(const std::string& output) const;
    std::vector<OutputRecord> all() const;
    // Appends `record` to the journal in one write and fsyncs it before returning, then
    // makes it the output's record. False with `problem` (errno text) when that fails; the
    // record is then not kept.
    bool record(const OutputRecord& record, std::string& problem);
    // Writes every record whose output still exists to the manifest (temporary file, fsync,
    // rename, fsync of the folder) and only then empties the journal, so that a crash at any
    // point leaves every record in one file or the other. False with `problem` on failure; the
    // journal then still holds everything.
    bool compact(std::string& problem);

  private:
    std::string outdir_, manifest_path_, journal_path_;
    std::map<std::string, OutputRecord> records_;  // output name -> record
    std::size_t ignored_ = 0;
    int journal_ = -1;
    bool torn_ = false;  // the last append failed part-way
    mutable std::mutex mutex_;
};

// `path` with its bytes kept exactly in a JSON string: valid UTF-8 as it is, a backslash
// doubled and every other byte as \xNN, so that two file names never compare equal after
// JSON's replacement of invalid UTF-8.
std::string exact_path_text(const std::string& path);

}  // namespace dossier::cli
