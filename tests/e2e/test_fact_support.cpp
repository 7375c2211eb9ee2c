// Integrity of the clause library: a report states a fact about the applicant only when the case
// file gives it (DESIGN.md, "Integrity rules"). Each example is rendered twice with the real
// binary, `--dump document`: as it is, and from a copy whose `facts:` map is removed. Sentences
// that state the applicant's facts must appear in the first (so that the check proves something)
// and in neither form unless the fact is there. The gender identity example
// (tajikistan-gender-identity.yaml, grounds [gender_identity]) must say nothing of the applicant’s
// sexuality.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "../support/process.hpp"
#include "../support/temp_files.hpp"

namespace {

namespace fs = std::filesystem;
using dossier::test::read_file;
using dossier::test::Run;
using dossier::test::TempDir;

const std::string kExamples = DOSSIER_SOURCE_DIR "/examples";

std::string cli(const std::string& args) { return std::string(DOSSIER_BINARY) + " " + args; }

// The text of a dump line's first quoted string, unescaped (dump.cpp escapes \" \\ and \n).
std::string unquote(const std::string& line) {
    std::size_t open = line.find('"');
    std::string out;
    if (open == std::string::npos) return out;
    for (std::size_t i = open + 1; i < line.size(); ++i) {
        char c = line[i];
        if (c == '\\' && i + 1 < line.size()) {
            char n = line[++i];
            out += n == 'n' ? '\n' : n;
        } else if (c == '"') {
            break;
        } else {
            out += c;
        }
    }
    return out;
}

// The body of the report as plain text, one line per block (paragraph, list item, heading,
// quote): the numbered sections, without footnotes, the list of sources or the appended CV,
// whose titles legitimately contain words such as "detained" or "gay".
std::string body_text(const std::string& dump) {
    std::istringstream in(dump);
    std::string line, out, block;
    bool body = false;
    auto flush = [&] {
        if (!block.empty()) out += block + "\n";
        block.clear();
    };
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        std::size_t indent = line.find_first_not_of(' ');
        if (indent == std::string::npos) continue;
        if (indent == 0) {
            flush();
            body = line.rfind("section ", 0) == 0 &&
                   line.find(" id=sources") == std::string::npos &&
                   line.find(" appendix") == std::string::npos;
            continue;
        }
        if (indent == 2) {
            flush();
            continue;
        }
        if (!body) continue;
        std::string rest = line.substr(indent);
        std::string kind = rest.substr(0, rest.find(' '));
        if (kind == "regular" || kind == "italic" || kind == "bold" || kind == "bold_italic")
            block += unquote(rest);
    }
    flush();
    return out;
}

struct Dump {
    int status = -1;
    std::string out;     // the document tree
    std::string errors;  // what the command printed on stderr
    std::string body;    // body_text(out)
    bool draft = false;  // rendered with --draft (the case lacks what its forum requires)
};

// Renders `case_path` to a document dump. A case the forum rules reject only for missing evidence
// (documents, answers, range of opinion...) is rendered again with --draft, which marks those
// gaps instead: the clause text, which is what this file tests, is the same.
Dump dump(const std::string& case_path, const TempDir& dir) {
    Dump d;
    std::string err = dir.path() + "/stderr.txt";
    auto attempt = [&](const std::string& flags) {
        Run r =
            dossier::test::run("{ " + cli("render '" + case_path + "' --dump document" + flags) +
                                   " 2>'" + err + "'; }",
                               true);
        d.status = r.status;
        d.out = r.out;
        d.errors = read_file(err);
    };
    attempt("");
    if (d.status != 0 && d.errors.find("render --draft") != std::string::npos) {
        d.draft = true;
        attempt(" --draft");
    }
    d.body = body_text(d.out);
    return d;
}

// A case file's text with the block under the top-level key `key` (its line and the indented
// lines after it) removed.
std::string without_block(const std::string& yaml, const std::string& key) {
    std::istringstream in(yaml);
    std::string line, out;
    bool skipping = false;
    while (std::getline(in, line)) {
        if (line.rfind(key + ":", 0) == 0) {
            skipping = true;
            continue;
        }
        if (skipping && (line.empty() || line[0] == ' ' || line[0] == '\t' || line[0] == '#'))
            continue;
        skipping = false;
        out += line + "\n";
    }
    return out;
}

