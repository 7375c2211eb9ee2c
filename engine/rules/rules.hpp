// Clause selection: evaluates each clause's `when` condition against the case, applies
// requires / excludes and the case's include / exclude, and orders what is kept.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/case.hpp"
#include "model/library.hpp"

namespace dossier::rules {

// Why a clause is in or out, for `dossier explain`.
struct Decision {
    std::string clause_id;
    bool included = false;
    std::string reason;  // e.g. `country == "TJ"` was `"RU" == "TJ"`, false
};

struct Selection {
    // Indices into Library::clauses, in report order: skeleton section, then `order`, then id.
    std::vector<std::size_t> clauses;
    // One decision per library clause: included ones first in report order, then the rest by id.
    std::vector<Decision> trace;
};

// Selects the clauses for a case. Problems (a `when` that does not parse, an include/exclude
// naming an unknown clause, a selected clause whose section is not in the skeleton) are appended
// to `diagnostics` with their file:line:col; the selection is still returned so that every
// problem shows in one run. Never throws for bad input; the result holds indices only.
//
// The steps, each deterministic (clauses are visited in id order whatever the library's order):
//  1. `when` decides: "`<when>` was `<substituted>`, true|false", "always included (no `when`)",
//     or "its `when` does not parse".
//  2. The case file overrides: "included by the case file (clauses.include)" (kept whatever
//     its condition, requires and excludes say) or "excluded by the case file
//     (clauses.exclude)" (exclusion wins if both name a clause).
//  3. Requires, to a fixpoint: "requires <id>, which was not selected (<its reason>)" or
//     "requires <id>, which is not in the library". A cycle whose members all hold is kept
//     (`lint` reports cycles); this never loops forever.
//  4. Excludes: a kept clause drops what it excludes ("excluded by <id>"); a clause already
//     dropped when its turn comes excludes nothing, so mutual exclusions favour the smaller id.
//     Requires are then applied again for clauses that needed a dropped one.
Selection select(const Case& c, const Library& library, Diagnostics& diagnostics);

// Something the forum requires of the report that the case file does not give, so that a
// declaration would certify what the report does not contain (DESIGN.md, "Integrity rules").
struct Gap {
    std::string code;         // "integrity.documents", "integrity.answer", ...
    std::string field;        // the case field that is missing, e.g. "documents"
    std::string message;      // as a diagnostic says it, naming the field
    std::string placeholder;  // what a draft prints instead, e.g. "question 2 has no answer yet"
    std::string section;      // skeleton section where the draft prints it ("" = the cover)
    int question = 0;         // 1-based question number for an unanswered question, else 0
    bool required = true;     // false: the forum (generic) only recommends it
    Span span;                // the field, or the nearest enclosing one that exists
};

// The gaps of `c` for its forum: for uk-* forums the instructions (`instructions.items`, or
// `received` with the questions), `documents`, `range_of_opinion` and `assistance` (each may be
// `none`); for every forum but generic an answer to every question; for us-eoir the A-number;
// and the expert's `expertise`, which must list the case's country and grounds. For generic
// the same gaps come back with required == false. Pure: reads only `c`.
std::vector<Gap> find_gaps(const Case& c);

// Appends one diagnostic per gap: an error when `as_errors` and the gap is required, else a
// warning (how `check` reports a file that is valid but whose report is not ready).
void report_gaps(const std::vector<Gap>& gaps, bool as_errors, Diagnostics& diagnostics);

// Every fact of `library`: its declarations, and the facts each clause's `when` and body read.
// Conditions that do not parse are skipped here (lint and select report them). The result has
// `built` set; store it in Library::vocabulary so that load_case checks cases against it.
Vocabulary vocabulary(const Library& library);

// A fact the library reads for this case that the case does not give.
struct MissingFact {
    std::string name;
    std::string type;                  // as the vocabulary has it; "" when unknown
    std::string description;           // from the declaring facts.yaml; "" when none declares it
    std::vector<std::string> clauses;  // the clauses it would decide, sorted by id
};

// The facts that would decide clauses for this case: those read by a condition that, with the
// facts the case lacks taken as unknown, is neither true nor false (a three-valued reading of
// `when`), and those printed by a clause that is or may be selected. Conditions that are false
// whatever the lacking facts say (another country) contribute nothing. Sorted by name.
std::vector<MissingFact> missing_facts(const Case& c, const Library& library);

// Static checks of the library for `dossier lint`: `when` syntax and type errors, unknown
// sections, requires/excludes naming unknown clauses, requires cycles (one diagnostic per
// cycle naming its clauses), citations `[@key]` of keys no sources.yaml defines (at the
// citation's line and column), and past-review warnings relative to `today`.
void lint(const Library& library, const Date& today, Diagnostics& diagnostics);

}  // namespace dossier::rules
