// `dossier schema`: the case-file JSON Schema for a given clause library, so that editors and
// other validators know the library's facts (names, types, enums, descriptions) and clause ids.
#pragma once

#include <optional>
#include <string>

#include "model/library.hpp"

namespace dossier::cli {

// `base` is the text of schemas/case.schema.json (which is itself this function's output for the
// built-in library: the parts it writes are replaced, everything else is kept as it is).
// Returns the schema with
//  - `properties.facts`: one property per fact of `library.vocabulary` (declared type, enum,
//    minimum/maximum, description, and in `markdownDescription` the clauses that read it), no
//    other names allowed;
//  - `$defs.clause_ids.items.enum`: every clause id of the library, each described by its
//    title and file in `enumDescriptions`;
//  - `$defs.country.enumDescriptions`: each code's English name;
// printed with two-space indentation and a final newline, keys in a stable order, so that the
// same library always gives the same bytes. nullopt with `problem` set when `base` is not a JSON
// object with those places.
std::optional<std::string> case_schema(const std::string& base, const Library& library,
                                       std::string& problem);

}  // namespace dossier::cli
