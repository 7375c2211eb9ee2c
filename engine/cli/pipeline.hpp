// The pipeline as the command runs it: what is loaded once per process (schemas, clause
// library, fonts) and the render of one case through every stage. Shared by `render` and
// `batch`; writes nothing to disk.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compose/redaction.hpp"
#include "layout/layout.hpp"
#include "load/load.hpp"
#include "model/case.hpp"
#include "pdf/pdf.hpp"

namespace dossier::cli {

// Everything a render needs that does not depend on the case. Loaded once, then only read:
// one Engine may be shared by any number of worker threads.
struct Engine {
    std::string data_dir;  // holds clauses/, fonts/ and schemas/
    load::Schemas schemas;
    Library library;
    layout::FontSet fonts;
    pdf::FontCache pdf_fonts;  // the faces the PDF writer embeds, mapped once per process
    std::string version;       // "0.1.0"
};

// Loads schemas, the built-in clause library plus `extra_clauses` packs, and the fonts.
// Problems are appended to `diagnostics`; the engine is unusable when any is an error.
Engine load_engine(const std::string& data_dir, const std::vector<std::string>& extra_clauses,
                   const std::string& version, Diagnostics& diagnostics);

struct RenderOptions {
    bool sample = false;     // anonymised sample report
    bool first_fit = false;  // the baseline line breaker
    bool strict = false;     // forum checks (page limits, stale sources) are errors
    bool draft = false;      // integrity gaps become placeholders, every page says DRAFT
    std::string password;    // non-empty: encrypt with AES-256
    // What the PDF claims (cli/pdf_standard.hpp decides it); PDF/A never with a password.
    pdf::Standard pdf_standard = pdf::Standard::pdfa_1b;
    // A sample's reference in place of the case's; empty: compose's default. Batch gives each
    // case its own, so that sample outputs do not collide.
    std::string sample_reference;
    // The file the caller will write (-o); empty: <reference>.pdf. A sample checks that its
    // name holds no identity either.
    std::string output_name;
    std::string dump;        // "document" or "layout": stop there and return the dump
    Date today;              // report date for cases that give none
};

struct StageTime {
    const char* stage;
    double milliseconds;
};

struct RenderResult {
    std::optional<Case> c;    // set once the case loaded
    Diagnostics diagnostics;  // everything reported, in the order found
    std::string pdf;          // the PDF bytes; empty on failure or when dumping
    std::string dump;         // the requested dump
    int pages = 0;
    std::vector<StageTime> timings;
    // Files whose content decided the output (case, expert, its signature image, skeleton, the
    // selected clauses and the sources files), for change detection in batch runs.
    std::vector<std::string> inputs;
    // A sample: the identity of the real case (`c` is then the copy with it replaced, whose
    // reference names the output), for verify_no_identity on anything else the caller writes.
    std::shared_ptr<const compose::Identity> identity;
    bool ok() const { return !has_errors(diagnostics) && (!pdf.empty() || !dump.empty()); }
};

// Runs load -> select -> compose -> layout -> pdf for one case file. Never throws for bad
// input; a failure is a diagnostic in the result. Thread-safe for a shared const Engine.
RenderResult render_case(const Engine& engine, const std::string& case_path,
                         const RenderOptions& options);

struct Plan {
    std::string reference;            // names the output file
    std::vector<std::string> inputs;  // as RenderResult::inputs
    Date date;                        // the report date: the case's own, or `today`
};

// Loads and selects only (about a millisecond), to decide whether an earlier output is still
// current. nullopt when the case does not load cleanly (the render will then report why).
std::optional<Plan> plan_case(const Engine& engine, const std::string& case_path,
                              const Date& today);

// The forum checks that need the laid-out pages: the uk-ftt-iac limit of 20 pages, or the
// number of pages `appeal.permission_to_exceed` permits. `pages` counts every page of the
// report. A warning, or an error when `strict`.
void check_forum(const Case& c, int pages, bool strict, Diagnostics& diagnostics);

}  // namespace dossier::cli
