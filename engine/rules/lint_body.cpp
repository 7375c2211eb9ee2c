// Lint of what clause bodies and conditions read: every `{path}` is something the case or
// compose supplies, and every fact a clause reads is declared by a pack or read elsewhere too
// (a fact read once and declared nowhere is most likely a misspelling), each finding at its
// line and column; and the packs that read facts but declare none.
#include "rules/lint_body.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "model/message_pattern.hpp"
#include "rules/expr.hpp"

namespace dossier::rules {

namespace {

constexpr std::string_view kFacts = "facts.";

bool is_fact(std::string_view path) { return path.substr(0, kFacts.size()) == kFacts; }

std::string fact_name(std::string_view path) {
    std::string_view rest = path.substr(kFacts.size());
    return std::string(rest.substr(0, rest.find('.')));
}

// Every `facts.x` path of a condition, with its byte offset in the condition.
void fact_paths(const Expr& e, std::vector<std::pair<std::string, std::size_t>>& out) {
    if ((e.kind == Expr::Kind::path || e.kind == Expr::Kind::exists) && is_fact(e.path))
        out.emplace_back(fact_name(e.path), e.begin);
    for (const Expr& o : e.operands) fact_paths(o, out);
}

}  // namespace

void lint_bodies(const Library& library, const Vocabulary& vocabulary, Diagnostics& diagnostics) {
    std::vector<std::string> variables = derived_variables();
    std::vector<std::string> facts;
    for (const FactInfo& f : vocabulary.facts) facts.push_back(f.name);

    auto check_fact = [&](const std::string& name, const Clause& c, const Span& at) {
        const FactInfo* f = vocabulary.find(name);
        if (!f || f->decl || f->clauses.size() > 1) return;
        std::vector<std::string> others;
        for (const std::string& n : facts)
            if (n != name) others.push_back(n);
        std::vector<std::string> hints = did_you_mean(name, others);
        hints.push_back("declare it in the pack's facts.yaml if it is meant");
        warning(
            diagnostics, at, "lint.fact-read-once",
            "fact \"" + name + "\" is read only by clause \"" + c.id + "\" and declared by no pack",
            std::move(hints));
    };

    std::set<std::string> reading_dirs;
    for (const Clause& c : library.clauses) {
        bool reads_facts = false;
        ScanResult scan = scan_pattern(c.body);
        for (const Argument& a : scan.arguments) {
            Span at = c.at(a.open);
            if (is_fact(a.name)) {
                reads_facts = true;
                check_fact(fact_name(a.name), c, at);
                continue;
            }
            if (case_can_supply(a.name) ||
                std::find(variables.begin(), variables.end(), a.name) != variables.end())
                continue;
            std::vector<std::string> known = variables;
            error(diagnostics, at, "lint.unknown-variable",
                  "clause \"" + c.id + "\" uses {" + a.name +
                      "}, which neither the case file nor compose supplies",
                  did_you_mean(a.name, known));
        }
        if (c.when.find_first_not_of(" \t\r\n") != std::string::npos) {
            Diagnostics ignored;  // lint's own parse of the condition reports its errors
            if (auto e = parse(c.when, c.when_span, ignored)) {
                std::vector<std::pair<std::string, std::size_t>> paths;
                fact_paths(*e, paths);
                for (const auto& [name, offset] : paths) {
                    reads_facts = true;
                    check_fact(name, c, span_at(c.when_span, c.when, offset));
                }
            }
        }
        if (reads_facts)
            reading_dirs.insert(std::filesystem::path(c.span.file).parent_path().string());
    }

    for (const std::string& dir : library.packs_without_facts)
        if (reading_dirs.count(dir))
            warning(diagnostics, {dir, 0, 0}, "lint.no-facts-file",
                    "the pack's clauses read facts, but it has no facts.yaml declaring them",
                    {"declare each fact with its type and description (docs/formats.md), so "
                     "that check can catch a misspelt fact or a value of the wrong type"});

    for (const FactInfo& f : vocabulary.facts)
        if (f.decl && f.clauses.empty())
            warning(diagnostics, f.decl->span, "lint.fact-unread",
                    "fact \"" + f.name + "\" is declared but no clause reads it");
}

}  // namespace dossier::rules
