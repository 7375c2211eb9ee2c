// `dossier schema`: the case-file JSON Schema with the library's facts and clause ids. The copy
// in schemas/ is this output for the built-in library, so editors and Ajv see the same facts as
// `dossier check`; a test fails when it is stale.
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
