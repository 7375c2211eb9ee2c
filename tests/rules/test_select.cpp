// Clause selection (when, requires, excludes, case overrides, ordering, trace) and lint.
#include <algorithm>
#include <catch2/catch.hpp>
#include <random>

#include "rules/rules.hpp"

using namespace dossier;
using namespace dossier::rules;

namespace {

Value str(std::string s) {
    Value v;
    v.kind = Value::Kind::string;
    v.text = std::move(s);
    return v;
}

Value boolean(bool b) {
    Value v;
    v.kind = Value::Kind::boolean;
    v.boolean = b;
    return v;
}

Value list(std::vector<Value> items) {
    Value v;
    v.kind = Value::Kind::list;
    v.items = std::move(items);
    return v;
}

struct ClauseSpec {
    std::string id;
    std::string section = "country-conditions";
    int order = 0;
    std::string when = {};
    std::vector<std::string> requires_ = {};
    std::vector<std::string> excludes = {};
};

Clause make_clause(const ClauseSpec& s) {
    Clause c;
    c.id = s.id;
    c.section = s.section;
    c.order = s.order;
    c.when = s.when;
    c.requires_ = s.requires_;
    c.excludes = s.excludes;
    c.span = {"clauses/p/" + s.id + ".md", 1, 1};
    c.when_span = {c.span.file, 5, 7};
    c.pack = "p";
    return c;
}

Library make_library(const std::vector<ClauseSpec>& specs, bool sort = true) {
    Library lib;
    for (const char* id : {"summary", "country-conditions", "risk-on-return", "declaration"})
        lib.skeleton.push_back({id, id, {"clauses/report.yaml", 1, 1}});
    for (const auto& s : specs) lib.clauses.push_back(make_clause(s));
    if (sort)
        std::sort(lib.clauses.begin(), lib.clauses.end(),
                  [](const Clause& a, const Clause& b) { return a.id < b.id; });
    return lib;
}

Case make_case(std::string country = "RU") {
    Case c;
    c.file = "case.yaml";
    c.country = country;
    c.root.set("country", str(country));
    c.root.set("grounds", list({str("sexual_orientation")}));
    Value facts;
    facts.set("detained", boolean(true));
    c.root.set("facts", facts);
    return c;
}

Value id_value(std::string id, int line, int column) {
    Value v = str(std::move(id));
    v.span = {"case.yaml", line, column};
    return v;
}

std::vector<std::string> selected_ids(const Selection& s, const Library& lib) {
    std::vector<std::string> out;
    for (std::size_t i : s.clauses) out.push_back(lib.clauses[i].id);
    return out;
}

const Decision& decision(const Selection& s, const std::string& id) {
    auto it = std::find_if(s.trace.begin(), s.trace.end(),
                           [&](const Decision& d) { return d.clause_id == id; });
    REQUIRE(it != s.trace.end());
    return *it;
}

using Ids = std::vector<std::string>;

}  // namespace

TEST_CASE("select keeps clauses whose when holds and explains every decision") {
    Library lib = make_library({
        {"always", "summary"},
        {"tj.only", "country-conditions", 10, R"(country == "TJ")"},
        {"ru.only", "country-conditions", 20, R"(country == "RU" and facts.detained)"},
    });
    Diagnostics d;
    Selection s = select(make_case(), lib, d);
    CHECK(d.empty());
    CHECK(selected_ids(s, lib) == Ids{"always", "ru.only"});
    REQUIRE(s.trace.size() == 3);
    CHECK(decision(s, "always").included);
    CHECK(decision(s, "always").reason == "always included (no `when`)");
    CHECK(decision(s, "tj.only").reason == R"(`country == "TJ"` was `"RU" == "TJ"`, false)");
    CHECK_FALSE(decision(s, "tj.only").included);
    CHECK(decision(s, "ru.only").reason ==
          R"(`country == "RU" and facts.detained` was `"RU" == "RU" and true`, true)");
}

