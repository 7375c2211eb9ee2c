// The integrity rules: what each forum requires of the case before a declaration may certify it.
#include <algorithm>
#include <catch2/catch.hpp>

#include "rules/rules.hpp"

using namespace dossier;
using namespace dossier::rules;

namespace {

// A uk-ftt-iac case that gives everything the forum requires.
Case complete(const std::string& jurisdiction = "uk-ftt-iac") {
    Case c;
    c.file = "case.yaml";
    c.jurisdiction = jurisdiction;
    c.country = "TJ";
    c.grounds = {"sexual_orientation"};
    c.instructions.given = true;
    c.instructions.span = {"case.yaml", 8, 1};
    c.instructions.received = Date{2026, 10, 2};
    c.instructions.items.push_back({Date{2026, 10, 2}, "letter", "Letter of instruction.", {}});
    Case::Question q;
    q.ask = "Is the account consistent?";
    q.answer = "It is.";
    q.span = {"case.yaml", 14, 7};
    c.instructions.questions.push_back(q);
    c.documents.given = true;
    c.documents.none = true;
    c.range_of_opinion.given = true;
    c.range_of_opinion.none = true;
    c.assistance.given = true;
    c.assistance.none = true;
    c.appeal.a_number = "A201555012";
    c.expert.file = "expert.yaml";
    c.expert.expertise_given = true;
    c.expert.expertise_span = {"expert.yaml", 10, 3};
    c.expert.countries = {"TJ", "KG"};
    c.expert.themes = {"sexual_orientation"};
    return c;
}

std::vector<std::string> codes(const std::vector<Gap>& gaps) {
    std::vector<std::string> out;
    for (const Gap& g : gaps) out.push_back(g.code);
    return out;
}

}  // namespace

TEST_CASE("a complete case has no gaps in any forum") {
    for (const char* j : {"uk-ftt-iac", "uk-utiac", "uk-cpr35", "us-eoir", "generic"})
        CHECK(find_gaps(complete(j)).empty());
}

TEST_CASE("uk forums require documents, range of opinion, assistance and instructions") {
    for (const char* j : {"uk-ftt-iac", "uk-utiac", "uk-cpr35"}) {
        Case c = complete(j);
        c.documents = {};
        c.documents.span = {"case.yaml", 1, 1};
        c.range_of_opinion = {};
        c.assistance = {};
        c.instructions.items.clear();
        c.instructions.received.reset();
        auto gaps = find_gaps(c);
        CHECK(codes(gaps) ==
              std::vector<std::string>{"integrity.instructions", "integrity.documents",
                                       "integrity.range-of-opinion", "integrity.assistance"});
        for (const Gap& g : gaps) CHECK(g.required);
        // Located at the field's parent when it exists, else the file's start.
        CHECK(gaps[0].span.line == 8);
        CHECK(gaps[1].span.line == 1);
        CHECK(gaps[1].message ==
              "documents: the " + std::string(j) +
                  " forum requires the documents the expert considered (a list, or `none`)");
        CHECK(gaps[1].section == "documents");
    }
}

TEST_CASE("received with the questions is enough for the instructions") {
    Case c = complete();
    c.instructions.items.clear();
    CHECK(find_gaps(c).empty());
    c.instructions.questions.clear();
    CHECK(codes(find_gaps(c)) == std::vector<std::string>{"integrity.instructions"});
}

TEST_CASE("every forum but generic requires an answer to every question") {
    for (const char* j : {"uk-ftt-iac", "uk-utiac", "uk-cpr35", "us-eoir"}) {
        Case c = complete(j);
        Case::Question q;
        q.ask = "Second question?";
        q.span = {"case.yaml", 17, 7};
        c.instructions.questions.push_back(q);
        auto gaps = find_gaps(c);
        REQUIRE(gaps.size() == 1);
        CHECK(gaps[0].code == "integrity.answer");
        CHECK(gaps[0].question == 2);
        CHECK(gaps[0].span.line == 17);
        CHECK(gaps[0].placeholder == "question 2 has no answer yet");
        CHECK(gaps[0].message.rfind("instructions.questions[1]: question 2 has no answer", 0) == 0);
    }
    Case g = complete("generic");
    g.instructions.questions[0].answer.clear();
    CHECK(find_gaps(g).empty());
}

TEST_CASE("us-eoir requires the A-number for the caption") {
    Case c = complete("us-eoir");
    c.appeal.a_number.clear();
    CHECK(codes(find_gaps(c)) == std::vector<std::string>{"integrity.a-number"});
    // US forums do not require the UK fields.
    c = complete("us-eoir");
    c.documents = {};
    c.range_of_opinion = {};
    c.assistance = {};
    CHECK(find_gaps(c).empty());
}

TEST_CASE("a case outside the expert's listed expertise is a gap") {
    Case c = complete();
    c.country = "RU";
    auto gaps = find_gaps(c);
    REQUIRE(gaps.size() == 1);
    CHECK(gaps[0].code == "integrity.expertise");
    CHECK(gaps[0].message ==
          "expertise.countries: the expert profile does not list RU, the country of this case");
    CHECK(gaps[0].span.file == "expert.yaml");

    c = complete();
    c.grounds = {"sexual_orientation", "gender_identity"};
    gaps = find_gaps(c);
    REQUIRE(gaps.size() == 1);
    CHECK(gaps[0].field == "expertise.themes");

    c = complete();
    c.expert.expertise_given = false;
    CHECK(codes(find_gaps(c)) == std::vector<std::string>{"integrity.expertise"});
}

TEST_CASE("generic keeps every gap as a recommendation") {
    Case c = complete("generic");
    c.documents = {};
    c.expert.countries = {"KG"};
    auto gaps = find_gaps(c);
    REQUIRE(gaps.size() == 2);
    for (const Gap& g : gaps) CHECK_FALSE(g.required);
    Diagnostics d;
    report_gaps(gaps, true, d);
    REQUIRE(d.size() == 2);
    for (const Diagnostic& x : d) CHECK(x.severity == Severity::warning);
}

TEST_CASE("report_gaps: errors for render, warnings for check") {
    Case c = complete();
    c.documents = {};
    auto gaps = find_gaps(c);
    Diagnostics render, check;
    report_gaps(gaps, true, render);
    report_gaps(gaps, false, check);
    REQUIRE(render.size() == 1);
    CHECK(render[0].severity == Severity::error);
    CHECK(render[0].hints ==
          std::vector<std::string>{"render --draft marks the gap in a draft report instead"});
    REQUIRE(check.size() == 1);
    CHECK(check[0].severity == Severity::warning);
}
