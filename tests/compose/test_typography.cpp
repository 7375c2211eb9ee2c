// The typography of composed text (compose/typography.hpp): each rule with real strings, the
// text it must leave alone, and the examples composed end to end.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "../support/temp_files.hpp"
#include "compose/compose.hpp"
#include "compose/typography.hpp"
#include "examples.hpp"
#include "load/load.hpp"

using namespace dossier;
using dossier::compose::detail::punctuation_before_notes;
using dossier::compose::detail::typeset_inlines;
using dossier::compose::detail::typeset_text;
using dossier::compose::detail::TypographyOptions;

namespace {

const std::string nb = "\xC2\xA0";       // U+00A0 no-break space
const std::string en = "\xE2\x80\x93";   // U+2013 en dash
const std::string em = "\xE2\x80\x94";   // U+2014 em dash
const std::string lsq = "\xE2\x80\x98";  // ‘
const std::string rsq = "\xE2\x80\x99";  // ’ (also the apostrophe)
const std::string ldq = "\xE2\x80\x9C";  // “
const std::string rdq = "\xE2\x80\x9D";  // ”

std::string gb(const std::string& s) { return typeset_text(s, {}); }

std::string us(const std::string& s) {
    TypographyOptions o;
    o.language = "en-US";
    return typeset_text(s, o);
}

Inline text(const std::string& s, Style style = Style::regular, const std::string& uri = {}) {
    Inline in;
    in.text = s;
    in.style = style;
    in.uri = uri;
    return in;
}

Inline note(int n) {
    Inline in;
    in.kind = Inline::Kind::footnote_ref;
    in.text = std::to_string(n);
    in.footnote = n;
    return in;
}

// The runs as one string, markers shown as [n].
std::string shown(const std::vector<Inline>& runs) {
    std::string out;
    for (const Inline& in : runs)
        out += in.kind == Inline::Kind::footnote_ref ? "[" + in.text + "]" : in.text;
    return out;
}

}  // namespace

TEST_CASE("note markers go after the punctuation that follows them") {
    std::vector<Inline> runs = {text("since then"), note(5), text(". Later")};
    typeset_inlines(runs, {});
    CHECK(shown(runs) == "since then.[5] Later");
    REQUIRE(runs.size() == 3);
    CHECK(runs[1].kind == Inline::Kind::footnote_ref);

    runs = {text("two sources"), note(1), note(2), text(", and more")};
    typeset_inlines(runs, {});
    CHECK(shown(runs) == "two sources,[1][2] and more");

    for (const char* p : {";", ":", "!", "?"}) {
        runs = {text("a"), note(3), text(std::string(p) + " b")};
        punctuation_before_notes(runs, {});
        CHECK(shown(runs) == "a" + std::string(p) + "[3] b");
    }
    // The whole following run moved: it disappears.
    runs = {text("the end"), note(4), text(".")};
    typeset_inlines(runs, {});
    CHECK(shown(runs) == "the end.[4]");
    CHECK(runs.size() == 2);
}

TEST_CASE("a closing quotation mark moves with the punctuation, a parenthesis does not") {
    std::vector<Inline> runs = {text("\"a social disease"), note(2), text("\". Then")};
    typeset_inlines(runs, {});
    CHECK(shown(runs) == ldq + "a social disease" + rdq + ".[2] Then");

    runs = {text("(see the report"), note(6), text(").")};
    typeset_inlines(runs, {});
    CHECK(shown(runs) == "(see the report[6]).");

    // An apostrophe that starts a word is not a closing quote.
    runs = {text("the Ministry"), note(1), text(rsq + "s view")};
    punctuation_before_notes(runs, {});
    CHECK(shown(runs) == "the Ministry[1]" + rsq + "s view");
}

TEST_CASE("moved punctuation keeps one full stop and its own style") {
    std::vector<Inline> runs = {text("and so on, etc."), note(1), text(". Next")};
    typeset_inlines(runs, {});
    CHECK(shown(runs) == "and so on, etc.[1] Next");

    // After an italic title the full stop stays roman, in a run of its own.
    runs = {text("Country Report", Style::italic), note(2), text(", which")};
    typeset_inlines(runs, {});
    REQUIRE(runs.size() == 4);
    CHECK(runs[0].text == "Country Report");
    CHECK(runs[1].text == ",");
    CHECK(runs[1].style == Style::regular);
    CHECK(runs[2].kind == Inline::Kind::footnote_ref);
    CHECK(runs[3].text == " which");

    // Nothing to move after a link's text.
    runs = {text("x"), note(1), text(".example", Style::regular, "https://a.example")};
    typeset_inlines(runs, {});
    CHECK(shown(runs) == "x[1].example");
}

