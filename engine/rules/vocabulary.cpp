// The library's facts: what the packs declare (facts.yaml) and what the clauses read (`when`
// paths and `{facts.x}` arguments), with the types their use implies. load/facts.cpp checks a
// case's facts against it, so that a misspelt name or a value of the wrong type is an error
// instead of a silently dropped clause.
#include <algorithm>
#include <map>

#include "model/message_pattern.hpp"
#include "rules/expr.hpp"
#include "rules/rules.hpp"

namespace dossier::rules {

namespace {

constexpr std::string_view kPrefix = "facts.";

std::string fact_of(std::string_view path) {
    if (path.substr(0, kPrefix.size()) != kPrefix) return {};
    std::string_view rest = path.substr(kPrefix.size());
    return std::string(rest.substr(0, rest.find('.')));
}

const char* type_of_literal(const Value& v) {
    switch (v.kind) {
        case Value::Kind::boolean:
            return "boolean";
        case Value::Kind::number:
            return "number";
        case Value::Kind::string:
            return "string";
        case Value::Kind::date:
            return "date";
        default:
            return "";
    }
}

class Reader {
  public:
    explicit Reader(std::map<std::string, FactInfo>& out) : out_(out) {}

    void when(const Clause& c, const Expr& e) { walk(c, e, true); }

    void body(const Clause& c) {
        ScanResult scan = scan_pattern(c.body);
        for (const Argument& a : scan.arguments) {
            std::string name = fact_of(a.name);
            if (name.empty()) continue;
            std::string type;
            if (a.type == "plural" || a.type == "number" || a.type == "spellout" ||
                a.type == "selectordinal" || a.type == "ordinal")
                type = "number";
            else if (a.type == "date")
                type = "date";
            read(c, name, type);
        }
    }

  private:
    void read(const Clause& c, const std::string& name, const std::string& type) {
        FactInfo& f = out_[name];
        f.name = name;
        if (f.clauses.empty() || f.clauses.back() != c.id) f.clauses.push_back(c.id);
        if (f.inferred.empty()) f.inferred = type;
        // Two uses that disagree leave the type unknown rather than guess.
        else if (!type.empty() && f.inferred != type && f.inferred != "?")
            f.inferred = "?";
    }

    void walk(const Clause& c, const Expr& e, bool as_condition) {
        switch (e.kind) {
            case Expr::Kind::path:
                if (std::string n = fact_of(e.path); !n.empty())
                    read(c, n, as_condition ? "boolean" : "");
                return;
            case Expr::Kind::exists:
                if (std::string n = fact_of(e.path); !n.empty()) read(c, n, "");
                return;
            case Expr::Kind::compare: {
                const Expr& l = e.operands[0];
                const Expr& r = e.operands[1];
                bool in = e.op == Expr::Op::in || e.op == Expr::Op::not_in;
                auto side = [&](const Expr& path, const Expr& other, bool is_left) {
                    std::string n = fact_of(path.path);
                    if (path.kind != Expr::Kind::path || n.empty()) return;
                    std::string type;
                    if (other.kind == Expr::Kind::literal) {
                        if (in && !is_left)
                            type = "list";  // "x" in facts.y
                        else if (in && other.value.kind == Value::Kind::list &&
                                 !other.value.items.empty())
                            type = type_of_literal(other.value.items.front());
                        else if (!in)
                            type = type_of_literal(other.value);
                    }
                    read(c, n, type);
                };
                side(l, r, true);
                side(r, l, false);
                return;
            }
            case Expr::Kind::not_:
            case Expr::Kind::and_:
            case Expr::Kind::or_:
                for (const Expr& o : e.operands) walk(c, o, true);
                return;
            case Expr::Kind::literal:
                return;
        }
    }

    std::map<std::string, FactInfo>& out_;
};

}  // namespace

Vocabulary vocabulary(const Library& library) {
    std::map<std::string, FactInfo> by_name;
    Reader reader(by_name);
    for (const Clause& c : library.clauses) {
        if (c.when.find_first_not_of(" \t\r\n") != std::string::npos) {
            Diagnostics ignored;  // lint and select report bad conditions
            if (auto e = parse(c.when, c.when_span, ignored)) reader.when(c, *e);
        }
        reader.body(c);
    }
    for (const FactDecl& d : library.facts) {
        FactInfo& f = by_name[d.name];
        f.name = d.name;
        f.decl = d;
    }
    Vocabulary v;
    v.built = true;
    for (auto& [name, f] : by_name) {
        std::sort(f.clauses.begin(), f.clauses.end());
        f.clauses.erase(std::unique(f.clauses.begin(), f.clauses.end()), f.clauses.end());
        v.facts.push_back(std::move(f));
    }
    return v;
}

}  // namespace dossier::rules
