// The last gate of a sample report: after layout and before any byte of PDF is written, the
// finished output is searched for the case's identity, and anything found is an error, so that
// a sample fails closed instead of leaking (DESIGN.md, "Sample reports").
//
// Why here, in the pipeline library: this is the one stage that holds both the laid-out Pages
// (what the PDF will show: every text run, bookmark and metadata string) and the name of the
// file the caller will write, and batch links it to check its own records (summary.json) with
// verify_no_identity. Layout cannot hold it (it knows nothing of cases or identities), and
// compose runs before the text is broken into lines. The matcher itself is compose's
// (compose/redaction.hpp), so the redaction at the source and this check compare strings the
// same way.
#pragma once

#include <string>
#include <vector>

#include "compose/redaction.hpp"
#include "model/diagnostic.hpp"
#include "model/pages.hpp"

namespace dossier::cli {

// One string of the output and where a reader finds it ("page 3 (text)", "bookmark 2",
// "document info (Title)", "output file name").
struct Searched {
    std::string where;
    std::string text;  // UTF-8
    compose::MatchMode mode = compose::MatchMode::text;
};

// Every string of `pages` that a reader or an indexer sees. A page's text runs are read as
// lines (runs sharing a baseline, superscript markers with their line, in x order), the lines
// of a page joined, in three readings so that a name split in any way is found whole: runs
// joined as drawn, lines with a space and a hyphen at a line's end removed (a word hyphenated
// across lines, "Raja-" + "bov"); runs joined with a space between them, lines with a space and
// such a hyphen kept (runs that touch, "Case reference" + "TJ-1", and real hyphens, "Abdul-" +
// "Rahman"); and runs as drawn with lines joined directly (an address or a word too wide for the
// line broken without a hyphen, "https://x.org/Raja" + "bov"; in MatchMode::capitalised). Rotated
// runs (the watermark) are read on their own. Then each link address, each bookmark title and each
// document info string (title, author, subject, keywords, creator; in MatchMode::strict).
std::vector<Searched> searchable_strings(const Pages& pages);

// Searches each of `strings` for `identity` (Identity::find). Each place where something is
// found is an error "sample.identity" at `at` that names the place and what kind of identity
// it is, never the text itself (diagnostics reach logs and summary files), and ends with
// `outcome` (what the caller then does not write); at most 20 errors. Returns true when nothing
// is found. Batch calls it on the strings it writes beside a sample (summary records); `at` is
// then the case file with line 0.
bool verify_no_identity(const compose::Identity& identity, const std::vector<Searched>& strings,
                        const Span& at, Diagnostics& diagnostics,
                        const std::string& outcome = "no PDF is written");

// The finished sample report: searchable_strings(pages), and `output_name` (the file the caller
// will write; its last path component, in MatchMode::strict; empty or "-" for standard output
// is not searched). Returns true when nothing is found; otherwise the errors are in
// `diagnostics` and no PDF may be written.
bool verify_sample(const Pages& pages, const std::string& output_name,
                   const compose::Identity& identity, const Span& at, Diagnostics& diagnostics);

}  // namespace dossier::cli
