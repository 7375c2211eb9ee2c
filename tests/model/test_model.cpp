#include <catch2/catch.hpp>

#include "model/diagnostic.hpp"
#include "model/library.hpp"
#include "model/value.hpp"

using namespace dossier;

TEST_CASE("Date::parse accepts real calendar dates only") {
    auto d = Date::parse("2024-02-29");
    REQUIRE(d);
    CHECK(d->year == 2024);
    CHECK(d->month == 2);
    CHECK(d->day == 29);
    CHECK(d->iso() == "2024-02-29");
    CHECK_FALSE(Date::parse("2023-02-29"));  // not a leap year
    CHECK_FALSE(Date::parse("2026-04-31"));
    CHECK_FALSE(Date::parse("2026-13-01"));
    CHECK_FALSE(Date::parse("2026-1-01"));
    CHECK_FALSE(Date::parse("2026-01-01x"));
    CHECK_FALSE(Date::parse(""));
}

TEST_CASE("Date days since the epoch round-trip") {
    CHECK(Date::parse("1970-01-01")->days_since_epoch() == 0);
    CHECK(Date::parse("2026-11-20")->days_since_epoch() == 20777);
    CHECK(Date::parse("1969-12-31")->days_since_epoch() == -1);
    for (long long day : {-800000LL, -1LL, 0LL, 59LL, 11016LL, 20777LL, 2932896LL})
        CHECK(Date::from_days_since_epoch(day).days_since_epoch() == day);
    CHECK(Date::from_days_since_epoch(20777).iso() == "2026-11-20");
}

TEST_CASE("Value paths follow maps and stop at missing keys") {
    Value root;
    root.kind = Value::Kind::map;
    Value facts;
    facts.kind = Value::Kind::map;
    Value n;
    n.kind = Value::Kind::number;
    n.number = 2;
    facts.set("detention_count", n);
    root.set("facts", facts);
    REQUIRE(root.at_path("facts.detention_count"));
    CHECK(root.at_path("facts.detention_count")->number == 2);
    CHECK(root.at_path("facts.missing") == nullptr);
    CHECK(root.at_path("facts.detention_count.deeper") == nullptr);
    CHECK(root.at_path("") == nullptr);
    // set() replaces in place and keeps the order of the others
    n.number = 3;
    root.find("facts")->set("detention_count", n);
    CHECK(root.at_path("facts.detention_count")->number == 3);
    CHECK(root.fields.size() == 1);
}

TEST_CASE("format_diagnostic prints position, caret under the character and hints") {
    Diagnostic d{Severity::error,
                 "value.ground",
                 "unknown ground \"sexual-orientation\"",
                 {"case.yaml", 14, 11},
                 {"did you mean \"sexual_orientation\"?"}};
    std::string text = format_diagnostic(d, "grounds: [sexual-orientation]");
    CHECK(text ==
          "case.yaml:14:11: error: unknown ground \"sexual-orientation\"\n"
          "  grounds: [sexual-orientation]\n"
          "            ^\n"
          "  note: did you mean \"sexual_orientation\"?\n");
}

TEST_CASE("format_diagnostic counts columns in characters, not bytes") {
    Diagnostic d{Severity::warning, "x", "here", {"f.yaml", 2, 8}, {}};
    // "name: Ҳ" has a two-byte character before the column
    std::string text = format_diagnostic(d, "name: Ҳx!");
    CHECK(text == "f.yaml:2:8: warning: here\n  name: Ҳx!\n         ^\n");
}

TEST_CASE("format_diagnostic omits unknown parts of a position") {
    Diagnostic d{Severity::error, "x", "cannot read", {"a.yaml", 0, 0}, {}};
    CHECK(format_diagnostic(d) == "a.yaml: error: cannot read\n");
    Diagnostic e{Severity::error, "x", "no file", {}, {}};
    CHECK(format_diagnostic(e) == "error: no file\n");
}

TEST_CASE("sort_diagnostics orders by file, line and column, stably") {
    Diagnostics ds;
    error(ds, {"b.yaml", 1, 1}, "c", "third");
    error(ds, {"a.yaml", 9, 2}, "c", "second");
    error(ds, {"a.yaml", 3, 5}, "c", "first");
    warning(ds, {"a.yaml", 9, 2}, "c", "second-b");
    sort_diagnostics(ds);
    CHECK(ds[0].message == "first");
    CHECK(ds[1].message == "second");
    CHECK(ds[2].message == "second-b");
    CHECK(ds[3].message == "third");
    CHECK(has_errors(ds));
    Diagnostics only_warnings;
    warning(only_warnings, {}, "c", "w");
    CHECK_FALSE(has_errors(only_warnings));
}

TEST_CASE("Library lookups") {
    Library lib;
    lib.skeleton = {{"summary", "Summary", {}}, {"country-conditions", "Country", {}}};
    Clause a;
    a.id = "a.one";
    Clause b;
    b.id = "b.two";
    lib.clauses = {a, b};
    Source s;
    s.key = "hrw";
    lib.sources = {s};
    CHECK(lib.find_clause("b.two") == &lib.clauses[1]);
    CHECK(lib.find_clause("c") == nullptr);
    CHECK(lib.find_source("hrw") == &lib.sources[0]);
    CHECK(lib.find_source("x") == nullptr);
    CHECK(lib.section_index("country-conditions") == 1);
    CHECK(lib.section_index("nope") == -1);
}
