// The clause library: report skeleton, clauses and sources, as loaded from clause packs.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/value.hpp"

namespace dossier {

struct SectionDef {
    std::string id;     // e.g. "country-conditions"
    std::string title;  // e.g. "Country conditions"
    Span span;
};

struct Clause {
    std::string id;     // unique across packs: [a-z0-9][a-z0-9.-]*
    std::string title;  // optional sub-heading; empty = none
    std::string section;
    int order = 0;
    std::string when;  // condition source text; empty = always
    Span when_span;    // position of the condition's first character in the clause file
    std::vector<std::string> requires_;
    std::vector<std::string> excludes;
    std::optional<Date> reviewed;
    std::string body;  // Markdown body after the front matter
    Span body_span;    // position of the body's first character (line/col of body offset 0)
    Span span;         // the clause file, line 1
    std::string pack;  // folder name of the pack
};

struct Source {
    std::string key;
    std::string author, title, url;
    std::optional<Date> published;
    std::optional<Date> accessed;
    Span span;
};

// Clauses sorted by id and sources by key, so nothing depends on file-system order.
struct Library {
    std::vector<SectionDef> skeleton;  // report order
    std::vector<Clause> clauses;
    std::vector<Source> sources;

    const Clause* find_clause(const std::string& id) const;   // nullptr when absent
    const Source* find_source(const std::string& key) const;  // nullptr when absent
    int section_index(const std::string& id) const;           // -1 when absent
};

}  // namespace dossier
