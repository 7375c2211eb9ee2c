#include "load/yaml_reader.hpp"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string_view>
#include <unordered_map>

#include "load/json_events.hpp"
#include "load/yaml_escapes.hpp"
#include "model/file_bytes.hpp"

namespace dossier::load {

namespace {

// yaml-cpp reports 0-based byte columns; users and editors count characters.
class LineIndex {
  public:
    explicit LineIndex(const std::string& text) : text_(text) {
        starts_.push_back(0);
        for (std::size_t i = 0; i < text.size(); ++i)
            if (text[i] == '\n') starts_.push_back(i + 1);
    }
    // 1-based character column of a 0-based (line, byte column) position. Marks arrive in
    // file order, so counting resumes from the previous mark on the same line: a 1 MiB line
    // of short items costs one pass, not one pass per item.
    int char_column(int line, int byte_column) {
        if (line < 0 || static_cast<std::size_t>(line) >= starts_.size()) return byte_column + 1;
        std::size_t begin = starts_[static_cast<std::size_t>(line)];
        std::size_t end = std::min(text_.size(), begin + static_cast<std::size_t>(byte_column));
        if (line != last_line_ || end < last_end_) {
            last_line_ = line;
            last_end_ = begin;
            last_col_ = 1;
        }
        for (std::size_t i = last_end_; i < end; ++i)
            if ((static_cast<std::uint8_t>(text_[i]) & 0xC0) != 0x80) ++last_col_;
        last_end_ = end;
        return last_col_;
    }

  private:
    const std::string& text_;
    std::vector<std::size_t> starts_;
    int last_line_ = -1;
    std::size_t last_end_ = 0;
    int last_col_ = 1;
};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// YAML 1.2 core schema numbers: [-+]? ( digits [. digits*]? | . digits ) ([eE] [-+]? digits)?
bool looks_numeric(const std::string& t) {
    std::size_t i = 0, n = t.size();
    if (i < n && (t[i] == '-' || t[i] == '+')) ++i;
    std::size_t int_digits = 0, frac_digits = 0;
    while (i < n && is_digit(t[i])) ++i, ++int_digits;
    if (i < n && t[i] == '.') {
        ++i;
        while (i < n && is_digit(t[i])) ++i, ++frac_digits;
    }
    if (int_digits + frac_digits == 0) return false;
    if (i < n && (t[i] == 'e' || t[i] == 'E')) {
        ++i;
        if (i < n && (t[i] == '-' || t[i] == '+')) ++i;
        std::size_t exp_digits = 0;
        while (i < n && is_digit(t[i])) ++i, ++exp_digits;
        if (exp_digits == 0) return false;
    }
    return i == n;
}

bool looks_like_date(const std::string& t) {
    if (t.size() != 10 || t[4] != '-' || t[7] != '-') return false;
    for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (!is_digit(t[i])) return false;
    return true;
}

// Thrown by the builder to stop yaml-cpp once a limit is hit; the diagnostic is already made.
struct StopReading {};

class Builder : public YAML::EventHandler {
  public:
    Builder(const std::string& file, LineIndex& index, int first_line, int max_depth,
            std::size_t max_entries, Diagnostics& diags)
        : file_(file),
          index_(index),
          first_line_(first_line),
          max_depth_(max_depth),
          max_entries_(max_entries),
          diags_(diags) {}

    std::optional<Value> root;
    bool failed = false;
    bool stopped = false;       // a problem after which the tree is not worth checking further
    bool began_as_map = false;  // the first thing read was the start of a mapping

    // When the text yaml-cpp reads had surrogate escapes rewritten (yaml_escapes.hpp): the
    // columns to move marks back to the original's, that text, and where its double-quoted
    // scalars are (the [begin, end) byte ranges) to tell which rewrites were escapes.
    const std::vector<ColumnShift>* shifts = nullptr;
    std::string_view parsed_text;
    std::vector<std::pair<std::size_t, std::size_t>>* double_quoted = nullptr;

    Span span(const YAML::Mark& m) {
        int column = shifts ? original_column(*shifts, m.line, m.column) : m.column;
        return {file_, m.line + first_line_, index_.char_column(m.line, column)};
    }

    void OnDocumentStart(const YAML::Mark&) override {}
    void OnDocumentEnd() override {}