TEST_CASE("no-break spaces tie numbers to the words that name them") {
    CHECK(gb("see paragraph 23 above") == "see paragraph" + nb + "23 above");
    CHECK(gb("Paragraph 4 says") == "Paragraph" + nb + "4 says");
    CHECK(gb("paragraphs 25-31") == "paragraphs" + nb + "25" + en + "31");
    CHECK(gb("para 4 and paras 5-6") == "para" + nb + "4 and paras" + nb + "5" + en + "6");
    CHECK(gb("(n 7).") == "(n" + nb + "7).");
    CHECK(gb("at p 3 and pp 3-5") == "at p" + nb + "3 and pp" + nb + "3" + en + "5");
    CHECK(gb("28 USC \u00A7 1746") == "28 USC \u00A7" + nb + "1746");
    CHECK(gb("\u00A7\u00A7 1-3") == "\u00A7\u00A7" + nb + "1" + en + "3");
    CHECK(gb("Protocol No. 5") == "Protocol No." + nb + "5");
    CHECK(gb("under Article 3 ECHR") == "under Article" + nb + "3 ECHR");
    CHECK(gb("section 9 and Part 3") == "section" + nb + "9 and Part" + nb + "3");
    CHECK(gb("rule 35 reports") == "rule" + nb + "35 reports");
    CHECK(gb("pages 25-31, 40-42 and 50-51") ==
          "pages" + nb + "25" + en + "31, 40" + en + "42 and 50" + en + "51");
}

TEST_CASE("no-break spaces after titles and between day and month") {
    CHECK(gb("Dr Elsdale and Prof Smith") == "Dr" + nb + "Elsdale and Prof" + nb + "Smith");
    CHECK(gb("Lord Justice Sedley") == "Lord" + nb + "Justice" + nb + "Sedley");
    CHECK(gb("Mr. Jones, Mrs Jones, Ms Lee, Mx Kay") ==
          "Mr." + nb + "Jones, Mrs" + nb + "Jones, Ms" + nb + "Lee, Mx" + nb + "Kay");
    CHECK(gb("Judge Ruth, Sir Stephen, Dame Laura, Lady Hale, Professor Ng") ==
          "Judge" + nb + "Ruth, Sir" + nb + "Stephen, Dame" + nb + "Laura, Lady" + nb +
              "Hale, Professor" + nb + "Ng");
    CHECK(gb("accessed 5 October 2026") == "accessed 5" + nb + "October 2026");
    CHECK(gb("on 1st May") == "on 1st" + nb + "May");
    CHECK(us("accessed October 5, 2026") == "accessed October" + nb + "5, 2026");
    CHECK(us("on 5 Oct.") == "on 5" + nb + "Oct.");
}

TEST_CASE("no-break spaces only where the pair is there") {
    CHECK(gb("Part of the problem") == "Part of the problem");
    CHECK(gb("the judge said") == "the judge said");
    CHECK(gb("Dr and nurse") == "Dr and nurse");
    CHECK(gb("in October 2026") == "in October 2026");
    CHECK(gb("32 October") == "32 October");
    CHECK(gb("he may 5 times") == "he may 5 times");
    CHECK(gb("Section headings") == "Section headings");
}

TEST_CASE("straight quotes become typographic, keeping the kind typed") {
    CHECK(gb("'single' and \"double\"") == lsq + "single" + rsq + " and " + ldq + "double" + rdq);
    CHECK(us("'single' and \"double\"") == lsq + "single" + rsq + " and " + ldq + "double" + rdq);
    CHECK(gb("'a \"nested\" one'") == lsq + "a " + ldq + "nested" + rdq + " one" + rsq);
    CHECK(gb("(\"bracketed\")") == "(" + ldq + "bracketed" + rdq + ")");
    CHECK(gb("'He left.'") == lsq + "He left." + rsq);
    CHECK(gb("word--'quote'") == "word" + en + lsq + "quote" + rsq);
    // German marks from CLDR, still by kind.
    TypographyOptions de;
    de.language = "de-DE";
    CHECK(typeset_text("\"Haus\"", de) ==
          "\xE2\x80\x9E"
          "Haus" +
              ldq);
}

