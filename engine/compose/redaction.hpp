// Sample reports (`--sample`): the identity of a case, how a sample replaces it at the source,
// and the matcher that finds it again in any text, so that the redaction of the case file and
// the verification of the finished output (cli/verify_sample.hpp) compare strings the same way.
//
// Matching form. Both sides are compared after: NFKC with full case folding (ICU's
// NFKC_Casefold, which also drops default-ignorable characters such as U+00AD soft hyphen,
// U+200B zero-width space and U+2060 word joiner); other format and control characters removed
// (layout draws none of them, so a name spelt with one inside prints whole); every white space
// character (no-break spaces U+00A0, U+202F, line breaks, ...) read as one space and runs of
// them as one; apostrophe variants (’ ‘ ʼ ʻ ′ ` ´ ＇) read as ' and dashes (Pd, U+2212) as -;
// a combining dot above after i or j dropped and dotless ı read as i (so "İ" and "ı" match
// the "I" of a name written in capitals).
//
// Boundaries. An identity that starts (ends) with a letter matches only where no letter or
// combining mark comes before (after) it, and one that starts (ends) with a digit only where no
// digit does: "Rajabov1994" holds "Rajabov", "Canada" does not hold "Can", "112/05/1994" does
// not hold "12/05/1994". Scripts written without spaces between words (Han, kana, Thai, Lao,
// Khmer, Myanmar) have no such boundary and match anywhere.
//
// The rule for name parts. A full name (applicant.name with two or more parts, each alias, the
// solicitor), the firm, the dates of birth, the appeal number, the A-number and the reference
// match in any letter case. A single part of a name (split at spaces, hyphens, dots, commas and
// slashes; at least 3 letters; not an honorific such as "Mrs" or "Prof"; not a particle written
// in lower case in the name, such as "van" or "bin") is a word that can also be an ordinary
// word ("Can", "Will", "Grace"), so in running text it matches only where it is a whole word
// and either
//   (a) starts with an upper-case or title-case letter, as names are written ("Rajabov",
//       "RAJABOV", and also "Can" at the start of a sentence: a sample then says the pseudonym,
//       which is the safe side), or
//   (b) is not a word of running text: something other than white space, brackets, quotes,
//       a hyphen or sentence punctuation touches it ("rajabov1994", "f.rajabov@mail.example",
//       "#rajabov"), as in addresses and handles.
// So "he can return" and "the will of the family" are left alone for an applicant named Can
// or Will. A part in an unicase script (Arabic, Hebrew, ...) has no capitals and always matches
// as a whole word. In MatchMode::strict (file names, document metadata) parts match in any
// case. Inflected forms ("Rajabova") are other names: declare them in applicant.aliases.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/case.hpp"

namespace dossier::compose {

// The reference a sample report carries instead of the case's own (file name, running header,
// cover, /Title). Batch runs give each case its own ("SAMPLE-001", ...).
inline constexpr const char* kSampleReference = "SAMPLE";

enum class IdentityKind {
    name,            // applicant.name, whole
    name_part,       // one part of it (a name of one word is its only part)
    alias,           // one of applicant.aliases, whole
    alias_part,      // one part of an alias
    date_of_birth,   // applicant.born in one written form
    solicitor,       // instructions.solicitor, whole
    solicitor_part,  // one part of it
    firm,            // instructions.firm, whole
    appeal_number,   // appeal.number
    a_number,        // appeal.a_number
    reference,       // the case's reference
};

// What an identity is, for messages: "a part of the applicant's name". Messages never quote the
// identity itself (they reach logs and summary files).
const char* describe(IdentityKind kind);

struct IdentityItem {
    IdentityKind kind = IdentityKind::name;
    std::string text;         // UTF-8, as in the case file (dates of birth: as formatted)
    std::string replacement;  // what a sample prints in its place
};

enum class MatchMode {
    text,    // running text: name parts follow the rule above
    strict,  // file names and metadata: name parts match in any letter case
    // Text whose words may have been run together (lines joined without a space): name parts
    // match only under (a), capitalised, since (b) would take "will." + "6" for an address.
    capitalised,
};

// One place where an identity occurs: byte offsets into the UTF-8 text searched, widened to
// whole characters of the original (a soft hyphen inside the name is inside the match).
struct IdentityMatch {
    std::size_t item = 0;  // index into Identity::items()
    std::size_t begin = 0, end = 0;
};

// The identity strings of one case, compiled for matching. Immutable once built, so one
// Identity may be searched from several threads.
class Identity {
  public:
    Identity() = default;  // nothing to find

    // Collects the identity of a loaded case that has not been anonymised yet (Case::sample is
    // false): name and parts, aliases and their parts, the date of birth in the common numeric
    // and English forms and in the long, medium, short and full forms of the case's language,
    // solicitor and parts, firm, appeal number and A-number, and the reference. Parts shorter
    // than 3 letters are left out (initials: the pseudonym is often made of them), as are
    // numbers and references shorter than 6 characters, which would match ordinary text
    // ("2026"). `person` names the applicant in replacements ("appellant"). Never throws for
    // any input (bad UTF-8 reads as U+FFFD).
    static Identity of(const Case& c, const std::string& person = "applicant");

    const std::vector<IdentityItem>& items() const { return items_; }
    bool empty() const { return needles_.empty(); }

    // Every occurrence in `utf8`, non-overlapping, leftmost first and the longest of those
    // starting at one place.
    std::vector<IdentityMatch> find_all(std::string_view utf8,
                                        MatchMode mode = MatchMode::text) const;
    // The first occurrence, if any.
    std::optional<IdentityMatch> find(std::string_view utf8,
                                      MatchMode mode = MatchMode::text) const;
    // `utf8` with each occurrence replaced by its item's replacement (invalid UTF-8 becomes
    // U+FFFD).
    std::string redact(std::string_view utf8) const;

    // Compiled form of one item (public for the matcher in redaction.cpp only).
    struct Needle {
        std::size_t item = 0;
        std::u32string folded;  // matching form
        bool part = false;      // a single word of a name: the rule for name parts
        bool cased = false;     // its first letter has case (parts only)
    };

  private:
    std::vector<IdentityItem> items_;
    std::vector<Needle> needles_;  // longest first
};

// The matching form of `utf8` (see the top of this file), for tests and the fuzz target's
// oracle. Never throws for any input.
std::u32string matching_form(std::string_view utf8);

// A copy of `c` for a sample report, with the identity replaced at the source, so that no later
// stage (selection aside, which ran on `c`) ever sees it: the reference becomes
// `sample_reference`; applicant.name the pseudonym; aliases and the date of birth are removed;
// the solicitor and firm become neutral descriptions; the appeal number and A-number are removed;
// a document dated on the date of birth loses its date; and every other string typed in the case
// file (notes, questions and answers, instructions, documents, account, issues, views,
// assistance, limitations, facts, and every string of `root`) is redacted with `identity`. A
// fact whose date is the date of birth becomes the text "[date of birth withheld]". The result
// has Case::sample set; given a case that already has it, returns an unchanged copy. A
// pseudonym that itself holds the identity is an error at applicant.pseudonym, appended to
// `diagnostics` (the pseudonym is what the sample prints).
Case sample_case(const Case& c, const Identity& identity, const std::string& sample_reference,
                 Diagnostics& diagnostics);

// How the report names the person in `jurisdiction`: "appellant" (uk-ftt-iac, uk-utiac),
// "respondent" (us-eoir) or "applicant".
std::string person_for(const std::string& jurisdiction);

}  // namespace dossier::compose
