#include <unicode/timezone.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <limits>
#include <memory>
#include <regex>

#include "../support/temp_files.hpp"
#include "compose/compose.hpp"
#include "load/load.hpp"

using namespace dossier;
using dossier::test::TempDir;

namespace {

struct Composed {
    Document doc;
    Diagnostics diags;
    std::string dir;
};

// Builds a one-section library from `clauses` (file name -> content), loads a case with the
// given language, gender and extra lines, keeps every clause, and composes.
Composed compose_case(const std::vector<std::pair<std::string, std::string>>& clauses,
                      const std::string& language = "en-GB", const std::string& gender = "male",
                      const std::string& extra = {}, bool sample = false) {
    static int counter = 0;
    TempDir dir;
    dir.write("expert.yaml", "name: Dr Test Expert\ntitle: Researcher\ncountry: GB\n");
    dir.write("lib/report.yaml",
              "sections:\n  - {id: instructions, title: Instructions}\n"
              "  - {id: body, title: Body}\n  - {id: assessment, title: Assessment}\n");
    dir.write("lib/p/sources.yaml",
              "hrw:\n  author: Human Rights Watch\n  title: \"World Report 2024: Tajikistan\"\n"
              "  url: https://www.hrw.org/world-report/2024/country-chapters/tajikistan\n"
              "  published: 2024-01-11\n  accessed: 2026-10-01\n"
              "state:\n  author: US Department of State\n  title: Country Report\n");
    for (const auto& [name, text] : clauses) dir.write("lib/p/" + name, text);
    std::string path = dir.write(
        "case.yaml",
        "dossier: 1\nreference: T-" + std::to_string(++counter) + "\nlanguage: " + language +
            "\ndate: 2026-11-20\nexpert: expert.yaml\n"
            "applicant:\n  name: Secret Name\n  pseudonym: AB\n  born: 1994-05-12\n  gender: " +
            gender +
            "\ncountry: TJ\ngrounds: [sexual_orientation]\nfacts:\n"
            "  detention_count: 3\n  left_country: 2023-03-14\n"
            "  region: Dushanbe\n" +
            extra);
    Composed out;
    out.dir = dir.path();
    load::Schemas schemas = load::load_schemas(DOSSIER_SOURCE_DIR "/schemas", out.diags);
    Library lib = load::load_library(dir.path() + "/lib", {}, schemas, out.diags);
    auto c = load::load_case(path, Date{2026, 11, 29}, schemas, nullptr, out.diags);
    REQUIRE(c);
    REQUIRE(out.diags.empty());
    rules::Selection sel;
    std::vector<std::size_t> order(lib.clauses.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return lib.section_index(lib.clauses[a].section) <
               lib.section_index(lib.clauses[b].section);
    });
    sel.clauses = order;
    compose::Options options;
    options.sample = sample;
    out.doc = compose::compose(*c, lib, sel, options, out.diags);
    for (auto& d : out.diags) d.span.file = d.span.file.substr(d.span.file.rfind('/') + 1);
    return out;
}

std::string clause(const std::string& id, const std::string& body,
                   const std::string& section = "body") {
    return "---\nid: " + id + "\nsection: " + section + "\n---\n" + body;
}

// The plain text of a block, footnote markers shown as [n].
std::string text_of(const std::vector<Inline>& content) {
    std::string out;
    for (const Inline& in : content)
        out += in.kind == Inline::Kind::footnote_ref ? "[" + in.text + "]" : in.text;
    return out;
}

const Section* section(const Document& doc, const std::string& id) {
    for (const Section& s : doc.sections)
        if (s.id == id) return &s;
    return nullptr;
}

std::string first_paragraph(const Composed& c) {
    const Section* s = section(c.doc, "body");
    REQUIRE(s);
    REQUIRE_FALSE(s->blocks.empty());
    return text_of(s->blocks.front().content);
}

}  // namespace