TEST_CASE("apostrophes in and before words") {
    CHECK(gb("don't") == "don" + rsq + "t");
    CHECK(gb("the applicant's account") == "the applicant" + rsq + "s account");
    CHECK(gb("the applicants' case") == "the applicants" + rsq + " case");
    CHECK(gb("in the '90s") == "in the " + rsq + "90s");
    CHECK(gb("a lone ' mark") == "a lone ' mark");
}

TEST_CASE("dashes, ranges and ellipses") {
    CHECK(gb("2019--2021") == "2019" + en + "2021");
    CHECK(gb("he left---at night") == "he left" + em + "at night");
    CHECK(gb("and then...") == "and then\xE2\x80\xA6");
    CHECK(gb("the end....") == "the end\xE2\x80\xA6.");
    CHECK(gb("from 1990-1995") == "from 1990" + en + "1995");
    CHECK(gb("detained - twice - in 2021") == "detained " + en + " twice " + en + " in 2021");
    // Hyphens that are no range stay.
    CHECK(gb("a 3-5 vote") == "a 3-5 vote");
    CHECK(gb("1995-1990") == "1995-1990");
    CHECK(gb("well-founded fear") == "well-founded fear");
    CHECK(gb("- a leading hyphen") == "- a leading hyphen");
    CHECK(gb("------") == "------");
}

TEST_CASE("addresses, dates, numbers and identifiers are never changed") {
    for (const char* s : {
             "https://www.example.org/a--b/c...d?x='y'",
             "see www.gov.uk/guidance--2024 now",
             "write to r.elsdale@example.org's desk",
             "born 2024-03-01, left 1994-05-12",
             "appeal PA/12345/2024 and HU/00123/2025",
             "A-number A123-456-789",
             "A 123-456-789",
             "reference TJ-2026-014",
             "file example.org/path--x",
         }) {
        INFO(s);
        std::string out = gb(s);
        CHECK(out.find("--") == std::string(s).find("--"));
        CHECK(out.find("...") == std::string(s).find("..."));
    }
    CHECK(gb("born 2024-03-01") == "born 2024-03-01");
    CHECK(gb("(PA/12345/2024)") == "(PA/12345/2024)");
    CHECK(gb("A123-456-789.") == "A123-456-789.");
    CHECK(gb("\"TJ-2026-014\"") == ldq + "TJ-2026-014" + rdq);
    CHECK(gb("https://example.org/it's") == "https://example.org/it's");

    // A run that links to an address is left whole, even where its neighbours change.
    std::vector<Inline> runs = {text("see \""), text("a--b...'c'", Style::regular, "https://x.org"),
                                text("\" -- done")};
    typeset_inlines(runs, {});
    CHECK(runs[0].text == "see " + ldq);
    CHECK(runs[1].text == "a--b...'c'");
    CHECK(runs[2].text == rdq + " " + en + " done");
}

TEST_CASE("names given to keep are spelt as typed") {
    TypographyOptions o;
    o.keep = {"Siobh\xC3\xA1n O'Neill", "Dr Rowan O'Brien-Smith"};
    CHECK(typeset_text("Siobh\xC3\xA1n O'Neill's account", o) ==
          "Siobh\xC3\xA1n O'Neill" + rsq + "s account");
    CHECK(typeset_text("Dr Rowan O'Brien-Smith", o) == "Dr" + nb + "Rowan O'Brien-Smith");
    CHECK(typeset_text("Mr O'Hara", o) == "Mr" + nb + "O" + rsq + "Hara");
}

