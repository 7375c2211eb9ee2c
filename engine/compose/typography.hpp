// Private to compose: the typography of the composed text (issue 16). Only characters change,
// never what the text says, and no markup is read, so that text typed in a case file stays
// literal: straight quotes become typographic ones in the document's language, `--` and `---`
// dashes, `...` an ellipsis, hyphens in number ranges en dashes, and no-break spaces (U+00A0)
// join "paragraph 23", "(n 7)", "Dr Elsdale", "5 October", "§ 1746" and the like; note markers
// move after the punctuation that follows them (OSCOLA, Chicago). Addresses, dates written
// 2024-03-01, appeal numbers, A-numbers and anything else that looks like an identifier are left
// exactly as typed, as are runs that link to an external address and the names given in `keep`.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/document.hpp"

namespace dossier::compose::detail {

struct TypographyOptions {
    std::string language = "en-GB";  // BCP 47; picks the quotation marks (CLDR)
    // Strings printed with their spelling as typed wherever they occur: names (an apostrophe in
    // "O'Brien" stays straight), the reference, appeal and A-numbers. Spaces inside them may
    // still become no-break spaces ("Dr Rowan Elsdale").
    std::vector<std::string> keep;
};

// One block's or footnote's runs, read as one text so that a quote or a pair may span runs; a
// change is made only inside one run. Then note markers are moved after punctuation.
void typeset_inlines(std::vector<Inline>& runs, const TypographyOptions& options);

// A string alone (cover values, titles): its start and end are the context.
std::string typeset_text(std::string_view text, const TypographyOptions& options);

// Every block, footnote, section title and cover value of `doc`.
void typeset_document(Document& doc, const TypographyOptions& options);

// "since then⁵." -> "since then.⁵": the punctuation (. , ; : ! ?) and closing quotation marks
// right after one or more adjacent markers go before them; ')' stays where it is.
void punctuation_before_notes(std::vector<Inline>& runs, const TypographyOptions& options);

}  // namespace dossier::compose::detail
