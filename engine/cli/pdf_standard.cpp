#include "cli/pdf_standard.hpp"

#include <sstream>
#include <vector>

namespace dossier::cli {

std::optional<pdf::Standard> pdf_standard(const std::optional<std::string>& requested,
                                          bool encrypted, Diagnostics& diagnostics) {
    constexpr const char* kCode = "cli.pdf-standard";
    if (!requested) {
        if (!encrypted) return pdf::Standard::pdfa_1b;
        Diagnostic d;
        d.severity = Severity::note;
        d.code = kCode;
        d.message = "the report is encrypted, so it is written as a plain PDF, not PDF/A";
        d.hints = {"PDF/A forbids encryption; archive an unencrypted copy where PDF/A is needed"};
        diagnostics.push_back(std::move(d));
        return pdf::Standard::none;
    }
    // A list, so that later standards (PDF/UA) can be named beside a PDF/A level; today each
    // item is one of two, and `none` excludes the rest.
    std::vector<std::string> items;
    std::istringstream list(*requested);
    for (std::string item; std::getline(list, item, ',');) items.push_back(item);
    if (items.empty()) items.push_back("");
    bool pdfa = false, none = false;
    for (const std::string& item : items) {
        if (item == "pdfa-1b") {
            pdfa = true;
        } else if (item == "none") {
            none = true;
        } else {
            error(diagnostics, {}, kCode,
                  "--pdf-standard: unknown standard \"" + item + "\"; valid: " + kPdfStandards,
                  did_you_mean(item, {"pdfa-1b", "none"}));
            return std::nullopt;
        }
    }
    if (pdfa && none) {
        error(diagnostics, {}, kCode,
              "--pdf-standard: \"none\" cannot be combined with another standard");
        return std::nullopt;
    }
    if (none) return pdf::Standard::none;
    if (encrypted) {
        error(diagnostics, {}, kCode,
              "an encrypted report cannot be PDF/A: --pdf-standard pdfa-1b with a password",
              {"drop the password, or use --pdf-standard none for an encrypted plain PDF"});
        return std::nullopt;
    }
    return pdf::Standard::pdfa_1b;
}

}  // namespace dossier::cli
