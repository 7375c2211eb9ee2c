// The `when` language: parsing, evaluation, explanations and static checks.
#include <catch2/catch.hpp>

#include "rules/expr.hpp"

using namespace dossier;
using namespace dossier::rules;

namespace {

Value str(std::string s) {
    Value v;
    v.kind = Value::Kind::string;
    v.text = std::move(s);
    return v;
}

Value num(double n) {
    Value v;
    v.kind = Value::Kind::number;
    v.number = n;
    return v;
}

Value boolean(bool b) {
    Value v;
    v.kind = Value::Kind::boolean;
    v.boolean = b;
    return v;
}

Value date(const char* iso) {
    Value v;
    v.kind = Value::Kind::date;
    v.date = *Date::parse(iso);
    return v;
}

Value list(std::vector<Value> items) {
    Value v;
    v.kind = Value::Kind::list;
    v.items = std::move(items);
    return v;
}

// A case root like the loader produces.
Value sample_case() {
    Value root;
    root.set("country", str("RU"));
    root.set("jurisdiction", str("uk-ftt-iac"));
    root.set("date", date("2026-11-20"));
    root.set("grounds", list({str("sexual_orientation"), str("religion")}));
    Value applicant;
    applicant.set("gender", str("female"));
    applicant.set("born", date("1994-05-12"));
    root.set("applicant", applicant);
    Value facts;
    facts.set("detained", boolean(true));
    facts.set("blackmailed", boolean(false));
    facts.set("detention_count", num(2));
    facts.set("region", str("Dushanbe"));
    facts.set("nothing", Value{});  // explicit null
    root.set("facts", facts);
    return root;
}

const Span kAt{"clauses/tj/x.md", 5, 7};

Expr must_parse(const std::string& text) {
    Diagnostics d;
    auto e = parse(text, kAt, d);
    INFO(text);
    for (const auto& x : d) INFO(format_diagnostic(x));
    REQUIRE(e);
    REQUIRE(d.empty());
    return std::move(*e);
}

bool eval(const std::string& text, const Value& root = sample_case()) {
    return evaluate(must_parse(text), root);
}

// The single diagnostic a condition that does not parse produces.
Diagnostic parse_error(const std::string& text) {
    Diagnostics d;
    auto e = parse(text, kAt, d);
    INFO(text);
    REQUIRE_FALSE(e);
    REQUIRE(d.size() == 1);
    CHECK(d[0].severity == Severity::error);
    return d[0];
}

Diagnostics checked(const std::string& text) {
    Diagnostics d;
    auto e = parse(text, kAt, d);
    REQUIRE(e);
    check(*e, text, kAt, d);
    return d;
}

}  // namespace

TEST_CASE("equality and inequality on strings, numbers and booleans") {
    CHECK(eval(R"(country == "RU")"));
    CHECK_FALSE(eval(R"(country == "TJ")"));
    CHECK(eval(R"(country != "TJ")"));
    CHECK_FALSE(eval(R"(country != "RU")"));
    CHECK(eval("facts.detention_count == 2"));
    CHECK(eval("facts.detention_count == 2.0"));
    CHECK(eval("facts.detained == true"));
    CHECK(eval("facts.blackmailed == false"));
    CHECK(eval("facts.blackmailed != true"));
}

TEST_CASE("ordering on numbers, strings and dates") {
    CHECK(eval("facts.detention_count > 1"));
    CHECK(eval("facts.detention_count >= 2"));
    CHECK_FALSE(eval("facts.detention_count > 2"));
    CHECK(eval("facts.detention_count < 2.5"));
    CHECK(eval("facts.detention_count <= 2"));
    CHECK_FALSE(eval("facts.detention_count < -1"));
    CHECK(eval(R"(facts.region < "E")"));
    CHECK(eval(R"(facts.region >= "Dushanbe")"));
    CHECK(eval("applicant.born < 2000-01-01"));
    CHECK(eval("date >= 2026-11-20"));
    CHECK_FALSE(eval("date > 2026-11-20"));
}

