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
    std::string signature;  // signature image (PNG), resolved against the profile; empty = none
    // One qualification or post: what, where, when ("2019" or "2013 to 2019"). A plain string
    // in the profile is `what` alone.
    struct Entry {
        std::string what, institution, dates;
        Span span;
    };
    std::vector<Entry> qualifications, experience;
    std::vector<std::string> publications, languages, courts;
    // The fields the expert claims: ISO 3166-1 codes and themes (grounds such as
    // "sexual_orientation", or subjects such as "military_service"). `expertise_given` is false
    // when the profile has no `expertise` map at all.
    bool expertise_given = false;
    std::vector<std::string> countries, themes;
    Span expertise_span;
};

// A list field that may instead be the word `none` (documents, range_of_opinion, assistance):
// absent (given == false), `none` (given && none), or the listed items.
template <class T>
struct Listed {
    bool given = false;
    bool none = false;
    std::vector<T> items;
    Span span;  // where the field's value starts; the file's start when absent
};

// Everything a later stage needs from the case file. `root` is the file as written plus the
// defaults the loader filled in (language, jurisdiction, date, applicant.pseudonym), so that
// `when` conditions and `{path}` variables read exactly what the typed fields hold.
struct Case {
    std::string file;
    Value root;
    // A copy for a sample report with the identity replaced at the source
    // (compose::sample_case): reference, names, date of birth, numbers and every typed string.
    bool sample = false;
    std::string reference;
    std::string language = "en-GB";
    std::string jurisdiction = "generic";
    Date date;
    Expert expert;
    struct Appeal {
        std::string number;    // appeal or case number, e.g. PA/01234/2026 (confidential)
        std::string a_number;  // us-eoir: the respondent's A-number (confidential)
        std::optional<Date> permission_granted;  // uk-ftt-iac: permission to exceed 20 pages
        int permission_pages = 0;                // ... and the length permitted; 0 = none
        Span span;
    } appeal;
    // One written or oral instruction: its date, form (letter, email, call, meeting) and
    // substance, in the expert's words.
    struct Instruction {
        Date date;
        std::string form, summary;
        Span span;
    };
    // A question put, with the expert's answer (empty = not answered yet) and the clauses whose
    // paragraphs the answer relies on (ids with spans).
    struct Question {
        std::string ask, answer;
        std::vector<Value> see;
        Span span, answer_span;
    };
    struct Instructions {
        std::string firm, solicitor;
        std::optional<Date> received;
        std::vector<Instruction> items;
        std::vector<Question> questions;
        bool given = false;  // the case has an `instructions` map
        Span span;
    } instructions;
    struct DocumentRef {
        std::string id, title;
        std::optional<Date> date;
        int pages = 0;  // 0 = not given
        Span span;
    };
    // A dated event of the applicant's account; `date` is "YYYY", "YYYY-MM" or "YYYY-MM-DD",
    // `source` a document id then a pinpoint ("ws para 12").
    struct Event {
        std::string date, event, source;
        Span span;
    };
    struct Issue {
        std::string text, source;
        Span span;
    };
    // Another view on a matter in the report, the sources that hold it, and the expert's reply.
    struct View {
        std::string view, response;
        std::vector<Value> cite;  // source keys, with spans
        Span span;
    };
    struct Assistant {
        std::string name, role;
        Span span;
    };
    Listed<DocumentRef> documents;
    std::vector<Event> account;
    std::vector<Issue> issues;
    Listed<View> range_of_opinion;
    Listed<Assistant> assistance;
    std::string limitations;  // the limits of the research, literal text
    Span limitations_span;
    // Per-case access dates of sources (`sources.KEY.accessed`): key -> date, with its span.
    struct Accessed {
        Date date;
        Span span;
    };
    std::vector<std::pair<std::string, Accessed>> accessed;
    struct Applicant {
        std::string name, pseudonym, gender = "unspecified", nationality;
        std::vector<std::string> aliases;  // other spellings of the name; confidential
        std::optional<Date> born;
    } applicant;
    std::string country;
    std::vector<std::string> grounds;
    std::vector<Value> include, exclude;  // clause ids, with spans
    std::string notes;                    // the expert's own paragraphs, literal text
    Span notes_span;
};

}  // namespace dossier
