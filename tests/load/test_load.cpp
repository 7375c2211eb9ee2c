#include <algorithm>
#include <catch2/catch.hpp>

#include "../support/temp_files.hpp"
#include "load/load.hpp"
#include "load/yaml_reader.hpp"

using namespace dossier;
using dossier::test::TempDir;

namespace {

const Date kToday{2026, 11, 29};

const char* kExpert = R"(name: Dr Test Expert
title: Senior Researcher
affiliation: Example Institute
country: GB
summary: A fictional expert.
qualifications: [PhD]
)";

const char* kCase = R"(dossier: 1
reference: TJ-TEST-1
language: en-GB
jurisdiction: uk-ftt-iac
date: 2026-11-20
expert: expert.yaml
instructions:
  firm: Example Law LLP
  received: 2026-10-02
  questions:
    - Is the account consistent?
applicant:
  name: Test Person
  gender: male
  born: 1994-05-12
  nationality: TJ
country: TJ
grounds: [sexual_orientation]
facts:
  detained: true
  detention_count: 2
  region: Dushanbe
  left_country: 2023-03-14
notes: |
  First paragraph.
)";

const load::Schemas& schemas() {
    static const load::Schemas loaded = [] {
        Diagnostics ds;
        return load::load_schemas(DOSSIER_SOURCE_DIR "/schemas", ds);
    }();
    return loaded;
}

// Loads `text` as a case file (with a valid expert beside it) and returns the diagnostics.
Diagnostics diagnose(const std::string& text, std::optional<Case>* out = nullptr) {
    TempDir dir;
    dir.write("expert.yaml", kExpert);
    std::string path = dir.write("case.yaml", text);
    Diagnostics diags;
    auto c = load::load_case(path, kToday, schemas(), nullptr, diags);
    for (auto& d : diags) d.span.file = d.span.file.substr(d.span.file.rfind('/') + 1);
    if (out) *out = std::move(c);
    return diags;
}

std::string replace(std::string s, const std::string& from, const std::string& to) {
    auto at = s.find(from);
    REQUIRE(at != std::string::npos);
    return s.replace(at, from.size(), to);
}

bool has(const Diagnostics& ds, const std::string& code, int line, int column) {
    return std::any_of(ds.begin(), ds.end(), [&](const Diagnostic& d) {
        return d.code == code && d.span.line == line && d.span.column == column;
    });
}

}  // namespace

TEST_CASE("a valid case loads with typed fields and defaults") {
    std::optional<Case> c;
    Diagnostics ds = diagnose(kCase, &c);
    INFO((ds.empty() ? "" : format_diagnostic(ds.front())));
    REQUIRE(ds.empty());
    REQUIRE(c);
    CHECK(c->reference == "TJ-TEST-1");
    CHECK(c->jurisdiction == "uk-ftt-iac");
    CHECK(c->date == Date{2026, 11, 20});
    CHECK(c->applicant.pseudonym == "TP");  // initials by default
    CHECK(c->applicant.born == Date{1994, 5, 12});
    CHECK(c->grounds == std::vector<std::string>{"sexual_orientation"});
    CHECK(c->expert.name == "Dr Test Expert");
    CHECK(c->instructions.questions.size() == 1);
    CHECK(c->notes == "First paragraph.\n");
    // typed facts, and defaults written into the tree for conditions and variables
    CHECK(c->root.at_path("facts.detention_count")->kind == Value::Kind::number);
    CHECK(c->root.at_path("facts.left_country")->kind == Value::Kind::date);
    CHECK(c->root.at_path("facts.detained")->boolean);
    CHECK(c->root.at_path("applicant.pseudonym")->text == "TP");
    CHECK(c->root.at_path("signed_in")->text == "GB");  // from the expert's country
}

TEST_CASE("the report date defaults to today") {
    std::optional<Case> c;
    auto ds = diagnose(replace(kCase, "date: 2026-11-20\n", ""), &c);
    REQUIRE(c);
    CHECK(c->date == kToday);
}

