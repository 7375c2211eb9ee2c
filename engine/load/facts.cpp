// Checking a case's facts against the library's vocabulary (Library::vocabulary): a name that
// no pack declares and no clause reads, and a value of the wrong kind for the fact's type, are
// errors that say what to write.
#include "load/facts.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

namespace dossier::load {

namespace {

std::string nearest_hint(const std::string& word, const std::vector<std::string>& choices) {
    auto hints = did_you_mean(word, choices);
    return hints.empty() ? std::string() : "; " + hints.front();
}

bool integral(double n) { return std::isfinite(n) && std::floor(n) == n; }

std::string number_text(double n) {
    if (integral(n) && std::fabs(n) < 1e15) return std::to_string(static_cast<long long>(n));
    return std::to_string(n);
}

// A value as a message names it: "text (\"two\")", "a list", ...
std::string what(const Value& v) {
    switch (v.kind) {
        case Value::Kind::string:
            return "text (\"" + v.text + "\")";
        case Value::Kind::number:
            return "a number (" + v.text + ")";
        case Value::Kind::boolean:
            return v.boolean ? "true" : "false";
        case Value::Kind::date:
            return "a date (" + v.text + ")";
        case Value::Kind::list:
            return "a list";
        case Value::Kind::map:
            return "a map";
        default:
            return "nothing";
    }
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
        wrong(at, v, "must be true or false, not " + what(v));
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
                             ", not " + what(v));
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
        wrong(at, v, "must be a date written YYYY-MM-DD, not " + what(v));
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
            return wrong(at, v, "must be text, not " + what(v));
        if (v.kind != Value::Kind::string)
            return wrong(at, v, std::string("must be text, not ") + what(v) + "; put it in quotes");
        in_enum(at, v, f);
    }

    void list(const std::string& at, const Value& v, const FactInfo& f) {
        if (v.kind != Value::Kind::list)
            return wrong(at, v, "must be a list such as [" + v.text + "], not " + what(v));
        for (const Value& item : v.items) in_enum(at, item, f);
    }

    const Vocabulary& vocab_;
    Diagnostics& diags_;
    std::vector<std::string> names_;
};

}  // namespace

void check_facts(const Value& root, const Vocabulary& vocabulary, Diagnostics& diagnostics) {
    const Value* facts = root.find("facts");
    if (!vocabulary.built || !facts || facts->kind != Value::Kind::map) return;
    FactChecker check(vocabulary, diagnostics);
    for (const auto& [name, v] : facts->fields) check.fact(name, v);
}

}  // namespace dossier::load
