#include "model/library.hpp"

#include <algorithm>

namespace dossier {

Span Clause::at(std::size_t offset) const {
    int line = body_span.line, column = body_span.column;
    offset = std::min(offset, body.size());
    for (std::size_t i = 0; i < offset; ++i) {
        if (body[i] == '\n') {
            ++line;
            column = 1;
        } else if ((static_cast<unsigned char>(body[i]) & 0xC0) != 0x80) {
            ++column;
        }
    }
    return {body_span.file.empty() ? span.file : body_span.file, line, column};
}

const Clause* Library::find_clause(const std::string& id) const {
    auto it = std::lower_bound(clauses.begin(), clauses.end(), id,
                               [](const Clause& c, const std::string& k) { return c.id < k; });
    return it != clauses.end() && it->id == id ? &*it : nullptr;
}

const Source* Library::find_source(const std::string& key) const {
    auto it = std::lower_bound(sources.begin(), sources.end(), key,
                               [](const Source& s, const std::string& k) { return s.key < k; });
    return it != sources.end() && it->key == key ? &*it : nullptr;
}

const FactDecl* Library::find_fact(const std::string& name) const {
    auto it = std::lower_bound(facts.begin(), facts.end(), name,
                               [](const FactDecl& f, const std::string& k) { return f.name < k; });
    return it != facts.end() && it->name == name ? &*it : nullptr;
}

int Library::section_index(const std::string& id) const {
    for (std::size_t i = 0; i < skeleton.size(); ++i)
        if (skeleton[i].id == id) return static_cast<int>(i);
    return -1;
}

const std::string& FactInfo::type() const { return decl ? decl->type : inferred; }

const FactInfo* Vocabulary::find(const std::string& name) const {
    auto it = std::lower_bound(facts.begin(), facts.end(), name,
                               [](const FactInfo& f, const std::string& k) { return f.name < k; });
    return it != facts.end() && it->name == name ? &*it : nullptr;
}

}  // namespace dossier