TEST_CASE("plural, select and dates in en-GB") {
    auto c = compose_case(
        {{"a.md",
          clause(
              "p.a",
              "{applicant.pseudonym} was detained {facts.detention_count, plural, one {once} "
              "other {# times}}; {applicant.gender, select, female {she} male {he} other {they}} "
              "left on {facts.left_country, date, long} ({facts.left_country}).")}});
    INFO((c.diags.empty() ? "" : format_diagnostic(c.diags.front())));
    REQUIRE(c.diags.empty());
    CHECK(first_paragraph(c) ==
          "AB was detained 3 times; he left on 14\u00A0March 2023 (14\u00A0March 2023).");
}

TEST_CASE("dates follow the case locale: en-US") {
    auto c = compose_case({{"a.md", clause("p.a",
                                           "Left on {facts.left_country, date, long}; "
                                           "{facts.detention_count, selectordinal, one {#st} "
                                           "two {#nd} few {#rd} other {#th}} time.")}},
                          "en-US", "female");
    REQUIRE(c.diags.empty());
    CHECK(first_paragraph(c) == "Left on March\u00A014, 2023; 3rd time.");
    CHECK(c.doc.paper == Document::Paper::a4);
}

TEST_CASE("Russian plurals use one, few and many") {
    for (auto [count, expected] : std::vector<std::pair<int, std::string>>{
             {1, "1 раз"}, {3, "3 раза"}, {5, "5 раз"}, {21, "21 раз"}, {22, "22 раза"}}) {
        auto c =
            compose_case({{"a.md", clause("p.a",
                                          "{facts.n, plural, one {# раз} few {# раза} many {# раз} "
                                          "other {# раза}}")}},
                         "ru", "male", "  n: " + std::to_string(count) + "\n");
        REQUIRE(c.diags.empty());
        CHECK(first_paragraph(c) == expected);
    }
    auto c = compose_case({{"a.md", clause("p.a", "{facts.left_country, date, long}")}}, "ru");
    CHECK(first_paragraph(c) ==
          "14\u00A0марта 2023\u202Fг.");  // ICU keeps "г." with a narrow no-break space
}

TEST_CASE("select gives pronouns from the applicant's gender") {
    const std::string body =
        "{applicant.gender, select, female {she was} male {he was} "
        "other {they were}} detained.";
    CHECK(first_paragraph(compose_case({{"a.md", clause("p.a", body)}}, "en-GB", "female")) ==
          "she was detained.");
    CHECK(first_paragraph(compose_case({{"a.md", clause("p.a", body)}}, "en-GB", "nonbinary")) ==
          "they were detained.");
}

TEST_CASE("a source cited three times: one full footnote, two short, one list entry") {
    auto c = compose_case({{"a.md", clause("p.a",
                                           "First [@hrw]. Second [@hrw].\n\nThird [@hrw] and "
                                           "other [@state].")}});
    REQUIRE(c.diags.empty());
    REQUIRE(c.doc.footnotes.size() == 4);
    CHECK(text_of(c.doc.footnotes[0].content) ==
          "Human Rights Watch, World Report 2024: Tajikistan (11\u00A0January 2024) "
          "<https://www.hrw.org/world-report/2024/country-chapters/tajikistan> accessed "
          "1\u00A0October 2026.");
    CHECK(text_of(c.doc.footnotes[1].content) ==
          "Human Rights Watch, World Report 2024: Tajikistan (n\u00A01).");
    CHECK(text_of(c.doc.footnotes[2].content) ==
          "Human Rights Watch, World Report 2024: Tajikistan (n\u00A01).");
    CHECK(c.doc.footnotes[0].content[1].style == Style::italic);
    // markers attach to the word before them, after its punctuation
    CHECK(first_paragraph(c) == "First.[1] Second.[2]");
    const Section* sources = section(c.doc, "sources");
    REQUIRE(sources);
    REQUIRE(sources->blocks.size() == 2);
    CHECK(text_of(sources->blocks[0].content).rfind("Human Rights Watch", 0) == 0);
    CHECK(text_of(sources->blocks[1].content).rfind("US Department of State", 0) == 0);
}