TEST_CASE("unknown keys are reported with a did-you-mean hint") {
    auto ds = diagnose(replace(kCase, "grounds:", "grouds:"));
    REQUIRE(has(ds, "key.unknown", 18, 1));
    auto it = std::find_if(ds.begin(), ds.end(), [](auto& d) { return d.code == "key.unknown"; });
    CHECK(it->message == "unknown key \"grouds\"; did you mean \"grounds\"?");
    CHECK(has(ds, "key.missing", 1, 1));  // grounds is then missing
}

TEST_CASE("unknown enum values suggest the nearest one") {
    auto ds = diagnose(replace(kCase, "[sexual_orientation]", "[sexual-orientation]"));
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].span.line == 18);
    CHECK(ds[0].span.column == 11);
    CHECK(
        ds[0].message ==
        "grounds[0]: unknown ground \"sexual-orientation\"; did you mean \"sexual_orientation\"?");
}

TEST_CASE("duplicate keys are errors naming the first one") {
    auto ds = diagnose(replace(kCase, "country: TJ\n", "country: TJ\ncountry: RU\n"));
    REQUIRE_FALSE(ds.empty());
    CHECK(ds[0].span.line == 18);
    CHECK(ds[0].span.column == 1);
    CHECK(ds[0].message.find("duplicate key \"country\"") != std::string::npos);
}

TEST_CASE("columns count characters, not bytes") {
    // two Cyrillic letters (four bytes) before the bad value
    auto ds = diagnose(replace(kCase, "  region: Dushanbe", "  region: [Ҳҷ, 2026-02-30]"));
    REQUIRE_FALSE(ds.empty());
    auto it = std::find_if(ds.begin(), ds.end(), [](auto& d) { return d.code == "yaml.bad-date"; });
    REQUIRE(it != ds.end());
    CHECK(it->span.line == 22);
    CHECK(it->span.column == 16);  // byte column would be 18
}

TEST_CASE("impossible calendar dates are rejected") {
    auto ds = diagnose(replace(kCase, "date: 2026-11-20", "date: 2026-02-30"));
    REQUIRE(ds.size() >= 1);
    CHECK(ds[0].span.line == 5);
    CHECK(ds[0].span.column == 7);
}

TEST_CASE("anchors and aliases are rejected") {
    auto ds = diagnose(replace(kCase, "  region: Dushanbe", "  region: &r Dushanbe\n  city: *r"));
    REQUIRE_FALSE(ds.empty());
    CHECK(ds[0].span.line == 22);
}

TEST_CASE("more than one YAML document is an error") {
    auto ds = diagnose(std::string(kCase) + "---\nreference: other\n");
    REQUIRE_FALSE(ds.empty());
    CHECK(ds[0].code == "yaml.many-documents");
    CHECK(ds[0].span.line == 26);
}

TEST_CASE("invalid UTF-8 is reported at its position") {
    auto ds = diagnose(replace(kCase, "region: Dushanbe",
                               "region: Dush\xFF"
                               "anbe"));
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].span.line == 22);
    CHECK(ds[0].span.column == 15);
}

TEST_CASE("nesting beyond the cap is an error, not a crash") {
    std::string deep = "facts:\n  x: " + std::string(200, '[') + std::string(200, ']') + "\n";
    auto ds = diagnose(replace(kCase, "facts:\n", deep + "other:\n"));
    REQUIRE_FALSE(ds.empty());
    CHECK(std::any_of(ds.begin(), ds.end(), [](auto& d) { return d.code == "yaml.too-deep"; }));
}

TEST_CASE("oversized files are refused before parsing") {
    auto ds = diagnose(std::string(kCase) + "# " + std::string(2 << 20, 'x') + "\n");
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].message.find("too large") != std::string::npos);
}

TEST_CASE("reference must be safe as a file name") {
    auto ds = diagnose(replace(kCase, "reference: TJ-TEST-1", "reference: ../etc/passwd"));
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].span.line == 2);
    CHECK(ds[0].message.find("reference:") == 0);
}

TEST_CASE("a clause id both included and excluded is an error") {
    auto ds = diagnose(std::string(kCase) +
                       "clauses:\n  include: [tj.blackmail]\n  exclude: [tj.blackmail]\n");
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].code == "clauses.both");
}

