// The validated case file and the expert profile it names.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/value.hpp"

namespace dossier {

struct Expert {
    std::string file;  // path as resolved from the case file
    Value root;        // the whole profile, as read
    std::string name, title, affiliation, contact, summary, independence;
    std::vector<std::string> qualifications, experience, publications, languages, courts;
};

// Everything a later stage needs from the case file. `root` is the file as written plus the
// defaults the loader filled in (language, jurisdiction, date, applicant.pseudonym), so that
// `when` conditions and `{path}` variables read exactly what the typed fields hold.
struct Case {
    std::string file;
    Value root;
    std::string reference;
    std::string language = "en-GB";
    std::string jurisdiction = "generic";
    Date date;
    Expert expert;
    struct Instructions {
        std::string firm, solicitor;
        std::optional<Date> received;
        std::vector<Value> questions;  // strings, with spans
    } instructions;
    struct Applicant {
        std::string name, pseudonym, gender = "unspecified", nationality;
        std::optional<Date> born;
    } applicant;
    std::string country;
    std::vector<std::string> grounds;
    std::vector<Value> include, exclude;  // clause ids, with spans
    std::string notes;                    // the expert's own paragraphs, literal text
    Span notes_span;
};

}  // namespace dossier
