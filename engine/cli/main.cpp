// The `dossier` command: parses arguments and runs the subcommands. The pipeline itself is in
// pipeline.cpp, batch runs in batch.cpp, and output conventions (diagnostics, JSON, atomic
// files) in output.cpp.
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "cli/batch.hpp"
#include "cli/case_schema.hpp"
#include "cli/output.hpp"
#include "cli/password.hpp"
#include "cli/pdf_standard.hpp"
#include "cli/pipeline.hpp"
#include "model/file_bytes.hpp"
#include "model/json.hpp"
#include "rules/rules.hpp"

namespace fs = std::filesystem;
using namespace dossier;
using namespace dossier::cli;

namespace {

constexpr int kExitOk = 0, kExitInput = 1, kExitUsage = 2;

// Where fonts/, clauses/ and schemas/ live: $DOSSIER_DATA_DIR, then <bindir>/../share/dossier
// (an installed binary), then the source tree the binary was built from (a build tree).
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

// The latest SOURCE_DATE_EPOCH taken: 9999-12-31T23:59:59Z, the last moment a four-digit year
// can name.
constexpr long long kMaxSourceDateEpoch = 253402300799LL;

// SOURCE_DATE_EPOCH as the reproducible-builds specification defines it (a decimal count of
// seconds since 1970-01-01 UTC), when it is set; nullopt with `problem` set when it is set but
// malformed (which the specification says must fail the build: a report dated 1 January 1970,
// as atoll("abc") made it, would be evidence with a wrong date).
std::optional<long long> source_date_epoch(std::string& problem) {
    const char* sde = std::getenv("SOURCE_DATE_EPOCH");
    if (sde == nullptr) return std::nullopt;
    std::string text = sde;
    bool digits =
        !text.empty() && text.size() <= 12 &&
        std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!digits || std::stoll(text) > kMaxSourceDateEpoch) {
        problem = "SOURCE_DATE_EPOCH=\"" + text +
                  "\" is not a number of seconds since 1970-01-01 UTC (digits only, at most " +
                  std::to_string(kMaxSourceDateEpoch) + "): set it to one, or unset it";
        return std::nullopt;
    }
    return std::stoll(text);
}

// The report date when a case gives none: SOURCE_DATE_EPOCH for reproducible builds, else
// today (UTC). main() has refused a malformed SOURCE_DATE_EPOCH before any command runs.
Date today() {
    std::string problem;
    long long seconds = source_date_epoch(problem).value_or(std::time(nullptr));
    return Date::from_days_since_epoch(seconds / 86400);
}

struct RenderArgs {
    std::string input, output, dump;
    PasswordSource password;
    std::optional<std::string> pdf_standard;  // --pdf-standard as given; nullopt: the default
    std::vector<std::string> clauses;
    bool timings = false, first_fit = false, sample = false, strict = false, draft = false;
};

// Every file an output must not replace: what decided the report (the case, its expert profile,
// the skeleton, the selected clauses, the sources), and also the rest of the library, the
// schemas, the fonts and the signature image, which a mistyped -o could as easily name.
std::vector<std::string> protected_inputs(const Engine& engine, const RenderResult& r,
                                          const std::string& case_path) {
    std::vector<std::string> files = r.inputs;
    files.push_back(case_path);
    if (r.c) {
        files.push_back(r.c->expert.file);
        files.push_back(r.c->expert.signature);
    }
    for (const SectionDef& s : engine.library.skeleton) files.push_back(s.span.file);
    for (const Clause& c : engine.library.clauses) files.push_back(c.span.file);
    for (const Source& s : engine.library.sources) files.push_back(s.span.file);
    for (const FactDecl& f : engine.library.facts) files.push_back(f.span.file);
    for (const char* dir : {"/schemas", "/fonts"}) {
        std::error_code ec;
        for (fs::directory_iterator it(engine.data_dir + dir, ec), end; !ec && it != end;
             it.increment(ec))
            files.push_back(it->path().string());
    }
    std::sort(files.begin(), files.end());
    files.erase(std::unique(files.begin(), files.end()), files.end());
    return files;
}