TEST_CASE("text from the case file is printed literally") {
    auto c = compose_case(
        {{"a.md", clause("p.a", "The region is {facts.region}; the note: {facts.tricky}.")}},
        "en-GB", "male", "  tricky: \"{applicant.name} [@hrw] **x** *y* '{' #\"\n");
    REQUIRE(c.diags.empty());
    CHECK(first_paragraph(c) ==
          "The region is Dushanbe; the note: {applicant.name} [@hrw] **x** *y* \u2018{\u2019 #.");
    CHECK(c.doc.footnotes.empty());
    // and in the notes, too
    auto n = compose_case({}, "en-GB", "male", "notes: \"See {applicant.name} and [@hrw]\"\n");
    const Section* a = section(n.doc, "assessment");
    REQUIRE(a);
    CHECK(text_of(a->blocks[0].content) == "See {applicant.name} and [@hrw]");
    CHECK(a->blocks[0].number == 1);
}

TEST_CASE("a variable the case cannot supply is an error at its position") {
    auto c = compose_case({{"a.md", clause("p.a",
                                           "Line one.\n\nSecond {facts.missing} and "
                                           "{facts.also_missing, plural, other {#}}.")}});
    REQUIRE(c.diags.size() == 2);
    CHECK(c.diags[0].span.file == "a.md");
    CHECK(c.diags[0].span.line == 7);
    CHECK(c.diags[0].span.column == 8);
    CHECK(c.diags[0].message == "variable \"facts.missing\" is not supplied by the case file");
    CHECK(c.diags[1].span.column == 28);
    CHECK(c.diags[1].message.find("facts.also_missing") != std::string::npos);
}

TEST_CASE("a value of the wrong type for its format is an error naming it") {
    auto c = compose_case({{"a.md", clause("p.a",
                                           "Now {facts.region, plural, other {#}} and "
                                           "{facts.detention_count, date, long}.")}});
    REQUIRE(c.diags.size() == 2);
    CHECK(c.diags[0].code == "compose.type");
    CHECK(c.diags[0].span.line == 5);
    CHECK(c.diags[0].span.column == 5);
    CHECK(c.diags[0].message == "variable \"facts.region\" is a string, but plural needs a number");
    CHECK(c.diags[1].message.find("facts.detention_count") != std::string::npos);
}

TEST_CASE("malformed patterns and markup are reported, not thrown") {
    auto c = compose_case({{"a.md", clause("p.a",
                                           "Open {facts.region and more.\n\n"
                                           "Bold **never closed.\n\nCite [@nobody].")}});
    std::string all;
    for (const Diagnostic& d : c.diags) all += format_diagnostic(d) + "\n";
    INFO(all);
    REQUIRE(c.diags.size() == 3);
    CHECK(c.diags[0].span.line == 5);
    CHECK(c.diags[0].span.column == 20);  // where a ',' or '}' was expected
    CHECK(c.diags[1].message.find("never closed") != std::string::npos);
    CHECK(c.diags[2].code == "compose.unknown-source");
    CHECK(c.diags[2].span.column == 6);
}

TEST_CASE("cross-references become paragraph numbers, forwards too") {
    auto c = compose_case({{"a.md", clause("p.a", "See [§p.b] below.")},
                           {"b.md", clause("p.b", "One.\n\nTwo, as in [§p.a].")}});
    REQUIRE(c.diags.empty());
    const Section* s = section(c.doc, "body");
    REQUIRE(s->blocks.size() >= 3);  // then the signature
    CHECK(text_of(s->blocks[0].content) == "See paragraph\u00A02 below.");
    CHECK(text_of(s->blocks[2].content) == "Two, as in paragraph\u00A01.");
    CHECK(s->blocks[0].anchor == "clause:p.a");
    CHECK(s->blocks[1].anchor == "clause:p.b");
    auto bad = compose_case({{"a.md", clause("p.a", "See [§p.zzz].")}});
    REQUIRE(bad.diags.size() == 1);
    CHECK(bad.diags[0].code == "compose.cross-reference");
}