TEST_CASE("requires is transitive and the reason names the chain") {
    Library lib = make_library({
        {"tj.background", "country-conditions", 10, R"(country == "TJ")"},
        {"tj.police", "country-conditions", 20, "", {"tj.background"}},
        {"tj.raids", "country-conditions", 30, "", {"tj.police"}},
        {"free", "country-conditions", 40},
    });
    Diagnostics d;
    Selection s = select(make_case(), lib, d);
    CHECK(d.empty());
    CHECK(selected_ids(s, lib) == Ids{"free"});
    CHECK(decision(s, "tj.police").reason ==
          R"(requires tj.background, which was not selected (`country == "TJ"` was `"RU" == )"
          R"("TJ"`, false))");
    CHECK(decision(s, "tj.raids").reason ==
          R"(requires tj.police, which was not selected (requires tj.background, which was )"
          R"(not selected (`country == "TJ"` was `"RU" == "TJ"`, false)))");

    Selection tj = select(make_case("TJ"), lib, d);
    CHECK(selected_ids(tj, lib) == Ids{"tj.background", "tj.police", "tj.raids", "free"});
}

TEST_CASE("a clause requiring a clause missing from the library is dropped") {
    Library lib = make_library({{"a", "summary", 0, "", {"no.such"}}});
    Diagnostics d;
    Selection s = select(make_case(), lib, d);
    CHECK(s.clauses.empty());
    CHECK(decision(s, "a").reason == "requires no.such, which is not in the library");
}

TEST_CASE("excludes drops clauses, and a dropped clause excludes nothing") {
    Library lib = make_library({
        {"a", "summary", 0, "", {}, {"b"}},
        {"b", "summary", 0, "", {}, {"c"}},
        {"c", "summary", 0},
        {"d", "summary", 0, "", {"b"}},  // requires an excluded clause
    });
    Diagnostics d;
    Selection s = select(make_case(), lib, d);
    CHECK(d.empty());
    CHECK(selected_ids(s, lib) == Ids{"a", "c"});
    CHECK(decision(s, "b").reason == "excluded by a");
    CHECK(decision(s, "d").reason == "requires b, which was not selected (excluded by a)");
}

TEST_CASE("mutual excludes resolve in favour of the smaller id") {
    Library lib = make_library({
        {"x.one", "summary", 0, "", {}, {"x.two"}},
        {"x.two", "summary", 0, "", {}, {"x.one"}},
    });
    Diagnostics d;
    Selection s = select(make_case(), lib, d);
    CHECK(selected_ids(s, lib) == Ids{"x.one"});
    CHECK(decision(s, "x.two").reason == "excluded by x.one");
}

TEST_CASE("a clause whose when is false does not exclude others") {
    Library lib = make_library({
        {"a", "summary", 0, "false", {}, {"b"}},
        {"b", "summary", 0},
    });
    Diagnostics d;
    CHECK(selected_ids(select(make_case(), lib, d), lib) == Ids{"b"});
}

TEST_CASE("the case's include forces a clause in over when, requires and excludes") {
    Library lib = make_library({
        {"a", "summary", 0, "", {}, {"tj.mental-health"}},
        {"tj.mental-health", "risk-on-return", 0, R"(country == "TJ")", {"missing"}},
    });
    Case c = make_case();
    c.include.push_back(id_value("tj.mental-health", 30, 13));
    Diagnostics d;
    Selection s = select(c, lib, d);
    CHECK(d.empty());
    CHECK(selected_ids(s, lib) == Ids{"a", "tj.mental-health"});
    CHECK(decision(s, "tj.mental-health").reason == "included by the case file (clauses.include)");
}

TEST_CASE("the case's exclude forces a clause out, and clauses requiring it follow") {
    Library lib = make_library({
        {"generic.relocation", "risk-on-return", 0},
        {"generic.relocation-detail", "risk-on-return", 1, "", {"generic.relocation"}},
    });
    Case c = make_case();
    c.exclude.push_back(id_value("generic.relocation", 31, 13));
    Diagnostics d;
    Selection s = select(c, lib, d);
    CHECK(d.empty());
    CHECK(s.clauses.empty());
    CHECK(decision(s, "generic.relocation").reason ==
          "excluded by the case file (clauses.exclude)");
    CHECK(decision(s, "generic.relocation-detail").reason ==
          "requires generic.relocation, which was not selected (excluded by the case file "
          "(clauses.exclude))");
}