int run_render(const RenderArgs& args) {
    // One report: the helper thread that parses hyphenation patterns meanwhile should allocate
    // from the main heap, which is set up for huge pages (see reserve_heap), rather than from an
    // arena of its own faulted in 4 KB at a time (page faults per render 1,105 -> 646). A batch
    // keeps glibc's arena per thread: its workers allocate concurrently all the time.
    ::mallopt(M_ARENA_MAX, 1);
    Diagnostics setup;
    // The password first: a prompt comes before the work, and a bad password stops it.
    std::optional<std::string> password;
    if (args.password.wanted()) {
        password = read_password(args.password, setup);
        if (!password) {
            print_diagnostics(setup);
            return kExitInput;
        }
    }
    const std::optional<pdf::Standard> standard =
        pdf_standard(args.pdf_standard, password.has_value(), setup);
    if (!standard) {
        print_diagnostics(setup);
        return kExitInput;
    }
    auto start = std::chrono::steady_clock::now();
    Engine engine = load_engine(data_dir(), args.clauses, DOSSIER_VERSION, setup);
    double engine_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (has_errors(setup)) {
        print_diagnostics(setup);
        return kExitInput;
    }
    RenderOptions options;
    options.sample = args.sample;
    options.first_fit = args.first_fit;
    options.strict = args.strict;
    options.draft = args.draft;
    if (password) options.password = *password;
    options.pdf_standard = *standard;
    options.dump = args.dump;
    options.output_name = args.output;  // a sample checks its file name for the identity too
    options.today = today();
    RenderResult r = render_case(engine, args.input, options);
    // Schemas, clause library, fonts and hyphenation patterns: loaded once per process.
    r.timings.insert(r.timings.begin(), StageTime{"engine", engine_ms});
    Diagnostics& diags = r.diagnostics;
    diags.insert(diags.begin(), setup.begin(), setup.end());
    if (!r.ok()) {
        print_diagnostics(diags);
        return kExitInput;
    }
    if (!args.dump.empty()) {
        print_diagnostics(diags);
        std::cout << r.dump;
        return kExitOk;
    }
    std::string output = args.output.empty() ? r.c->reference + ".pdf" : args.output;
    std::string problem;
    // A reader of a FIFO or of standard output that goes away is an error to report (EPIPE),
    // not a signal that kills the process with the output half-written and nothing said.
    std::signal(SIGPIPE, SIG_IGN);
    remove_temporary_files_on_signals();
    if (!write_output(output, r.pdf, protected_inputs(engine, r, args.input), problem)) {
        error(diags, {output == "-" ? "" : output, 0, 0}, "output.write", problem);
        print_diagnostics(diags);
        return kExitInput;
    }
    print_diagnostics(diags);
    std::cerr << "wrote " << (output == "-" ? std::string("the PDF to standard output") : output)
              << " (" << r.pages << " pages, " << r.pdf.size() << " bytes)\n";
    if (args.timings) {
        double total = 0;
        for (const StageTime& t : r.timings) {
            std::fprintf(stderr, "  %-8s %8.2f ms\n", t.stage, t.milliseconds);
            total += t.milliseconds;
        }
        std::fprintf(stderr, "  %-8s %8.2f ms\n", "total", total);
    }
    return kExitOk;
}

