// Composition: selected clauses + the case -> the document tree a court reads. Fills in
// variables with ICU MessageFormat in the case's locale, turns inline markup into styled runs,
// citations into numbered footnotes and cross-references into paragraph numbers, and builds the
// cover, the sources list and the CV appendix.
#pragma once

#include <string>
#include <vector>

#include "compose/redaction.hpp"
#include "model/case.hpp"
#include "model/document.hpp"
#include "model/library.hpp"
#include "rules/rules.hpp"

namespace dossier::compose {

struct Options {
    std::string creator = "Dossier";  // PDF creator, e.g. "Dossier 0.1.0"
    // An anonymised sample for law firms: composed from sample_case(c) (redaction.hpp), so the
    // identity is replaced at the source; clause text cannot print the name, aliases, date of
    // birth, solicitor, appeal number or A-number (a located error); the firm reads as "the
    // appellant's representatives" and is not printed on the cover; every page says "SAMPLE".
    // A case that is already a sample copy (Case::sample) is used as it is.
    bool sample = false;
    std::string sample_reference = kSampleReference;  // replaces the reference in a sample
    // A draft: each gap (rules::find_gaps) is printed where the missing part belongs, as a
    // visible placeholder ("[DRAFT: question 2 has no answer yet]"), and every page says
    // "DRAFT", so that a draft can never pass for a final report.
    bool draft = false;
    std::vector<rules::Gap> gaps;  // printed only when `draft`
    // A cited source whose library access date is more than a year before the report date
    // (and that the case does not record itself) is an error rather than a warning.
    bool strict = false;
};

// Builds the document for `c` from the clauses `selection` kept. Every problem (a variable the
// case cannot supply, a value of the wrong type for its format, an unknown source key or
// cross-reference, malformed markup) is appended to `diagnostics` at the clause file's
// line:col, and composition carries on so that all of them show in one run; the document must
// not be typeset when any is an error. Text taken from the case file is always literal: it is
// never read as markup or as a MessageFormat pattern. Never throws for bad input.
Document compose(const Case& c, const Library& library, const rules::Selection& selection,
                 const Options& options, Diagnostics& diagnostics);

// A stable, line-oriented text form of the document tree, for golden tests and
// `dossier render --dump document`.
std::string dump(const Document& doc);

}  // namespace dossier::compose