// The scalars of a top-level map of the case file (`facts`, `applicant`), as written.
std::map<std::string, std::string> block_scalars(const std::string& yaml, const std::string& key) {
    std::map<std::string, std::string> values;
    std::istringstream in(yaml);
    std::string line;
    bool inside = false;
    while (std::getline(in, line)) {
        if (line.rfind(key + ":", 0) == 0) {
            inside = true;
            continue;
        }
        if (!inside || line.empty()) continue;
        if (line[0] != ' ') break;
        if (line.rfind("  ", 0) != 0 || line[2] == ' ' || line[2] == '#') continue;
        std::size_t colon = line.find(':');
        if (colon == std::string::npos) continue;
        std::string name = line.substr(2, colon - 2);
        std::string value = line.substr(colon + 1);
        value.erase(0, value.find_first_not_of(' '));
        if (std::size_t hash = value.find(" #"); hash != std::string::npos) value.erase(hash);
        while (!value.empty() && value.back() == ' ') value.pop_back();
        if (value.size() >= 2 && (value.front() == '"' || value.front() == '\''))
            value = value.substr(1, value.size() - 2);
        values[name] = value;
    }
    return values;
}

std::string top_scalar(const std::string& yaml, const std::string& key) {
    std::istringstream in(yaml);
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(key + ": ", 0) == 0) {
            std::string v = line.substr(key.size() + 2);
            if (std::size_t hash = v.find(" #"); hash != std::string::npos) v.erase(hash);
            while (!v.empty() && v.back() == ' ') v.pop_back();
            return v;
        }
    return {};
}

// Small counts as the clauses print them (ICU spellout, en).
std::string spellout(int n) {
    static const char* words[] = {"zero",  "one",   "two",  "three", "four",   "five",  "six",
                                  "seven", "eight", "nine", "ten",   "eleven", "twelve"};
    return n >= 0 && n <= 12 ? words[n] : std::to_string(n);
}

int as_int(const std::string& s) {
    try {
        return std::stoi(s);
    } catch (...) {
        return -1;
    }
}

struct Pronouns {
    std::string subject, was, has, verb_s;  // he / was / has / "s" for "he opposes"
};

Pronouns pronouns(const std::string& gender) {
    if (gender == "female") return {"she", "was", "has", "s"};
    if (gender == "male") return {"he", "was", "has", "s"};
    return {"they", "were", "have", ""};
}