TEST_CASE("a missing expert profile is reported at the expert key") {
    auto ds = diagnose(replace(kCase, "expert: expert.yaml", "expert: nobody.yaml"));
    REQUIRE_FALSE(ds.empty());
    CHECK(ds[0].span.line == 6);
}

TEST_CASE("every problem is reported in one run") {
    std::string text = replace(kCase, "gender: male", "gender: mail");
    text = replace(text, "country: TJ", "country: Tajikistan");
    text = replace(text, "jurisdiction: uk-ftt-iac", "jurisdiction: uk-ftt");
    auto ds = diagnose(text);
    CHECK(ds.size() == 3);
    CHECK(has(ds, "value.unknown", 14, 11));
}

TEST_CASE("the clause library loads, sorted, with front matter positions") {
    TempDir dir;
    dir.write("lib/report.yaml",
              "sections:\n  - {id: summary, title: Summary}\n  - {id: risk, title: Risk}\n");
    dir.write("lib/b/z.md", "---\nid: b.z\nsection: risk\nwhen: country == \"TJ\"\n---\nBody z.\n");
    dir.write("lib/a/y.md", "---\nid: a.y\nsection: summary\norder: 5\n---\n\nBody y.\n");
    dir.write("lib/a/sources.yaml", "hrw:\n  author: HRW\n  title: Report\n");
    Diagnostics ds;
    Library lib = load::load_library(dir.path() + "/lib", {}, schemas(), ds);
    INFO((ds.empty() ? "" : format_diagnostic(ds.front())));
    REQUIRE(ds.empty());
    REQUIRE(lib.skeleton.size() == 2);
    REQUIRE(lib.clauses.size() == 2);
    CHECK(lib.clauses[0].id == "a.y");
    CHECK(lib.clauses[0].order == 5);
    CHECK(lib.clauses[1].when == "country == \"TJ\"");
    CHECK(lib.clauses[1].when_span.line == 4);
    CHECK(lib.clauses[1].when_span.column == 7);
    CHECK(lib.clauses[1].body_span.line == 6);
    REQUIRE(lib.find_source("hrw"));
    CHECK(lib.find_source("hrw")->author == "HRW");
}

TEST_CASE("a duplicate clause id names both files") {
    TempDir dir;
    dir.write("lib/report.yaml", "sections:\n  - {id: summary, title: Summary}\n");
    dir.write("lib/a/x.md", "---\nid: a.x\nsection: summary\n---\nOne.\n");
    dir.write("extra/x.md", "---\nid: a.x\nsection: summary\n---\nTwo.\n");
    Diagnostics ds;
    load::load_library(dir.path() + "/lib", {dir.path() + "/extra"}, schemas(), ds);
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].message.find("a/x.md") != std::string::npos);
    CHECK(ds[0].span.file.find("x.md") != std::string::npos);
}

TEST_CASE("the built-in library and the examples load cleanly") {
    Diagnostics ds;
    Library lib = load::load_library(DOSSIER_SOURCE_DIR "/clauses", {}, schemas(), ds);
    for (auto& d : ds) UNSCOPED_INFO(format_diagnostic(d));
    CHECK(ds.empty());
    CHECK(lib.skeleton.size() >= 12);
    CHECK(lib.clauses.size() >= 20);
    for (const auto& e : std::filesystem::directory_iterator(DOSSIER_SOURCE_DIR "/examples")) {
        if (e.path().extension() != ".yaml") continue;
        Diagnostics cd;
        auto c = load::load_case(e.path().string(), kToday, schemas(), &lib, cd);
        for (auto& d : cd) UNSCOPED_INFO(format_diagnostic(d));
        CHECK(c);
        CHECK(cd.empty());
    }
}

TEST_CASE("locales must be ones ICU has data for") {
    CHECK(diagnose(replace(kCase, "language: en-GB", "language: tg-TJ")).empty());
    CHECK(diagnose(replace(kCase, "language: en-GB", "language: en-419")).empty());
    for (const char* bad : {"xx-YY", "en-GBX", "en-ZZ"}) {
        auto ds = diagnose(replace(kCase, "language: en-GB", std::string("language: ") + bad));
        REQUIRE(ds.size() == 1);
        CHECK(ds[0].code == "value.language");
        CHECK(ds[0].span.line == 3);
    }
}