TEST_CASE("emphasis, strong, lists and headings") {
    auto c = compose_case({{"a.md",
                            "---\nid: p.a\ntitle: A title\nsection: body\n---\n"
                            "Plain *em* and **strong** text.\n\n- one\n- two\n"}});
    REQUIRE(c.diags.empty());
    const Section* s = section(c.doc, "body");
    REQUIRE(s->blocks.size() >= 4);
    CHECK(s->blocks[0].kind == Block::Kind::heading);
    CHECK(text_of(s->blocks[0].content) == "A title");
    const auto& p = s->blocks[1].content;
    REQUIRE(p.size() == 5);
    CHECK(p[1].text == "em");
    CHECK(p[1].style == Style::italic);
    CHECK(p[3].text == "strong");
    CHECK(p[3].style == Style::bold);
    CHECK(s->blocks[2].kind == Block::Kind::list_item);
    CHECK(text_of(s->blocks[3].content) == "two");
}

TEST_CASE("paragraphs are numbered continuously, sections in order, CV last") {
    auto c = compose_case({{"a.md", clause("p.a", "One.\n\nTwo.")},
                           {"b.md", clause("p.b", "Three.", "assessment")},
                           {"c.md", clause("p.c", "Zero.", "instructions")}},
                          "en-GB", "male",
                          "instructions:\n  firm: Firm\n  questions: [\"Is it {safe}?\"]\n");
    REQUIRE(c.diags.empty());
    REQUIRE(c.doc.sections.size() == 4);
    CHECK(c.doc.sections[0].label == "1");
    CHECK(c.doc.sections[0].blocks[0].number == 1);
    CHECK(c.doc.sections[0].blocks[1].kind == Block::Kind::quote);
    CHECK(text_of(c.doc.sections[0].blocks[1].content) == "(1) Is it {safe}?");
    CHECK(c.doc.sections[1].blocks[1].number == 3);
    CHECK(c.doc.sections[2].label == "3");
    CHECK(c.doc.sections[3].id == "cv");
    CHECK(c.doc.sections[3].appendix);
}

TEST_CASE("metadata never holds the applicant's name") {
    auto c = compose_case({{"a.md", clause("p.a", "Text.")}});
    std::string dump = compose::dump(c.doc);
    CHECK(dump.find("Secret Name") == std::string::npos);
    CHECK(c.doc.info.author == "Dr Test Expert");
    CHECK(c.doc.info.title.find("Tajikistan") != std::string::npos);
    CHECK(c.doc.info.date == Date{2026, 11, 20});
}

TEST_CASE("a sample report names the applicant only by pseudonym") {
    auto c =
        compose_case({{"a.md", clause("p.a", "{applicant.pseudonym} comes from {facts.home}.")}},
                     "en-GB", "male",
                     "  home: \"the home of SECRET NAME's family\"\n"
                     "instructions:\n  firm: Firm LLP\n  solicitor: Jane Counsel\n"
                     "  questions: [\"Did Mr Name (born 12/05/1994) tell Ms Counsel the truth?\"]\n"
                     "notes: \"Secret told me on 1994-05-12 that Secretary Names are fine.\"\n",
                     true);
    INFO((c.diags.empty() ? "" : format_diagnostic(c.diags.front())));
    REQUIRE(c.diags.empty());
    std::string dump = compose::dump(c.doc);
    CHECK(first_paragraph(c) == "AB comes from the home of AB\u2019s family.");
    INFO(dump);
    CHECK_FALSE(std::regex_search(dump, std::regex("\\bsecret\\b", std::regex::icase)));
    CHECK(dump.find("Counsel") == std::string::npos);
    CHECK(dump.find("1994") == std::string::npos);
    CHECK(
        dump.find("Mr\u00A0AB (born [date of birth withheld]) tell Ms the instructing solicitor") !=
        std::string::npos);
    // whole words only: "Secretary" and "Names" stay
    CHECK(dump.find("AB told me on [date of birth withheld] that Secretary Names are fine.") !=
          std::string::npos);
    CHECK(c.doc.watermark == "SAMPLE");
    CHECK(c.doc.cover.notice.find("Anonymised sample") == 0);
    CHECK(c.doc.info.title.rfind("Sample: ", 0) == 0);
}