// The sentences that state the applicant's facts, as the clauses word them, for the facts this
// case gives (`facts`), in the case's pack. Each is printed only when its fact is given.
std::vector<std::string> fact_sentences(const std::string& country,
                                        const std::map<std::string, std::string>& facts,
                                        const std::string& p, const Pronouns& s) {
    std::vector<std::string> out;
    auto has = [&](const char* k) { return facts.count(k) != 0; };
    auto yes = [&](const char* k) { return has(k) && facts.at(k) == "true"; };
    auto states = p + " states that " + s.subject + " ";
    if (country == "TJ") {
        if (yes("detained") && has("detention_count") && as_int(facts.at("detention_count")) >= 1) {
            int n = as_int(facts.at("detention_count"));
            out.push_back(states + s.was + " detained by the police " +
                          (n == 1 ? std::string("on one occasion")
                                  : "on " + spellout(n) + " separate occasions"));
        }
        if (yes("blackmailed"))
            out.push_back(states + s.was + " blackmailed under threat of exposure");
        if (yes("outed"))
            out.push_back(p + " states that what " + s.subject + " had kept private became known");
        if (yes("family_rejection")) out.push_back(states + s.has + " been rejected by");
        if (yes("mental_health"))
            out.push_back("I understand that " + p + " has experienced mental health difficulties");
        if (has("region")) out.push_back(p + " comes from " + facts.at("region"));
        if (has("left_country")) out.push_back(p + " left Tajikistan on");
        if (yes("detained") || yes("blackmailed") || yes("outed"))
            out.push_back(p + " has come to the notice of others");
    } else if (country == "RU") {
        if (has("protest_count") && as_int(facts.at("protest_count")) >= 1) {
            int n = as_int(facts.at("protest_count"));
            out.push_back(
                states + "took part in " +
                (n == 1 ? std::string("an anti-war protest") : spellout(n) + " anti-war protests"));
        }
        if (yes("arrested"))
            out.push_back(states + s.was + " arrested by the police on account of");
        if (yes("draft_notice"))
            out.push_back(states +
                          "received a notice requiring attendance at a military enlistment office");
        if (yes("evaded_mobilisation")) out.push_back(states + "evaded mobilisation");
        if (yes("opposes_war")) out.push_back(states + "oppose" + s.verb_s + " the war in Ukraine");
    } else if (country == "ER") {
        if (yes("deserted") && has("service_years") && as_int(facts.at("service_years")) >= 1) {
            int n = as_int(facts.at("service_years"));
            out.push_back(
                states + "served in the national service for " +
                (n == 1 ? std::string("about a year") : "about " + spellout(n) + " years"));
        }
        if (yes("draft_evaded"))
            out.push_back(states + "avoided being called up for national service");
        if (yes("exit_illegal")) out.push_back(states + "left Eritrea without an exit visa");
    }
    return out;
}

// Phrases no report may contain, whatever the case gives: assertions of an account the report
// does not contain, and wording the clauses used before they were tied to facts.
const std::vector<std::string> kNever = {
    "as summarised in my instructions",
    "as set out in my instructions",
    "as they are stated in my instructions",
    "stated opposition to the war",
    "crossing the border on foot",
    "First, as to",
    "Second, as to",
    "Third, as to",
};

std::vector<fs::path> examples() {
    std::vector<fs::path> cases;
    for (const auto& e : fs::directory_iterator(kExamples))
        if (e.path().extension() == ".yaml") cases.push_back(e.path());
    std::sort(cases.begin(), cases.end());
    return cases;
}

// A temporary folder holding `yaml` as case.yaml beside a copy of examples/experts, so that the
// case's relative `expert:` path resolves as it does from examples/.
std::string write_case(const TempDir& dir, const std::string& yaml) {
    std::error_code ec;
    fs::copy(kExamples + "/experts", fs::path(dir.path()) / "experts",
             fs::copy_options::recursive | fs::copy_options::overwrite_existing, ec);
    return dir.write("case.yaml", yaml);
}

}  // namespace

