#include "cli/case_schema.hpp"

#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <filesystem>

#include "model/json.hpp"

namespace dossier::cli {

namespace {

// What a case may write for a fact of `type`; an unknown type allows what any fact may hold.
Json value_schema(const FactInfo& f) {
    const std::string& type = f.type();
    Json s = Json::object();
    const FactDecl* d = f.decl ? &*f.decl : nullptr;
    // A whole bound prints as 0, not 0.0: the file is read by people too.
    auto number = [](double n) {
        return n == static_cast<double>(static_cast<long long>(n)) ? Json(static_cast<long long>(n))
                                                                   : Json(n);
    };
    auto range = [&](Json& j) {
        if (d && d->minimum) j["minimum"] = number(*d->minimum);
        if (d && d->maximum) j["maximum"] = number(*d->maximum);
    };
    if (type == "boolean") {
        s["type"] = "boolean";
    } else if (type == "integer" || type == "number") {
        s["type"] = type;
        range(s);
    } else if (type == "string") {
        s["type"] = "string";
        if (d && !d->enum_values.empty()) s["enum"] = d->enum_values;
    } else if (type == "date") {
        s["type"] = "string";
        s["format"] = "date";
    } else if (type == "list") {
        s["type"] = "array";
        if (d && !d->enum_values.empty())
            s["items"] = Json{{"enum", d->enum_values}};
        else
            s["items"] = Json{{"$ref", "#/$defs/scalar"}};
    } else {
        s["$ref"] = "#/$defs/fact_value";
    }
    return s;
}

std::string clause_list(const std::vector<std::string>& ids) {
    std::string out;
    for (std::size_t i = 0; i < ids.size(); ++i) out += (i ? ", `" : "`") + ids[i] + "`";
    return out;
}

Json fact_property(const FactInfo& f) {
    Json p = value_schema(f);
    std::string description;
    std::string markdown;
    if (f.decl) {
        description = f.decl->description;
        markdown = f.decl->description + "\n\n*" + f.decl->type + "*, declared in `clauses/" +
                   f.decl->pack + "/facts.yaml`.";
    } else {
        description = "Read by clauses of the library; no pack declares it.";
        markdown = description + (f.type().empty() || f.type() == "?"
                                      ? std::string()
                                      : " Its use implies *" + f.type() + "*.");
    }
    if (!f.clauses.empty()) markdown += " Read by " + clause_list(f.clauses) + ".";
    p["description"] = description;
    p["markdownDescription"] = markdown;
    return p;
}

std::string country_name(const std::string& code) {
    icu::UnicodeString name;
    icu::Locale("", code.c_str()).getDisplayCountry(icu::Locale("en", "GB"), name);
    std::string out;
    name.toUTF8String(out);
    return out.empty() ? code : out;
}

}  // namespace

std::optional<std::string> case_schema(const std::string& base, const Library& library,
                                       std::string& problem) {
    Json schema = Json::parse(base, nullptr, false);
    if (schema.is_discarded() || !schema.is_object()) {
        problem = "the base schema is not a JSON object";
        return std::nullopt;
    }
    Json* properties = schema.contains("properties") ? &schema["properties"] : nullptr;
    Json* defs = schema.contains("$defs") ? &schema["$defs"] : nullptr;
    if (!properties || !properties->is_object() || !defs || !defs->is_object() ||
        !defs->contains("clause_ids") || !defs->contains("country")) {
        problem = "the base schema has no properties, $defs.clause_ids or $defs.country";
        return std::nullopt;
    }

    Json facts = Json::object();
    facts["description"] =
        "What the case says about the applicant, as the library's clauses read it: each fact "
        "is declared in a pack's facts.yaml or read by a clause, with the type it must have.";
    facts["type"] = "object";
    facts["propertyNames"] = Json{{"pattern", "^[a-z_][a-z0-9_]*$"}, {"maxLength", 64}};
    Json props = Json::object();
    for (const FactInfo& f : library.vocabulary.facts) props[f.name] = fact_property(f);
    facts["properties"] = props;
    facts["additionalProperties"] = false;
    (*properties)["facts"] = facts;

    Json ids = Json::array(), described = Json::array();
    for (const Clause& c : library.clauses) {
        ids.push_back(c.id);
        std::string file = std::filesystem::path(c.span.file).filename().string();
        described.push_back((c.title.empty() ? c.section : c.title) + " (clauses/" + c.pack + "/" +
                            file + ")");
    }
    Json& items = (*defs)["clause_ids"]["items"];
    items["enum"] = ids;
    items["enumDescriptions"] = described;

    Json& country = (*defs)["country"];
    if (country.contains("enum") && country["enum"].is_array()) {
        Json names = Json::array();
        for (const Json& code : country["enum"])
            names.push_back(code.is_string() ? country_name(code.get<std::string>()) : "");
        country["enumDescriptions"] = names;
    }
    return json_text(schema, 2) + "\n";
}

}  // namespace dossier::cli
