#include <algorithm>
#include <cctype>
#include <map>
#include <numeric>
#include <string>
#include <vector>

#include "rules/expr.hpp"
#include "rules/lint_body.hpp"
#include "rules/rules.hpp"

namespace dossier::rules {

namespace {

// The library's clauses by id. Built here rather than using Library::find_clause so that the
// result does not depend on the library being sorted (find_clause binary-searches); with a
// duplicate id the first clause wins (the loader has already reported the duplicate).
struct Index {
    std::map<std::string, std::size_t> by_id;
    std::vector<std::size_t> in_id_order;  // every clause index, sorted by id then index
    std::vector<std::string> ids;          // for did-you-mean hints

    explicit Index(const Library& library) {
        const auto& clauses = library.clauses;
        in_id_order.resize(clauses.size());
        std::iota(in_id_order.begin(), in_id_order.end(), std::size_t{0});
        std::stable_sort(in_id_order.begin(), in_id_order.end(), [&](std::size_t a, std::size_t b) {
            return clauses[a].id < clauses[b].id;
        });
        for (std::size_t i : in_id_order) {
            if (by_id.emplace(clauses[i].id, i).second) ids.push_back(clauses[i].id);
        }
    }

    std::optional<std::size_t> find(const std::string& id) const {
        auto it = by_id.find(id);
        if (it == by_id.end()) return std::nullopt;
        return it->second;
    }
};

bool blank(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

struct State {
    bool kept = false;
    bool forced_in = false;
    bool forced_out = false;
    std::string reason;
};

// Drops every kept clause that requires a clause which is not kept, until nothing changes. This
// is the greatest fixpoint, so it terminates on requires cycles too (a cycle whose members all
// hold stays in; lint reports the cycle). Clauses the case includes are never dropped.
void apply_requires(const Library& library, const Index& index, std::vector<State>& st) {
    for (bool changed = true; changed;) {
        changed = false;
        for (std::size_t i : index.in_id_order) {
            if (!st[i].kept || st[i].forced_in) continue;
            for (const std::string& r : library.clauses[i].requires_) {
                auto j = index.find(r);
                if (!j) {
                    st[i].reason = "requires " + r + ", which is not in the library";
                } else if (!st[*j].kept) {
                    st[i].reason =
                        "requires " + r + ", which was not selected (" + st[*j].reason + ")";
                } else {
                    continue;
                }
                st[i].kept = false;
                changed = true;
                break;
            }
        }
    }
}

// Kept clauses drop the clauses they exclude, in id order; a clause already dropped when its
// turn comes excludes nothing, so mutual exclusions resolve in favour of the smaller id.
void apply_excludes(const Library& library, const Index& index, std::vector<State>& st) {
    for (std::size_t i : index.in_id_order) {
        if (!st[i].kept) continue;
        for (const std::string& x : library.clauses[i].excludes) {
            auto j = index.find(x);
            if (!j || *j == i || !st[*j].kept || st[*j].forced_in) continue;
            st[*j].kept = false;
            st[*j].reason = "excluded by " + library.clauses[i].id;
        }
    }
}

void apply_case_list(const std::vector<Value>& ids, bool include, const Index& index,
                     std::vector<State>& st, Diagnostics& diags) {
    const char* field = include ? "clauses.include" : "clauses.exclude";
    for (const Value& v : ids) {
        auto j = index.find(v.text);
        if (!j) {
            error(diags, v.span, "case.unknown-clause",
                  std::string(field) + " names unknown clause \"" + v.text + "\"",
                  did_you_mean(v.text, index.ids));
            continue;
        }
        (include ? st[*j].forced_in : st[*j].forced_out) = true;
    }
}

// Citations `[@key]` in a clause body whose key no sources.yaml defines, each at its own line
// and column (columns count code points, like every Span).
// Citations [@key] of keys no sources.yaml defines, and cross-references [§id] to clauses the
// library does not have, each at its line and column in the clause file.
void report_unknown_references(const Clause& c, const std::vector<std::string>& keys,
                               const std::vector<std::string>& ids, Diagnostics& diags) {
    auto key_char = [](char ch) {
        return std::isalnum(static_cast<unsigned char>(ch)) || ch == '.' || ch == '_' ||
               ch == ':' || ch == '-';
    };
    static const std::string kSection = "[\xC2\xA7";  // "[§"
    int line = c.body_span.line;
    int column = c.body_span.column;
    const std::string& b = c.body;
    for (std::size_t i = 0; i < b.size(); ++i) {
        if (b[i] == '\n') {
            ++line;
            column = 1;
            continue;
        }
        bool cite = b.compare(i, 2, "[@") == 0;
        bool ref = b.compare(i, kSection.size(), kSection) == 0;
        if (cite || ref) {
            std::size_t start = i + (cite ? 2 : kSection.size());
            std::size_t j = start;
            while (j < b.size() && key_char(b[j])) ++j;
            if (j > start && j < b.size() && b[j] == ']') {
                std::string key = b.substr(start, j - start);
                Span at{c.body_span.file, line, column};
                if (cite && !std::binary_search(keys.begin(), keys.end(), key))
                    error(diags, at, "clause.unknown-source",
                          "clause \"" + c.id + "\" cites unknown source \"" + key + "\"",
                          did_you_mean(key, keys));
                if (ref && !std::binary_search(ids.begin(), ids.end(), key))
                    error(diags, at, "clause.unknown-reference",
                          "clause \"" + c.id + "\" refers to unknown clause [\xC2\xA7" + key + "]",
                          did_you_mean(key, ids));
            }
        }
        if ((static_cast<unsigned char>(b[i]) & 0xC0) != 0x80) ++column;
    }
}

void report_unknown_section(const Library& library, const Clause& c, Diagnostics& diags) {
    std::vector<std::string> sections;
    for (const auto& s : library.skeleton) sections.push_back(s.id);
    error(diags, c.span, "clause.unknown-section",
          "clause \"" + c.id + "\" is in section \"" + c.section +
              "\", which is not in the report skeleton",
          did_you_mean(c.section, sections));
}

}  // namespace

Selection select(const Case& c, const Library& library, Diagnostics& diagnostics) {
    const auto& clauses = library.clauses;
    Index index(library);
    std::vector<State> st(clauses.size());

    // (a) conditions
    for (std::size_t i : index.in_id_order) {
        const Clause& cl = clauses[i];
        if (blank(cl.when)) {
            st[i].kept = true;
            st[i].reason = "always included (no `when`)";
            continue;
        }
        auto e = parse(cl.when, cl.when_span, diagnostics);
        if (!e) {
            st[i].reason = "its `when` does not parse";
            continue;
        }
        auto x = explain(*e, cl.when, c.root);
        st[i].kept = x.result;
        st[i].reason = std::move(x.text);
    }

    // (b) the case's own include / exclude override the conditions
    apply_case_list(c.include, true, index, st, diagnostics);
    apply_case_list(c.exclude, false, index, st, diagnostics);
    for (State& s : st) {
        if (s.forced_out) {
            // Exclusion wins over inclusion; the loader reports a clause named in both.
            s.forced_in = false;
            s.kept = false;
            s.reason = "excluded by the case file (clauses.exclude)";
        } else if (s.forced_in) {
            s.kept = true;
            s.reason = "included by the case file (clauses.include)";
        }
    }

    // A clause that would be printed but has no section to go in is a library error.
    for (std::size_t i : index.in_id_order) {
        if (!st[i].kept || library.section_index(clauses[i].section) >= 0) continue;
        report_unknown_section(library, clauses[i], diagnostics);
        st[i].kept = false;
        st[i].forced_in = false;
        st[i].reason = "its section \"" + clauses[i].section + "\" is not in the report skeleton";
    }

    // (c), (d), then (c) again for the clauses that required an excluded one.
    apply_requires(library, index, st);
    apply_excludes(library, index, st);
    apply_requires(library, index, st);

    // (e) report order
    Selection out;
    for (std::size_t i = 0; i < clauses.size(); ++i)
        if (st[i].kept) out.clauses.push_back(i);
    std::sort(out.clauses.begin(), out.clauses.end(), [&](std::size_t a, std::size_t b) {
        const Clause& x = clauses[a];
        const Clause& y = clauses[b];
        int sx = library.section_index(x.section);
        int sy = library.section_index(y.section);
        if (sx != sy) return sx < sy;
        if (x.order != y.order) return x.order < y.order;
        if (x.id != y.id) return x.id < y.id;
        return a < b;
    });
    for (std::size_t i : out.clauses) out.trace.push_back({clauses[i].id, true, st[i].reason});
    for (std::size_t i : index.in_id_order)
        if (!st[i].kept) out.trace.push_back({clauses[i].id, false, st[i].reason});
    return out;
}

void lint(const Library& library, const Date& today, Diagnostics& diagnostics) {
    lint_bodies(library, library.vocabulary.built ? library.vocabulary : vocabulary(library),
                diagnostics);
    const auto& clauses = library.clauses;
    Index index(library);
    std::vector<std::string> source_keys;
    for (const Source& s : library.sources) source_keys.push_back(s.key);
    std::sort(source_keys.begin(), source_keys.end());

    for (std::size_t i : index.in_id_order) {
        const Clause& c = clauses[i];
        if (!blank(c.when)) {
            if (auto e = parse(c.when, c.when_span, diagnostics))
                check(*e, c.when, c.when_span, diagnostics);
        }
        if (library.section_index(c.section) < 0) report_unknown_section(library, c, diagnostics);
        report_unknown_references(c, source_keys, index.ids, diagnostics);
        for (const std::string& r : c.requires_)
            if (!index.find(r))
                error(diagnostics, c.span, "clause.unknown-requires",
                      "clause \"" + c.id + "\" requires unknown clause \"" + r + "\"",
                      did_you_mean(r, index.ids));
        for (const std::string& x : c.excludes) {
            if (x == c.id)
                error(diagnostics, c.span, "clause.excludes-itself",
                      "clause \"" + c.id + "\" excludes itself");
            else if (!index.find(x))
                error(diagnostics, c.span, "clause.unknown-excludes",
                      "clause \"" + c.id + "\" excludes unknown clause \"" + x + "\"",
                      did_you_mean(x, index.ids));
        }
        if (c.reviewed && today.days_since_epoch() - c.reviewed->days_since_epoch() > 366)
            warning(diagnostics, c.span, "clause.review-due",
                    "clause \"" + c.id + "\" was last reviewed on " + c.reviewed->iso() +
                        ", more than a year before " + today.iso(),
                    {"check it against current sources and update \"reviewed\""});
    }

    // Requires cycles: an iterative depth-first search in id order (so a long chain cannot
    // overflow the stack); every back edge closes one cycle, reported once, starting at its
    // smallest id.
    enum class Mark { unvisited, on_stack, done };
    std::vector<Mark> mark(clauses.size(), Mark::unvisited);
    auto successors = [&](std::size_t i) {
        std::vector<std::size_t> out;
        for (const std::string& r : clauses[i].requires_)
            if (auto j = index.find(r)) out.push_back(*j);
        return out;
    };
    struct Frame {
        std::size_t node;
        std::vector<std::size_t> next;
        std::size_t k = 0;
    };
    for (const auto& [id, start] : index.by_id) {
        if (mark[start] != Mark::unvisited) continue;
        std::vector<Frame> stack;
        stack.push_back({start, successors(start)});
        mark[start] = Mark::on_stack;
        while (!stack.empty()) {
            Frame& f = stack.back();
            if (f.k == f.next.size()) {
                mark[f.node] = Mark::done;
                stack.pop_back();
                continue;
            }
            std::size_t j = f.next[f.k++];
            if (mark[j] == Mark::unvisited) {
                mark[j] = Mark::on_stack;
                stack.push_back({j, successors(j)});
            } else if (mark[j] == Mark::on_stack) {
                std::vector<std::size_t> cycle;
                auto from = std::find_if(stack.begin(), stack.end(),
                                         [&](const Frame& g) { return g.node == j; });
                for (auto it = from; it != stack.end(); ++it) cycle.push_back(it->node);
                auto smallest = std::min_element(
                    cycle.begin(), cycle.end(),
                    [&](std::size_t a, std::size_t b) { return clauses[a].id < clauses[b].id; });
                std::rotate(cycle.begin(), smallest, cycle.end());
                std::string names;
                for (std::size_t n : cycle) names += clauses[n].id + " -> ";
                names += clauses[cycle.front()].id;
                error(diagnostics, clauses[cycle.front()].span, "clause.requires-cycle",
                      "requires cycle: " + names,
                      {"a clause in a cycle can only ever be selected together with the others; "
                       "remove one of the requires"});
            }
        }
    }
}

}  // namespace dossier::rules