TEST_CASE("an unknown include or exclude id is an error at its span with a hint") {
    Library lib = make_library({{"tj.background"}, {"tj.police"}});
    Case c = make_case();
    c.include.push_back(id_value("tj.backgrund", 30, 13));
    c.exclude.push_back(id_value("zz.nothing-like-it", 31, 13));
    Diagnostics d;
    Selection s = select(c, lib, d);
    REQUIRE(d.size() == 2);
    CHECK(d[0].code == "case.unknown-clause");
    CHECK(d[0].message == R"(clauses.include names unknown clause "tj.backgrund")");
    CHECK(d[0].span.file == "case.yaml");
    CHECK(d[0].span.line == 30);
    CHECK(d[0].span.column == 13);
    CHECK(d[0].hints == std::vector<std::string>{R"(did you mean "tj.background"?)"});
    CHECK(d[1].message == R"(clauses.exclude names unknown clause "zz.nothing-like-it")");
    CHECK(d[1].hints.empty());
    CHECK(s.clauses.size() == 2);  // the selection is still made
}

TEST_CASE("a when that does not parse is reported at the clause file and excludes the clause") {
    Library lib = make_library({{"bad", "summary", 0, R"(country = "TJ")"}, {"good", "summary"}});
    Diagnostics d;
    Selection s = select(make_case(), lib, d);
    REQUIRE(d.size() == 1);
    CHECK(d[0].span.file == "clauses/p/bad.md");
    CHECK(d[0].span.line == 5);
    CHECK(d[0].span.column == 7 + 8);
    CHECK(d[0].message == "unexpected '=', expected '=='");
    CHECK(selected_ids(s, lib) == Ids{"good"});
    CHECK(decision(s, "bad").reason == "its `when` does not parse");
}

TEST_CASE("kept clauses are ordered by skeleton section, then order, then id") {
    Library lib = make_library({
        {"z.decl", "declaration", 0},
        {"b.risk", "risk-on-return", 5},
        {"a.risk", "risk-on-return", 5},
        {"c.risk", "risk-on-return", 1},
        {"m.summary", "summary", 99},
        {"x.country", "country-conditions", -3},
        {"dropped", "summary", 0, "false"},
        {"also-dropped", "summary", 0, "false"},
    });
    Diagnostics d;
    Selection s = select(make_case(), lib, d);
    Ids expected{"m.summary", "x.country", "c.risk", "a.risk", "b.risk", "z.decl"};
    CHECK(selected_ids(s, lib) == expected);
    Ids trace;
    for (const auto& t : s.trace) trace.push_back(t.clause_id);
    expected.push_back("also-dropped");
    expected.push_back("dropped");
    CHECK(trace == expected);
}

TEST_CASE("selection does not depend on the order of the library's clauses") {
    std::vector<ClauseSpec> specs = {
        {"a", "summary", 0, "", {}, {"b"}},
        {"b", "summary", 0, "", {}, {"a"}},
        {"c", "risk-on-return", 2, "", {"d"}},
        {"d", "risk-on-return", 1, R"("sexual_orientation" in grounds)"},
        {"e", "risk-on-return", 1, "", {"f"}},
        {"f", "risk-on-return", 1, "false"},
        {"g", "country-conditions", 0},
    };
    Library sorted = make_library(specs);
    Diagnostics d;
    Selection reference = select(make_case(), sorted, d);
    Ids ref_ids = selected_ids(reference, sorted);
    CHECK(ref_ids == Ids{"a", "g", "d", "c"});

    std::mt19937 rng(12345);
    for (int round = 0; round < 20; ++round) {
        std::shuffle(specs.begin(), specs.end(), rng);
        Library shuffled = make_library(specs, false);
        Diagnostics d2;
        Selection s = select(make_case(), shuffled, d2);
        CHECK(selected_ids(s, shuffled) == ref_ids);
        REQUIRE(s.trace.size() == reference.trace.size());
        for (std::size_t i = 0; i < s.trace.size(); ++i) {
            CHECK(s.trace[i].clause_id == reference.trace[i].clause_id);
            CHECK(s.trace[i].included == reference.trace[i].included);
            CHECK(s.trace[i].reason == reference.trace[i].reason);
        }
    }
}

