// The `dossier` command: parses arguments, runs the pipeline stages in order, prints
// diagnostics, and writes outputs atomically. All policy about files and exit codes lives here;
// the stages themselves never touch the file system except to read their inputs.
#include <CLI/CLI.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "compose/compose.hpp"
#include "layout/layout.hpp"
#include "load/load.hpp"
#include "pdf/pdf.hpp"
#include "rules/rules.hpp"

namespace fs = std::filesystem;
using namespace dossier;

namespace {

constexpr int kExitOk = 0, kExitInput = 1, kExitUsage = 2;

// Where fonts/ and clauses/ live: $DOSSIER_DATA_DIR, then <bindir>/../share/dossier (an
// installed binary), then the source tree the binary was built from (a build tree).
std::string data_dir() {
    auto usable = [](const fs::path& p) {
        std::error_code ec;
        return fs::exists(p / "clauses" / "report.yaml", ec) && fs::exists(p / "fonts", ec);
    };
    if (const char* env = std::getenv("DOSSIER_DATA_DIR"); env && *env) return env;
    std::error_code ec;
    fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        fs::path installed = exe.parent_path().parent_path() / DOSSIER_INSTALL_DATA_DIR;
        if (usable(installed)) return installed.string();
    }
    return DOSSIER_SOURCE_DATA_DIR;
}

// The report date when a case gives none: SOURCE_DATE_EPOCH for reproducible builds, else
// today (UTC).
Date today() {
    long long seconds = 0;
    if (const char* sde = std::getenv("SOURCE_DATE_EPOCH"); sde && *sde)
        seconds = std::atoll(sde);
    else
        seconds = static_cast<long long>(std::time(nullptr));
    return Date::from_days_since_epoch(seconds / 86400);
}

std::string json_string(const std::string& s) {
    std::string out = "\"";
    for (unsigned char c : s) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (c < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", c);
                out += buf;
            } else {
                out += static_cast<char>(c);
            }
        }
    }
    return out + "\"";
}

const char* severity_name(Severity s) {
    return s == Severity::error ? "error" : s == Severity::warning ? "warning" : "note";
}

// Prints every diagnostic, in file order, with the offending line and a caret.
void print_diagnostics(Diagnostics diagnostics) {
    sort_diagnostics(diagnostics);
    int errors = 0, warnings = 0;
    for (const Diagnostic& d : diagnostics) {
        std::string line = d.span.line > 0 ? load::source_line(d.span.file, d.span.line) : "";
        std::cerr << format_diagnostic(d, line);
        (d.severity == Severity::error ? errors : warnings) += 1;
    }
    if (errors || warnings)
        std::cerr << errors << (errors == 1 ? " error" : " errors") << ", " << warnings
                  << (warnings == 1 ? " warning" : " warnings") << "\n";
}

std::string diagnostics_json(Diagnostics diagnostics) {
    sort_diagnostics(diagnostics);
    std::string out = "[";
    for (std::size_t i = 0; i < diagnostics.size(); ++i) {
        const Diagnostic& d = diagnostics[i];
        out += (i ? ", " : "");
        out += "{\"file\": " + json_string(d.span.file) + ", \"line\": " +
               std::to_string(d.span.line) + ", \"column\": " + std::to_string(d.span.column) +
               ", \"severity\": \"" + severity_name(d.severity) + "\", \"message\": " +
               json_string(d.message) + "}";
    }
    return out + "]";
}