TEST_CASE("country codes must exist") {
    auto ds = diagnose(replace(kCase, "country: TJ", "country: UK"));
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].message.rfind("country: unknown country code \"UK\"", 0) == 0);
    CHECK(diagnose(replace(kCase, "country: TJ", "country: XK")).empty());  // Kosovo
}

TEST_CASE("implausible dates are warnings") {
    auto ds = diagnose(replace(kCase, "born: 1994-05-12", "born: 1900-01-01"));
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].severity == Severity::warning);
    std::optional<Case> c;
    ds = diagnose(replace(kCase, "received: 2026-10-02", "received: 2026-12-02"), &c);
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].severity == Severity::warning);
    CHECK(c);  // warnings do not stop the load
}

TEST_CASE("clause ids of include and exclude must exist in the library") {
    TempDir dir;
    dir.write("expert.yaml", kExpert);
    std::string path =
        dir.write("case.yaml", std::string(kCase) + "clauses:\n  include: [tj.blackmial]\n");
    Diagnostics ds;
    Library lib = load::load_library(DOSSIER_SOURCE_DIR "/clauses", {}, schemas(), ds);
    REQUIRE(ds.empty());
    CHECK_FALSE(load::load_case(path, kToday, schemas(), &lib, ds));
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].span.line == 27);
    CHECK(ds[0].span.column == 13);
    CHECK(ds[0].message ==
          "clauses.include: unknown clause \"tj.blackmial\"; did you mean \"tj.blackmail\"?");
}

TEST_CASE("a schema outside the supported subset is refused at the keyword") {
    TempDir dir;
    for (const char* name : {"case", "clause", "sources", "expert", "report", "facts"})
        dir.write(std::string(name) + ".schema.json", "{\"type\": \"object\"}\n");
    dir.write("case.schema.json", "{\n  \"type\": \"object\",\n  \"oneOf\": []\n}\n");
    Diagnostics ds;
    load::load_schemas(dir.path(), ds);
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].span.line == 3);
    CHECK(ds[0].message.find("unsupported schema keyword \"oneOf\"") == 0);
}

TEST_CASE("the schema subset: types, lengths, ranges, refs and anyOf") {
    TempDir dir;
    for (const char* name : {"clause", "sources", "expert", "report", "facts"})
        dir.write(std::string(name) + ".schema.json", "{}\n");
    dir.write("case.schema.json", R"({
  "type": "object",
  "properties": {
    "n": {"type": "integer", "minimum": 1, "maximum": 3},
    "s": {"type": "string", "minLength": 2, "maxLength": 3},
    "d": {"$ref": "#/$defs/day"},
    "u": {"type": "array", "uniqueItems": true, "maxItems": 2},
    "a": {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "number"}}]}
  },
  "$defs": {"day": {"type": "string", "format": "date"}}
})");
    Diagnostics sd;
    load::Schemas mine = load::load_schemas(dir.path(), sd);
    REQUIRE(sd.empty());
    auto run = [&](const std::string& text) {
        std::string path = dir.write("data.yaml", text);
        Diagnostics ds;
        load::load_case(path, kToday, mine, nullptr, ds);
        std::vector<std::string> out;
        for (const auto& d : ds)
            if (d.code != "key.missing") out.push_back(d.message);
        return out;
    };
    using V = std::vector<std::string>;
    CHECK(run("n: 2\ns: жж\nd: 2024-02-29\nu: [1, 2]\na: [1]\n") == V{});
    CHECK(run("n: 2.5\n") == V{"n: must be a whole number, not 2.5"});
    CHECK(run("n: 4\n") == V{"n: must be at most 3"});
    CHECK(run("s: жжжж\n") == V{"s: must have at most 3 characters, not 4"});  // characters
    CHECK(run("d: '2023-02-29'\n") == V{"d: \"2023-02-29\" is not a real calendar date"});
    CHECK(run("u: [1, 1]\n") == V{"u[1]: 1 is listed twice"});
    CHECK(run("a: [x]\n") == V{"a[0]: must be a number, not text"});
    CHECK(run("a: {}\n") == V{"a: must be text or a list, not a map"});
}

