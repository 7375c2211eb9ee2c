// Private to engine/load: a validator for the subset of JSON Schema (draft 2020-12) that
// schemas/*.json use, run on Value trees so that every problem keeps its file position.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "load/load.hpp"
#include "model/value.hpp"

namespace dossier::load {

// One compiled schema object. Sub-schemas are indices into Schema::nodes; -1 means absent.
struct SchemaNode {
    Span span;           // where the schema object starts in its .json file
    std::string title;   // annotation, used as the noun of enum messages ("unknown ground")
    unsigned types = 0;  // bit set of SchemaType; 0 = any type
    std::vector<std::pair<std::string, int>> properties;
    std::vector<std::string> required;
    std::optional<bool> additional_allowed;  // additionalProperties: true / false
    int additional = -1;                     // additionalProperties: a schema
    int property_names = -1;
    std::optional<std::vector<Value>> enum_values;
    std::optional<Value> const_value;
    std::string pattern_text;
    std::optional<std::regex> pattern;  // compiled once, when the schema is loaded
    bool format_date = false;
    int items = -1;
    std::optional<std::size_t> min_items, max_items, min_length, max_length;
    bool unique_items = false;
    std::optional<double> minimum, maximum;
    int ref = -1;
    std::vector<int> any_of;
};

enum SchemaType : unsigned {
    kString = 1,
    kNumber = 2,
    kInteger = 4,
    kBoolean = 8,
    kNull = 16,
    kObject = 32,
    kArray = 64
};

struct Schema {
    std::string file;
    std::vector<SchemaNode> nodes;
    int root = -1;
};

struct SchemaSet {
    std::map<std::string, Schema> by_name;  // "case", "clause", "sources", "expert", "report"
    const Schema* find(const std::string& name) const;
};

// Compiles `root` (the parsed text of `file`). Unsupported keywords, bad patterns and
// unresolvable $refs are errors at their position in the schema file.
std::optional<Schema> compile_schema(const std::string& file, const Value& root,
                                     Diagnostics& diagnostics);

// Validates `data` against `schema`, appending one diagnostic per problem at the offending
// value (or key) with its path in the message. `noun` names the whole file in messages about
// the root ("the case file"). At most `max_errors` are reported, then one "too many" error.
// Returns true when nothing was wrong.
bool validate(const Schema& schema, const Value& data, const std::string& noun,
              Diagnostics& diagnostics, std::size_t max_errors = 40);

// What a JSON reader would make of this value: a date is a string, a number is a number.
// Used to compare values for enum, const and uniqueItems.
std::string canonical_json(const Value& v);

}  // namespace dossier::load
