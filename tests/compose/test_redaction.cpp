// Sample reports: the identity of a case, its matching form and the redaction at the source
// (compose/redaction.hpp). Each finding of issue 15 about redaction has a case here.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "compose/redaction.hpp"
#include "model/utf8.hpp"

using namespace dossier;
using namespace dossier::compose;

namespace {

// UTF-8 from a UTF-32 literal, so that tests can spell invisible characters as \u escapes.
std::string u(const std::u32string& s) {
    std::string out;
    for (char32_t c : s) dossier::utf8::append(out, c);
    return out;
}

Case make_case() {
    Case c;
    c.file = "case.yaml";
    c.reference = "TJ-2026-014";
    c.language = "en-GB";
    c.jurisdiction = "uk-ftt-iac";
    c.applicant.name = "Farhod Rajabov";
    c.applicant.pseudonym = "FR";
    c.applicant.aliases = {
        u(U"\u0424\u0430\u0440\u04B3\u043E\u0434 "
          U"\u0420\u0430\u04B7\u0430\u0431\u043E\u0432")};  // Фарҳод Раҷабов
    c.applicant.born = Date{1994, 5, 12};
    c.instructions.solicitor = "Joanna Whitcombe";
    c.instructions.firm = "Whitcombe & Partners LLP";
    c.appeal.number = "PA/51234/2026";
    return c;
}

std::string redact(const std::string& text, const Case& c = make_case()) {
    return Identity::of(c, "appellant").redact(text);
}

}  // namespace

TEST_CASE("sample: the full name, each part and any letter case are replaced") {
    CHECK(redact("Farhod Rajabov said so.") == "FR said so.");
    CHECK(redact("FARHOD RAJABOV and farhod rajabov") == "FR and FR");
    CHECK(redact("Mr Rajabov's family; Farhod's friend") == "Mr FR's family; FR's friend");
    CHECK(redact("RAJABOV signed.") == "FR signed.");
    // whole words only: a longer word is another word
    CHECK(redact("Rajabova and Farhodjon are other people") ==
          "Rajabova and Farhodjon are other people");
}

TEST_CASE("sample: a dotted capital I in the paragraph does not switch redaction off") {
    // Lower-casing İ gives two code points: before the fix the paragraph kept every name.
    CHECK(redact(u(U"\u0130stanbul: Farhod Rajabov flew on.")) == u(U"\u0130stanbul: FR flew on."));
    Case c = make_case();
    c.applicant.name = u(U"\u0130brahim Demir");  // İbrahim
    c.applicant.pseudonym = "ID";
    CHECK(redact(u(U"Ibrahim Demir and \u0130BRAH\u0130M arrived"), c) == "ID and ID arrived");
}

TEST_CASE("sample: invisible characters inside the name do not hide it") {
    CHECK(redact(u(U"Far\u00ADhod Raja\u00ADbov")) == "FR");  // soft hyphen
    CHECK(redact(u(U"Raj\u200Babov left")) == "FR left");     // zero-width space
    CHECK(redact(u(U"Raja\u2060bov left")) == "FR left");     // word joiner
    CHECK(redact(u(U"R\uFEFFajabov left")) == "FR left");     // byte order mark
    CHECK(redact(u(U"Raja\001bov left")) == "FR left");       // a control character
}

TEST_CASE("sample: space variants in the name and in the text are one space") {
    Case c = make_case();
    c.applicant.name = u(U"Farhod\u00A0Rajabov");  // no-break space in applicant.name
    CHECK(redact("Farhod Rajabov", c) == "FR");
    CHECK(redact(u(U"Farhod\u202FRajabov"), c) == "FR");  // narrow no-break space
    CHECK(redact("Farhod\n   Rajabov") == "FR");
    CHECK(redact(u(U"Farhod\u3000Rajabov")) == "FR");  // ideographic space
}

TEST_CASE("sample: NFD, fullwidth and compatibility spellings match") {
    Case c = make_case();
    c.applicant.name = u(U"Jos\u00E9 Mart\u00EDnez");  // José Martínez, NFC
    c.applicant.pseudonym = "JM";
    CHECK(redact(u(U"Jose\u0301 Marti\u0301nez"), c) == "JM");  // NFD
    CHECK(redact(u(U"Mart\u00EDnez"), c) == "JM");
    c.applicant.name = u(U"Jose\u0301 Marti\u0301nez");  // NFD in the case file
    CHECK(redact(u(U"Jos\u00E9 Mart\u00EDnez"), c) == "JM");
    CHECK(redact(u(U"\uFF32\uFF41\uFF4A\uFF41\uFF42\uFF4F\uFF56")) ==
          "FR");  // fullwidth Ｒａｊａｂｏｖ
}

