// `dossier schema` and `explain --missing`: what the library knows of facts, for editors and for
// the expert. schemas/case.schema.json is `dossier schema` for the built-in library, so editors
// and Ajv see the same facts as `dossier check`; a test fails when it is stale.
#include <catch2/catch.hpp>
#include <string>

#include "../support/process.hpp"

using dossier::test::read_file;
using dossier::test::run;
using dossier::test::Run;

namespace {

std::string cli(const std::string& args) { return std::string(DOSSIER_BINARY) + " " + args; }

}  // namespace

TEST_CASE("schemas/case.schema.json is dossier schema for the built-in library") {
    Run r = run(cli("schema"), true);
    REQUIRE(r.status == 0);
    std::string committed = read_file(DOSSIER_SOURCE_DIR "/schemas/case.schema.json");
    INFO(
        "stale: regenerate with `build-test/engine/cli/dossier schema > schemas/case.schema.json`");
    CHECK(r.out == committed);
}

TEST_CASE("the schema lists each fact with its type and description, and no others") {
    Run r = run(cli("schema"), true);
    REQUIRE(r.status == 0);
    const std::string& s = r.out;
    CHECK(s.find("\"detained\": {\n          \"type\": \"boolean\",\n          \"description\": "
                 "\"The applicant has been detained") != std::string::npos);
    CHECK(s.find("\"detention_count\": {\n          \"type\": \"integer\",\n          "
                 "\"minimum\": 0,") != std::string::npos);
    CHECK(s.find("\"left_country\": {\n          \"type\": \"string\",\n          \"format\": "
                 "\"date\",") != std::string::npos);
    CHECK(s.find("\"additionalProperties\": false\n    },\n    \"clauses\"") != std::string::npos);
    // Clause ids as an enum, and country codes with their names, for completion.
    CHECK(s.find("\"tj.police-campaigns\",") != std::string::npos);
    CHECK(s.find("\"Police campaigns and the register of LGBT people (clauses/tj/"
                 "police-campaigns.md)\"") != std::string::npos);
    CHECK(s.find("\"Tajikistan\",") != std::string::npos);
}

TEST_CASE("dossier schema --clauses adds the pack's facts and clause ids") {
    const std::string packs = DOSSIER_SOURCE_DIR "/tests/packs";
    Run r = run(cli("schema --clauses " + packs + "/md"), true);
    REQUIRE(r.status == 0);
    CHECK(r.out.find("\"threatened\": {") != std::string::npos);
    CHECK(r.out.find("\"md.background\",") != std::string::npos);
    Run builtin = run(cli("schema"), true);
    CHECK(builtin.out.find("\"threatened\": {") == std::string::npos);
    // A fact no pack declares gets the type its use implies (`facts.threatened == true`).
    CHECK(r.out.find("\"threatened\": {\n          \"type\": \"boolean\",") != std::string::npos);
}

TEST_CASE("explain --missing lists the facts that would decide clauses for this case") {
    Run r = run(cli(std::string("explain ") + DOSSIER_SOURCE_DIR +
                    "/examples/tajikistan-gender-identity.yaml --missing"),
                true);
    REQUIRE(r.status == 0);
    CHECK(r.out ==
          "TJ-2026-052: 2 facts the library reads for this case are not given\n"
          "  facts.blackmailed (boolean)\n"
          "      The applicant has been blackmailed or extorted under threat that their sexual "
          "orientation or gender identity would be disclosed.\n"
          "      decides: tj.assessment-blackmail\n"
          "  facts.mental_health (boolean)\n"
          "      The documents before the expert say that the applicant has experienced mental "
          "health difficulties (no diagnosis is implied).\n"
          "      decides: tj.mental-health\n");
    // Facts of other countries' packs are not asked for; a fact the case gives is not missing.
    CHECK(r.out.find("draft_notice") == std::string::npos);
    CHECK(r.out.find("facts.detained") == std::string::npos);

    Run json = run(cli(std::string("explain ") + DOSSIER_SOURCE_DIR +
                       "/examples/russia-draft-us.yaml --missing --json"),
                   true);
    REQUIRE(json.status == 0);
    CHECK(json.out.find("{\"fact\": \"opposes_war\", \"type\": \"boolean\", \"description\": "
                        "\"The applicant states that they oppose Russia's war in Ukraine.\", "
                        "\"clauses\": [\"ru.assessment-opposition\"]}") != std::string::npos);
}
