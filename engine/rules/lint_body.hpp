// Private to engine/rules: the part of lint that reads clause bodies and conditions for the
// variables and facts they use.
#pragma once

#include "model/library.hpp"

namespace dossier::rules {

// Errors for `{path}` variables nothing supplies; warnings for facts read by one clause only
// and declared by no pack, for declared facts no clause reads, and for packs whose clauses read
// facts without a facts.yaml. Each at its file:line:col.
void lint_bodies(const Library& library, const Vocabulary& vocabulary, Diagnostics& diagnostics);

}  // namespace dossier::rules