    void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
        first_event_ = true;
        check_anchor(mark, anchor);
        Value v;
        v.span = span(mark);
        add(std::move(v), mark, "");
    }

    void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override {
        first_event_ = true;
        // Only the first: an alias bomb holds thousands, and one message says it all.
        if (!alias_reported_)
            report(span(mark), "yaml.alias",
                   "YAML aliases (*name) are not allowed: write the value out in full");
        alias_reported_ = true;
        failed = true;
        Value v;
        v.span = span(mark);
        add(std::move(v), mark, "");
    }

    void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  const std::string& text) override {
        first_event_ = true;
        check_anchor(mark, anchor);
        Value v;
        v.span = span(mark);
        v.text = text;
        v.kind = Value::Kind::string;
        if (tag == "?") {
            type_plain_scalar(v, mark);
        } else {
            // Quoted or block: yaml-cpp 0.7 decodes "\N" and "\_" to bytes that are not UTF-8.
            repair_escaped_bytes(v.text);
            note_double_quoted(mark);
        }
        std::string key = v.text;
        add(std::move(v), mark, key);
    }

    void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                         YAML::EmitterStyle::value) override {
        check_anchor(mark, anchor);
        open(mark, Value::Kind::list);
    }
    void OnSequenceEnd() override { close(); }

    void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                    YAML::EmitterStyle::value) override {
        check_anchor(mark, anchor);
        open(mark, Value::Kind::map);
    }
    void OnMapEnd() override { close(); }

  private:
    struct Frame {
        Value value;
        bool expecting_key = true;  // maps only
        std::string key;
        Span key_span;
        YAML::Mark mark;
        std::unordered_map<std::string, Span> keys;  // maps only: where each key was given
    };

    // Reports up to kMaxErrors problems; a file with more is hopeless, and printing each one
    // (with its source line) would take longer than reading the file.
    void report(const Span& at, std::string code, std::string message,
                std::vector<std::string> hints = {}) {
        failed = true;
        if (reported_ == kMaxErrors) {
            error(diags_, at, "yaml.too-many", "too many problems: stopping here");
            stopped = true;
        }
        if (reported_++ >= kMaxErrors) return;
        error(diags_, at, std::move(code), std::move(message), std::move(hints));
    }

    void note_double_quoted(const YAML::Mark& mark) {
        if (!double_quoted || mark.pos < 0) return;
        auto at = static_cast<std::size_t>(mark.pos);
        // A byte order mark may or may not count in yaml-cpp's position.
        if (at < parsed_text.size() && parsed_text[at] != '"' &&
            parsed_text.rfind("\xEF\xBB\xBF", 0) == 0)
            at += 3;
        std::size_t end = double_quoted_end(parsed_text, at);
        if (end != std::string_view::npos) double_quoted->emplace_back(at, end);
    }

    void check_anchor(const YAML::Mark& mark, YAML::anchor_t anchor) {
        if (anchor == YAML::NullAnchor) return;
        if (!anchor_reported_)
            report(span(mark), "yaml.anchor",
                   "YAML anchors (&name) are not allowed: write each value out in full");
        anchor_reported_ = true;
        failed = true;
    }

    void type_plain_scalar(Value& v, const YAML::Mark& mark) {
        const std::string& t = v.text;
        if (t.empty() || t == "~" || t == "null" || t == "Null" || t == "NULL") {
            v.kind = Value::Kind::null;
        } else if (t == "true" || t == "True" || t == "TRUE") {
            v.kind = Value::Kind::boolean;
            v.boolean = true;
        } else if (t == "false" || t == "False" || t == "FALSE") {
            v.kind = Value::Kind::boolean;
        } else if (looks_like_date(t)) {
            if (auto d = Date::parse(t)) {
                v.kind = Value::Kind::date;
                v.date = *d;
            } else {
                report(span(mark), "yaml.bad-date", "\"" + t + "\" is not a real calendar date");
                failed = true;
            }
        } else if (looks_numeric(t)) {
            v.kind = Value::Kind::number;
            errno = 0;
            v.number = std::strtod(t.c_str(), nullptr);
            // A number a double cannot hold would print as "inf" or as 0: refused where it is.
            if (errno == ERANGE) {
                bool huge = std::isinf(v.number);
                v.number = 0;
                std::string where = path();
                report(span(mark), "yaml.number-range",
                       (where.empty() ? "" : where + ": ") + t +
                           (huge ? " is too large" : " is too close to zero") +
                           " to be read as a number (quote it if it is text)");
            }
        }
    }

    // Where the value being read goes, as messages name fields: "documents[0].pages".
    std::string path() const {
        std::string out;
        for (const Frame& f : stack_) {
            if (f.value.kind == Value::Kind::list) {
                out += "[" + std::to_string(f.value.items.size()) + "]";
            } else if (!f.expecting_key && !f.key.empty() && f.key[0] != '\x01') {
                out += (out.empty() ? "" : ".") + f.key;
            } else {
                break;  // a key itself, or a duplicate's value
            }
        }
        return out;
    }

    void open(const YAML::Mark& mark, Value::Kind kind) {
        if (!first_event_) began_as_map = kind == Value::Kind::map;
        first_event_ = true;
        if (static_cast<int>(stack_.size()) >= max_depth_) {
            if (!depth_reported_)
                report(span(mark), "yaml.too-deep",
                       "nesting deeper than " + std::to_string(max_depth_) + " levels");
            depth_reported_ = true;
            failed = true;
            stopped = true;
        }
        Frame f;
        f.value.kind = kind;
        f.value.span = span(mark);
        f.mark = mark;
        stack_.push_back(std::move(f));
    }

    void close() {
        Frame f = std::move(stack_.back());
        stack_.pop_back();
        add(std::move(f.value), f.mark, "", true);
    }

    void add(Value v, const YAML::Mark& mark, const std::string& text, bool container = false) {
        if (stack_.empty()) {
            root = std::move(v);
            return;
        }
        Frame& top = stack_.back();
        if (top.value.kind == Value::Kind::list) {
            if (top.value.items.size() >= max_entries_) too_many_entries(top, mark, "list");
            top.value.items.push_back(std::move(v));
            return;
        }
        if (top.expecting_key) {
            if (top.keys.size() >= max_entries_) too_many_entries(top, mark, "mapping");
            top.expecting_key = false;
            top.key_span = span(mark);
            if (container || v.kind == Value::Kind::null) {
                report(span(mark), "yaml.complex-key", "a key must be a plain name");
                failed = true;
                top.key.clear();
                return;
            }
            top.key = text;
            // An index, not a scan of the members: a 1 MiB map has tens of thousands of keys.
            auto [first, inserted] = top.keys.emplace(text, top.key_span);
            if (!inserted) {
                report(span(mark), "yaml.duplicate-key", "duplicate key \"" + text + "\"",
                       {"first given at line " + std::to_string(first->second.line) + ", column " +
                        std::to_string(first->second.column)});
                failed = true;
                top.key = "\x01duplicate";  // dropped below: the first one wins
            }
            return;
        }
        top.expecting_key = true;
        if (top.key.empty() || top.key[0] == '\x01') return;
        v.key_span = top.key_span;
        top.value.fields.emplace_back(std::move(top.key), std::move(v));
    }

    [[noreturn]] void too_many_entries(const Frame& top, const YAML::Mark& mark, const char* what) {
        report(span(mark), "yaml.too-many-entries",
               std::string("more than ") + std::to_string(max_entries_) + " entries in one " +
                   what + " (it starts at line " + std::to_string(span(top.mark).line) +
                   "): reading stops here");
        throw StopReading{};
    }

    const std::string& file_;
    LineIndex& index_;
    int first_line_;
    int max_depth_;
    std::size_t max_entries_;
    Diagnostics& diags_;
    bool first_event_ = false;
    bool depth_reported_ = false;
    bool alias_reported_ = false;
    bool anchor_reported_ = false;
    static constexpr int kMaxErrors = 20;
    int reported_ = 0;

    std::vector<Frame> stack_;
};

}  // namespace

