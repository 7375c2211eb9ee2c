#include "model/diagnostic.hpp"

#include <algorithm>
#include <cstdint>

namespace dossier {

void error(Diagnostics& out, Span span, std::string code, std::string message,
           std::vector<std::string> hints) {
    out.push_back(
        {Severity::error, std::move(code), std::move(message), std::move(span), std::move(hints)});
}

void warning(Diagnostics& out, Span span, std::string code, std::string message,
             std::vector<std::string> hints) {
    out.push_back({Severity::warning, std::move(code), std::move(message), std::move(span),
                   std::move(hints)});
}

bool has_errors(const Diagnostics& diagnostics) {
    return std::any_of(diagnostics.begin(), diagnostics.end(),
                       [](const Diagnostic& d) { return d.severity == Severity::error; });
}

static const char* severity_name(Severity s) {
    switch (s) {
        case Severity::error:
            return "error";
        case Severity::warning:
            return "warning";
        case Severity::note:
            return "note";
    }
    return "error";
}

std::string format_diagnostic(const Diagnostic& d, const std::string& source_line) {
    std::string out;
    if (!d.span.file.empty()) {
        out += d.span.file;
        if (d.span.line > 0) {
            out += ':' + std::to_string(d.span.line);
            if (d.span.column > 0) out += ':' + std::to_string(d.span.column);
        }
        out += ": ";
    }
    out += severity_name(d.severity);
    out += ": ";
    out += d.message;
    out += '\n';
    if (!source_line.empty() && d.span.column > 0) {
        out += "  " + source_line + '\n';
        // The caret goes under the column-th character; tabs are kept so it lines up.
        std::string pad = "  ";
        int col = 1;
        for (std::size_t i = 0; i < source_line.size() && col < d.span.column; ++i) {
            auto byte = static_cast<std::uint8_t>(source_line[i]);
            if ((byte & 0xC0) == 0x80) continue;  // continuation byte: same character
            pad += source_line[i] == '\t' ? '\t' : ' ';
            ++col;
        }
        out += pad + "^\n";
    }
    for (const auto& hint : d.hints) out += "  note: " + hint + '\n';
    return out;
}

namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diag = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] != b[j - 1])});
            diag = up;
        }
    }
    return row[b.size()];
}

}  // namespace

std::vector<std::string> did_you_mean(std::string_view word,
                                      const std::vector<std::string>& choices) {
    std::string best;
    // A third of the word may be wrong, but at least two edits are always allowed.
    std::size_t best_d = std::max<std::size_t>(2, word.size() / 3) + 1;
    for (const auto& c : choices) {
        std::size_t d = edit_distance(word, c);
        if (d < best_d) best_d = d, best = c;
    }
    if (best.empty()) return {};
    return {"did you mean \"" + best + "\"?"};
}

void sort_diagnostics(Diagnostics& diagnostics) {
    std::stable_sort(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& a, const Diagnostic& b) {
                         if (a.span.file != b.span.file) return a.span.file < b.span.file;
                         if (a.span.line != b.span.line) return a.span.line < b.span.line;
                         return a.span.column < b.span.column;
                     });
}

}  // namespace dossier