namespace {

// The first difference between two Value trees, spans and kinds included; "" when none.
std::string tree_difference(const Value& a, const Value& b, const std::string& path) {
    auto at = [&](const Span& s) {
        return std::to_string(s.line) + ":" + std::to_string(s.column);
    };
    if (a.kind != b.kind) return path + ": kind";
    if (a.text != b.text) return path + ": text \"" + a.text + "\" / \"" + b.text + "\"";
    if (a.boolean != b.boolean || a.number != b.number || a.date != b.date) return path + ": value";
    if (a.span.file != b.span.file || at(a.span) != at(b.span))
        return path + ": span " + at(a.span) + " / " + at(b.span);
    if (at(a.key_span) != at(b.key_span))
        return path + ": key span " + at(a.key_span) + " / " + at(b.key_span);
    if (a.items.size() != b.items.size() || a.fields.size() != b.fields.size())
        return path + ": size";
    for (std::size_t i = 0; i < a.items.size(); ++i)
        if (auto d = tree_difference(a.items[i], b.items[i], path + "[" + std::to_string(i) + "]");
            !d.empty())
            return d;
    for (std::size_t i = 0; i < a.fields.size(); ++i) {
        if (a.fields[i].first != b.fields[i].first) return path + ": key " + a.fields[i].first;
        if (auto d = tree_difference(a.fields[i].second, b.fields[i].second,
                                     path + "." + a.fields[i].first);
            !d.empty())
            return d;
    }
    return "";
}

// read_json against read_yaml on one text: the same tree, or the same diagnostics.
std::string json_difference(const std::string& text) {
    Diagnostics dj, dy;
    auto j = load::read_json("f.json", text, dj);
    auto y = load::read_yaml("f.json", text, dy);
    if (!j != !y) return "one of them failed";
    if (dj.size() != dy.size()) return "a different number of diagnostics";
    for (std::size_t i = 0; i < dj.size(); ++i)
        if (format_diagnostic(dj[i]) != format_diagnostic(dy[i]))
            return "diagnostic " + format_diagnostic(dj[i]);
    return j ? tree_difference(*j, *y, "$") : "";
}

}  // namespace

TEST_CASE("schemas read as JSON give the trees yaml-cpp gives") {
    for (const char* name : {"case", "clause", "sources", "expert", "report"}) {
        std::string path = std::string(DOSSIER_SOURCE_DIR "/schemas/") + name + ".schema.json";
        Diagnostics d;
        auto text = load::read_file(path, 1 << 20, d);
        REQUIRE(text);
        INFO(path);
        CHECK(json_difference(*text) == "");
    }
    for (std::string text :
         {// Spacing, nesting, empty collections, numbers, escapes and non-ASCII text.
          std::string("{\"a\":1,\"b\" : [ -1.5e3, true, null, false, 0, -0, 1E+2 ],\n"
                      "  \"c\": {\"d\": [], \"e\": {}},\n\"f\":\n\n  [\n1\n,\n2]}\n"),
          std::string("[1, [2, {\"a\": \"b\"}], \"c\", \"\\\"\\\\\\/\\b\\f\\n\\r\\t\"]"),
          std::string("{\"\xc3\xa9t\xc3\xa9\": \"\\u0041\\u00e9\\u20ac \xe2\x82\xac\", "
                      "\"x\": \"2026-11-20\", \"y\": \"12\"}"),
          // What the JSON reader leaves to yaml-cpp, which must then say the same.
          std::string("{\"a\": 1,}"), std::string("{\"a\"\n: 1}"), std::string("{\"a\":\t1}"),
          std::string("{\"a\": 1}\r\n"), std::string("{\"a\": \"x\ty\"}"),
          std::string("{\"a\": \"\\ud83d\\ude00\"}"), std::string("{\"a\": 01}"),
          std::string("{\"a\": 1, \"a\": 2}"), std::string("\"just a string\""),
          std::string("{\"a\": [1, 2] ]"), std::string("{\"a\": 1} {}"), std::string(""),
          std::string("\xef\xbb\xbf{\"a\": 1}"), std::string("{\"a\": 1} # note"),
          std::string(40, '[') + std::string(40, ']')}) {
        INFO(text);
        CHECK(json_difference(text) == "");
    }
}