int run_check(const std::vector<std::string>& inputs, const std::vector<std::string>& clauses,
              bool json) {
    // The library too: clauses.include / clauses.exclude must name clauses that exist.
    Diagnostics diags;
    std::string data = data_dir();
    load::Schemas schemas = load::load_schemas(data + "/schemas", diags);
    Library library = load::load_library(data + "/clauses", clauses, schemas, diags);
    library.vocabulary = rules::vocabulary(library);
    for (const std::string& in : inputs)
        if (auto c = load::load_case(in, today(), schemas, &library, diags))
            // Valid, but the report would not be ready: what render refuses, check warns of.
            rules::report_gaps(rules::find_gaps(*c), false, diags);
    bool ok = !has_errors(diags);
    if (json)
        std::cout << json_text(
                         Json::object({{"ok", ok}, {"diagnostics", diagnostics_to_json(diags)}}))
                  << "\n";
    else
        print_diagnostics(diags);
    if (ok && !json)
        std::cerr << inputs.size() << (inputs.size() == 1 ? " case file" : " case files")
                  << " checked: no errors\n";
    return ok ? kExitOk : kExitInput;
}

// explain --missing: the facts the library could use for this case that it lacks.
void print_missing(const Case& c, const Library& library, bool json) {
    std::vector<rules::MissingFact> missing = rules::missing_facts(c, library);
    if (json) {
        Json facts = Json::array();
        for (const rules::MissingFact& m : missing)
            facts.push_back(Json::object({{"fact", m.name},
                                          {"type", m.type},
                                          {"description", m.description},
                                          {"clauses", m.clauses}}));
        std::cout << json_text(Json::object({{"reference", c.reference}, {"missing", facts}}))
                  << "\n";
        return;
    }
    std::cout << c.reference << ": " << missing.size() << (missing.size() == 1 ? " fact" : " facts")
              << " the library reads for this case " << (missing.size() == 1 ? "is" : "are")
              << " not given\n";
    for (const rules::MissingFact& m : missing) {
        std::cout << "  facts." << m.name << (m.type.empty() ? "" : " (" + m.type + ")") << "\n";
        if (!m.description.empty()) std::cout << "      " << m.description << "\n";
        std::cout << "      decides:";
        for (const std::string& id : m.clauses) std::cout << " " << id;
        std::cout << "\n";
    }
}

int run_explain(const std::string& input, const std::vector<std::string>& clauses, bool json,
                bool missing) {
    Diagnostics diags;
    std::string data = data_dir();
    load::Schemas schemas = load::load_schemas(data + "/schemas", diags);
    Library library = load::load_library(data + "/clauses", clauses, schemas, diags);
    library.vocabulary = rules::vocabulary(library);
    auto c = load::load_case(input, today(), schemas, &library, diags);
    if (!c || has_errors(diags)) {
        print_diagnostics(diags);
        return kExitInput;
    }
    if (missing) {
        print_diagnostics(diags);
        print_missing(*c, library, json);
        return kExitOk;
    }
    rules::Selection selection = rules::select(*c, library, diags);
    print_diagnostics(diags);
    if (json) {
        Json clauses = Json::array();
        for (const rules::Decision& d : selection.trace) {
            const Clause* cl = library.find_clause(d.clause_id);
            clauses.push_back(Json::object({{"id", d.clause_id},
                                            {"section", cl ? cl->section : ""},
                                            {"included", d.included},
                                            {"reason", d.reason}}));
        }
        std::cout << json_text(Json::object({{"reference", c->reference}, {"clauses", clauses}}))
                  << "\n";
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
    std::string data = data_dir();
    load::Schemas schemas = load::load_schemas(data + "/schemas", diags);
    Library library = load::load_library(data + "/clauses", clauses, schemas, diags);
    rules::lint(library, today(), diags);
    print_diagnostics(diags);
    if (!has_errors(diags))
        std::cerr << "lint: " << library.clauses.size() << " clauses, " << library.sources.size()
                  << " sources: no errors\n";
    return has_errors(diags) ? kExitInput : kExitOk;
}

int run_schema(const std::vector<std::string>& clauses) {
    Diagnostics diags;
    std::string data = data_dir();
    load::Schemas schemas = load::load_schemas(data + "/schemas", diags);
    Library library = load::load_library(data + "/clauses", clauses, schemas, diags);
    library.vocabulary = rules::vocabulary(library);
    std::string path = data + "/schemas/case.schema.json";
    FileProblem unreadable;
    std::optional<std::string> base = read_regular_file(path, 1 << 20, unreadable);
    if (!base) error(diags, {path, 0, 0}, unreadable.code, unreadable.message);
    std::string problem;
    std::optional<std::string> schema;
    if (!has_errors(diags)) {
        schema = case_schema(*base, library, problem);
        if (!schema) error(diags, {path, 0, 0}, "schema.base", problem);
    }
    if (has_errors(diags)) {
        print_diagnostics(diags);
        return kExitInput;
    }
    print_diagnostics(diags);
    std::cout << *schema;
    return kExitOk;
}

int run_batch_command(BatchOptions options, const std::vector<std::string>& clauses,
                      const std::string& shard, const PasswordSource& password,
                      const std::optional<std::string>& standard_request) {
    if (!shard.empty() && !parse_shard(shard, options.shard, options.shards)) {
        std::cerr << "dossier batch: --shard must be K/N with 1 <= K <= N, e.g. 2/8\n";
        return kExitUsage;
    }
    Diagnostics setup;
    // Before any worker starts (read_password may prompt); one password for every report.
    if (password.wanted()) {
        std::optional<std::string> text = read_password(password, setup);
        if (!text) {
            print_diagnostics(setup);
            return kExitInput;
        }
        options.password = std::move(*text);
    }
    const std::optional<pdf::Standard> standard =
        pdf_standard(standard_request, !options.password.empty(), setup);
    if (!standard) {
        print_diagnostics(setup);
        return kExitInput;
    }
    options.pdf_standard = *standard;
    Engine engine = load_engine(data_dir(), clauses, DOSSIER_VERSION, setup);
    print_diagnostics(setup);
    if (has_errors(setup)) return kExitInput;
    options.today = today();
    return run_batch(engine, options);
}

}  // namespace