TEST_CASE("sample: apostrophe variants are one apostrophe") {
    Case c = make_case();
    c.applicant.name = u(U"Siobh\u00E1n O'Brien");
    c.applicant.pseudonym = "SO";
    CHECK(redact(u(U"O\u2019Brien"), c) == "SO");  // ’
    CHECK(redact(u(U"O\u02BCBrien"), c) == "SO");  // ʼ
    CHECK(redact(u(U"Siobh\u00E1n O\u2018Brien"), c) == "SO");
}

TEST_CASE("sample: a name run into digits or into an address is still the name") {
    CHECK(redact("user Rajabov1994 posted") == "user FR1994 posted");
    CHECK(redact("1994Rajabov") == "1994FR");
    CHECK(redact("rajabov1994 and f.rajabov@mail.example") == "FR1994 and f.FR@mail.example");
    CHECK(redact("#rajabov") == "#FR");
}

TEST_CASE("sample: ordinary words equal to a short name part are left alone") {
    Case c = make_case();
    c.applicant.name = "Can Will Demir";
    c.applicant.pseudonym = "CD";
    Identity id = Identity::of(c, "appellant");
    CHECK(id.redact("He can return; it is the will of the family, and he will go.") ==
          "He can return; it is the will of the family, and he will go.");
    CHECK(id.redact("he can't; (can) can, can. will-power") ==
          "he can't; (can) can, can. will-power");
    // written as a name (capitalised), or the full name in any case, it is the name
    CHECK(id.redact("Can told Will; can will demir come?") == "CD told CD; CD come?");
    CHECK(id.redact("Demir") == "CD");
}

TEST_CASE("sample: initials, honorifics and lower-case particles are not parts") {
    Case c = make_case();
    c.applicant.name = "Li Na van der Berg";
    c.applicant.pseudonym = "LB";
    c.instructions.solicitor = "Mrs J. Doe";
    Identity id = Identity::of(c, "appellant");
    CHECK(id.redact("Li said van der Berg and Berg came; a van; Li Na") ==
          "Li said van der LB and LB came; a van; Li Na");
    CHECK(id.redact("Li Na van der Berg") == "LB");
    CHECK(id.redact("Mrs Smith met Ms Doe; Mrs J. Doe wrote") ==
          "Mrs Smith met Ms the instructing solicitor; the instructing solicitor wrote");
}

TEST_CASE("sample: the date of birth in every common written form") {
    for (const std::string& form : std::vector<std::string>{
             "1994-05-12",    "12-05-1994",       "12/5/1994",
             "12/05/1994",    "12.05.1994",       "5/12/1994",
             "05/12/1994",    "12.5.94",          "1994/05/12",
             "1994.05.12",    "19940512",         "May 12, 1994",
             "May 12 1994",   "12 May 1994",      "12 May, 1994",
             "12th May 1994", "12th of May 1994", "May 12th, 1994",
             "12 MAY 1994",   "12-May-1994",      u(U"12\u00A0May\u00A01994")}) {
        INFO(form);
        CHECK(redact(std::string("born ") + form + ".") == "born [date of birth withheld].");
    }
    // other dates, and numbers that contain the digits, are not the date of birth
    CHECK(redact("on 112/05/1994, 12/05/19945 and 13 May 1994") ==
          "on 112/05/1994, 12/05/19945 and 13 May 1994");
    // the case's own language
    Case c = make_case();
    c.language = "ru";
    CHECK(Identity::of(c).redact(u(U"12 \u043C\u0430\u044F 1994 \u0433.")) ==
          "[date of birth withheld]");  // 12 мая 1994 г.
}

TEST_CASE("sample: aliases in any script, whole and by part") {
    CHECK(redact(u(U"\u0424\u0430\u0440\u04B3\u043E\u0434 "
                   U"\u0420\u0430\u04B7\u0430\u0431\u043E\u0432 said")) == "FR said");
    CHECK(redact(u(U"\u0420\u0410\u04B6\u0410\u0411\u041E\u0412")) == "FR");  // РАҶАБОВ
}

TEST_CASE("sample: solicitor, firm, appeal number and reference") {
    CHECK(redact("Ms Whitcombe of Whitcombe & Partners LLP (ref TJ-2026-014, PA/51234/2026)") ==
          u(U"Ms the instructing solicitor of the appellant\u2019s representatives (ref SAMPLE, "
            U"[appeal number withheld])"));
    Case c = make_case();
    c.appeal.a_number = "A123456789";
    c.jurisdiction = "us-eoir";
    Identity id = Identity::of(c, "respondent");
    CHECK(id.redact("A-number A 123-456-789; 123456789") ==
          "A-number [A-number withheld]; [A-number withheld]");
    // short numbers would match ordinary text: not searched
    c.reference = "2026";
    CHECK(Identity::of(c).redact("in 2026") == "in 2026");
}

