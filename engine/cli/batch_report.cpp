#include "cli/batch_report.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <iostream>

#include "cli/output.hpp"
#include "cli/verify_sample.hpp"

namespace dossier::cli {

namespace {

constexpr const char* kWithheld = "[withheld from a sample batch's summary]";

// To `per` parts of one (10: tenths), so that JSON shows 0.026 rather than 0.026000000000000002.
double rounded(double value, double per) { return std::round(value * per) / per; }

// diagnostics_to_json (the one shape of every JSON output), in a sample batch with the file
// and message withheld where they might hold the identity.
Json diagnostics_json_value(const Diagnostics& diagnostics, bool withhold_messages) {
    Json out = diagnostics_to_json(diagnostics);
    if (withhold_messages)
        for (Json& d : out) {
            d["file"] = kWithheld;
            d["message"] = kWithheld;
        }
    return out;
}

// The record of one case in a sample batch: nothing in it may hold the case's identity.
Json sample_record(const CaseRun& c, Json record) {
    if (!c.identity) {
        record["input"] = kWithheld;
        record["diagnostics"] = diagnostics_json_value(c.diagnostics, true);
        return record;
    }
    // The messages of a render were redacted already (render_case); batch's own and the
    // file names are redacted here.
    Diagnostics diagnostics = c.diagnostics;
    for (Diagnostic& d : diagnostics) {
        d.span.file = c.identity->redact(d.span.file);
        d.message = c.identity->redact(d.message);
    }
    std::string input = c.identity->redact(c.input);
    std::vector<Searched> strings = {
        {"summary.json (input)", input, compose::MatchMode::strict},
        {"summary.json (output)", c.output_name, compose::MatchMode::strict}};
    for (const Diagnostic& d : diagnostics) {
        strings.push_back({"summary.json (diagnostic)", d.message, compose::MatchMode::text});
        strings.push_back({"summary.json (diagnostic)", d.span.file, compose::MatchMode::strict});
    }
    // The last gate, as for the PDF: what the redaction missed is withheld.
    Diagnostics found;
    bool clean = verify_no_identity(*c.identity, strings, {kWithheld, 0, 0}, found);
    record["input"] = clean ? input : kWithheld;
    record["diagnostics"] = diagnostics_json_value(diagnostics, !clean);
    return record;
}

}  // namespace

const char* status_name(CaseStatus s) {
    switch (s) {
        case CaseStatus::rendered:
            return "rendered";
        case CaseStatus::unchanged:
            return "unchanged";
        case CaseStatus::failed:
            return "failed";
        default:
            return "not-run";
    }
}

Progress::Progress(std::size_t total) : total_(total), tty_(isatty(STDERR_FILENO) == 1) {}

void Progress::finished(const CaseRun& c) {
    std::lock_guard lock(mutex_);
    ++done_;
    failed_ += c.status == CaseStatus::failed;
    // Built whole, never in a fixed buffer: a long path must not cut off the newline.
    std::string line;
    if (c.status == CaseStatus::failed) {
        line = "FAILED    " + c.input + "\n";
    } else if (!tty_) {
        char figures[64];
        std::snprintf(figures, sizeof figures, " (%d pages, %.0f ms)\n", c.pages, c.milliseconds);
        line = (c.status == CaseStatus::rendered ? "rendered  " : "unchanged ") + c.input + " -> " +
               c.output + figures;
    }
    if (tty_) std::cerr << "\r\033[K";
    std::cerr << line;
    if (c.status == CaseStatus::failed) print_diagnostics(c.diagnostics);
    if (tty_) draw();
    std::cerr << std::flush;
}

void Progress::end() {
    std::lock_guard lock(mutex_);
    if (tty_) std::cerr << "\r\033[K" << std::flush;
}

void Progress::draw() {
    double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    double rate = elapsed > 0 ? static_cast<double>(done_) / elapsed : 0;
    double left = rate > 0 ? static_cast<double>(total_ - done_) / rate : 0;
    char line[160];
    std::snprintf(line, sizeof line, "[%zu/%zu] %zu failed, %.1f reports/s, %.0f s left", done_,
                  total_, failed_, rate, left);
    struct winsize ws {};
    // One column short of the width: writing the last column makes some terminals wrap.
    std::size_t width =
        ::ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1 ? ws.ws_col - 1u : 79;
    std::cerr << std::string(line).substr(0, width);
}

BatchTotals totals(const std::vector<CaseRun>& cases) {
    BatchTotals t;
    for (const CaseRun& c : cases) {
        t.rendered += c.status == CaseStatus::rendered;
        t.unchanged += c.status == CaseStatus::unchanged;
        t.failed += c.status == CaseStatus::failed;
        t.not_run += c.status == CaseStatus::not_run || c.status == CaseStatus::pending;
    }
    return t;
}

Json summary_json(const std::vector<CaseRun>& cases, const Discovery& found, const Diagnostics& run,
                  bool sample, bool ok, double seconds, bool interrupted) {
    Json records = Json::array();
    for (const CaseRun& c : cases) {
        bool case_ok = c.status == CaseStatus::rendered || c.status == CaseStatus::unchanged;
        Json r;
        r["input"] = c.input;
        r["ok"] = case_ok;
        r["status"] = status_name(c.status);
        r["reference"] = !c.plan ? Json() : Json(sample ? c.sample_reference : c.plan->reference);
        r["output"] = case_ok ? c.output : "";
        r["pages"] = c.pages;
        r["milliseconds"] = rounded(c.milliseconds, 10);
        r["diagnostics"] = diagnostics_json_value(c.diagnostics, false);
        records.push_back(sample ? sample_record(c, std::move(r)) : std::move(r));
    }
    Json skipped = Json::array();
    for (const SkippedFile& s : found.skipped)
        skipped.push_back({{"file", s.file}, {"reason", s.reason}});
    BatchTotals t = totals(cases);
    Json s;
    s["ok"] = ok;
    s["rendered"] = t.rendered;
    s["unchanged"] = t.unchanged;
    s["failed"] = t.failed;
    s["not_run"] = t.not_run;
    s["interrupted"] = interrupted;
    s["seconds"] = rounded(seconds, 1000);
    s["cases"] = std::move(records);
    s["skipped"] = std::move(skipped);
    s["diagnostics"] = diagnostics_json_value(run, false);
    return s;
}

}  // namespace dossier::cli