TEST_CASE("mismatched kinds are unequal and unordered at run time") {
    // A date never equals a string that looks like one: the language is strict.
    CHECK_FALSE(eval(R"(date == "2026-11-20")"));
    CHECK(eval(R"(date != "2026-11-20")"));
    CHECK_FALSE(eval(R"(facts.detention_count == "2")"));
    CHECK_FALSE(eval(R"(facts.detention_count < "3")"));
    CHECK_FALSE(eval(R"(facts.detention_count >= "1")"));
    CHECK_FALSE(eval("facts.detained > false"));  // booleans are not ordered
}

TEST_CASE("in and not in over list values and list literals") {
    CHECK(eval(R"("religion" in grounds)"));
    CHECK_FALSE(eval(R"("race" in grounds)"));
    CHECK(eval(R"("race" not in grounds)"));
    CHECK(eval(R"(country in ["TJ", "RU"])"));
    CHECK_FALSE(eval(R"(country in ["TJ", "UZ"])"));
    CHECK(eval("facts.detention_count in [1, 2, 3]"));
    CHECK_FALSE(eval(R"(country in [])"));
    // The right side must be a list; a string is not searched.
    CHECK_FALSE(eval(R"("R" in country)"));
    CHECK(eval(R"("R" not in country)"));
    CHECK(eval(R"(grounds == ["sexual_orientation", "religion"])"));
}

TEST_CASE("null semantics for missing paths and explicit nulls") {
    CHECK_FALSE(eval(R"(facts.missing == "x")"));
    CHECK(eval(R"(facts.missing != "x")"));
    CHECK_FALSE(eval("facts.missing < 3"));
    CHECK_FALSE(eval("facts.missing >= 3"));
    CHECK_FALSE(eval("facts.nothing == facts.nothing"));
    CHECK_FALSE(eval("facts.missing in [1, 2]"));
    CHECK(eval("facts.missing not in [1, 2]"));
    CHECK_FALSE(eval(R"("x" in facts.missing)"));
    CHECK_FALSE(eval("facts.missing"));
    CHECK(eval("not facts.missing"));
    CHECK_FALSE(eval("nosuch.deep.path == 1"));
}

TEST_CASE("exists is true only for present non-null values") {
    CHECK(eval("exists(facts.detained)"));
    CHECK(eval("exists(facts.blackmailed)"));  // false is a value
    CHECK_FALSE(eval("exists(facts.nothing)"));
    CHECK_FALSE(eval("exists(facts.missing)"));
    CHECK(eval("not exists(facts.missing)"));
    CHECK(eval("exists(applicant)"));
}

TEST_CASE("a bare value is true only when it is the boolean true") {
    CHECK(eval("facts.detained"));
    CHECK_FALSE(eval("facts.blackmailed"));
    CHECK_FALSE(eval("facts.region"));           // a non-empty string is not true
    CHECK_FALSE(eval("facts.detention_count"));  // nor a non-zero number
    CHECK_FALSE(eval("grounds"));                // nor a non-empty list
    CHECK(eval("true"));
    CHECK_FALSE(eval("false"));
}

TEST_CASE("precedence: not binds tighter than and, and tighter than or") {
    Value root = sample_case();
    // or is lowest: true or (false and false)
    CHECK(eval("facts.detained or facts.blackmailed and false"));
    // explicit parentheses change it
    CHECK_FALSE(eval("(facts.detained or facts.blackmailed) and false"));
    // not applies to the comparison, not to the left operand
    CHECK(eval(R"(not country == "TJ")"));
    CHECK(eval("not facts.blackmailed and facts.detained"));
    CHECK_FALSE(eval("not (facts.blackmailed or facts.detained)"));
    CHECK(eval("not not facts.detained"));

    Expr e = must_parse("a or b and c or not d");
    REQUIRE(e.kind == Expr::Kind::or_);
    REQUIRE(e.operands.size() == 3);
    CHECK(e.operands[1].kind == Expr::Kind::and_);
    CHECK(e.operands[2].kind == Expr::Kind::not_);

    Expr n = must_parse(R"(x not in ["a"])");
    REQUIRE(n.kind == Expr::Kind::compare);
    CHECK(n.op == Expr::Op::not_in);
}