namespace {

// One render touches some 10 MB of fresh heap, and on the small virtual machines this runs on a
// page fault costs about 12 us: 4 KB at a time, faulting took a fifth of a render. So the main
// heap is grown once by 32 MB and marked for transparent huge pages, which the kernel then
// faults in 2 MB at a time (what glibc's glibc.malloc.hugetlb=1 tunable does, which can only be
// set from the environment). Memory is not given back while the process runs: a render is
// short, and a batch reuses it. Everything here is advice: if a call fails, malloc behaves as
// it always does. Worker threads of a batch allocate from their own arenas and are unaffected.
void reserve_heap() {
    constexpr std::size_t kReserve = std::size_t{32} << 20, kHuge = std::size_t{2} << 20;
    ::mallopt(M_TOP_PAD, static_cast<int>(kReserve));
    ::mallopt(M_TRIM_THRESHOLD, static_cast<int>(2 * kReserve));
    ::mallopt(M_MMAP_THRESHOLD, static_cast<int>(kReserve));  // large buffers from the heap too
    // A block bigger than what is left of the initial heap makes malloc extend it, by the block
    // and the pad; freed, it stays in the heap for later allocations.
    void* block = std::malloc(std::size_t{1} << 20);
    if (block == nullptr) return;
    // The 2 MB-aligned stretch between the block (near the heap's start) and the heap's end.
    const std::uintptr_t start =
        (reinterpret_cast<std::uintptr_t>(block) + kHuge - 1) & ~(kHuge - 1);
    std::free(block);
    auto* top = static_cast<char*>(::sbrk(0));
    if (top == reinterpret_cast<char*>(-1)) return;
    const std::uintptr_t end = reinterpret_cast<std::uintptr_t>(top) & ~(kHuge - 1);
    // Only when the block really came from the brk heap just grown (not from mmap, or from a
    // sanitizer's allocator): then the stretch is at most the block and the pad.
    if (start < end && end - start <= kReserve + (std::size_t{1} << 20)) {
        ::madvise(reinterpret_cast<void*>(start), end - start, MADV_HUGEPAGE);
    }
}

// Overwrites the value of --password in the process's arguments, which other users read in
// /proc/PID/cmdline: from here on it shows as asterisks. (It was visible until now, which is
// why --password warns.)
void hide_password(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        char* value = nullptr;
        if (std::strcmp(argv[i], "--password") == 0 && i + 1 < argc)
            value = argv[i + 1];
        else if (std::strncmp(argv[i], "--password=", 11) == 0)
            value = argv[i] + 11;
        if (value) std::memset(value, '*', std::strlen(value));
    }
}

}  // namespace

