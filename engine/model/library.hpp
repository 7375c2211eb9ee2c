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
    // The part of the case file this clause introduces, printed right after it: "documents",
    // "account", "answers", ... (schemas/clause.schema.json); empty = none.
    std::string then;
    std::string body;  // Markdown body after the front matter
    Span body_span;    // position of the body's first character (line/col of body offset 0)
    Span span;         // the clause file, line 1
    std::string pack;  // folder name of the pack
    // The position of byte `offset` of `body` in the clause file (offsets past the end give
    // the end), for messages about text inside the body.
    Span at(std::size_t offset) const;
};

struct Source {
    std::string key;
    std::string author, title, url;
    std::optional<Date> published;
    std::optional<Date> accessed;
    Span span;
};

// Variables clause text may use besides the case file's own paths: compose derives them
// (compose.cpp, build_environment) and lint accepts them.
inline const std::vector<std::string>& derived_variables() {
    static const std::vector<std::string> names = {"country_name",
                                                   "nationality_name",
                                                   "grounds_text",
                                                   "question_count",
                                                   "court",
                                                   "court_name",
                                                   "person",
                                                   "expert.name",
                                                   "expert.title",
                                                   "expert.affiliation",
                                                   "expert.contact",
                                                   "expert.country",
                                                   "expertise.countries",
                                                   "expertise.themes"};
    return names;
}

// A fact a pack declares in its facts.yaml: what a case may write under `facts.NAME`.
struct FactDecl {
    std::string name;
    std::string type;  // boolean | integer | number | string | date | list
    std::string description;
    std::vector<std::string> enum_values;  // string (or list items): the values allowed
    std::optional<double> minimum, maximum;
    std::string pack;  // folder name of the declaring pack
    Span span;         // the fact's key in facts.yaml
};

// A fact the library knows: declared by a pack's facts.yaml, read by clauses, or both.
struct FactInfo {
    std::string name;
    std::optional<FactDecl> decl;  // empty: read by clauses but declared by no pack
    // Without a declaration: the type the clauses' use implies (`facts.x == true` boolean,
    // `{facts.x, plural}` number, `"a" in facts.x` list, ...), "" when no use says, "?" when
    // uses disagree. A declared type always wins.
    std::string inferred;
    std::vector<std::string> clauses;  // ids of the clauses that read it, sorted
    const std::string& type() const;   // declared, else inferred
};

struct Vocabulary {
    bool built = false;           // rules::vocabulary made it; a default one checks nothing
    std::vector<FactInfo> facts;  // sorted by name
    const FactInfo* find(const std::string& name) const;  // nullptr when unknown
};

// Clauses sorted by id and sources by key, so nothing depends on file-system order.
struct Library {
    std::vector<SectionDef> skeleton;  // report order
    std::vector<Clause> clauses;
    std::vector<Source> sources;
    std::vector<FactDecl> facts;  // sorted by name; a name declared twice is a load error
    // Packs (folder names) with clauses but no facts.yaml: lint warns of each.
    std::vector<std::string> packs_without_facts;
    // Declared and read facts (rules::vocabulary fills it after loading); load_case checks a
    // case's facts against it once it is built.
    Vocabulary vocabulary;

    const FactDecl* find_fact(const std::string& name) const;  // nullptr when undeclared
    const Clause* find_clause(const std::string& id) const;    // nullptr when absent
    const Source* find_source(const std::string& key) const;   // nullptr when absent
    int section_index(const std::string& id) const;            // -1 when absent
};

}  // namespace dossier