TEST_CASE("literals: strings with escapes, negative and decimal numbers, dates, lists") {
    Expr s = must_parse(R"("say \"hi\" \\ bye")");
    REQUIRE(s.kind == Expr::Kind::literal);
    CHECK(s.value.kind == Value::Kind::string);
    CHECK(s.value.text == R"(say "hi" \ bye)");

    Expr n = must_parse("-12.5");
    CHECK(n.value.kind == Value::Kind::number);
    CHECK(n.value.number == -12.5);

    Expr d = must_parse("2024-02-29");
    CHECK(d.value.kind == Value::Kind::date);
    CHECK(d.value.date == Date{2024, 2, 29});

    Expr l = must_parse(R"(["a", 1, 2024-01-31, true, ["b"]])");
    REQUIRE(l.value.kind == Value::Kind::list);
    REQUIRE(l.value.items.size() == 5);
    CHECK(l.value.items[2].kind == Value::Kind::date);
    CHECK(l.value.items[4].items.size() == 1);
    CHECK(must_parse("[]").value.items.empty());
}

TEST_CASE("paths are dotted lowercase identifiers") {
    Expr p = must_parse("applicant.gender");
    CHECK(p.kind == Expr::Kind::path);
    CHECK(p.path == "applicant.gender");
    CHECK(must_parse("facts.in").path == "facts.in");  // keywords are fine after a dot
    CHECK(must_parse("  facts._x1  ").path == "facts._x1");
}

TEST_CASE("syntax errors name the exact column and what was expected") {
    // kAt is column 7: the condition's first character is there.
    auto d = parse_error(R"(country == )");
    CHECK(d.message == "unexpected end of condition, expected a value, a path, exists(...) or '('");
    CHECK(d.span.file == "clauses/tj/x.md");
    CHECK(d.span.line == 5);
    CHECK(d.span.column == 7 + 11);
    CHECK(d.code == "when.syntax");

    d = parse_error(R"(country == "TJ" "RU")");
    CHECK(d.message == R"(unexpected "RU", expected 'and', 'or' or the end of the condition)");
    CHECK(d.span.column == 7 + 16);

    d = parse_error("a == b == c");
    CHECK(d.message == "unexpected '==', expected 'and', 'or' or the end of the condition");
    CHECK(d.span.column == 7 + 7);
    REQUIRE(d.hints.size() == 1);

    d = parse_error("(a and b");
    CHECK(d.message == "unexpected end of condition, expected ')'");
    CHECK(d.span.column == 7 + 8);
    CHECK(d.hints == std::vector<std::string>{"the '(' at column 7 is not closed"});

    d = parse_error("a and or b");
    CHECK(d.message == "unexpected 'or', expected a value, a path, exists(...) or '('");
    CHECK(d.span.column == 7 + 6);

    d = parse_error("exists facts.x");
    CHECK(d.message == "unexpected 'facts.x', expected '(' after exists");
    CHECK(d.span.column == 7 + 7);

    d = parse_error("exists(\"x\")");
    CHECK(d.message == R"(unexpected "x", expected a path)");

    d = parse_error(R"(x in ["a" "b"])");
    CHECK(d.message == R"(unexpected "b", expected ',' or ']')");
    CHECK(d.span.column == 7 + 10);

    d = parse_error("x in [y]");
    CHECK(d.message.rfind("unexpected 'y', expected a literal", 0) == 0);
}