TEST_CASE("a change is made inside one run - context comes from its neighbours") {
    // The apostrophe follows a letter of the italic run before it.
    std::vector<Inline> runs = {text("the Guardian", Style::italic), text("'s report")};
    typeset_inlines(runs, {});
    CHECK(runs[1].text == rsq + "s report");
    // A no-break space before a cross-reference's number, and in its internal link.
    runs = {text("See paragraphs "), text("19-22", Style::regular, "#clause:a"), text(".")};
    typeset_inlines(runs, {});
    CHECK(runs[0].text == "See paragraphs" + nb);
    CHECK(runs[1].text == "19" + en + "22");
    runs = {text("paragraph 7", Style::regular, "#clause:b")};
    typeset_inlines(runs, {});
    CHECK(runs[0].text == "paragraph" + nb + "7");
    // "--" split across two runs is left alone.
    runs = {text("a -"), text("- b", Style::bold)};
    typeset_inlines(runs, {});
    CHECK(shown(runs) == "a -- b");
}

TEST_CASE("malformed UTF-8 is left for layout to report") {
    std::string bad = "it's \xFF --";
    CHECK(gb(bad) == bad);
}

namespace {

struct Example {
    std::string name;
    Document doc;
};

std::vector<Example> compose_examples(bool sample) {
    std::vector<Example> out;
    for (const std::string& name : test::example_names()) {
        Diagnostics diags;
        compose::Options options;
        options.sample = sample;
        Document doc = test::compose_example(name, options, diags);
        for (auto& d : diags) UNSCOPED_INFO(format_diagnostic(d));
        REQUIRE(!has_errors(diags));
        out.push_back({name, std::move(doc)});
    }
    REQUIRE(out.size() >= 2);
    return out;
}

// Every run of the document: blocks, then footnotes.
template <class F>
void each_content(const Document& doc, F f) {
    for (const Section& s : doc.sections)
        for (const Block& b : s.blocks) f(b.content);
    for (const Footnote& n : doc.footnotes) f(n.content);
}

}  // namespace

TEST_CASE("examples: no note marker stands before a full stop or comma") {
    for (bool sample : {false, true}) {
        int markers = 0;
        for (const Example& e : compose_examples(sample)) {
            INFO(e.name << (sample ? " (sample)" : ""));
            each_content(e.doc, [&](const std::vector<Inline>& runs) {
                for (std::size_t i = 0; i < runs.size(); ++i) {
                    if (runs[i].kind != Inline::Kind::footnote_ref) continue;
                    ++markers;
                    if (i + 1 == runs.size()) continue;
                    const std::string& next = runs[i + 1].text;
                    INFO(shown(runs));
                    CHECK_FALSE((!next.empty() && (next[0] == '.' || next[0] == ',')));
                }
            });
        }
        CHECK(markers > 50);
    }
}

TEST_CASE("examples: no straight quote, -- or ... is left in running text") {
    for (const Example& e : compose_examples(false)) {
        INFO(e.name);
        int ties = 0;
        each_content(e.doc, [&](const std::vector<Inline>& runs) {
            for (const Inline& in : runs) {
                if (!in.uri.empty() && in.uri[0] != '#') continue;
                INFO(in.text);
                CHECK(in.text.find("--") == std::string::npos);
                CHECK(in.text.find("...") == std::string::npos);
                CHECK(in.text.find('"') == std::string::npos);
                for (std::size_t at = in.text.find(nb); at != std::string::npos;
                     at = in.text.find(nb, at + 1))
                    ++ties;
            }
        });
        CHECK(ties > 10);  // access dates, "(n 3)", "paragraph 19", "Dr ..."
    }
}

TEST_CASE("the CV: the affiliation once, publication titles in italics") {
    for (const Example& e : compose_examples(false)) {
        INFO(e.name);
        const Section& cv = e.doc.sections.back();
        REQUIRE(cv.id == "cv");
        std::vector<std::string> lines;
        bool italic_title = false;
        for (const Block& b : cv.blocks) {
            lines.push_back(shown(b.content));
            if (b.content.size() >= 2 && b.content[0].style == Style::italic &&
                b.content[1].text.rfind(" (fictional", 0) == 0)
                italic_title = true;
        }
        REQUIRE(lines.size() > 4);
        // Name, title, affiliation, then the contact without the affiliation again.
        CHECK(lines[3].find(lines[2]) == std::string::npos);
        CHECK(italic_title);
    }
}

