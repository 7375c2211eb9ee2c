// `explain --missing`: the facts the library could use for this case that the case does not
// give. A condition is read in three values, with each fact the case lacks unknown: the clauses
// whose condition is then undecided, or that are selected and print a missing fact, would be
// decided by those facts. Docassemble's rule: ask only for what the document needs.
#include <algorithm>
#include <map>

#include "model/message_pattern.hpp"
#include "rules/expr.hpp"
#include "rules/rules.hpp"

namespace dossier::rules {

namespace {

enum class Tri { no, yes, unknown };

constexpr std::string_view kFacts = "facts.";

std::string fact_of(std::string_view path) {
    if (path.substr(0, kFacts.size()) != kFacts) return {};
    std::string_view rest = path.substr(kFacts.size());
    return std::string(rest.substr(0, rest.find('.')));
}

class Partial {
  public:
    explicit Partial(const Value& root) : root_(root) {}

    // The facts of `e` the case lacks.
    void lacking(const Expr& e, std::vector<std::string>& out) const {
        if (e.kind == Expr::Kind::path || e.kind == Expr::Kind::exists) {
            std::string f = fact_of(e.path);
            if (!f.empty() && missing(f) && std::find(out.begin(), out.end(), f) == out.end())
                out.push_back(f);
        }
        for (const Expr& o : e.operands) lacking(o, out);
    }

    Tri eval(const Expr& e) const {
        switch (e.kind) {
            case Expr::Kind::not_: {
                Tri t = eval(e.operands[0]);
                return t == Tri::unknown ? t : t == Tri::yes ? Tri::no : Tri::yes;
            }
            case Expr::Kind::and_: {
                bool unknown = false;
                for (const Expr& o : e.operands) {
                    Tri t = eval(o);
                    if (t == Tri::no) return Tri::no;
                    unknown |= t == Tri::unknown;
                }
                return unknown ? Tri::unknown : Tri::yes;
            }
            case Expr::Kind::or_: {
                bool unknown = false;
                for (const Expr& o : e.operands) {
                    Tri t = eval(o);
                    if (t == Tri::yes) return Tri::yes;
                    unknown |= t == Tri::unknown;
                }
                return unknown ? Tri::unknown : Tri::no;
            }
            default: {
                // A leaf (comparison, path, exists): unknown when it reads a lacking fact,
                // otherwise what the ordinary evaluator says.
                std::vector<std::string> lack;
                lacking(e, lack);
                if (!lack.empty()) return Tri::unknown;
                return evaluate(e, root_) ? Tri::yes : Tri::no;
            }
        }
    }

    bool missing(const std::string& fact) const {
        const Value* v = root_.at_path("facts." + fact);
        return !v || v->is_null();
    }

  private:
    const Value& root_;
};

}  // namespace

std::vector<MissingFact> missing_facts(const Case& c, const Library& library) {
    Partial partial(c.root);
    std::map<std::string, std::vector<std::string>> decides;  // fact -> clause ids
    for (const Clause& cl : library.clauses) {
        std::vector<std::string> lack;
        Tri selected = Tri::yes;
        if (cl.when.find_first_not_of(" \t\r\n") != std::string::npos) {
            Diagnostics ignored;  // select reports conditions that do not parse
            auto e = parse(cl.when, cl.when_span, ignored);
            if (!e) continue;
            selected = partial.eval(*e);
            if (selected == Tri::unknown) partial.lacking(*e, lack);
        }
        // A clause that would be selected and prints a fact the case lacks needs it too.
        if (selected != Tri::no)
            for (const Argument& a : scan_pattern(cl.body).arguments)
                if (std::string f = fact_of(a.name);
                    !f.empty() && partial.missing(f) &&
                    std::find(lack.begin(), lack.end(), f) == lack.end())
                    lack.push_back(f);
        for (const std::string& f : lack) decides[f].push_back(cl.id);
    }
    std::vector<MissingFact> out;
    for (auto& [fact, clauses] : decides) {
        MissingFact m;
        m.name = fact;
        m.clauses = std::move(clauses);
        std::sort(m.clauses.begin(), m.clauses.end());
        if (const FactInfo* info = library.vocabulary.find(fact)) {
            m.type = info->type();
            if (info->decl) m.description = info->decl->description;
        }
        out.push_back(std::move(m));
    }
    return out;
}

}  // namespace dossier::rules