TEST_CASE("lexical errors: unterminated string, bad characters, single '='") {
    auto d = parse_error(R"(country == "TJ)");
    CHECK(d.code == "when.unterminated-string");
    CHECK(d.message == "unterminated string");
    CHECK(d.span.column == 7 + 11);

    d = parse_error("country = \"TJ\"");
    CHECK(d.message == "unexpected '=', expected '=='");
    CHECK(d.span.column == 7 + 8);

    d = parse_error("a && b");
    CHECK(d.message == "unexpected character '&'");
    CHECK(d.hints == std::vector<std::string>{"conjunction is written 'and'"});

    d = parse_error("'religion' in grounds");
    CHECK(d.span.column == 7);

    d = parse_error("Country == 1");
    CHECK(d.message == "invalid path 'Country'");

    d = parse_error("x == null");
    CHECK(d.message == "unexpected 'null', expected a value, a path, exists(...) or '('");
    REQUIRE(d.hints.size() == 1);
    CHECK(d.hints[0].find("exists(path)") != std::string::npos);

    d = parse_error(R"("a\n")");
    CHECK(d.message == "unknown escape '\\n' in a string");
    CHECK(d.span.column == 7 + 2);

    d = parse_error("x == 12abc");
    CHECK(d.message == "invalid number '12abc'");
}

TEST_CASE("an error after earlier text reports the earlier problem first") {
    // The unterminated string comes after the syntax error, which is what the user sees.
    auto d = parse_error(R"(a == == "b)");
    CHECK(d.code == "when.syntax");
    CHECK(d.span.column == 7 + 5);
}

TEST_CASE("invalid dates are rejected with their position") {
    auto d = parse_error("date > 2026-02-30");
    CHECK(d.code == "when.invalid-date");
    CHECK(d.message == "invalid date '2026-02-30'");
    CHECK(d.span.column == 7 + 7);
    CHECK(parse_error("date > 2026-1-5").message == "invalid date '2026-1-5'");
    CHECK(parse_error("date > 2026-13-01").code == "when.invalid-date");
}

TEST_CASE("columns count characters, not bytes") {
    // "Душанбе" is 7 characters but 14 bytes; the error is after it.
    auto d = parse_error("facts.region == \"Душанбе\" facts.x");
    CHECK(d.span.column == 7 + 26);
    Expr e = must_parse("facts.region == \"Душанбе\"");
    CHECK(span_at(kAt, "\"Душанбе\" x", 17).column == 7 + 10);
    CHECK(e.operands[1].value.text == "Душанбе");
}

TEST_CASE("length and nesting limits give clear errors") {
    std::string long_text = "a == \"" + std::string(5000, 'x') + "\"";
    auto d = parse_error(long_text);
    CHECK(d.code == "when.too-long");
    CHECK(d.message == "condition is too long (5007 characters; the limit is 4096)");

    std::string deep = std::string(100, '(') + "a" + std::string(100, ')');
    d = parse_error(deep);
    CHECK(d.code == "when.too-deep");
    CHECK(d.message == "condition nests too deeply (more than 64 levels)");
    CHECK(d.span.column == 7 + 64);

    std::string nots;
    for (int i = 0; i < 100; ++i) nots += "not ";
    CHECK(parse_error(nots + "a").code == "when.too-deep");
    CHECK(parse_error(std::string(100, '[') + std::string(100, ']')).code == "when.too-deep");

    // Just under the limit is fine.
    std::string ok = std::string(64, '(') + "true" + std::string(64, ')');
    CHECK(eval(ok));
}

TEST_CASE("render_value formats every kind") {
    CHECK(render_value(Value{}) == "null");
    CHECK(render_value(str("a\"b")) == R"("a\"b")");
    CHECK(render_value(num(3)) == "3");
    CHECK(render_value(num(-1.5)) == "-1.5");
    CHECK(render_value(boolean(true)) == "true");
    CHECK(render_value(date("2024-01-31")) == "2024-01-31");
    CHECK(render_value(list({str("a"), num(2)})) == R"(["a", 2])");
    CHECK(render_value(list({})) == "[]");
}

