// Private: reading the fields a report rests on as evidence (appeal, instructions, questions
// and answers, documents, account, issues, range of opinion, assistance, limitations, per-case
// source records) and the expert's claimed expertise, once the schema has checked their shape.
#pragma once

#include "model/case.hpp"

namespace dossier::load {

// Fills the evidence fields of `c` from `root` (the case file's top-level map). The schema has
// already reported wrong shapes; whatever does not have the expected shape is skipped here, so
// this never fails. Checks what the schema cannot: that every pinpoint names a listed
// document (an error at the pinpoint, with the nearest id).
void read_evidence(const Value& root, Case& c, Diagnostics& diagnostics);

// Fills the CV entries, the signature path and the `expertise` of `e` from its profile.
void read_expertise(const Value& root, Expert& e);

}  // namespace dossier::load