TEST_CASE("the evidence fields load with their positions") {
    std::string text = replace(kCase, "    - Is the account consistent?\n",
                               "    - Is the account consistent?\n"
                               "    - ask: What is the risk?\n"
                               "      answer: |\n"
                               "        A real risk.\n"
                               "      see: [tj.police-campaigns]\n"
                               "  items:\n"
                               "    - {date: 2026-10-02, form: letter, summary: The letter.}\n"
                               "    - {date: 2026-10-09, form: call, summary: A call.}\n");
    text +=
        "appeal:\n"
        "  number: PA/01234/2026\n"
        "  a_number: A201555012\n"
        "  permission_to_exceed: {granted: 2026-11-01, pages: 30}\n"
        "documents:\n"
        "  - {id: ws, title: Witness statement, date: 2026-09-12, pages: 14}\n"
        "account:\n"
        "  - {date: 2021, event: Detained., source: ws para 12}\n"
        "  - {date: 2022-05, event: Released., source: ws}\n"
        "issues:\n"
        "  - {text: Detention is disputed., source: ws para 3}\n"
        "range_of_opinion: none\n"
        "assistance:\n"
        "  - {name: A. Interpreter, role: interpreted the interview}\n"
        "limitations: No fieldwork since 2019.\n"
        "sources:\n"
        "  hrw-2024-tj: {accessed: 2026-11-12}\n";
    std::optional<Case> c;
    Diagnostics d = diagnose(text, &c);
    INFO((d.empty() ? std::string() : d.front().message));
    REQUIRE(c);
    CHECK_FALSE(has_errors(d));
    // A plain string question still loads, with no answer.
    REQUIRE(c->instructions.questions.size() == 2);
    CHECK(c->instructions.questions[0].ask == "Is the account consistent?");
    CHECK(c->instructions.questions[0].answer.empty());
    CHECK(c->instructions.questions[0].span.line == 11);
    CHECK(c->instructions.questions[1].ask == "What is the risk?");
    CHECK(c->instructions.questions[1].answer == "A real risk.\n");
    REQUIRE(c->instructions.questions[1].see.size() == 1);
    CHECK(c->instructions.questions[1].see[0].text == "tj.police-campaigns");
    CHECK(c->instructions.questions[1].see[0].span.line == 15);
    REQUIRE(c->instructions.items.size() == 2);
    CHECK(c->instructions.items[1].date == Date{2026, 10, 9});
    CHECK(c->instructions.items[1].form == "call");
    CHECK(c->appeal.number == "PA/01234/2026");
    CHECK(c->appeal.a_number == "A201555012");
    CHECK(c->appeal.permission_pages == 30);
    CHECK(c->appeal.permission_granted == Date{2026, 11, 1});
    REQUIRE(c->documents.items.size() == 1);
    CHECK(c->documents.given);
    CHECK_FALSE(c->documents.none);
    CHECK(c->documents.items[0].pages == 14);
    REQUIRE(c->account.size() == 2);
    CHECK(c->account[0].date == "2021");
    CHECK(c->account[1].date == "2022-05");
    CHECK(c->account[1].source == "ws");
    REQUIRE(c->issues.size() == 1);
    CHECK(c->range_of_opinion.given);
    CHECK(c->range_of_opinion.none);
    REQUIRE(c->assistance.items.size() == 1);
    CHECK(c->assistance.items[0].role == "interpreted the interview");
    CHECK(c->limitations == "No fieldwork since 2019.");
    REQUIRE(c->accessed.size() == 1);
    CHECK(c->accessed[0].first == "hrw-2024-tj");
    CHECK(c->accessed[0].second.date == Date{2026, 11, 12});
}

TEST_CASE("absent evidence fields are absent, not none") {
    std::optional<Case> c;
    diagnose(kCase, &c);
    REQUIRE(c);
    CHECK_FALSE(c->documents.given);
    CHECK_FALSE(c->range_of_opinion.given);
    CHECK_FALSE(c->assistance.given);
    CHECK(c->documents.span.line == 1);
    CHECK(c->instructions.given);
}

