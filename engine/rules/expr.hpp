// The `when` condition language: lexer, recursive-descent parser, evaluator, explainer and
// static checker. Internal to the rules stage (include as "rules/expr.hpp").
//
// Grammar:
//   or_expr    := and_expr ('or' and_expr)*
//   and_expr   := not_expr ('and' not_expr)*
//   not_expr   := 'not' not_expr | comparison
//   comparison := primary (('=='|'!='|'<'|'<='|'>'|'>='|'in'|'not' 'in') primary)?
//   primary    := literal | path | 'exists' '(' path ')' | '(' or_expr ')' | '[' literals ']'
//   literal    := "string" | number | true | false | YYYY-MM-DD
//   path       := ident ('.' ident)*      ident := [a-z_][a-z0-9_]*
//
// Semantics (null = a path the case does not supply, or an explicit YAML null):
//   - A value counts as true only when it is the boolean `true`; null, strings, numbers and
//     lists are all false as conditions. Truthiness of "non-empty" values would make
//     `facts.detained` true for `detained: "no"`, which is exactly the mistake to avoid.
//   - `==`, `<`, `<=`, `>`, `>=` with a null operand are false; `!=` is always `not ==`, so it is
//     true when either side is null. Values of different kinds are unequal and unordered (a
//     date never equals the string "2024-01-31"). Ordering works on numbers, strings
//     (byte-wise) and dates only.
//   - `x in L` is false when x is null or L is not a list; `not in` is always `not (x in L)`.
//   - `exists(p)` is true iff the path is present and not null.
// There is no `null` literal: with the rules above `x == null` could never be true, so the
// parser points at exists() instead.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/diagnostic.hpp"
#include "model/value.hpp"

namespace dossier::rules {

// Limits that keep a hostile or broken clause file from exhausting the stack or the CPU.
inline constexpr std::size_t max_condition_length = 4096;  // characters
inline constexpr int max_nesting_depth = 64;

struct Expr {
    enum class Kind { literal, path, exists, compare, not_, and_, or_ };
    enum class Op { eq, ne, lt, le, gt, ge, in, not_in };

    Kind kind = Kind::literal;
    Op op = Op::eq;              // compare
    Value value;                 // literal; a list literal is a Value list
    std::string path;            // path, exists
    std::vector<Expr> operands;  // compare: 2; not_: 1; and_/or_: 2 or more
    std::size_t begin = 0;       // byte offsets of the node's text in the condition
    std::size_t end = 0;
    bool parenthesized = false;  // written inside ( ), kept so explanations mirror the source
};

// Position of byte `offset` of a one-line condition that starts at `at` (columns count code
// points, like every Span).
Span span_at(const Span& at, std::string_view text, std::size_t offset);

// Parses a condition. On a syntax error appends one diagnostic at the exact column and returns
// nullopt. `at` is the position of the condition's first character (Clause::when_span).
std::optional<Expr> parse(std::string_view text, const Span& at, Diagnostics& diagnostics);

// The condition's value for a case (`root` is Case::root).
bool evaluate(const Expr& e, const Value& root);

// `e` rendered with every path replaced by its value in `root`, e.g. `"RU" == "TJ"`. An
// `exists(path)` keeps its path and is followed by its outcome, `exists(facts.region)=false`:
// what the fact holds is irrelevant to the test, and the path says which fact was missing.
std::string substitute(const Expr& e, const Value& root);

// A value as the explanation shows it: strings quoted, dates bare ISO, lists [..], null `null`.
std::string render_value(const Value& v);

struct Explanation {
    bool result = false;
    std::string text;  // `country == "TJ"` was `"RU" == "TJ"`, false
};
Explanation explain(const Expr& e, std::string_view source, const Value& root);

// Static checks for lint: type errors visible without a case (literal against literal of another
// kind, `in` with a non-list literal, ordering with booleans or lists, a non-boolean literal used
// as a condition) and paths no case file can supply. Appends diagnostics; never throws.
void check(const Expr& e, std::string_view source, const Span& at, Diagnostics& diagnostics);

// Whether a case file can supply `path` at all (its root is a case field, and it does not reach
// inside a scalar).
bool case_can_supply(std::string_view path);

}  // namespace dossier::rules