TEST_CASE("a sample report refuses clause text that prints a confidential field") {
    auto c = compose_case({{"a.md", clause("p.a",
                                           "Born {applicant.born, date, long}: "
                                           "{applicant.name}.")}},
                          "en-GB", "male", {}, true);
    REQUIRE(c.diags.size() == 2);
    CHECK(c.diags[0].code == "compose.confidential");
    CHECK(c.diags[0].span.column == 6);
    CHECK(c.diags[1].message.find("applicant.name") != std::string::npos);
    // the same clause in a normal report prints them
    auto n = compose_case({{"a.md", clause("p.a",
                                           "Born {applicant.born, date, long}: "
                                           "{applicant.name}.")}});
    REQUIRE(n.diags.empty());
    CHECK(first_paragraph(n) == "Born 12\u00A0May 1994: Secret Name.");
}

TEST_CASE("dates are the same whatever the process time zone (UTC+14)") {
    // MessageFormat's date formats use the default time zone: in UTC+14 noon UTC is the next
    // day, and the report said "21 November" inside and "20 November" on its cover.
    std::unique_ptr<icu::TimeZone> saved(icu::TimeZone::createDefault());
    icu::TimeZone::adoptDefault(icu::TimeZone::createTimeZone("Pacific/Kiritimati"));
    auto c = compose_case({{"a.md", clause("p.a",
                                           "On {date, date, long} ({facts.left_country, date, "
                                           "long}; {facts.left_country}; {facts.left_country, "
                                           "date, short}; {facts.left_country, date, ::yMMMd}; "
                                           "{facts.left_country, date, full}).")}});
    icu::TimeZone::adoptDefault(saved.release());
    INFO((c.diags.empty() ? "" : format_diagnostic(c.diags.front())));
    REQUIRE(c.diags.empty());
    CHECK(first_paragraph(c) ==
          "On 20\u00A0November 2026 (14\u00A0March 2023; 14\u00A0March 2023; 14/03/2023; "
          "14\u00A0Mar 2023; "
          "Tuesday, 14\u00A0March 2023).");
    CHECK(c.doc.cover.rows.back().second == "20\u00A0November 2026");
}

TEST_CASE("a number that cannot be printed exactly is an error at its clause position") {
    // "1e400" read as infinity printed "∞ separate occasions". The loader now refuses 1e400
    // itself (and reads .inf as text), but numbers past 2^53 still reach compose, where
    // 12345678901234567891 would print as 12,345,678,901,234,567,168.
    auto c = compose_case({{"a.md", clause("p.a",
                                           "On {facts.big} separate occasions; "
                                           "{facts.big, plural, one {# time} other {# times}}; "
                                           "{facts.huge, number}; {facts.fine, number}.")}},
                          "en-GB", "male",
                          "  big: 12345678901234567891\n  huge: 1e300\n  fine: 12345\n");
    std::string all;
    for (const Diagnostic& d : c.diags) all += format_diagnostic(d) + "\n";
    INFO(all);
    REQUIRE(c.diags.size() == 3);
    for (const Diagnostic& d : c.diags) {
        CHECK(d.code == "compose.number");
        CHECK(d.span.file == "a.md");
        CHECK(d.span.line == 5);
    }
    CHECK(c.diags[0].span.column == 4);
    CHECK(c.diags[0].message ==
          "variable \"facts.big\" is 12345678901234567891, which cannot be printed exactly");
    CHECK(c.diags[2].message.find("facts.huge") != std::string::npos);
}

