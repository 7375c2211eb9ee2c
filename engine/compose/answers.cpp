// The conclusions: each question put, in turn, with the expert's own answer and the paragraphs
// of the report it rests on ("See paragraphs 19–22 and 45."), numbered once every paragraph
// has its number. The answer is the expert's words from the case file, never stock text.
#include <algorithm>

#include "compose/composer.hpp"

namespace dossier::compose::detail {

void Composer::answers(Section& section, std::size_t index) {
    int n = 0;
    for (const Case::Question& q : case_.instructions.questions) {
        ++n;
        InlineBuilder ask;
        ask.text("Question " + std::to_string(n) + ": ", Style::bold, q.span);
        ask.text(q.ask, Style::italic, q.span);
        Block heading;
        heading.kind = Block::Kind::quote;
        heading.content = ask.finish();
        section.blocks.push_back(std::move(heading));

        if (q.answer.empty()) {
            if (!options_.draft) continue;  // only generic may leave it: a warning was given
            InlineBuilder b;
            b.text("[DRAFT: question " + std::to_string(n) + " has no answer yet]", Style::bold,
                   q.span);
            section.blocks.push_back(numbered_block(b.finish()));
            continue;
        }
        Span origin = q.answer_span.line > 0 ? q.answer_span : q.span;
        literal_paragraphs(section, q.answer, origin, true);
        if (!q.see.empty()) see_.push_back({index, section.blocks.size() - 1, q.see});
    }
}

void Composer::resolve_answers() {
    for (const PendingSee& p : see_) {
        // Each cited clause's paragraphs as a range, then ranges that touch merged, so that
        // "19–22 and 23–25" reads "19–25".
        struct Range {
            int first, last;
            std::string clause;
        };
        std::vector<Range> ranges;
        for (const Value& id : p.clauses) {
            auto it = clause_paragraphs_.find(id.text);
            if (it == clause_paragraphs_.end()) {
                bool known = library_.find_clause(id.text) != nullptr;
                error(diags_, id.span, "compose.see",
                      known ? "see: clause \"" + id.text +
                                  "\" is not in this report, so the answer cannot cite it"
                            : "see: no clause \"" + id.text + "\" in the library",
                      {known ? "include it with clauses.include, or cite another clause"
                             : "check the clause id (dossier explain lists them)"});
                continue;
            }
            ranges.push_back({it->second.first, it->second.second, id.text});
        }
        if (ranges.empty()) continue;
        std::sort(ranges.begin(), ranges.end(),
                  [](const Range& a, const Range& b) { return a.first < b.first; });
        std::vector<Range> merged;
        for (const Range& r : ranges) {
            if (!merged.empty() && r.first <= merged.back().last + 1)
                merged.back().last = std::max(merged.back().last, r.last);
            else
                merged.push_back(r);
        }
        std::vector<std::string> parts;
        for (const Range& r : merged)
            parts.push_back(r.first == r.last ? std::to_string(r.first)
                                              : std::to_string(r.first) + "\xE2\x80\x93" +
                                                    std::to_string(r.last));
        // The list formatter gives "19–22, 30 and 45" in the report's language; each range
        // is then found again in that text to make it a link to its clause.
        std::string list = join(parts);
        Block& block = doc_.sections[p.section].blocks[p.block];
        Span origin = p.clauses.front().span;
        bool one = merged.size() == 1 && merged[0].first == merged[0].last;
        InlineBuilder b;
        b.text(std::string(" See ") + (one ? "paragraph " : "paragraphs "), Style::regular, origin);
        std::size_t at = 0;
        for (std::size_t k = 0; k < merged.size(); ++k) {
            std::size_t found = list.find(parts[k], at);
            if (found == std::string::npos) break;
            b.text(list.substr(at, found - at), Style::regular, origin);
            b.text(parts[k], Style::regular, origin, "#clause:" + merged[k].clause, true);
            at = found + parts[k].size();
        }
        b.text(list.substr(at) + ".", Style::regular, origin);
        std::vector<Inline> tail = b.finish();
        // A leading space is dropped by the builder; the block's last run ends a sentence.
        if (!block.content.empty() && block.content.back().kind == Inline::Kind::text)
            block.content.back().text += " ";
        for (Inline& in : tail) block.content.push_back(std::move(in));
    }
}

}  // namespace dossier::compose::detail
