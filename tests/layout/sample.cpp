#include "sample.hpp"

#include <stdexcept>

namespace dossier::layout::test {

namespace {

const char* const kSentences[] = {
    "The applicant is a national of Tajikistan who lived in Dushanbe until his departure in "
    "the spring of 2023.",
    "I have been asked to comment on the treatment of persons who are perceived to be "
    "associated with banned opposition movements and on the risk they would face on return.",
    "The information set out below is drawn from my own fieldwork, from interviews conducted "
    "with lawyers and human rights defenders, and from published reports of international "
    "organisations.",
    "Since 2015 the authorities have designated the principal opposition party an extremist "
    "organisation, and membership of it, or the appearance of support for it, has been "
    "prosecuted as a serious criminal offence.",
    "Relatives of political exiles have been summoned for questioning, dismissed from their "
    "employment, and in several documented instances detained without charge for periods of "
    "several weeks.",
    "The police campaign described in the preceding paragraphs was not confined to the capital; "
    "comparable measures were reported in the southern provinces and in the Rasht valley.",
    "Domestic remedies are, in my opinion, ineffective: the courts are not independent of the "
    "executive, defence lawyers who take politically sensitive cases have themselves been "
    "imprisoned, and complaints to the ombudsman are rarely answered.",
    "It is important to distinguish between the formal position in legislation and the "
    "practice of the security services, which is considerably harsher and largely "
    "unaccountable.",
    "Returnees who are identified at the airport as having claimed asylum abroad are routinely "
    "questioned by officers of the State Committee for National Security, and the questioning "
    "frequently concerns their contacts while outside the country.",
    "The available evidence indicates that the authorities maintain lists of persons of "
    "interest, which are shared with border officials and updated on the basis of "
    "information obtained from informants within diaspora communities.",
    "I note that the applicant's account of the summons served on his brother is consistent "
    "with the pattern of harassment reported by independent monitors throughout the period in "
    "question.",
    "Notwithstanding the limited availability of reliable statistics, the overall picture is "
    "one of systematic and deliberate pressure on the families of those who are regarded as "
    "disloyal.",
};

}  // namespace

const FontSet& fonts() {
    // Loaded once: the set is immutable after loading and safe to share between tests.
    static const FontSet set = [] {
        Diagnostics d;
        FontSet s = load_fonts(DOSSIER_SOURCE_DIR "/fonts", d);
        if (has_errors(d)) throw std::runtime_error("cannot load the bundled fonts");
        return s;
    }();
    return set;
}

Inline text(std::string s, Style style) {
    Inline in;
    in.text = std::move(s);
    in.style = style;
    in.origin = {"clauses/tj/sample.md", 3, 1};
    return in;
}

Inline note_ref(int number) {
    Inline in;
    in.kind = Inline::Kind::footnote_ref;
    in.footnote = number;
    in.text = std::to_string(number);
    return in;
}

Inline link(std::string s, std::string uri) {
    Inline in = text(std::move(s));
    in.uri = std::move(uri);
    return in;
}

Block paragraph(int number, std::vector<Inline> content) {
    Block b;
    b.kind = Block::Kind::paragraph;
    b.number = number;
    b.content = std::move(content);
    return b;
}

Block block(Block::Kind kind, std::vector<Inline> content) {
    Block b;
    b.kind = kind;
    b.content = std::move(content);
    return b;
}

std::string prose(int sentences, int seed) {
    constexpr int count = sizeof kSentences / sizeof kSentences[0];
    std::string out;
    for (int i = 0; i < sentences; ++i) {
        if (i) out += ' ';
        out += kSentences[(seed + i * 5) % count];
    }
    return out;
}

Document sample_report() {
    Document doc;
    doc.info.title = "Expert report";
    doc.info.author = "Dr A. Expert";
    doc.header = "Expert report \u00B7 TJ-2026-014";
    doc.cover.title = "Expert report";
    doc.cover.subtitle = "Country conditions: Tajikistan";
    doc.cover.rows = {{"Reference", "TJ-2026-014"},
                      {"Prepared for", "The First-tier Tribunal (Immigration and Asylum Chamber)"},
                      {"Expert", "Dr A. Expert"},
                      {"Date", "12 March 2026"}};
    doc.cover.notice = "Confidential";

    int number = 0, note = 0;
    auto add_note = [&](std::string content) {
        ++note;
        Footnote f;
        f.number = note;
        f.content = {text(std::move(content))};
        doc.footnotes.push_back(std::move(f));
        return note;
    };
    auto numbered = [&](Section& s, int sentences, int seed, bool cite) {
        std::vector<Inline> content{text(prose(sentences, seed))};
        if (cite) {
            // The marker follows the sentence's full stop, with no space.
            int n = add_note(
                "Human Rights Watch, \u201CTajikistan: Events of 2024\u201D, World "
                "Report 2025, p. " +
                std::to_string(100 + seed) + ".");
            content.push_back(note_ref(n));
            content.push_back(text(" " + prose(2, seed + 3)));
        }
        s.blocks.push_back(paragraph(++number, std::move(content)));
    };

    Section intro{"introduction", "1", "Introduction", false, {}};
    for (int i = 0; i < 6; ++i) numbered(intro, 3 + i % 3, i, i % 2 == 0);
    doc.sections.push_back(std::move(intro));

    Section instructions{"instructions", "2", "Instructions and the questions put", false, {}};
    numbered(instructions, 2, 7, false);
    instructions.blocks.push_back(block(
        Block::Kind::quote,
        {text("Please comment on the risk that the appellant would face on return to Tajikistan, "
              "having regard to his brother\u2019s detention and the ",
              Style::italic),
         text("summons", Style::bold_italic),
         text(" served at the family home in 2022.", Style::italic)}));
    numbered(instructions, 3, 8, true);
    for (const char* item :
         {"the treatment of relatives of opposition activists;",
          "the monitoring of the diaspora by the security services, including through informants "
          "and through the surveillance of social media accounts;",
          "the availability of protection from the police or the courts."}) {
        instructions.blocks.push_back(block(Block::Kind::list_item, {text(item)}));
    }
    numbered(instructions, 4, 9, false);
    doc.sections.push_back(std::move(instructions));

    Section background{"background", "3", "Country background", false, {}};
    Block h = block(Block::Kind::heading, {text("The campaign against the opposition")});
    h.anchor = "campaign";
    background.blocks.push_back(std::move(h));
    for (int i = 0; i < 10; ++i) numbered(background, 3 + i % 4, 10 + i, i % 3 != 1);
    background.blocks.push_back(block(Block::Kind::heading, {text("Treatment of returnees")}));
    for (int i = 0; i < 8; ++i) numbered(background, 2 + i % 5, 20 + i, i % 2 == 1);
    // A long footnote, to be split across the foot of two pages if need be.
    {
        int n = add_note(prose(14, 4));
        std::vector<Inline> content{text(prose(3, 5)), note_ref(n), text(" " + prose(2, 6))};
        background.blocks.push_back(paragraph(++number, std::move(content)));
    }
    doc.sections.push_back(std::move(background));

    Section opinion{"opinion", "4", "Opinion on risk on return", false, {}};
    for (int i = 0; i < 10; ++i) numbered(opinion, 3 + i % 3, 30 + i, i % 2 == 0);
    doc.sections.push_back(std::move(opinion));

    Section sources{"sources", "5", "Sources", false, {}};
    for (int i = 0; i < 6; ++i) {
        std::string uri = "https://www.example.org/reports/2024/central-asia/tajikistan-" +
                          std::to_string(i) + "/full-text.html";
        sources.blocks.push_back(block(
            Block::Kind::source,
            {text("Human Rights Watch (2025) "), text("Tajikistan: Events of 2024", Style::italic),
             text(". Available at: "), link(uri, uri), text(" (accessed 1 March 2026).")}));
    }
    doc.sections.push_back(std::move(sources));

    Section cv{"cv", "Appendix A", "Curriculum vitae of the expert", true, {}};
    for (int i = 0; i < 4; ++i)
        cv.blocks.push_back(block(Block::Kind::plain, {text(prose(3, 40 + i))}));
    doc.sections.push_back(std::move(cv));
    return doc;
}

}  // namespace dossier::layout::test
