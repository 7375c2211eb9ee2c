// Hand-built documents for the layout tests: a report shaped like the real ones (sections,
// numbered paragraphs with citations, a quote, a list, sources, an appendix).
#pragma once

#include <string>
#include <vector>

#include "layout/layout.hpp"

namespace dossier::layout::test {

// The bundled fonts, loaded once per test binary (read-only afterwards).
const FontSet& fonts();

Inline text(std::string s, Style style = Style::regular);
Inline note_ref(int number);
Inline link(std::string text, std::string uri);
Block paragraph(int number, std::vector<Inline> content);
Block block(Block::Kind kind, std::vector<Inline> content);

// About forty numbered paragraphs over five sections, footnotes on many of them, one very
// long footnote, a quote, a list, a sources section with addresses and an appendix.
Document sample_report();

// Prose for line-breaking tests: `n` sentences of ordinary report English.
std::string prose(int sentences, int seed = 0);

}  // namespace dossier::layout::test