TEST_CASE("sample: the matcher finds what it replaces, with byte offsets") {
    Identity id = Identity::of(make_case());
    std::string text = u(U"x Raj\u00ADabov y");
    auto m = id.find(text);
    REQUIRE(m);
    CHECK(text.substr(m->begin, m->end - m->begin) == u(U"Raj\u00ADabov"));
    CHECK(id.items()[m->item].kind == IdentityKind::name_part);
    CHECK_FALSE(id.find("the rajabov family"));               // lower case in running text ...
    CHECK(id.find("the rajabov family", MatchMode::strict));  // ... but not in a file name
    CHECK(id.find("rajabov-sample.pdf", MatchMode::strict));
    CHECK(matching_form(u(U"A\u00A0\u00ADB\u2019\u2013\uFB01  C")) == U"a b'-fi c");
    CHECK(redact("\xFF Rajabov \xC3") == u(U"\uFFFD FR \uFFFD"));  // bad UTF-8
}

TEST_CASE("sample: the case is replaced at the source") {
    Case c = make_case();
    c.root.kind = Value::Kind::map;
    auto text = [](std::string s) {
        Value v;
        v.kind = Value::Kind::string;
        v.text = std::move(s);
        return v;
    };
    Value applicant;
    applicant.kind = Value::Kind::map;
    applicant.set("name", text("Farhod Rajabov"));
    applicant.set("pseudonym", text("FR"));
    Value born;
    born.kind = Value::Kind::date;
    born.date = Date{1994, 5, 12};
    born.text = "1994-05-12";
    applicant.set("born", born);
    c.root.set("reference", text("TJ-2026-014"));
    c.root.set("applicant", applicant);
    Value facts;
    facts.kind = Value::Kind::map;
    facts.set("home", text("the Rajabov house"));
    facts.set("birthday", born);
    c.root.set("facts", facts);
    c.notes = "Farhod Rajabov (born 12/05/1994) told me.";
    c.documents.items.push_back(
        {"bc", "Birth certificate of Farhod Rajabov", Date{1994, 5, 12}, 1, {}});
    c.account.push_back({"1994-05-12", "Born in Dushanbe", "bc", {}});

    Diagnostics d;
    Case s = sample_case(c, Identity::of(c, "appellant"), "SAMPLE-7", d);
    CHECK(d.empty());
    CHECK(s.sample);
    CHECK(s.reference == "SAMPLE-7");
    CHECK(s.applicant.name == "FR");
    CHECK(s.applicant.aliases.empty());
    CHECK_FALSE(s.applicant.born);
    CHECK(s.instructions.solicitor == "the instructing solicitor");
    CHECK(s.instructions.firm == u(U"the appellant\u2019s representatives"));
    CHECK(s.appeal.number.empty());
    CHECK(s.notes == "FR (born [date of birth withheld]) told me.");
    CHECK(s.documents.items[0].title == "Birth certificate of FR");
    CHECK_FALSE(s.documents.items[0].date);
    CHECK(s.account[0].date == "[date of birth withheld]");
    CHECK(s.root.at_path("reference")->text == "SAMPLE-7");
    CHECK(s.root.at_path("applicant.name")->text == "FR");
    CHECK_FALSE(s.root.at_path("applicant.born"));
    CHECK(s.root.at_path("facts.home")->text == "the FR house");
    CHECK(s.root.at_path("facts.birthday")->kind == Value::Kind::string);
    CHECK(s.root.at_path("facts.birthday")->text == "[date of birth withheld]");
    // a copy of a copy is the copy
    Diagnostics d2;
    CHECK(sample_case(s, Identity::of(s), "X", d2).reference == "SAMPLE-7");

    // a pseudonym made of the name would print it
    c.applicant.pseudonym = "Mr Rajabov";
    Diagnostics d3;
    sample_case(c, Identity::of(c), "SAMPLE", d3);
    REQUIRE(d3.size() == 1);
    CHECK(d3[0].code == "sample.pseudonym");
    CHECK(d3[0].message.find("Rajabov") == std::string::npos);
}

TEST_CASE("sample: dotless i, and text whose words may have been run together") {
    Case c = make_case();
    c.applicant.name = u(U"Ay\u015Fe I\u015F\u0131k");  // Ayşe Işık
    c.applicant.pseudonym = "AI";
    Identity id = Identity::of(c);
    CHECK(id.redact(u(U"I\u015EIK and I\u015Fik")) == "AI and AI");  // IŞIK, Işik
    // lines joined without a space: "will." + "6" is not an address, a capital is still a name
    Case w = make_case();
    w.applicant.name = "Can Will Demir";
    Identity wid = Identity::of(w);
    CHECK(wid.find("he will.6 Risk", MatchMode::text));
    CHECK_FALSE(wid.find("he will.6 Risk", MatchMode::capitalised));
    CHECK(wid.find("x.org/Demir", MatchMode::capitalised));
}