TEST_CASE("text typed in the case file is set but not read as markup") {
    dossier::test::TempDir dir;
    dir.write("expert.yaml", "name: Dr Test Expert\ntitle: Researcher\ncountry: GB\n");
    dir.write("lib/report.yaml", "sections:\n  - {id: assessment, title: Assessment}\n");
    dir.write("lib/p/a.md",
              "---\nid: p.a\nsection: assessment\n---\n{applicant.name} said \"no\" -- twice.\n");
    std::string path = dir.write(
        "case.yaml",
        "dossier: 1\nreference: T-1\nlanguage: en-GB\ndate: 2026-11-20\nexpert: expert.yaml\n"
        "applicant:\n  name: \"Siobh\xC3\xA1n O'Neill\"\n  pseudonym: SO\n  gender: female\n"
        "country: TJ\ngrounds: [sexual_orientation]\n"
        "notes: |\n  The applicant's *own* \"words\" -- see paragraph 1 [@x]...\n");
    Diagnostics diags;
    load::Schemas schemas = load::load_schemas(DOSSIER_SOURCE_DIR "/schemas", diags);
    Library lib = load::load_library(dir.path() + "/lib", {}, schemas, diags);
    auto c = load::load_case(path, Date{2026, 11, 29}, schemas, nullptr, diags);
    REQUIRE(c);
    rules::Selection sel;
    sel.clauses = {0};
    Document doc = compose::compose(*c, lib, sel, {}, diags);
    for (auto& d : diags) UNSCOPED_INFO(format_diagnostic(d));
    REQUIRE_FALSE(has_errors(diags));
    const Section& s = doc.sections.front();
    REQUIRE(s.blocks.size() >= 2);  // then the signature
    CHECK(shown(s.blocks[0].content) ==
          "Siobh\xC3\xA1n O'Neill said " + ldq + "no" + rdq + " " + en + " twice.");
    CHECK(shown(s.blocks[1].content) == "The applicant" + rsq + "s *own* " + ldq + "words" + rdq +
                                            " " + en + " see paragraph" + nb +
                                            "1 [@x]\xE2\x80\xA6");
}

TEST_CASE("American reports put a full stop or comma inside the closing double quotation mark") {
    // Chicago Manual 6.9; British usage (OSCOLA) keeps it outside.
    CHECK(us("the names \"Morality\" and \"Purge\". Then") ==
          "the names " + ldq + "Morality" + rdq + " and " + ldq + "Purge." + rdq + " Then");
    CHECK(us("called \"proven\", in its words") ==
          "called " + ldq + "proven," + rdq + " in its words");
    CHECK(gb("the names \"Purge\". Then") == "the names " + ldq + "Purge" + rdq + ". Then");
    // Not after a closing single mark, which is also the apostrophe of a plural possessive.
    CHECK(us("the Smiths'. Then") == "the Smiths" + rsq + ". Then");
    // Nor after a question mark inside the quotation, nor with a protected address.
    CHECK(us("asked \"why?\". Then") == "asked " + ldq + "why?" + rdq + ". Then");
    // Punctuation moved before a note marker goes inside the quotation mark too.
    TypographyOptions o;
    o.language = "en-US";
    std::vector<Inline> runs = {text("the operation \"Purge\""), note(12), text(". Officials")};
    typeset_inlines(runs, o);
    CHECK(shown(runs) == "the operation " + ldq + "Purge." + rdq + "[12] Officials");
    runs = {text("the operation \"Purge\""), note(12), text(". Officials")};
    typeset_inlines(runs, {});
    CHECK(shown(runs) == "the operation " + ldq + "Purge" + rdq + ".[12] Officials");
}

TEST_CASE("straight marks inside Hebrew words are geresh and gershayim") {
    // Tajikistan in Hebrew letters, with a geresh after gimel; the acronym of the army with
    // gershayim.
    CHECK(gb("\xD7\x98\xD7\x92'\xD7\x99\xD7\xA7") == "\xD7\x98\xD7\x92\xD7\xB3\xD7\x99\xD7\xA7");
    CHECK(gb("\xD7\xA6\xD7\x94\"\xD7\x9C") == "\xD7\xA6\xD7\x94\xD7\xB4\xD7\x9C");
    // A Latin word keeps its apostrophe.
    CHECK(gb("applicant's") == "applicant" + rsq + "s");
}
