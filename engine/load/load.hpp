// Loading: case files, expert profiles and clause packs from disk into model values, validated
// against the JSON Schemas in schemas/ (read at run time: the schemas are the one description
// of the formats). This is the only stage that uses yaml-cpp.
//
// Limits, for every file read here: at most 1 MiB, nesting at most 32 levels, one YAML
// document, valid UTF-8, no anchors or aliases, no duplicate keys. At most 40 schema problems
// are reported per file. Nothing here throws for bad input (only std::bad_alloc escapes).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/case.hpp"
#include "model/library.hpp"

namespace dossier::load {

struct SchemaSet;  // private to engine/load

// The compiled schemas for case files, clause front matter, sources.yaml, expert profiles and
// report.yaml. Immutable once loaded; copies share one compiled set (cheap to copy). A
// default-constructed Schemas holds none, and files are then checked only by the rules the
// schemas cannot express.
class Schemas {
  public:
    Schemas() = default;
    const SchemaSet* set() const { return set_.get(); }

  private:
    friend Schemas load_schemas(const std::string& dir, Diagnostics& diagnostics);
    std::shared_ptr<const SchemaSet> set_;
};

// Reads and compiles `<dir>/{case,clause,sources,expert,report,facts}.schema.json`. A missing or
// unreadable schema, or one that uses a keyword outside the supported subset (docs/formats.md),
// is an error at its position in the schema file; the schemas that compiled are still used.
Schemas load_schemas(const std::string& dir, Diagnostics& diagnostics);

// Reads a case file and the expert profile it names (a path relative to the case file),
// validates both against their schemas, then checks what the schemas cannot say: calendar
// dates, locales and country codes that ICU knows, plausible dates (warnings) and, when
// `library` is not null, that the clause ids of clauses.include / clauses.exclude and of the
// answers' `see` exist in it, that the source keys exist, and that the case's facts are known
// to its vocabulary with values of the right type (once Library::vocabulary is built).
// Every problem is appended to `diagnostics` with file:line:col; returns nullopt when any of
// them is an error. `today` is the report date when the case gives none.
std::optional<Case> load_case(const std::string& path, const Date& today, const Schemas& schemas,
                              const Library* library, Diagnostics& diagnostics);

// Reads the report skeleton `<builtin>/report.yaml`, then every clause file (*.md other than
// README.md), sources.yaml and facts.yaml under `builtin` and each of `extra` (recursively),
// each checked against its schema. Clauses come out sorted by id, sources by key and facts by
// name; a duplicate clause id or source key is an error naming both files, and so is a fact
// two packs declare with different types (with the same type, the first file describes it). A file
// with errors is left out; the rest still load. Folders with clauses but no facts.yaml are listed
// in Library::packs_without_facts.
Library load_library(const std::string& builtin, const std::vector<std::string>& extra,
                     const Schemas& schemas, Diagnostics& diagnostics);

// The text of line `line` (1-based) of `file`, made printable, for showing under a
// diagnostic; empty when the file cannot be read or its lines are not to be shown. A file's
// lines are shown only when it is
//   - a case file given to load_case (named on the command line, or found by batch), or
//   - a file the case or the library reaches (expert profile, clause, sources, facts, report
//     skeleton, schema) whose real path, symlinks resolved, is inside the case file's folder
//     (at any depth), a clause folder or the schemas folder, and which read as its format:
//     valid UTF-8 whose YAML (a clause's front matter) begins with a mapping.
// So `expert: /etc/passwd`, a profile reached through "../..", or a clause that is a symlink to
// a file elsewhere are reported by file, line and column, without their lines. Only files
// loaded before in this process qualify. Reads the file on each call (as a regular file within
// the input size bound): meant for error output only. Thread-safe.
std::string source_line(const std::string& file, int line);

}  // namespace dossier::load
