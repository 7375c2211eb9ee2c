#include "cli/pipeline.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <system_error>
#include <thread>

#include "compose/compose.hpp"
#include "pdf/pdf.hpp"
#include "rules/rules.hpp"

namespace dossier::cli {

namespace {

// The uk-ftt-iac page limit (Practice Direction for the Immigration and Asylum Chambers):
// expert reports of more than 20 pages, appendices excluded, need the Tribunal's permission.
constexpr int kFttPageLimit = 20;

class Stopwatch {
  public:
    void lap(const char* stage, std::vector<StageTime>& out) {
        auto now = std::chrono::steady_clock::now();
        out.push_back({stage, std::chrono::duration<double, std::milli>(now - start_).count()});
        start_ = now;
    }

  private:
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

std::vector<std::string> files_used(const Case& c, const Library& library,
                                    const rules::Selection& selection) {
    std::vector<std::string> files = {c.file, c.expert.file};
    if (!library.skeleton.empty()) files.push_back(library.skeleton.front().span.file);
    for (std::size_t k : selection.clauses)
        if (k < library.clauses.size()) files.push_back(library.clauses[k].span.file);
    // Every sources file: a citation may name a source in any pack.
    for (const Source& s : library.sources) files.push_back(s.span.file);
    std::sort(files.begin(), files.end());
    files.erase(std::unique(files.begin(), files.end()), files.end());
    files.erase(std::remove(files.begin(), files.end(), std::string()), files.end());
    return files;
}

}  // namespace

Engine load_engine(const std::string& data_dir, const std::vector<std::string>& extra_clauses,
                   const std::string& version, Diagnostics& diagnostics) {
    Engine e;
    e.data_dir = data_dir;
    e.version = version;
    e.schemas = load::load_schemas(data_dir + "/schemas", diagnostics);
    e.library = load::load_library(data_dir + "/clauses", extra_clauses, e.schemas, diagnostics);
    e.fonts = layout::load_fonts(data_dir + "/fonts", diagnostics);
    return e;
}

void check_forum(const Case& c, int body_pages, bool strict, Diagnostics& diagnostics) {
    if (c.jurisdiction != "uk-ftt-iac" || body_pages <= kFttPageLimit) return;
    Span at{c.file, 0, 0};
    if (const Value* j = c.root.find("jurisdiction"); j && j->span.line > 0) at = j->span;
    std::string message = "the report has " + std::to_string(body_pages) +
                          " pages excluding appendices; the First-tier Tribunal expects at "
                          "most " +
                          std::to_string(kFttPageLimit);
    std::vector<std::string> hints = {
        "shorten the report, move material to an appendix, or ask the Tribunal's permission"};
    if (strict)
        error(diagnostics, at, "forum.page-limit", message, hints);
    else
        warning(diagnostics, at, "forum.page-limit", message, hints);
}

std::optional<Plan> plan_case(const Engine& engine, const std::string& case_path,
                              const Date& today) {
    Diagnostics diags;
    auto c = load::load_case(case_path, today, engine.schemas, &engine.library, diags);
    if (!c || has_errors(diags)) return std::nullopt;
    rules::Selection selection = rules::select(*c, engine.library, diags);
    if (has_errors(diags)) return std::nullopt;
    return Plan{c->reference, files_used(*c, engine.library, selection)};
}

RenderResult render_case(const Engine& engine, const std::string& case_path,
                         const RenderOptions& options) {
    RenderResult r;
    Stopwatch clock;
    Diagnostics& diags = r.diagnostics;
    r.c = load::load_case(case_path, options.today, engine.schemas, &engine.library, diags);
    clock.lap("load", r.timings);
    if (!r.c || has_errors(diags)) return r;
    const Case& c = *r.c;

    layout::Options lopts;
    if (options.first_fit) lopts.breaker = layout::Breaker::first_fit;
    // Layout will want the hyphenation patterns of the report's language, and parsing them
    // takes about as long as selecting and composing: another thread parses them meanwhile
    // (nothing to do when an earlier report in the process needed them). Joined on return.
    std::jthread patterns;
    if (options.dump != "document") {
        try {
            patterns = std::jthread([&fonts = engine.fonts, language = c.language, lopts] {
                layout::prepare_hyphenation(fonts, language, lopts);
            });
        } catch (const std::system_error&) {
            // No thread to spare: layout parses them when it gets to them.
        }
    }

    rules::Selection selection = rules::select(c, engine.library, diags);
    clock.lap("select", r.timings);
    r.inputs = files_used(c, engine.library, selection);
    if (has_errors(diags)) return r;

    compose::Options copts;
    copts.creator = "Dossier " + engine.version;
    copts.sample = options.sample;
    Document doc = compose::compose(c, engine.library, selection, copts, diags);
    clock.lap("compose", r.timings);
    if (has_errors(diags)) return r;
    if (options.dump == "document") {
        r.dump = compose::dump(doc);
        return r;
    }

    Pages pages = layout::layout(doc, engine.fonts, lopts, diags);
    clock.lap("layout", r.timings);
    if (has_errors(diags)) return r;
    r.pages = static_cast<int>(pages.pages.size());
    int body = static_cast<int>(std::count_if(pages.pages.begin(), pages.pages.end(),
                                              [](const Page& p) { return !p.appendix; }));
    check_forum(c, body, options.strict, diags);
    if (has_errors(diags)) return r;
    if (options.dump == "layout") {
        r.dump = layout::dump(pages);
        return r;
    }

    pdf::Options popts;
    popts.fonts = &engine.pdf_fonts;
    popts.password = options.password;
    r.pdf = pdf::write(pages, popts, diags);
    clock.lap("pdf", r.timings);
    if (has_errors(diags)) r.pdf.clear();
    return r;
}

}  // namespace dossier::cli
