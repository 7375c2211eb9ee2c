// Target `sample`: the sample verifier never lets an identity through. The input is split at
// its first two newlines into an applicant's name, an alias and a notes text, so that the
// identity and the text that may hold it are generated together; they go into a case file
// (every character outside printable ASCII as a YAML \u escape), which is rendered as a sample
// in memory: load, select, sample_case, compose, layout, then cli::verify_sample. Aborts when
//   - the verifier passes the pages but an independent, simpler search (the oracle below)
//     finds the name, an alias, a part of either or the date of birth in them, or
//   - render_case disagrees with the verifier (a PDF when it failed, none when it passed).
// The oracle normalises with ICU's NFKC and UnicodeString::foldCase on whole strings (no index
// maps), removes default-ignorable, format and control characters, unifies white space and the
// common apostrophes, and looks for whole names in any case and for name parts spelt as in the
// name or in capitals, each where no letter (or digit, for a date) touches it. It finds a
// subset of what the verifier must find, so any disagreement is a leak.
#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "cli/pipeline.hpp"
#include "cli/verify_sample.hpp"
#include "compose/compose.hpp"
#include "fuzz_support.hpp"
#include "layout/layout.hpp"
#include "load/load.hpp"
#include "rules/rules.hpp"

using namespace dossier;

namespace {

struct Fixture {
    fuzz::Scratch scratch;
    cli::Engine engine;
    Fixture() {
        Diagnostics d;
        engine = cli::load_engine(fuzz::source_dir(), {}, "0.1.0", d);
        if (has_errors(d)) std::abort();
    }
};

// A YAML double-quoted scalar holding `bytes` (invalid UTF-8 dropped).
std::string yaml_quoted(const std::string& bytes) {
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(bytes);
    std::string out = "\"";
    for (std::int32_t i = 0; i < u.length(); i = u.moveIndex32(i, 1)) {
        UChar32 c = u.char32At(i);
        if (c == 0xFFFD || (c >= 0xD800 && c <= 0xDFFF)) continue;
        char buf[16];
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c >= 0x20 && c < 0x7F) {
            out += static_cast<char>(c);
        } else if (c < 0x10000) {
            std::snprintf(buf, sizeof buf, "\\u%04X", static_cast<unsigned>(c));
            out += buf;
        } else {
            std::snprintf(buf, sizeof buf, "\\U%08X", static_cast<unsigned>(c));
            out += buf;
        }
    }
    return out + "\"";
}

// The oracle's normal form: NFKC, invisible characters removed, white space as one space,
// apostrophes as '. Case is kept (the part rule needs it); fold() folds it.
icu::UnicodeString normal(const std::string& utf8) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
    icu::UnicodeString in = icu::UnicodeString::fromUTF8(utf8), kept;
    for (std::int32_t i = 0; i < in.length(); i = in.moveIndex32(i, 1)) {
        UChar32 c = in.char32At(i);
        auto type = u_charType(c);
        if (u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT) || type == U_FORMAT_CHAR ||
            (type == U_CONTROL_CHAR && !u_isUWhiteSpace(c)))
            continue;
        kept.append(c);
    }
    icu::UnicodeString n = U_SUCCESS(status) ? nfkc->normalize(kept, status) : kept;
    icu::UnicodeString out;
    for (std::int32_t i = 0; i < n.length(); i = n.moveIndex32(i, 1)) {
        UChar32 c = n.char32At(i);
        if (u_isUWhiteSpace(c) || c == '\t' || c == '\n' || c == '\r') c = ' ';
        if (c == 0x2019 || c == 0x2018 || c == 0x02BC) c = '\'';
        if (c == ' ' && out.length() > 0 && out.char32At(out.length() - 1) == ' ') continue;
        out.append(c);
    }
    return out;
}

bool letterish(UChar32 c) { return u_isalpha(c) || (U_GET_GC_MASK(c) & U_GC_M_MASK) != 0; }

// `needle` in `hay` where nothing of its kind (letter, or digit) touches either end.
bool contains_word(const icu::UnicodeString& hay, const icu::UnicodeString& needle) {
    if (needle.isEmpty()) return false;
    UChar32 first = needle.char32At(0), last = needle.char32At(needle.length() - 1);
    auto touches = [](UChar32 edge, UChar32 neighbour) {
        if (letterish(edge)) return letterish(neighbour);
        if (u_isdigit(edge)) return u_isdigit(neighbour) != 0;
        return false;
    };
    for (std::int32_t at = hay.indexOf(needle); at >= 0; at = hay.indexOf(needle, at + 1)) {
        std::int32_t end = at + needle.length();
        if (at > 0 && touches(first, hay.char32At(hay.moveIndex32(at, -1)))) continue;
        if (end < hay.length() && touches(last, hay.char32At(end))) continue;
        return true;
    }
    return false;
}

icu::UnicodeString folded(icu::UnicodeString s) { return s.foldCase(); }

