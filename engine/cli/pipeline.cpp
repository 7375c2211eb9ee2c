#include "cli/pipeline.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>
#include <system_error>
#include <thread>

#include "cli/verify_sample.hpp"
#include "compose/compose.hpp"
#include "pdf/pdf.hpp"
#include "rules/rules.hpp"

namespace dossier::cli {

namespace {

// The uk-ftt-iac page limit: Practice Direction of the First-tier Tribunal (IAC), 1 November
// 2024, 9.2: an expert report of more than 20 pages needs the Tribunal's permission. Every page
// of the report counts, the cover, contents and appendices included.
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
    // The signature image too: a new one changes the report as much as a new profile.
    std::vector<std::string> files = {c.file, c.expert.file, c.expert.signature};
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
    e.library.vocabulary = rules::vocabulary(e.library);
    e.fonts = layout::load_fonts(data_dir + "/fonts", diagnostics);
    return e;
}

void check_forum(const Case& c, int pages, bool strict, Diagnostics& diagnostics) {
    if (c.jurisdiction != "uk-ftt-iac") return;
    int limit = c.appeal.permission_pages > 0 ? c.appeal.permission_pages : kFttPageLimit;
    if (pages <= limit) return;
    Span at{c.file, 1, 1};
    if (const Value* j = c.root.find("jurisdiction"); j && j->span.line > 0) at = j->span;
    std::string message = "the report has " + std::to_string(pages) + " pages; ";
    std::vector<std::string> hints;
    if (c.appeal.permission_pages > 0) {
        message += "the Tribunal's permission (appeal.permission_to_exceed) allows " +
                   std::to_string(limit);
        hints.push_back("shorten the report, or ask the Tribunal to extend its permission");
    } else {
        message += "the First-tier Tribunal's Practice Direction (9.2) allows at most " +
                   std::to_string(limit) + " without its permission";
        hints.push_back(
            "shorten the report, or record the Tribunal's permission under "
            "appeal.permission_to_exceed");
    }
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
    return Plan{c->reference, files_used(*c, engine.library, selection), c->date};
}

namespace {

// render_case's stages; render_case then scrubs the diagnostics of a sample.
RenderResult render_stages(const Engine& engine, const std::string& case_path,
                           const RenderOptions& options) {
    RenderResult r;
    Stopwatch clock;
    Diagnostics& diags = r.diagnostics;
    r.c = load::load_case(case_path, options.today, engine.schemas, &engine.library, diags);
    clock.lap("load", r.timings);
    if (!r.c || has_errors(diags)) return r;
    const Case& c = *r.c;
    // A declaration must not certify what the report lacks: each gap is an error, or in a
    // draft a placeholder in the report and a warning here.
    std::vector<rules::Gap> gaps = rules::find_gaps(c);
    rules::report_gaps(gaps, !options.draft, diags);
    if (has_errors(diags)) return r;

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

    // A sample: from here on only a copy with the identity replaced at the source (selection
    // above ran on the real case, so a sample holds the same clauses). The identity is kept to
    // search the finished output for it (verify_sample.hpp).
    std::shared_ptr<const compose::Identity> identity;
    const Span case_file{case_path, 0, 0};
    if (options.sample) {
        identity = std::make_shared<const compose::Identity>(
            compose::Identity::of(c, compose::person_for(c.jurisdiction)));
        r.identity = identity;
        r.c = compose::sample_case(
            c, *identity,
            options.sample_reference.empty() ? compose::kSampleReference : options.sample_reference,
            diags);
        if (has_errors(diags)) return r;
    }

    compose::Options copts;
    copts.creator = "Dossier " + engine.version;
    copts.sample = options.sample;
    copts.draft = options.draft;
    copts.strict = options.strict;
    if (options.draft) copts.gaps = std::move(gaps);
    Document doc = compose::compose(c, engine.library, selection, copts, diags);
    clock.lap("compose", r.timings);
    if (has_errors(diags)) return r;
    if (options.dump == "document") {
        std::string dump = compose::dump(doc);
        if (identity && !verify_no_identity(*identity, {{"document dump", dump}}, case_file, diags))
            return r;
        r.dump = std::move(dump);
        return r;
    }

    Pages pages = layout::layout(doc, engine.fonts, lopts, diags);
    clock.lap("layout", r.timings);
    if (has_errors(diags)) return r;
    r.pages = static_cast<int>(pages.pages.size());
    if (identity) {
        const std::string output =
            options.output_name.empty() ? c.reference + ".pdf" : options.output_name;
        if (!verify_sample(pages, output, *identity, case_file, diags)) return r;
        clock.lap("verify", r.timings);
    }
    check_forum(c, r.pages, options.strict, diags);
    if (has_errors(diags)) return r;
    if (options.dump == "layout") {
        r.dump = layout::dump(pages);
        return r;
    }

    pdf::Options popts;
    popts.fonts = &engine.pdf_fonts;
    popts.password = options.password;
    popts.standard = options.pdf_standard;
    r.pdf = pdf::write(pages, popts, diags);
    clock.lap("pdf", r.timings);
    if (has_errors(diags)) r.pdf.clear();
    return r;
}

}  // namespace

RenderResult render_case(const Engine& engine, const std::string& case_path,
                         const RenderOptions& options) {
    RenderResult r = render_stages(engine, case_path, options);
    // A sample's diagnostics go where the sample goes (batch summaries): they quote no
    // identity either (a value quoted in a message is redacted like case text).
    if (r.identity)
        for (Diagnostic& d : r.diagnostics) {
            d.message = r.identity->redact(d.message);
            for (std::string& h : d.hints) h = r.identity->redact(h);
        }
    return r;
}

}  // namespace dossier::cli