bool check_utf8(const std::string& file, const std::string& text, Diagnostics& diagnostics,
                int first_line) {
    int line = first_line, col = 1;
    std::size_t i = 0;
    while (i < text.size()) {
        auto b = static_cast<std::uint8_t>(text[i]);
        std::size_t len = b < 0x80         ? 1
                          : (b >> 5) == 6  ? 2
                          : (b >> 4) == 14 ? 3
                          : (b >> 3) == 30 ? 4
                                           : 0;
        bool ok = len > 0 && i + len <= text.size();
        std::uint32_t cp = len == 1   ? b
                           : len == 2 ? (b & 0x1F)
                           : len == 3 ? (b & 0x0F)
                                      : (b & 0x07);
        for (std::size_t k = 1; ok && k < len; ++k) {
            auto c = static_cast<std::uint8_t>(text[i + k]);
            ok = (c & 0xC0) == 0x80;
            cp = (cp << 6) | (c & 0x3F);
        }
        // Overlong forms, surrogates and values past U+10FFFF are invalid too.
        if (ok) {
            ok = !(len == 2 && cp < 0x80) && !(len == 3 && cp < 0x800) &&
                 !(len == 4 && cp < 0x10000) && !(cp >= 0xD800 && cp <= 0xDFFF) && cp <= 0x10FFFF;
        }
        if (!ok) {
            char hex[8];
            std::snprintf(hex, sizeof hex, "0x%02X", b);
            error(diagnostics, {file, line, col}, "file.bad-utf8",
                  std::string("invalid UTF-8 (byte ") + hex + "): save the file as UTF-8");
            return false;
        }
        if (b == 0) {
            error(diagnostics, {file, line, col}, "file.nul", "NUL byte: this is not a text file");
            return false;
        }
        if (b == '\n') {
            ++line;
            col = 1;
        } else {
            ++col;
        }
        i += len;
    }
    return true;
}

