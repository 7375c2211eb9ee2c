// The library's facts: what the packs declare (facts.yaml) and what the clauses read (`when`
// paths and `{facts.x}` arguments), and the check of a case's facts against them, so that a
// misspelt name or a value of the wrong type is an error instead of a silently dropped clause.
#include <algorithm>
#include <cmath>
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

std::string nearest_hint(const std::string& word, const std::vector<std::string>& choices) {
    auto hints = did_you_mean(word, choices);
    return hints.empty() ? std::string() : "; " + hints.front();
}

bool integral(double n) { return std::isfinite(n) && std::floor(n) == n; }

std::string number_text(double n) {
    if (integral(n) && std::fabs(n) < 1e15) return std::to_string(static_cast<long long>(n));
    return std::to_string(n);
}

class FactChecker {
  public:
    FactChecker(const Vocabulary& v, Diagnostics& d) : vocab_(v), diags_(d) {
        for (const FactInfo& f : v.facts) names_.push_back(f.name);
    }

    void fact(const std::string& name, const Value& v) {
        const FactInfo* info = vocab_.find(name);
        std::string at = "facts." + name;
        if (!info) {
            error(diags_, v.key_span, "fact.unknown",
                  at +
                      ": no pack declares this fact and no clause reads it, so it would "
                      "decide nothing" +
                      nearest_hint(name, names_));
            return;
        }
        const std::string& type = info->type();
        if (v.is_null()) {
            error(diags_, v.key_span, "fact.empty", at + ": has no value" + what_to_write(type));
            return;
        }
        if (type.empty() || type == "?") return;
        if (type == "boolean") return boolean(at, v);
        if (type == "integer" || type == "number") return number(at, v, *info, type == "integer");
        if (type == "date") return date(at, v);
        if (type == "string") return string(at, v, *info);
        if (type == "list") return list(at, v, *info);
    }

  private:
    static std::string what_to_write(const std::string& type) {
        if (type == "boolean") return "; write true or false";
        if (type == "integer") return "; write a whole number";
        if (type == "number") return "; write a number";
        if (type == "date") return "; write a date as YYYY-MM-DD";
        if (type == "list") return "; write a list such as [a, b]";
        if (type == "string") return "; write the text";
        return "";
    }

    void wrong(const std::string& at, const Value& v, const std::string& message) {
        error(diags_, v.span, "fact.type", at + ": " + message);
    }

    void boolean(const std::string& at, const Value& v) {
        if (v.kind == Value::Kind::boolean) return;
        std::string t = v.text;
        std::transform(t.begin(), t.end(), t.begin(),
                       [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
        if (v.kind == Value::Kind::string) {
            bool yes = t == "yes" || t == "y" || t == "on" || t == "true";
            bool no = t == "no" || t == "n" || t == "off" || t == "false";
            if (yes || no) {
                std::string word = yes ? "true" : "false";
                bool quoted = t == "true" || t == "false";
                return wrong(at, v,
                             "\"" + v.text + "\" is " + (quoted ? "quoted text" : "text") +
                                 ", not a boolean; write " + word +
                                 (quoted ? " without quotes" : ""));
            }
        }
        wrong(at, v, "must be true or false, not " + std::string(kind_name(v.kind)));
    }

    void number(const std::string& at, const Value& v, const FactInfo& f, bool whole) {
        if (v.kind == Value::Kind::string) {
            char* end = nullptr;
            std::strtod(v.text.c_str(), &end);
            if (!v.text.empty() && end && *end == '\0')
                return wrong(at, v, "\"" + v.text + "\" is quoted text; remove the quotes");
        }
        if (v.kind != Value::Kind::number)
            return wrong(at, v,
                         std::string("must be ") + (whole ? "a whole number" : "a number") +
                             ", not " + kind_name(v.kind));
        if (!std::isfinite(v.number)) return wrong(at, v, v.text + " is not a finite number");
        if (whole && !integral(v.number)) return wrong(at, v, v.text + " is not a whole number");
        if (f.decl && f.decl->minimum && v.number < *f.decl->minimum)
            return wrong(at, v,
                         v.text + " is less than the minimum, " + number_text(*f.decl->minimum));
        if (f.decl && f.decl->maximum && v.number > *f.decl->maximum)
            return wrong(at, v,
                         v.text + " is more than the maximum, " + number_text(*f.decl->maximum));
    }

    void date(const std::string& at, const Value& v) {
        if (v.kind == Value::Kind::date) return;
        if (v.kind == Value::Kind::string && Date::parse(v.text))
            return wrong(at, v, "\"" + v.text + "\" is quoted text, not a date; remove the quotes");
        wrong(at, v, "must be a date written YYYY-MM-DD, not " + std::string(kind_name(v.kind)));
    }

    void in_enum(const std::string& at, const Value& v, const FactInfo& f) {
        if (!f.decl || f.decl->enum_values.empty()) return;
        const auto& allowed = f.decl->enum_values;
        if (std::find(allowed.begin(), allowed.end(), v.text) != allowed.end()) return;
        std::string list;
        for (std::size_t i = 0; i < allowed.size(); ++i) list += (i ? ", " : "") + allowed[i];
        error(diags_, v.span, "fact.enum",
              at + ": \"" + v.text + "\" is not one of " + list + nearest_hint(v.text, allowed));
    }

    void string(const std::string& at, const Value& v, const FactInfo& f) {
        if (v.kind == Value::Kind::list || v.kind == Value::Kind::map)
            return wrong(at, v, "must be text, not " + std::string(kind_name(v.kind)));
        if (v.kind != Value::Kind::string)
            return wrong(
                at, v,
                std::string("must be text, not ") + kind_name(v.kind) + "; put it in quotes");
        in_enum(at, v, f);
    }

    void list(const std::string& at, const Value& v, const FactInfo& f) {
        if (v.kind != Value::Kind::list)
            return wrong(at, v,
                         "must be a list such as [" + v.text + "], not " + kind_name(v.kind));
        for (const Value& item : v.items) in_enum(at, item, f);
    }

    const Vocabulary& vocab_;
    Diagnostics& diags_;
    std::vector<std::string> names_;
};

}  // namespace

const std::string& FactInfo::type() const { return decl ? decl->type : inferred; }

const FactInfo* Vocabulary::find(const std::string& name) const {
    auto it = std::lower_bound(facts.begin(), facts.end(), name,
                               [](const FactInfo& f, const std::string& k) { return f.name < k; });
    return it != facts.end() && it->name == name ? &*it : nullptr;
}

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
    for (auto& [name, f] : by_name) {
        std::sort(f.clauses.begin(), f.clauses.end());
        f.clauses.erase(std::unique(f.clauses.begin(), f.clauses.end()), f.clauses.end());
        v.facts.push_back(std::move(f));
    }
    return v;
}

void check_facts(const Case& c, const Vocabulary& vocabulary, Diagnostics& diagnostics) {
    const Value* facts = c.root.find("facts");
    if (!facts || facts->kind != Value::Kind::map) return;
    FactChecker check(vocabulary, diagnostics);
    for (const auto& [name, v] : facts->fields) check.fact(name, v);
}

}  // namespace dossier::rules
