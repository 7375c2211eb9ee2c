#include "cli/verify_sample.hpp"

#include <algorithm>
#include <set>
#include <tuple>

namespace dossier::cli {

namespace {

bool ends_with_hyphen(const std::string& s) {
    return (!s.empty() && s.back() == '-') ||
           (s.size() >= 3 && s.compare(s.size() - 3, 3, "\xE2\x80\x90") == 0);  // U+2010
}

void drop_hyphen(std::string& s) {
    if (!s.empty() && s.back() == '-')
        s.pop_back();
    else
        s.resize(s.size() - 3);
}

void trim_end(std::string& s) {
    while (!s.empty() && s.back() == ' ') s.pop_back();
}

// The lines of a page: runs grouped by baseline (a superscript marker sits a few points above
// its line's baseline, less than half its line's type size), each line's runs in x order.
std::vector<std::vector<const TextRun*>> lines_of(const std::vector<const TextRun*>& runs) {
    std::vector<const TextRun*> sorted = runs;
    std::sort(sorted.begin(), sorted.end(), [](const TextRun* a, const TextRun* b) {
        return std::tie(a->y, a->x) < std::tie(b->y, b->x);
    });
    std::vector<std::vector<const TextRun*>> lines;
    Unit top = 0, size = 0;
    for (const TextRun* r : sorted) {
        if (lines.empty() || r->y - top > std::max(size, r->size) * 45 / 100) {
            lines.emplace_back();
            top = r->y;
            size = r->size;
        }
        size = std::max(size, r->size);
        lines.back().push_back(r);
    }
    for (auto& line : lines)
        std::stable_sort(line.begin(), line.end(),
                         [](const TextRun* a, const TextRun* b) { return a->x < b->x; });
    return lines;
}

enum class Reading {
    drawn,   // runs as drawn; a hyphen at a line's end removed, other line ends a space
    spaced,  // a space between runs that do not end in one; a hyphen at a line's end kept
    joined,  // runs as drawn, lines joined with nothing (breaks inside addresses and words
             // too wide for the line, which take no hyphen)
};

std::string reading(const std::vector<std::vector<const TextRun*>>& lines, Reading how) {
    std::string out;
    for (const auto& line : lines) {
        std::string text;
        for (const TextRun* r : line) {
            if (how == Reading::spaced && !text.empty() && text.back() != ' ') text += ' ';
            text += r->text;
        }
        trim_end(text);
        if (text.empty()) continue;
        if (!out.empty() && how != Reading::joined) {
            if (!ends_with_hyphen(out))
                out += ' ';
            else if (how == Reading::drawn)
                drop_hyphen(out);
        }
        out += text;
    }
    return out;
}

}  // namespace

std::vector<Searched> searchable_strings(const Pages& pages) {
    std::vector<Searched> out;
    for (std::size_t p = 0; p < pages.pages.size(); ++p) {
        const Page& page = pages.pages[p];
        const std::string where = "page " + std::to_string(p + 1);
        std::vector<const TextRun*> upright, rotated;
        for (const TextRun& r : page.runs) (r.rotation ? rotated : upright).push_back(&r);
        auto lines = lines_of(upright);
        for (Reading how : {Reading::drawn, Reading::spaced, Reading::joined})
            out.push_back({where + " (text)", reading(lines, how),
                           how == Reading::joined ? compose::MatchMode::capitalised
                                                  : compose::MatchMode::text});
        if (!rotated.empty()) {
            std::string text;
            for (const TextRun* r : rotated) text += r->text;
            out.push_back({where + " (watermark)", text, compose::MatchMode::text});
        }
        for (const Link& link : page.links)
            if (!link.uri.empty())
                out.push_back({where + " (link address)", link.uri, compose::MatchMode::strict});
    }
    for (std::size_t b = 0; b < pages.outline.size(); ++b)
        out.push_back({"bookmark " + std::to_string(b + 1) + " (page " +
                           std::to_string(pages.outline[b].page + 1) + ")",
                       pages.outline[b].title, compose::MatchMode::text});
    const DocumentInfo& info = pages.info;
    for (const auto& [name, value] :
         {std::pair<const char*, const std::string*>{"Title", &info.title},
          {"Author", &info.author},
          {"Subject", &info.subject},
          {"Keywords", &info.keywords},
          {"Creator", &info.creator}})
        out.push_back(
            {std::string("document info (") + name + ")", *value, compose::MatchMode::strict});
    return out;
}

bool verify_no_identity(const compose::Identity& identity, const std::vector<Searched>& strings,
                        const Span& at, Diagnostics& diagnostics, const std::string& outcome) {
    constexpr int kMaxErrors = 20;
    std::set<std::pair<std::string, compose::IdentityKind>> reported;
    bool clean = true;
    int errors = 0;
    for (const Searched& s : strings) {
        for (const compose::IdentityMatch& m : identity.find_all(s.text, s.mode)) {
            clean = false;
            compose::IdentityKind kind = identity.items()[m.item].kind;
            if (!reported.emplace(s.where, kind).second || errors >= kMaxErrors) continue;
            ++errors;
            std::vector<std::string> hints;
            if (s.where == "output file name") {
                hints.push_back(
                    "name the output so that it does not name anyone (the default "
                    "is the sample reference, SAMPLE.pdf)");
            } else {
                if (kind == compose::IdentityKind::name_part ||
                    kind == compose::IdentityKind::alias_part ||
                    kind == compose::IdentityKind::solicitor_part)
                    hints.push_back(
                        "a capitalised word equal to a part of a name (3 letters or more) is read "
                        "as the name, even where it is an ordinary word: rephrase that sentence");
                hints.push_back(
                    "text typed in the case file is redacted; text from the clause library, a "
                    "--clauses pack or the expert profile is not: remove the identity there");
            }
            error(diagnostics, at, "sample.identity",
                  std::string("the sample report still holds ") + compose::describe(kind) + " (" +
                      s.where + "); " + outcome,
                  std::move(hints));
        }
    }
    return clean;
}

bool verify_sample(const Pages& pages, const std::string& output_name,
                   const compose::Identity& identity, const Span& at, Diagnostics& diagnostics) {
    std::vector<Searched> strings = searchable_strings(pages);
    if (!output_name.empty() && output_name != "-") {
        std::string base = output_name.substr(output_name.find_last_of('/') + 1);
        strings.push_back({"output file name", base, compose::MatchMode::strict});
    }
    return verify_no_identity(identity, strings, at, diagnostics);
}

}  // namespace dossier::cli