std::optional<std::string> read_file(const std::string& path, std::size_t max_bytes,
                                     Diagnostics& diagnostics) {
    FileProblem problem;
    auto text = read_regular_file(path, max_bytes, problem);
    if (!text) error(diagnostics, {path, 0, 0}, problem.code, problem.message);
    return text;
}

namespace {

struct Parsed {
    std::optional<Value> root;  // what read_yaml returns
    bool began_as_map = false;
    std::vector<std::pair<std::size_t, std::size_t>> double_quoted;  // in the text parsed
};

// One pass of yaml-cpp over `rewritten` when given (the text with surrogate escapes
// rewritten), else over `text`; positions are always those of `text`.
Parsed parse(const std::string& file, const std::string& text, const RewrittenText* rewritten,
             LineIndex& index, Diagnostics& diagnostics, int first_line, const ReadLimits& limits) {
    Parsed out;
    const std::string& parsed = rewritten ? rewritten->text : text;
    std::istringstream in(parsed);
    Builder builder(file, index, first_line, limits.max_depth, limits.max_entries, diagnostics);
    if (rewritten) {
        builder.shifts = &rewritten->shifts;
        builder.parsed_text = parsed;
        builder.double_quoted = &out.double_quoted;
    }
    auto finish = [&](bool whole) {
        out.began_as_map = builder.began_as_map;
        if (whole && builder.root && !(builder.failed && (!limits.partial || builder.stopped)))
            out.root = std::move(builder.root);
        return std::move(out);
    };
    try {
        YAML::Parser parser(in);
        if (!parser.HandleNextDocument(builder)) {
            error(diagnostics, {file, first_line, 1}, "yaml.empty", "the file is empty");
            return finish(false);
        }
        struct Counter : YAML::EventHandler {
            std::optional<YAML::Mark> start;
            void OnDocumentStart(const YAML::Mark& m) override {
                if (!start) start = m;
            }
            void OnDocumentEnd() override {}
            void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
            void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
            void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                          const std::string&) override {}
            void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                                 YAML::EmitterStyle::value) override {}
            void OnSequenceEnd() override {}
            void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                            YAML::EmitterStyle::value) override {}
            void OnMapEnd() override {}
        } rest;
        if (parser.HandleNextDocument(rest)) {
            YAML::Mark m = rest.start.value_or(YAML::Mark());
            error(diagnostics, builder.span(m), "yaml.many-documents",
                  "more than one YAML document in the file: a file holds one document");
            return finish(false);
        }
    } catch (const StopReading&) {
        return finish(false);
    } catch (const YAML::DeepRecursion& e) {
        error(diagnostics, builder.span(e.mark), "yaml.too-deep",
              "nesting deeper than " + std::to_string(limits.max_depth) + " levels");
        return finish(false);
    } catch (const YAML::Exception& e) {
        std::string msg = e.msg.empty() ? "malformed YAML" : e.msg;
        error(diagnostics, builder.span(e.mark), "yaml.syntax", "YAML syntax: " + msg);
        return finish(false);
    }
    return finish(true);
}