TEST_CASE("fact support: the applicant's facts are stated only when the case gives them") {
    std::size_t checked = 0;
    for (const fs::path& example : examples()) {
        const std::string yaml = read_file(example.string());
        const std::string country = top_scalar(yaml, "country");
        const auto applicant = block_scalars(yaml, "applicant");
        const auto facts = block_scalars(yaml, "facts");
        std::string pseudonym = applicant.count("pseudonym") ? applicant.at("pseudonym") : "";
        std::string gender = applicant.count("gender") ? applicant.at("gender") : "unspecified";
        INFO(example.filename().string()
             << " (country " << country << ", " << facts.size() << " facts)");
        REQUIRE(!pseudonym.empty());
        const Pronouns s = pronouns(gender);

        TempDir full_dir, bare_dir;
        Dump full = dump(example.string(), full_dir);
        INFO("full render" << (full.draft ? " (--draft)" : "") << ":\n" << full.errors);
        REQUIRE(full.status == 0);
        REQUIRE(!full.body.empty());

        // The answers' `see` lists cite clauses that the facts select: without the facts those
        // clauses are not in the report, so the citations go too.
        std::string bare_yaml;
        {
            std::istringstream lines(without_block(yaml, "facts"));
            for (std::string l; std::getline(lines, l);)
                if (l.find_first_not_of(' ') == std::string::npos ||
                    l.compare(l.find_first_not_of(' '), 5, "see: ") != 0)
                    bare_yaml += l + "\n";
        }
        std::string bare_case = write_case(bare_dir, bare_yaml);
        Dump bare = dump(bare_case, bare_dir);
        INFO("render without facts" << (bare.draft ? " (--draft)" : "") << ":\n" << bare.errors);
        REQUIRE(bare.status == 0);
        REQUIRE(!bare.body.empty());

        for (const std::string& sentence : fact_sentences(country, facts, pseudonym, s)) {
            INFO("sentence: " << sentence);
            CHECK(full.body.find(sentence) != std::string::npos);
            CHECK(bare.body.find(sentence) == std::string::npos);
            ++checked;
        }
        // Without facts, no clause speaks of what the applicant says, did or has.
        for (const std::string& stem :
             {pseudonym + " states that", "I understand that " + pseudonym, pseudonym + " left ",
              pseudonym + " comes from", pseudonym + " has come to the notice"}) {
            INFO("without facts: " << stem);
            CHECK(bare.body.find(stem) == std::string::npos);
        }
        // Counts in prose are words, not digits.
        for (const char* count : {"detention_count", "protest_count", "service_years"})
            if (facts.count(count) && as_int(facts.at(count)) > 1) {
                std::string digits = " " + facts.at(count) + " ";
                for (const char* noun :
                     {"separate occasions", "anti-war protests", "years before"}) {
                    INFO("digits: " << digits << noun);
                    CHECK(full.body.find(digits + noun) == std::string::npos);
                }
            }
        for (const std::string& phrase : kNever) {
            INFO("never: " << phrase);
            CHECK(full.body.find(phrase) == std::string::npos);
            CHECK(bare.body.find(phrase) == std::string::npos);
        }
    }
    // The examples between them exercise most of the facts the packs read.
    CHECK(checked >= 12);
}

TEST_CASE("fact support: a gender identity case says nothing of the applicant's sexuality") {
    // The uk-cpr35 example is a gender identity claim by a trans woman. The expert's own
    // paragraphs (notes, range_of_opinion) are the expert's words, not the library's, and are
    // dropped (with the answers' citations of the range of opinion), so that
    // what remains to check is clause text and the facts the case gives.
    std::string yaml = read_file(kExamples + "/tajikistan-gender-identity.yaml");
    REQUIRE(!yaml.empty());
    REQUIRE(yaml.find("grounds: [gender_identity]") != std::string::npos);
    std::string edited = without_block(without_block(yaml, "notes"), "range_of_opinion");
    TempDir dir;
    Dump d = dump(write_case(dir, edited), dir);
    INFO((d.draft ? "(--draft) " : "") << d.errors);
    REQUIRE(d.status == 0);

    std::string text = d.body;
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    // The gender identity clauses and the facts' clauses are in the report.
    CHECK(text.find("transgender people") != std::string::npos);
    CHECK(text.find("had kept private became known") != std::string::npos);
    CHECK(text.find("she was detained by the police on one occasion") != std::string::npos);

    // Country evidence about LGBT people as a whole, or about named others, may name sexual
    // orientation beside gender identity; those phrases are removed before the check. What
    // remains must not speak of sexuality at all.
    for (const char* allowed : {
             "sexual orientation or gender identity",
             "sexual orientation and gender identity",
             "gender, gender identity and sexual orientation",
             "lesbian, gay and bisexual people",
             "lesbian, gay, bisexual, transgender or intersex",
             "wrongly labelled as gay",
             "from a gay man",
             "discussion of homosexuality",
         }) {
        std::string a = allowed;
        for (std::size_t at = text.find(a); at != std::string::npos; at = text.find(a, at))
            text.erase(at, a.size());
    }
    for (const char* word :
         {"sexuality", "sexual orientation", "gay", "lesbian", "bisexual", "homosexual"}) {
        std::size_t at = text.find(word);
        INFO(word << " in: "
                  << (at == std::string::npos ? std::string()
                                              : text.substr(at < 120 ? 0 : at - 120, 240)));
        CHECK(at == std::string::npos);
    }
}
