// The integrity rules: a declaration certifies only what the report contains, every question
// put is answered, and the expert claims no expertise the profile does not list.
#include <algorithm>

#include "rules/rules.hpp"

namespace dossier::rules {

namespace {

bool uk_forum(const std::string& j) {
    return j == "uk-cpr35" || j == "uk-ftt-iac" || j == "uk-utiac";
}

bool contains(const std::vector<std::string>& list, const std::string& item) {
    return std::find(list.begin(), list.end(), item) != list.end();
}

Span file_start(const Case& c) { return {c.file, 1, 1}; }

}  // namespace

std::vector<Gap> find_gaps(const Case& c) {
    std::vector<Gap> gaps;
    const bool generic = c.jurisdiction == "generic";
    auto add = [&](Gap g) {
        g.required = !generic;
        gaps.push_back(std::move(g));
    };
    const std::string forum = "the " + c.jurisdiction + " forum";

    if (uk_forum(c.jurisdiction) || generic) {
        const auto& in = c.instructions;
        bool substance = !in.items.empty() || (in.received && !in.questions.empty());
        if (!substance)
            add({"integrity.instructions", "instructions.items",
                 "instructions.items: " + forum +
                     " requires the substance of all material instructions, written or oral "
                     "(or at least instructions.received with the questions)",
                 "the substance of the instructions is not set out yet", "instructions", 0, true,
                 in.given ? in.span : file_start(c)});
        if (!c.documents.given)
            add({"integrity.documents", "documents",
                 "documents: " + forum +
                     " requires the documents the expert considered (a list, or `none`)",
                 "the documents considered are not listed yet", "documents", 0, true,
                 c.documents.span});
        if (!c.range_of_opinion.given)
            add({"integrity.range-of-opinion", "range_of_opinion",
                 "range_of_opinion: " + forum +
                     " requires the range of opinion on the matters in the report and the "
                     "reasons for the expert's own (a list, or `none`)",
                 "the range of opinion is not stated yet", "range-of-opinion", 0, true,
                 c.range_of_opinion.span});
        if (!c.assistance.given)
            add({"integrity.assistance", "assistance",
                 "assistance: " + forum +
                     " requires who carried out any examination or interview or assisted "
                     "(a list, or `none`)",
                 "who assisted is not stated yet", "methodology", 0, true, c.assistance.span});
    }

    if (!generic) {
        int n = 0;
        for (const auto& q : c.instructions.questions) {
            ++n;
            if (!q.answer.empty()) continue;
            std::string number = std::to_string(n);
            add({"integrity.answer", "instructions.questions[" + std::to_string(n - 1) + "].answer",
                 "instructions.questions[" + std::to_string(n - 1) + "]: question " + number +
                     " has no answer; " + forum + " requires an answer to every question put",
                 "question " + number + " has no answer yet", "conclusions", n, true, q.span});
        }
    }

    if (c.jurisdiction == "us-eoir" && c.appeal.a_number.empty())
        add({"integrity.a-number", "appeal.a_number",
             "appeal.a_number: the us-eoir forum requires the respondent's A-number for the "
             "caption",
             "A-number not given yet", "", 0, true,
             c.appeal.span.line > 0 ? c.appeal.span : file_start(c)});

    const Expert& e = c.expert;
    Span at = e.expertise_given ? e.expertise_span : Span{e.file, 1, 1};
    if (!e.expertise_given) {
        add({"integrity.expertise", "expertise",
             "expertise: the expert profile lists no fields of expertise (countries and themes), "
             "so the report cannot claim any",
             "the expert's fields of expertise are not listed yet", "expertise", 0, true, at});
    } else {
        if (!contains(e.countries, c.country))
            add({"integrity.expertise", "expertise.countries",
                 "expertise.countries: the expert profile does not list " + c.country +
                     ", the country of this case",
                 "the expert's profile does not list " + c.country +
                     " among the countries of their expertise",
                 "expertise", 0, true, at});
        for (const std::string& g : c.grounds)
            if (!contains(e.themes, g))
                add({"integrity.expertise", "expertise.themes",
                     "expertise.themes: the expert profile does not list \"" + g +
                         "\", a ground of this case",
                     "the expert's profile does not list " + g + " among their themes", "expertise",
                     0, true, at});
    }
    return gaps;
}

void report_gaps(const std::vector<Gap>& gaps, bool as_errors, Diagnostics& diagnostics) {
    for (const Gap& g : gaps) {
        std::vector<std::string> hints;
        if (g.required && as_errors)
            hints.push_back("render --draft marks the gap in a draft report instead");
        if (g.required && as_errors)
            error(diagnostics, g.span, g.code, g.message, std::move(hints));
        else
            warning(diagnostics, g.span, g.code, g.message);
    }
}

}  // namespace dossier::rules