// Writes `bytes` to `path` through a temporary file in the same directory and a rename, so
// that a reader never sees a half-written file and a failure leaves any earlier file intact.
bool write_atomically(const std::string& path, const std::string& bytes, std::string& problem) {
    fs::path target(path);
    fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
    std::string pattern = (dir / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
    std::vector<char> name(pattern.begin(), pattern.end());
    name.push_back('\0');
    int fd = mkstemp(name.data());
    if (fd < 0) {
        problem = "cannot create a temporary file in " + dir.string() + ": " + std::strerror(errno);
        return false;
    }
    std::size_t done = 0;
    while (done < bytes.size()) {
        ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            problem = std::string("cannot write the output: ") + std::strerror(errno);
            ::close(fd);
            ::unlink(name.data());
            return false;
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        problem = std::string("cannot write the output: ") + std::strerror(errno);
        ::unlink(name.data());
        return false;
    }
    ::chmod(name.data(), 0644);
    if (std::rename(name.data(), path.c_str()) != 0) {
        problem = "cannot move the output into place at " + path + ": " + std::strerror(errno);
        ::unlink(name.data());
        return false;
    }
    return true;
}

struct Timer {
    using clock = std::chrono::steady_clock;
    clock::time_point start = clock::now();
    std::vector<std::pair<std::string, double>> laps;
    void lap(const std::string& name) {
        auto now = clock::now();
        laps.emplace_back(name, std::chrono::duration<double, std::milli>(now - start).count());
        start = now;
    }
};

struct RenderArgs {
    std::string input, output, dump;
    std::vector<std::string> clauses;
    bool timings = false, first_fit = false;
};

int run_render(const RenderArgs& args) {
    Timer t;
    Diagnostics diags;
    std::string data = data_dir();
    auto c = load::load_case(args.input, today(), diags);
    Library library = load::load_library(data + "/clauses", args.clauses, diags);
    t.lap("load");
    if (!c || has_errors(diags)) {
        print_diagnostics(diags);
        return kExitInput;
    }
    rules::Selection selection = rules::select(*c, library, diags);
    t.lap("select");
    compose::Options copts;
    copts.creator = std::string("Dossier ") + DOSSIER_VERSION;
    Document doc = compose::compose(*c, library, selection, copts, diags);
    t.lap("compose");
    if (has_errors(diags)) {
        print_diagnostics(diags);
        return kExitInput;
    }
    if (args.dump == "document") {
        print_diagnostics(diags);
        std::cout << compose::dump(doc);
        return kExitOk;
    }
    layout::FontSet fonts = layout::load_fonts(data + "/fonts", diags);
    if (has_errors(diags)) {
        print_diagnostics(diags);
        return kExitInput;
    }
    layout::Options lopts;
    if (args.first_fit) lopts.breaker = layout::Breaker::first_fit;
    Pages pages = layout::layout(doc, fonts, lopts, diags);
    t.lap("layout");
    if (has_errors(diags)) {
        print_diagnostics(diags);
        return kExitInput;
    }
    if (args.dump == "layout") {
        print_diagnostics(diags);
        std::cout << layout::dump(pages);
        return kExitOk;
    }
    std::string bytes = pdf::write(pages, pdf::Options{}, diags);
    t.lap("pdf");
    if (bytes.empty() || has_errors(diags)) {
        print_diagnostics(diags);
        return kExitInput;
    }
    std::string output = args.output.empty() ? c->reference + ".pdf" : args.output;
    std::string problem;
    if (!write_atomically(output, bytes, problem)) {
        error(diags, {output, 0, 0}, "output.write", problem);
        print_diagnostics(diags);
        return kExitInput;
    }
    t.lap("write");
    print_diagnostics(diags);
    std::cerr << "wrote " << output << " (" << pages.pages.size() << " pages, " << bytes.size()
              << " bytes)\n";
    if (args.timings) {
        double total = 0;
        for (const auto& [name, ms] : t.laps) {
            std::fprintf(stderr, "  %-8s %8.2f ms\n", name.c_str(), ms);
            total += ms;
        }
        std::fprintf(stderr, "  %-8s %8.2f ms\n", "total", total);
    }
    return kExitOk;
}

int run_check(const std::vector<std::string>& inputs, bool json) {
    Diagnostics diags;
    for (const std::string& in : inputs) load::load_case(in, today(), diags);
    bool ok = !has_errors(diags);
    if (json)
        std::cout << "{\"ok\": " << (ok ? "true" : "false")
                  << ", \"diagnostics\": " << diagnostics_json(diags) << "}\n";
    else
        print_diagnostics(diags);
    if (ok && !json)
        std::cerr << inputs.size() << (inputs.size() == 1 ? " case file" : " case files")
                  << " checked: no errors\n";
    return ok ? kExitOk : kExitInput;
}

int run_explain(const std::string& input, const std::vector<std::string>& clauses, bool json) {
    Diagnostics diags;
    auto c = load::load_case(input, today(), diags);
    Library library = load::load_library(data_dir() + "/clauses", clauses, diags);
    if (!c || has_errors(diags)) {
        print_diagnostics(diags);
        return kExitInput;
    }
    rules::Selection selection = rules::select(*c, library, diags);
    print_diagnostics(diags);
    if (json) {
        std::cout << "{\"reference\": " << json_string(c->reference) << ", \"clauses\": [";
        for (std::size_t i = 0; i < selection.trace.size(); ++i) {
            const rules::Decision& d = selection.trace[i];
            const Clause* cl = library.find_clause(d.clause_id);
            std::cout << (i ? ", " : "") << "{\"id\": " << json_string(d.clause_id)
                      << ", \"section\": " << json_string(cl ? cl->section : "")
                      << ", \"included\": " << (d.included ? "true" : "false")
                      << ", \"reason\": " << json_string(d.reason) << "}";
        }
        std::cout << "]}\n";
    } else {
        std::size_t kept = 0;
        for (const rules::Decision& d : selection.trace) kept += d.included ? 1 : 0;
        std::cout << c->reference << ": " << kept << " of " << selection.trace.size()
                  << " clauses selected\n";
        for (const rules::Decision& d : selection.trace) {
            const Clause* cl = library.find_clause(d.clause_id);
            std::cout << (d.included ? "  + " : "  - ") << d.clause_id << "  ["
                      << (cl ? cl->section : "?") << "]\n      " << d.reason << "\n";
        }
    }
    return has_errors(diags) ? kExitInput : kExitOk;
}

int run_lint(const std::vector<std::string>& clauses) {
    Diagnostics diags;
    Library library = load::load_library(data_dir() + "/clauses", clauses, diags);
    rules::lint(library, today(), diags);
    print_diagnostics(diags);
    if (!has_errors(diags))
        std::cerr << "lint: " << library.clauses.size() << " clauses, " << library.sources.size()
                  << " sources: no errors\n";
    return has_errors(diags) ? kExitInput : kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"Dossier: expert witness reports for asylum and immigration cases"};
    app.set_version_flag("--version", std::string("dossier ") + DOSSIER_VERSION);
    app.require_subcommand(1);

    RenderArgs render;
    auto* r = app.add_subcommand("render", "Render a case file to a PDF report");
    r->add_option("CASE", render.input, "Case file (YAML)")->required();
    r->add_option("-o,--output", render.output, "Output PDF (default: <reference>.pdf)");
    r->add_option("--clauses", render.clauses, "Add a clause pack directory (repeatable)");
    r->add_option("--dump", render.dump, "Print a stage's result instead of writing a PDF")
        ->check(CLI::IsMember({"document", "layout"}));
    r->add_flag("--timings", render.timings, "Print the time each stage took");
    r->add_flag("--first-fit", render.first_fit, "Use the first-fit line breaker (baseline)");

    std::vector<std::string> check_inputs;
    bool check_json = false;
    auto* ch = app.add_subcommand("check", "Validate case files without rendering");
    ch->add_option("CASE", check_inputs, "Case files")->required();
    ch->add_flag("--json", check_json, "Machine-readable output on stdout");

    std::string explain_input;
    std::vector<std::string> explain_clauses;
    bool explain_json = false;
    auto* ex = app.add_subcommand("explain", "Show which clauses a case selects, and why");
    ex->add_option("CASE", explain_input, "Case file")->required();
    ex->add_option("--clauses", explain_clauses, "Add a clause pack directory (repeatable)");
    ex->add_flag("--json", explain_json, "Machine-readable output on stdout");

    std::vector<std::string> lint_clauses;
    auto* li = app.add_subcommand("lint", "Check the clause library");
    li->add_option("--clauses", lint_clauses, "Add a clause pack directory (repeatable)");

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return kExitUsage;
    }
    try {
        if (r->parsed()) return run_render(render);
        if (ch->parsed()) return run_check(check_inputs, check_json);
        if (ex->parsed()) return run_explain(explain_input, explain_clauses, explain_json);
        if (li->parsed()) return run_lint(lint_clauses);
    } catch (const std::bad_alloc&) {
        std::cerr << "dossier: out of memory\n";
        return kExitInput;
    }
    return kExitUsage;
}
