// Private to engine/load: checking a case's `facts` against the library's vocabulary.
#pragma once

#include "model/library.hpp"

namespace dossier::load {

// Checks each member of `root`'s `facts` map: a name the vocabulary does not know is an error at
// its key with the nearest known name; a value of the wrong kind for the declared (or clearly
// inferred) type is an error at the value saying what to write (`yes` -> "write true", a quoted
// date -> "remove the quotes"), as is a number out of range or a value outside the declared
// enum (with the nearest one). Does nothing unless `vocabulary.built`.
void check_facts(const Value& root, const Vocabulary& vocabulary, Diagnostics& diagnostics);

}  // namespace dossier::load