TEST_CASE("a sample's cover, header and metadata carry the sample reference, no firm, no numbers") {
    auto c = compose_case(
        {{"a.md", clause("p.a", "I am instructed by {instructions.firm} ({reference}).")}}, "en-GB",
        "male",
        "appeal:\n  number: PA/51234/2026\ninstructions:\n  firm: Whitcombe & Co Solicitors\n"
        "  solicitor: Joanna Whitcombe\n",
        true);
    INFO((c.diags.empty() ? "" : format_diagnostic(c.diags.front())));
    REQUIRE(c.diags.empty());
    CHECK(first_paragraph(c) ==
          "I am instructed by the applicant\xE2\x80\x99s representatives (SAMPLE).");
    std::string dump = compose::dump(c.doc);
    INFO(dump);
    for (const char* secret : {"Whitcombe", "PA/51234", "T-", "Secret", "1994", "Prepared for"})
        CHECK(dump.find(secret) == std::string::npos);
    CHECK(c.doc.header == "Expert report on Tajikistan \xC2\xB7 SAMPLE");
    CHECK(c.doc.info.title == "Sample: Expert report on Tajikistan (SAMPLE)");
    bool reference = false;
    for (const auto& [label, value] : c.doc.cover.rows) {
        CHECK(label != "Prepared for");
        CHECK(label != "Appeal number");
        if (label == "Case reference") reference = value == "SAMPLE";
    }
    CHECK(reference);
    CHECK(c.doc.cover.notice.find("dates of birth have been removed") != std::string::npos);
}

TEST_CASE("the PDF's subject and keywords name no grounds and no facts") {
    for (bool sample : {false, true}) {
        auto c = compose_case({{"a.md", clause("p.a", "Text.")}}, "en-GB", "male", {}, sample);
        REQUIRE(c.diags.empty());
        CHECK(c.doc.info.subject == "Expert report on country conditions in Tajikistan");
        CHECK(c.doc.info.keywords == "expert report, country evidence, Tajikistan");
        for (const std::string* s : {&c.doc.info.title, &c.doc.info.subject, &c.doc.info.keywords})
            for (const char* word : {"sexual", "orientation", "Dushanbe", "Secret"})
                CHECK(s->find(word) == std::string::npos);
    }
}

TEST_CASE("a non-finite number is refused rather than printed as a symbol") {
    TempDir dir;
    dir.write("expert.yaml", "name: Dr Test Expert\ncountry: GB\n");
    dir.write("lib/report.yaml", "sections:\n  - {id: body, title: Body}\n");
    dir.write("lib/p/a.md", clause("p.a", "On {facts.n} separate occasions."));
    std::string path = dir.write("case.yaml",
                                 "dossier: 1\nreference: T-inf\ndate: 2026-11-20\nexpert: "
                                 "expert.yaml\napplicant:\n  name: A B\ncountry: TJ\n"
                                 "grounds: [religion]\nfacts:\n  n: 2\n");
    Diagnostics d;
    load::Schemas schemas = load::load_schemas(DOSSIER_SOURCE_DIR "/schemas", d);
    Library lib = load::load_library(dir.path() + "/lib", {}, schemas, d);
    auto c = load::load_case(path, Date{2026, 11, 29}, schemas, nullptr, d);
    REQUIRE(c);
    REQUIRE(d.empty());
    for (double n :
         {std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
          std::numeric_limits<double>::quiet_NaN()}) {
        Value* fact = c->root.at_path("facts.n") ? c->root.find("facts")->find("n") : nullptr;
        REQUIRE(fact);
        fact->number = n;
        fact->text.clear();
        rules::Selection sel;
        sel.clauses = {0};
        Diagnostics out;
        Document doc = compose::compose(*c, lib, sel, {}, out);
        REQUIRE(out.size() == 1);
        CHECK(out[0].code == "compose.number");
        CHECK(out[0].span.column == 4);
        CHECK(compose::dump(doc).find("\xE2\x88\x9E") == std::string::npos);  // ∞
    }
}