TEST_CASE("a selected clause in an unknown section is an error") {
    Library lib = make_library({{"a", "asessment"}, {"b", "nowhere", 0, "false"}});
    Diagnostics d;
    Selection s = select(make_case(), lib, d);
    REQUIRE(d.size() == 1);  // b is not selected, so only lint complains about it
    CHECK(d[0].code == "clause.unknown-section");
    CHECK(d[0].span.file == "clauses/p/a.md");
    CHECK(d[0].message ==
          R"(clause "a" is in section "asessment", which is not in the report skeleton)");
    CHECK(s.clauses.empty());
    CHECK(decision(s, "a").reason == R"(its section "asessment" is not in the report skeleton)");
}

TEST_CASE("requires cycles do not hang select") {
    Library lib = make_library({
        {"a", "summary", 0, "", {"b"}},
        {"b", "summary", 0, "", {"c"}},
        {"c", "summary", 0, "", {"a"}},
        {"p", "summary", 0, "", {"q"}},
        {"q", "summary", 0, "false", {"p"}},
    });
    Diagnostics d;
    Selection s = select(make_case(), lib, d);
    // A cycle whose members all hold stays in; one that is broken anywhere drops entirely.
    CHECK(selected_ids(s, lib) == Ids{"a", "b", "c"});
    CHECK(decision(s, "p").reason ==
          "requires q, which was not selected (`false` was `false`, false)");
}

TEST_CASE("an empty library selects nothing") {
    Library lib = make_library({});
    Diagnostics d;
    Selection s = select(make_case(), lib, d);
    CHECK(s.clauses.empty());
    CHECK(s.trace.empty());
    CHECK(d.empty());
}

TEST_CASE("lint reports each requires cycle once, naming its clauses in order") {
    Library lib = make_library({
        {"c", "summary", 0, "", {"a"}},
        {"a", "summary", 0, "", {"b"}},
        {"b", "summary", 0, "", {"c"}},
        {"self", "summary", 0, "", {"self"}},
        {"tail", "summary", 0, "", {"a"}},
    });
    Diagnostics d;
    lint(lib, Date{2026, 1, 1}, d);
    REQUIRE(d.size() == 2);
    CHECK(d[0].code == "clause.requires-cycle");
    CHECK(d[0].message == "requires cycle: a -> b -> c -> a");
    CHECK(d[0].span.file == "clauses/p/a.md");
    CHECK(d[1].message == "requires cycle: self -> self");
}

TEST_CASE("lint warns about clauses reviewed more than a year ago") {
    Library lib = make_library({{"never"}, {"old"}, {"recent"}});
    const Date today{2026, 11, 20};
    auto days_ago = [&](long long n) {
        return Date::from_days_since_epoch(today.days_since_epoch() - n);
    };
    for (Clause& c : lib.clauses) {
        if (c.id == "old") c.reviewed = days_ago(367);
        if (c.id == "recent") c.reviewed = days_ago(366);  // a leap year's worth is still fine
    }
    Diagnostics d;
    lint(lib, today, d);
    REQUIRE(d.size() == 1);
    CHECK(d[0].severity == Severity::warning);
    CHECK(d[0].code == "clause.review-due");
    CHECK(d[0].span.file == "clauses/p/old.md");
    CHECK(d[0].message ==
          R"(clause "old" was last reviewed on 2025-11-18, more than a year before 2026-11-20)");
}