// True when the oracle finds an identity of `id` in `text`.
bool oracle(const compose::Identity& id, const std::string& text) {
    icu::UnicodeString n = normal(text), f = folded(n);
    for (const compose::IdentityItem& item : id.items()) {
        icu::UnicodeString needle = normal(item.text);
        while (needle.length() > 0 && needle.char32At(needle.length() - 1) == ' ')
            needle.truncate(needle.length() - 1);
        switch (item.kind) {
            case compose::IdentityKind::name:
            case compose::IdentityKind::alias:
            case compose::IdentityKind::date_of_birth:
                if (contains_word(f, folded(needle))) return true;
                break;
            case compose::IdentityKind::name_part:
            case compose::IdentityKind::alias_part: {
                // As written in the name, when that starts with a capital; and in capitals.
                UChar32 first = needle.char32At(0);
                if ((u_isupper(first) || u_istitle(first)) && contains_word(n, needle)) return true;
                icu::UnicodeString upper = needle;
                upper.toUpper(icu::Locale::getRoot());
                if (upper != needle && u_isupper(upper.char32At(0)) && contains_word(n, upper))
                    return true;
                break;
            }
            default:
                break;
        }
    }
    return false;
}

// Every string of the pages the oracle reads: each run alone, each page's upright runs in the
// order layout emitted them joined with a space and with nothing, bookmarks and metadata.
std::vector<std::string> oracle_strings(const Pages& pages) {
    std::vector<std::string> out;
    for (const Page& page : pages.pages) {
        std::string spaced, joined;
        for (const TextRun& r : page.runs) {
            out.push_back(r.text);
            if (r.rotation) continue;
            spaced += r.text + " ";
            joined += r.text;
        }
        out.push_back(spaced);
        out.push_back(joined);
    }
    for (const Bookmark& b : pages.outline) out.push_back(b.title);
    out.insert(out.end(), {pages.info.title, pages.info.author, pages.info.subject,
                           pages.info.keywords, pages.info.creator});
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static Fixture f;
    std::string input(reinterpret_cast<const char*>(data), size);
    std::size_t a = input.find('\n');
    std::size_t b = a == std::string::npos ? a : input.find('\n', a + 1);
    std::string name = input.substr(0, a);
    std::string alias = a == std::string::npos ? "" : input.substr(a + 1, b - a - 1);
    std::string notes = b == std::string::npos ? "" : input.substr(b + 1);
    std::string yaml =
        "dossier: 1\nreference: FZ-2026-0001\nlanguage: en-GB\n"
        "jurisdiction: generic\ndate: 2026-11-20\n"
        "expert: experts/example-expert.yaml\napplicant:\n  name: " +
        yaml_quoted(name) + (alias.empty() ? "" : "\n  aliases: [" + yaml_quoted(alias) + "]") +
        "\n  pseudonym: PX\n  gender: male\n  born: 1994-05-12\n"
        "country: TJ\ngrounds: [sexual_orientation]\nnotes: " +
        yaml_quoted(notes) + "\n";
    std::string path = f.scratch.write(
        "case.yaml", reinterpret_cast<const std::uint8_t*>(yaml.data()), yaml.size());

    const cli::Engine& e = f.engine;
    Diagnostics d;
    // DOSSIER_FUZZ_VERBOSE=1: say where each input stopped, to keep the seeds reaching the end.
    static const bool verbose = std::getenv("DOSSIER_FUZZ_VERBOSE") != nullptr;
    auto stop = [&](const char* stage) {
        if (verbose) {
            std::fprintf(stderr, "  stopped at %s\n", stage);
            for (const Diagnostic& x : d) std::fprintf(stderr, "    %s\n", x.message.c_str());
        }
        return 0;
    };
    auto c = load::load_case(path, fuzz::fixed_today(), e.schemas, &e.library, d);
    if (!c || has_errors(d)) return stop("load");
    rules::report_gaps(rules::find_gaps(*c), true, d);
    rules::Selection selection = rules::select(*c, e.library, d);
    if (has_errors(d)) return stop("select");
    compose::Identity id = compose::Identity::of(*c, compose::person_for(c->jurisdiction));
    Case s = compose::sample_case(*c, id, compose::kSampleReference, d);
    if (has_errors(d)) return stop("sample_case");
    compose::Options copts;
    copts.sample = true;
    Document doc = compose::compose(s, e.library, selection, copts, d);
    if (has_errors(d)) return stop("compose");
    Pages pages = layout::layout(doc, e.fonts, {}, d);
    if (has_errors(d)) return stop("layout");
    Diagnostics found;
    bool clean = cli::verify_sample(pages, "SAMPLE.pdf", id, {path, 0, 0}, found);
    if (verbose) {
        std::fprintf(stderr, "  verified: %s\n", clean ? "clean" : "identity found");
        for (const Diagnostic& x : found) std::fprintf(stderr, "    %s\n", x.message.c_str());
        for (const cli::Searched& x : cli::searchable_strings(pages))
            for (const compose::IdentityMatch& m : id.find_all(x.text, x.mode))
                std::fprintf(stderr, "    %s: \"%s\" in \"...%s...\"\n", x.where.c_str(),
                             x.text.substr(m.begin, m.end - m.begin).c_str(),
                             x.text.substr(m.begin < 40 ? 0 : m.begin - 40, 80).c_str());
    }
    if (clean)
        for (const std::string& text : oracle_strings(pages))
            if (oracle(id, text)) {
                std::fprintf(stderr, "the verifier passed a sample whose text holds an identity\n");
                std::abort();
            }

    // The pipeline fails closed exactly when the verifier does.
    cli::RenderOptions options;
    options.sample = true;
    options.today = fuzz::fixed_today();
    cli::RenderResult r = cli::render_case(e, path, options);
    if (clean != !r.pdf.empty()) {
        std::fprintf(stderr, "render_case and the verifier disagree (verifier: %s)\n",
                     clean ? "clean" : "found");
        std::abort();
    }
    return 0;
}