TEST_CASE("explanations show the condition with values substituted") {
    Value root = sample_case();
    std::string text = R"(country == "TJ")";
    auto x = explain(must_parse(text), text, root);
    CHECK_FALSE(x.result);
    CHECK(x.text == R"(`country == "TJ"` was `"RU" == "TJ"`, false)");

    text = R"(country == "RU" and "sexual_orientation" in grounds)";
    x = explain(must_parse(text), text, root);
    CHECK(x.result);
    CHECK(x.text == "`" + text +
                        R"(` was `"RU" == "RU" and "sexual_orientation" in ["sexual_orientation", )"
                        R"("religion"]`, true)");

    text = "  not (facts.missing or exists(facts.nothing)) ";
    x = explain(must_parse(text), text, root);
    CHECK(x.result);
    CHECK(x.text ==
          "`not (facts.missing or exists(facts.nothing))` was `not (null or "
          "exists(facts.nothing)=false)`, true");

    // exists() names its path and states its outcome rather than showing the fact's value
    text = "exists(facts.detained)";
    CHECK(explain(must_parse(text), text, root).text ==
          "`exists(facts.detained)` was `exists(facts.detained)=true`, true");
    text = R"(country == "RU" and not exists(facts.missing))";
    CHECK(explain(must_parse(text), text, root).text ==
          "`" + text + R"(` was `"RU" == "RU" and not exists(facts.missing)=false`, true)");

    text = "applicant.born < 2000-01-01";
    x = explain(must_parse(text), text, root);
    CHECK(x.text == "`applicant.born < 2000-01-01` was `1994-05-12 < 2000-01-01`, true");

    text = "facts.detained";
    CHECK(explain(must_parse(text), text, root).text == "`facts.detained` was `true`, true");
}

TEST_CASE("check reports type errors visible without a case") {
    auto d = checked(R"(2024-01-01 == "2024-01-01")");
    REQUIRE(d.size() == 1);
    CHECK(d[0].code == "when.type");
    CHECK(d[0].message == "comparing a date with a string using '==' is always false");

    d = checked(R"(country in "TJ")");
    REQUIRE(d.size() == 1);
    CHECK(d[0].message == "the right side of 'in' must be a list, not a string");
    CHECK(d[0].span.column == 7 + 11);

    d = checked("facts.detained < true");
    REQUIRE(d.size() == 1);
    CHECK(d[0].message == "'<' cannot order a boolean");
    CHECK(d[0].span.column == 7 + 17);

    d = checked(R"(country == "TJ" and "religion")");
    REQUIRE(d.size() == 1);
    CHECK(d[0].message == R"("religion" is a string, which is never true as an operand of 'and')");

    d = checked("3");
    REQUIRE(d.size() == 1);
    CHECK(d[0].message == "3 is a number, which is never true as a condition");

    d = checked("facts.n < 3 and date >= 2020-01-01 and grounds != [\"x\"] and true");
    CHECK(d.empty());
}

TEST_CASE("check reports paths no case can supply") {
    auto d = checked(R"(contry == "TJ")");
    REQUIRE(d.size() == 1);
    CHECK(d[0].code == "when.unknown-path");
    CHECK(d[0].message == "no case can supply contry");
    CHECK(d[0].span.column == 7);
    CHECK(d[0].hints == std::vector<std::string>{"did you mean \"country\"?"});

    d = checked(R"(true and exists(applicant.gendre))");
    REQUIRE(d.size() == 1);
    CHECK(d[0].message == "no case can supply applicant.gendre");
    CHECK(d[0].span.column == 7 + 16);
    CHECK(d[0].hints == std::vector<std::string>{"did you mean \"gender\"?"});

    CHECK(checked("country.code == 1").size() == 1);
    CHECK(checked("facts.a.b == 1").size() == 1);

    CHECK(case_can_supply("facts.anything"));
    CHECK(case_can_supply("instructions.received"));
    CHECK(case_can_supply("signed_in"));
    CHECK(case_can_supply("clauses.include"));
    CHECK_FALSE(case_can_supply("instructions.date"));
    CHECK_FALSE(case_can_supply("expert.name"));
}
