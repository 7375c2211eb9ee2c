// Clause selection: evaluates each clause's `when` condition against the case, applies
// requires / excludes and the case's include / exclude, and orders what is kept.
#pragma once

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
// naming an unknown clause) are appended to `diagnostics` with their file:line:col; the
// selection is still returned so that every problem shows in one run. Never throws for bad
// input; the library must outlive nothing (indices only).
Selection select(const Case& c, const Library& library, Diagnostics& diagnostics);

// Static checks of the library for `dossier lint`: `when` syntax and type errors, unknown
// sections, requires/excludes naming unknown clauses, requires cycles (one diagnostic per
// cycle naming its clauses), and past-review warnings relative to `today`.
void lint(const Library& library, const Date& today, Diagnostics& diagnostics);

}  // namespace dossier::rules