int main(int argc, char** argv) {
    reserve_heap();
    CLI::App app{"Dossier: expert witness reports for asylum and immigration cases"};
    app.set_version_flag("--version", std::string("dossier ") + DOSSIER_VERSION);
    app.require_subcommand(1);

    RenderArgs render;
    auto* r = app.add_subcommand("render", "Render a case file to a PDF report");
    r->add_option("CASE", render.input, "Case file (YAML)")->required();
    r->add_option("-o,--output", render.output,
                  "Output PDF, or - for standard output (default: <reference>.pdf)");
    r->add_option("--clauses", render.clauses, "Add a clause pack directory (repeatable)");
    r->add_flag("--sample", render.sample,
                "Anonymised sample report: pseudonym only, SAMPLE on every page");
    // The password: see password.hpp. Each of these encrypts the PDF with AES-256.
    r->add_flag("--encrypt", render.password.encrypt,
                "Encrypt the PDF with AES-256; the password comes from --password-file, "
                "DOSSIER_PASSWORD or, on a terminal, a prompt");
    auto* password_file = r->add_option(
        "--password-file", render.password.file,
        "Encrypt with the first line of FILE as the password (- reads standard input)");
    auto* password_prompt = r->add_flag("--password-prompt", render.password.prompt,
                                        "Encrypt with a password typed on the terminal");
    std::string command_line_password;
    auto* password_option = r->add_option(
        "--password", command_line_password,
        "Encrypt with this password (other users can see it: prefer --password-file)");
    password_file->excludes(password_prompt)->excludes(password_option);
    password_prompt->excludes(password_option);
    std::string render_standard;
    auto* render_standard_option =
        r->add_option("--pdf-standard", render_standard,
                      std::string("What the PDF conforms to: ") + kPdfStandards +
                          "; an encrypted report is never PDF/A");
    r->add_flag("--strict", render.strict,
                "Forum checks (page limits) and stale source access dates are errors");
    r->add_flag("--draft", render.draft,
                "A draft: what the forum requires but the case lacks is marked [DRAFT: ...] and "
                "every page says DRAFT");
    r->add_option("--dump", render.dump, "Print a stage's result instead of writing a PDF")
        ->check(CLI::IsMember({"document", "layout"}));
    r->add_flag("--timings", render.timings, "Print the time each stage took");
    r->add_flag("--first-fit", render.first_fit, "Use the first-fit line breaker (baseline)");

    std::vector<std::string> check_inputs;
    std::vector<std::string> check_clauses;
    bool check_json = false;
    auto* ch = app.add_subcommand("check", "Validate case files without rendering");
    ch->add_option("CASE", check_inputs, "Case files")->required();
    ch->add_option("--clauses", check_clauses, "Add a clause pack directory (repeatable)");
    ch->add_flag("--json", check_json, "Machine-readable output on stdout");

    std::string explain_input;
    std::vector<std::string> explain_clauses;
    bool explain_json = false;
    auto* ex = app.add_subcommand("explain", "Show which clauses a case selects, and why");
    ex->add_option("CASE", explain_input, "Case file")->required();
    ex->add_option("--clauses", explain_clauses, "Add a clause pack directory (repeatable)");
    ex->add_flag("--json", explain_json, "Machine-readable output on stdout");
    bool explain_missing = false;
    ex->add_flag("--missing", explain_missing,
                 "List the facts the library reads for this case that the case does not give");

    std::vector<std::string> schema_clauses;
    auto* sc = app.add_subcommand(
        "schema", "Print the case-file JSON Schema with the library's facts and clause ids");
    sc->add_option("--clauses", schema_clauses, "Add a clause pack directory (repeatable)");

    std::vector<std::string> lint_clauses;
    auto* li = app.add_subcommand("lint", "Check the clause library");
    li->add_option("--clauses", lint_clauses, "Add a clause pack directory (repeatable)");

    BatchOptions batch;
    std::vector<std::string> batch_clauses;
    std::string batch_shard;
    auto* ba = app.add_subcommand("batch", "Render many case files into a folder");
    ba->add_option("CASE", batch.inputs, "Case files or folders of case files")->required();
    ba->add_option("-o,--output", batch.outdir, "Output folder")->required();
    ba->add_option("-j,--jobs", batch.jobs, "Worker threads (default: the number of cores)")
        ->check(CLI::Range(1, 256));
    ba->add_option("--shard", batch_shard, "Render only part K of N of the cases, e.g. 2/8");
    ba->add_option("--clauses", batch_clauses, "Add a clause pack directory (repeatable)");
    ba->add_flag("--sample", batch.sample, "Anonymised sample reports");
    ba->add_flag("--draft", batch.draft, "Draft reports: gaps marked, DRAFT on every page");
    ba->add_flag("--force", batch.force,
                 "Render even the cases whose outputs are current, and let a case take over an "
                 "output another case file owns");
    ba->add_flag("--no-wait", batch.no_wait,
                 "When another batch is writing to OUTDIR, stop (exit 1) instead of waiting");
    ba->add_flag("--first-fit", batch.first_fit, "Use the first-fit line breaker (baseline)");
    // As render's (password.hpp), without --password: a batch's password is never typed on
    // its command line.
    std::string batch_standard;
    auto* batch_standard_option =
        ba->add_option("--pdf-standard", batch_standard,
                       std::string("What every PDF conforms to: ") + kPdfStandards +
                           "; an encrypted report is never PDF/A");
    PasswordSource batch_password;
    ba->add_flag("--encrypt", batch_password.encrypt,
                 "Encrypt every PDF with AES-256; the password comes from --password-file, "
                 "DOSSIER_PASSWORD or a prompt");
    ba->add_option("--password-file", batch_password.file,
                   "Encrypt every PDF with the first line of FILE as the password (- reads "
                   "standard input)")
        ->excludes(ba->add_flag("--password-prompt", batch_password.prompt,
                                "Encrypt every PDF with a password typed on the terminal"));

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
    if (password_option->count() > 0) {
        render.password.command_line = command_line_password;
        hide_password(argc, argv);
    }
    if (render_standard_option->count() > 0) render.pdf_standard = render_standard;
    std::optional<std::string> batch_standard_request;
    if (batch_standard_option->count() > 0) batch_standard_request = batch_standard;
    if (std::string problem; !source_date_epoch(problem) && !problem.empty()) {
        std::cerr << "dossier: error: " << problem << "\n";
        return kExitInput;
    }
    try {
        if (r->parsed()) return run_render(render);
        if (ch->parsed()) return run_check(check_inputs, check_clauses, check_json);
        if (ex->parsed())
            return run_explain(explain_input, explain_clauses, explain_json, explain_missing);
        if (li->parsed()) return run_lint(lint_clauses);
        if (sc->parsed()) return run_schema(schema_clauses);
        if (ba->parsed())
            return run_batch_command(batch, batch_clauses, batch_shard, batch_password,
                                     batch_standard_request);
    } catch (const std::bad_alloc&) {
        std::cerr << "dossier: out of memory\n";
        return kExitInput;
    }
    return kExitUsage;
}