TEST_CASE("lint reports paths no case can supply, type errors and syntax errors") {
    Library lib = make_library({
        {"a", "summary", 0, R"(contry == "TJ")"},
        // `date` is a path, known only with a case: comparing it with a string is not static.
        {"b", "summary", 0, R"(date == "2026-01-01")"},
        {"c", "summary", 0, "facts.detained and"},
        {"d", "summary", 0, R"(applicant.gender == "female" and 2026-01-01 == "2026-01-01")"},
    });
    Diagnostics d;
    lint(lib, Date{2026, 1, 1}, d);
    REQUIRE(d.size() == 3);
    CHECK(d[0].code == "when.unknown-path");
    CHECK(d[0].message == "no case can supply contry");
    CHECK(d[0].span.file == "clauses/p/a.md");
    CHECK(d[0].span.line == 5);
    CHECK(d[0].span.column == 7);
    CHECK(d[0].hints == std::vector<std::string>{R"(did you mean "country"?)"});
    CHECK(d[1].span.file == "clauses/p/c.md");
    CHECK(d[1].message ==
          "unexpected end of condition, expected a value, a path, exists(...) or '('");
    CHECK(d[1].span.column == 7 + 18);
    CHECK(d[2].span.file == "clauses/p/d.md");
    CHECK(d[2].code == "when.type");
    CHECK(d[2].message == "comparing a date with a string using '==' is always false");
    CHECK(d[2].span.column == 7 + 33);
}

TEST_CASE("lint reports unknown sections and unknown requires / excludes with hints") {
    Library lib = make_library({
        {"tj.background", "country-conditon"},
        {"tj.police", "country-conditions", 0, "", {"tj.backgroud"}, {"tj.nothing-close-at-all"}},
        {"tj.self", "country-conditions", 0, "", {}, {"tj.self"}},
    });
    Diagnostics d;
    lint(lib, Date{2026, 1, 1}, d);
    REQUIRE(d.size() == 4);
    CHECK(d[0].code == "clause.unknown-section");
    CHECK(d[0].hints == std::vector<std::string>{R"(did you mean "country-conditions"?)"});
    CHECK(d[1].code == "clause.unknown-requires");
    CHECK(d[1].message == R"(clause "tj.police" requires unknown clause "tj.backgroud")");
    CHECK(d[1].hints == std::vector<std::string>{R"(did you mean "tj.background"?)"});
    CHECK(d[2].code == "clause.unknown-excludes");
    CHECK(d[2].hints.empty());
    CHECK(d[3].code == "clause.excludes-itself");
}

TEST_CASE("a clean library lints without diagnostics") {
    Library lib = make_library({
        {"tj.background", "country-conditions", 10, R"(country == "TJ")"},
        {"tj.police",
         "country-conditions",
         20,
         R"(country == "TJ" and "sexual_orientation" in grounds and facts.detention_count >= 1)",
         {"tj.background"},
         {"generic.no-risk"}},
        {"generic.no-risk", "risk-on-return", 0, "not exists(facts.detained)"},
    });
    lib.clauses[0].reviewed = Date{2026, 6, 1};
    // Each fact read by a single clause is declared, as a pack's facts.yaml would.
    for (const char* name : {"detained", "detention_count"}) {
        FactDecl f;
        f.name = name;
        f.type = std::string(name) == "detained" ? "boolean" : "integer";
        f.description = "A fact.";
        lib.facts.push_back(f);
    }
    Diagnostics d;
    lint(lib, Date{2026, 11, 20}, d);
    for (const auto& x : d) INFO(format_diagnostic(x));
    CHECK(d.empty());
}

TEST_CASE("lint reports citations of unknown sources at their line and column") {
    Library lib = make_library({{"ru.background", "country-conditions", 10, R"(country == "RU")"}});
    Clause& c = lib.clauses[0];
    c.body = "First line cites [@hrw-2024-ru].\n\nSécond line cites [@hrw-2042-ru] and [@x].\n";
    c.body_span = {"clauses/ru/background.md", 9, 1};
    Source s;
    s.key = "hrw-2024-ru";
    s.title = "World Report 2024: Russia";
    lib.sources.push_back(s);
    Diagnostics d;
    lint(lib, Date{2026, 11, 20}, d);
    REQUIRE(d.size() == 2);
    CHECK(d[0].code == "clause.unknown-source");
    CHECK(d[0].message == R"(clause "ru.background" cites unknown source "hrw-2042-ru")");
    CHECK(d[0].span.file == "clauses/ru/background.md");
    CHECK(d[0].span.line == 11);
    CHECK(d[0].span.column == 19);  // code points: the é counts once
    CHECK(d[0].hints == std::vector<std::string>{R"(did you mean "hrw-2024-ru"?)"});
    CHECK(d[1].message == R"(clause "ru.background" cites unknown source "x")");
    CHECK(d[1].span.column == 38);
}