TEST_CASE("the expert's expertise and dated entries load") {
    TempDir dir;
    dir.write("expert.yaml",
              std::string(kExpert) +
                  "experience:\n"
                  "  - {what: Lecturer, institution: Example University, dates: "
                  "2013 to 2019}\n"
                  "expertise: {countries: [TJ, KG], themes: [sexual_orientation]}\n");
    std::string path = dir.write("case.yaml", kCase);
    Diagnostics diags;
    auto c = load::load_case(path, kToday, schemas(), nullptr, diags);
    REQUIRE(c);
    CHECK(c->expert.expertise_given);
    CHECK(c->expert.countries == std::vector<std::string>{"TJ", "KG"});
    CHECK(c->expert.themes == std::vector<std::string>{"sexual_orientation"});
    REQUIRE(c->expert.experience.size() == 1);
    CHECK(c->expert.experience[0].institution == "Example University");
    CHECK(c->expert.experience[0].dates == "2013 to 2019");
    REQUIRE(c->expert.qualifications.size() == 1);
    CHECK(c->expert.qualifications[0].what == "PhD");
    // Conditions can test the expertise: the loader copies it into the case tree.
    CHECK(c->root.at_path("expertise.countries") != nullptr);
}

TEST_CASE("facts are checked against the library's vocabulary") {
    // A library whose vocabulary declares an enum, a list of enum values and a bounded number,
    // and knows one more fact only because a clause reads it.
    Library lib;
    auto declared = [](std::string name, std::string type) {
        FactInfo f;
        f.name = name;
        FactDecl d;
        d.name = std::move(name);
        d.type = std::move(type);
        d.description = "A fact.";
        f.decl = d;
        return f;
    };
    FactInfo role = declared("role", "string");
    role.decl->enum_values = {"journalist", "activist", "researcher"};
    FactInfo roles = declared("roles", "list");
    roles.decl->enum_values = {"journalist", "activist"};
    FactInfo count = declared("detention_count", "integer");
    count.decl->minimum = 0;
    count.decl->maximum = 50;
    FactInfo read;
    read.name = "threatened";
    read.inferred = "boolean";
    read.clauses = {"md.assessment-threats"};
    lib.vocabulary.facts = {count, role, roles, read};
    lib.vocabulary.built = true;

    auto check = [&](const std::string& facts) {
        TempDir dir;
        dir.write("expert.yaml", kExpert);
        std::string text = kCase;
        text = text.substr(0, text.find("facts:")) + "facts:\n" + facts;
        std::string path = dir.write("case.yaml", text);
        Diagnostics diags;
        load::load_case(path, kToday, schemas(), &lib, diags);
        std::vector<std::string> out;
        for (const Diagnostic& d : diags)
            out.push_back(std::to_string(d.span.line) + ":" + std::to_string(d.span.column) + " " +
                          d.message);
        return out;
    };
    CHECK(check("  role: journalist\n  roles: [activist]\n  detention_count: 3\n"
                "  threatened: true\n")
              .empty());
    CHECK(check("  role: jouranlist\n") ==
          std::vector<std::string>{"20:9 facts.role: \"jouranlist\" is not one of journalist, "
                                   "activist, researcher; did you mean \"journalist\"?"});
    CHECK(check("  roles: [activist, editor]\n") ==
          std::vector<std::string>{"20:21 facts.roles: \"editor\" is not one of journalist, "
                                   "activist"});
    CHECK(check("  detention_count: 51\n") ==
          std::vector<std::string>{"20:20 facts.detention_count: 51 is more than the maximum, 50"});
    // A fact only read by a clause is typed by its use there.
    CHECK(check("  threatened: yes\n") ==
          std::vector<std::string>{"20:15 facts.threatened: \"yes\" is text, not a boolean; write "
                                   "true"});
    CHECK(check("  threatned: true\n") ==
          std::vector<std::string>{"20:3 facts.threatned: no pack declares this fact and no "
                                   "clause reads it, so it would decide nothing; did you mean "
                                   "\"threatened\"?"});
    // Without a built vocabulary (no library loaded), facts are not judged.
    lib.vocabulary.built = false;
    CHECK(check("  anything: yes\n").empty());
}
