#include "model/diagnostic.hpp"

#include <algorithm>
#include <cstdint>

namespace dossier {

void error(Diagnostics& out, Span span, std::string code, std::string message,
           std::vector<std::string> hints) {
    out.push_back({Severity::error, std::move(code), std::move(message), std::move(span),
                   std::move(hints)});
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
        case Severity::error: return "error";
        case Severity::warning: return "warning";
        case Severity::note: return "note";
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

void sort_diagnostics(Diagnostics& diagnostics) {
    std::stable_sort(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& a, const Diagnostic& b) {
                         if (a.span.file != b.span.file) return a.span.file < b.span.file;
                         if (a.span.line != b.span.line) return a.span.line < b.span.line;
                         return a.span.column < b.span.column;
                     });
}

}  // namespace dossier