// Which of the rewrites at `offsets` fall inside one of the double-quoted scalars `ranges`
// (both in text order): those were escapes; the others were literal text.
std::vector<bool> inside_double_quotes(
    const std::vector<std::size_t>& offsets,
    const std::vector<std::pair<std::size_t, std::size_t>>& ranges) {
    std::vector<bool> inside(offsets.size(), false);
    std::size_t r = 0;
    for (std::size_t k = 0; k < offsets.size(); ++k) {
        while (r < ranges.size() && ranges[r].second <= offsets[k]) ++r;
        inside[k] = r < ranges.size() && ranges[r].first < offsets[k];
    }
    return inside;
}

}  // namespace

std::optional<Value> read_yaml(const std::string& file, const std::string& text,
                               Diagnostics& diagnostics, int first_line, ReadLimits limits,
                               bool* began_as_map) {
    if (began_as_map) *began_as_map = false;
    if (text.size() > limits.max_bytes) {
        error(diagnostics, {file, 0, 0}, "file.too-large",
              "file is " + std::to_string(text.size()) + " bytes; the limit is " +
                  std::to_string(limits.max_bytes));
        return std::nullopt;
    }
    if (!check_utf8(file, text, diagnostics, first_line)) return std::nullopt;
    LineIndex index(text);
    std::vector<SurrogateEscape> escapes = find_surrogate_escapes(text);
    if (escapes.empty()) {
        Parsed p = parse(file, text, nullptr, index, diagnostics, first_line, limits);
        if (began_as_map) *began_as_map = p.began_as_map;
        return std::move(p.root);
    }
    // Each "\ud83d" may be an escape in a double-quoted scalar or literal text elsewhere; only
    // yaml-cpp knows which. So every one is rewritten, and if any turns out not to be inside a
    // double-quoted scalar the text is read once more with only those that were (rewriting
    // one escape for another, or literal text for literal text, changes no token).
    std::vector<bool> chosen(escapes.size(), true);
    RewrittenText rewritten = rewrite_surrogates(text, escapes, chosen);
    Diagnostics found;
    Parsed p = parse(file, text, &rewritten, index, found, first_line, limits);
    std::vector<bool> inside = inside_double_quotes(rewritten.offsets, p.double_quoted);
    if (inside != chosen) {
        rewritten = rewrite_surrogates(text, escapes, inside);
        found.clear();
        p = parse(file, text, &rewritten, index, found, first_line, limits);
    }
    diagnostics.insert(diagnostics.end(), found.begin(), found.end());
    if (began_as_map) *began_as_map = p.began_as_map;
    bool lone = false;
    for (std::size_t k = 0, shown = 0; k < escapes.size(); ++k) {
        if (!inside[k] || escapes[k].code_point != 0) continue;
        lone = true;
        if (shown++ == 20) break;  // as many as the reader reports of any problem
        const SurrogateEscape& e = escapes[k];
        error(diagnostics, {file, e.line + first_line, index.char_column(e.line, e.column)},
              "yaml.lone-surrogate",
              "\"" + text.substr(e.at, e.length) +
                  "\" is half of a UTF-16 surrogate pair without its other half: write the "
                  "character itself, or both halves");
    }
    if (lone && !limits.partial) return std::nullopt;
    return std::move(p.root);
}

std::optional<Value> read_json(const std::string& file, const std::string& text,
                               Diagnostics& diagnostics, ReadLimits limits) {
    // Whatever the fast reader does not take, or takes with any problem, goes to read_yaml,
    // which reports it as it always has.
    Diagnostics quiet;
    if (text.size() <= limits.max_bytes && check_utf8(file, text, quiet)) {
        LineIndex index(text);
        Builder builder(file, index, 1, limits.max_depth, limits.max_entries, quiet);
        bool read = false;
        try {
            read = read_json_events(text, builder);
        } catch (const StopReading&) {
        }
        if (read && quiet.empty() && !builder.failed && builder.root)
            return std::move(builder.root);
    }
    return read_yaml(file, text, diagnostics, 1, limits);
}

}  // namespace dossier::load
