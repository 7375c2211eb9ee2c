// sample_case: the copy of a case that a sample report is composed from, with the identity
// replaced at the source (redaction.hpp).
#include <algorithm>

#include "compose/redaction.hpp"

namespace dossier::compose {

namespace {

// Every string of a case file's value tree, redacted; a date that is the date of birth, or a
// scalar whose text held an identity, becomes a string.
void redact_value(Value& v, const Identity& identity, const std::optional<Date>& born) {
    switch (v.kind) {
        case Value::Kind::list:
            for (Value& item : v.items) redact_value(item, identity, born);
            return;
        case Value::Kind::map:
            for (auto& field : v.fields) redact_value(field.second, identity, born);
            return;
        case Value::Kind::null:
            return;
        case Value::Kind::date:
            if (born && v.date == *born) {
                v.kind = Value::Kind::string;
                v.text = "[date of birth withheld]";
                return;
            }
            break;
        default:
            break;
    }
    std::string text = identity.redact(v.text);
    if (text != v.text) {
        v.kind = Value::Kind::string;
        v.text = std::move(text);
    }
}

Value text_value(std::string s) {
    Value v;
    v.kind = Value::Kind::string;
    v.text = std::move(s);
    return v;
}

void erase(Value* map, std::string_view key) {
    if (map && map->kind == Value::Kind::map)
        std::erase_if(map->fields, [&](const auto& f) { return f.first == key; });
}

}  // namespace

Case sample_case(const Case& c, const Identity& identity, const std::string& sample_reference,
                 Diagnostics& diagnostics) {
    Case s = c;
    if (c.sample) return s;
    s.sample = true;
    const Value* applicant = c.root.find("applicant");
    if (auto m = identity.find(c.applicant.pseudonym, MatchMode::strict)) {
        const Value* p = applicant ? applicant->find("pseudonym") : nullptr;
        Span at = p ? p->span : applicant ? applicant->span : Span{c.file, 0, 0};
        error(diagnostics, at, "sample.pseudonym",
              std::string("applicant.pseudonym holds ") + describe(identity.items()[m->item].kind) +
                  ", and a sample report prints the pseudonym",
              {"choose a pseudonym that is not made of the name, such as the initials"});
    }
    const std::string person = person_for(c.jurisdiction);
    auto r = [&](std::string& text) { text = identity.redact(text); };

    s.reference = sample_reference;
    s.applicant.name = s.applicant.pseudonym;
    s.applicant.aliases.clear();
    s.applicant.born.reset();
    if (!s.instructions.solicitor.empty()) s.instructions.solicitor = "the instructing solicitor";
    if (!s.instructions.firm.empty())
        s.instructions.firm = "the " + person + "\u2019s representatives";
    s.appeal.number.clear();
    s.appeal.a_number.clear();
    for (Case::Instruction& i : s.instructions.items) r(i.summary);
    for (Case::Question& q : s.instructions.questions) {
        r(q.ask);
        r(q.answer);
    }
    for (Case::DocumentRef& d : s.documents.items) {
        r(d.id);
        r(d.title);
        if (d.date && c.applicant.born && *d.date == *c.applicant.born) d.date.reset();
    }
    for (Case::Event& e : s.account) {
        r(e.date);
        r(e.event);
        r(e.source);
    }
    for (Case::Issue& i : s.issues) {
        r(i.text);
        r(i.source);
    }
    for (Case::View& v : s.range_of_opinion.items) {
        r(v.view);
        r(v.response);
    }
    for (Case::Assistant& a : s.assistance.items) {
        r(a.name);
        r(a.role);
    }
    r(s.limitations);
    r(s.notes);

    // The value tree that `when` conditions and `{path}` variables read: the same replacements,
    // then every other string redacted. Codes and paths the engine reads are left as they are.
    Value& root = s.root;
    if (root.kind != Value::Kind::map) return s;
    if (root.find("reference")) root.set("reference", text_value(sample_reference));
    if (Value* a = root.find("applicant"); a && a->kind == Value::Kind::map) {
        if (a->find("name")) a->set("name", text_value(s.applicant.pseudonym));
        erase(a, "aliases");
        erase(a, "born");
    }
    if (Value* in = root.find("instructions"); in && in->kind == Value::Kind::map) {
        if (in->find("solicitor")) in->set("solicitor", text_value(s.instructions.solicitor));
        if (in->find("firm")) in->set("firm", text_value(s.instructions.firm));
    }
    if (Value* appeal = root.find("appeal")) {
        erase(appeal, "number");
        erase(appeal, "a_number");
    }
    static const std::vector<std::string_view> kCodes = {
        "dossier",   "reference", "language", "jurisdiction", "date",   "expert",
        "signed_in", "country",   "grounds",  "clauses",      "sources"};
    for (auto& [key, value] : root.fields) {
        if (std::find(kCodes.begin(), kCodes.end(), key) != kCodes.end()) continue;
        if (key == "applicant" && value.kind == Value::Kind::map) {
            for (auto& [k, v] : value.fields)
                if (k != "name" && k != "pseudonym" && k != "gender" && k != "nationality")
                    redact_value(v, identity, c.applicant.born);
            continue;
        }
        if (key == "instructions" && value.kind == Value::Kind::map) {
            for (auto& [k, v] : value.fields)
                if (k != "firm" && k != "solicitor") redact_value(v, identity, c.applicant.born);
            continue;
        }
        redact_value(value, identity, c.applicant.born);
    }
    return s;
}

}  // namespace dossier::compose
