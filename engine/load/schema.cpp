#include "load/schema.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <unordered_set>

namespace dossier::load {

namespace {

// libstdc++'s std::regex matches recursively, one stack frame per character: a very long
// string could overflow the stack, so longer strings are reported instead of matched.
constexpr std::size_t kMaxPatternInput = 1024;

// A reference that loops back to itself without descending into the data ends here.
constexpr int kMaxRefDepth = 64;

std::size_t char_count(const std::string& s) {
    return static_cast<std::size_t>(std::count_if(
        s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

bool is_integral(double d) { return std::isfinite(d) && d == std::floor(d); }

std::string format_number(double d) {
    char buf[32];
    if (is_integral(d) && std::fabs(d) < 1e15)
        std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(d));
    else
        std::snprintf(buf, sizeof buf, "%.17g", d);
    return buf;
}

std::string json_quote(const std::string& s) {
    std::string out = "\"";
    for (unsigned char c : s) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
        } else {
            out += static_cast<char>(c);
        }
    }
    return out + "\"";
}

bool is_text(const Value& v) {
    return v.kind == Value::Kind::string || v.kind == Value::Kind::date;
}

// The JSON Schema type of a value, as ajv sees the file once it is converted to JSON.
unsigned json_type(const Value& v) {
    switch (v.kind) {
        case Value::Kind::null:
            return kNull;
        case Value::Kind::boolean:
            return kBoolean;
        case Value::Kind::number:
            return is_integral(v.number) ? kNumber | kInteger : kNumber;
        case Value::Kind::string:
        case Value::Kind::date:
            return kString;
        case Value::Kind::list:
            return kArray;
        case Value::Kind::map:
            return kObject;
    }
    return 0;
}

// What a value is, in the words of a message ("not a list").
std::string value_word(const Value& v) {
    switch (v.kind) {
        case Value::Kind::null:
            return "empty";
        case Value::Kind::boolean:
            return "a boolean";
        case Value::Kind::number:
            return "a number";
        case Value::Kind::string:
            return "text";
        case Value::Kind::date:
            return "a date";
        case Value::Kind::list:
            return "a list";
        case Value::Kind::map:
            return "a map";
    }
    return "a value";
}

std::string types_words(unsigned types) {
    std::vector<std::string> words;
    if (types & kString) words.push_back("text");
    if (types & kInteger && !(types & kNumber)) words.push_back("a whole number");
    if (types & kNumber) words.push_back("a number");
    if (types & kBoolean) words.push_back("a boolean");
    if (types & kNull) words.push_back("empty");
    if (types & kObject) words.push_back("a map");
    if (types & kArray) words.push_back("a list");
    std::string out;
    for (std::size_t i = 0; i < words.size(); ++i)
        out += (i == 0 ? "" : i + 1 == words.size() ? " or " : ", ") + words[i];
    return out;
}

std::string join_or(const std::vector<std::string>& items) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i)
        out += (i == 0 ? "" : i + 1 == items.size() ? " or " : ", ") + items[i];
    return out;
}

std::string lower_first(std::string s) {
    if (!s.empty() && s[0] >= 'A' && s[0] <= 'Z') s[0] = static_cast<char>(s[0] - 'A' + 'a');
    return s;
}

// ---------------------------------------------------------------------------------------
// Compiling

class Compiler {
  public:
    Compiler(const std::string& file, Diagnostics& diags) : diags_(diags) { schema_.file = file; }

    std::optional<Schema> run(const Value& root) {
        if (root.kind != Value::Kind::map) {
            fail(root.span, "a schema is a JSON object");
            return std::nullopt;
        }
        // $defs first, so that a $ref anywhere can name them.
        if (const Value* defs = root.find("$defs")) {
            if (defs->kind != Value::Kind::map) {
                fail(defs->span, "\"$defs\" must be an object");
            } else {
                for (const auto& [name, def] : defs->fields)
                    defs_["#/$defs/" + name] = compile(def);
            }
        }
        schema_.root = compile(root);
        for (const auto& [node, target] : refs_) {
            auto it = defs_.find(target.first);
            if (it == defs_.end())
                fail(target.second,
                     "unresolvable \"$ref\": \"" + target.first +
                         "\" (only local \"#/$defs/NAME\" references are supported)");
            else
                schema_.nodes[static_cast<std::size_t>(node)].ref = it->second;
        }
        if (failed_) return std::nullopt;
        return std::move(schema_);
    }

  private:
    void fail(const Span& span, std::string message) {
        error(diags_, span, "schema.invalid", std::move(message));
        failed_ = true;
    }

    std::optional<std::size_t> count(const Value& v, const std::string& key) {
        if (v.kind != Value::Kind::number || !is_integral(v.number) || v.number < 0) {
            fail(v.span, "\"" + key + "\" must be a non-negative integer");
            return std::nullopt;
        }
        return static_cast<std::size_t>(v.number);
    }

    int compile(const Value& v) {
        int index = static_cast<int>(schema_.nodes.size());
        schema_.nodes.emplace_back();
        schema_.nodes.back().span = v.span;
        if (v.kind == Value::Kind::boolean && v.boolean) return index;  // `true`: anything
        if (v.kind != Value::Kind::map) {
            fail(v.span, "a schema must be a JSON object");
            return index;
        }
        // Children are compiled into a local node first: compiling them grows `nodes`.
        SchemaNode n;
        n.span = v.span;
        for (const auto& [key, val] : v.fields) keyword(n, index, key, val);
        schema_.nodes[static_cast<std::size_t>(index)] = std::move(n);
        return index;
    }

    void keyword(SchemaNode& n, int index, const std::string& key, const Value& val) {
        static const std::vector<std::string> annotations = {
            "$schema", "$id", "$comment", "description", "default", "examples", "deprecated",
            "readOnly", "writeOnly",
            // Editor annotations (VS Code, yaml-language-server): hovers and completions.
            "markdownDescription", "enumDescriptions", "markdownEnumDescriptions",
            "defaultSnippets", "deprecationMessage", "errorMessage"};
        if (std::find(annotations.begin(), annotations.end(), key) != annotations.end()) return;
        if (key == "$defs") return;  // compiled by run()
        if (key == "title") {
            if (is_text(val)) n.title = val.text;
        } else if (key == "type") {
            std::vector<Value> names =
                val.kind == Value::Kind::list ? val.items : std::vector<Value>{val};
            for (const Value& t : names) {
                static const std::vector<std::pair<std::string, unsigned>> kTypes = {
                    {"string", kString},   {"number", kNumber}, {"integer", kInteger},
                    {"boolean", kBoolean}, {"null", kNull},     {"object", kObject},
                    {"array", kArray}};
                auto it = std::find_if(kTypes.begin(), kTypes.end(),
                                       [&](const auto& p) { return p.first == t.text; });
                if (it == kTypes.end() || t.kind != Value::Kind::string)
                    fail(t.span, "unknown type \"" + t.text + "\"");
                else
                    n.types |= it->second;
            }
        } else if (key == "properties") {
            if (val.kind != Value::Kind::map)
                return fail(val.span, "\"properties\" must be an object");
            for (const auto& [name, sub] : val.fields)
                n.properties.emplace_back(name, compile(sub));
        } else if (key == "required") {
            if (val.kind != Value::Kind::list)
                return fail(val.span, "\"required\" must be an array");
            for (const Value& r : val.items) n.required.push_back(r.text);
        } else if (key == "additionalProperties") {
            if (val.kind == Value::Kind::boolean)
                n.additional_allowed = val.boolean;
            else
                n.additional = compile(val);
        } else if (key == "propertyNames") {
            n.property_names = compile(val);
        } else if (key == "enum") {
            if (val.kind != Value::Kind::list || val.items.empty())
                return fail(val.span, "\"enum\" must be a non-empty array");
            n.enum_values = val.items;
        } else if (key == "const") {
            n.const_value = val;
        } else if (key == "pattern") {
            if (val.kind != Value::Kind::string)
                return fail(val.span, "\"pattern\" must be a string");
            try {
                n.pattern.emplace(val.text, std::regex::ECMAScript);
                n.pattern_text = val.text;
            } catch (const std::regex_error& e) {
                fail(val.span, "invalid pattern \"" + val.text + "\": " + e.what());
            }
        } else if (key == "format") {
            if (val.text != "date")
                return fail(val.span, "unsupported format \"" + val.text + "\" (only \"date\")");
            n.format_date = true;
        } else if (key == "items") {
            n.items = compile(val);
        } else if (key == "minItems") {
            n.min_items = count(val, key);
        } else if (key == "maxItems") {
            n.max_items = count(val, key);
        } else if (key == "minLength") {
            n.min_length = count(val, key);
        } else if (key == "maxLength") {
            n.max_length = count(val, key);
        } else if (key == "uniqueItems") {
            n.unique_items = val.kind == Value::Kind::boolean && val.boolean;
        } else if (key == "minimum" || key == "maximum") {
            if (val.kind != Value::Kind::number)
                return fail(val.span, "\"" + key + "\" must be a number");
            (key == "minimum" ? n.minimum : n.maximum) = val.number;
        } else if (key == "$ref") {
            // Resolved once every $defs entry is compiled; the index is filled in by run().
            refs_.emplace_back(index, std::make_pair(val.text, val.span));
        } else if (key == "anyOf") {
            if (val.kind != Value::Kind::list || val.items.empty())
                return fail(val.span, "\"anyOf\" must be a non-empty array");
            for (const Value& sub : val.items) n.any_of.push_back(compile(sub));
        } else {
            fail(val.key_span, "unsupported schema keyword \"" + key +
                                   "\" (see docs/formats.md for the supported subset)");
        }
    }

    Diagnostics& diags_;
    Schema schema_;
    std::map<std::string, int> defs_;
    std::vector<std::pair<int, std::pair<std::string, Span>>> refs_;
    bool failed_ = false;
};

// ---------------------------------------------------------------------------------------
// Validating

class Validator {
  public:
    Validator(const Schema& schema, const std::string& noun, Diagnostics& out,
              std::size_t max_errors)
        : schema_(schema), noun_(noun), out_(out), max_errors_(max_errors) {}

    bool check(int index, const Value& v, const std::string& path, int ref_depth = 0) {
        if (index < 0) return true;
        const SchemaNode& n = schema_.nodes[static_cast<std::size_t>(index)];
        if (n.types != 0 && !(n.types & json_type(v))) {
            if ((n.types & kInteger) && v.kind == Value::Kind::number)
                report(v.span,
                       subject(path) + " must be a whole number, not " + format_number(v.number));
            else
                report(at(v), subject(path) + " must be " +
                                  (n.format_date && n.types == kString
                                       ? std::string("a date written YYYY-MM-DD")
                                       : types_words(n.types)) +
                                  ", not " + value_word(v));
            return false;
        }
        bool ok = true;
        if (n.ref >= 0) {
            if (ref_depth >= kMaxRefDepth) {
                report(n.span, "schema: \"$ref\" loops without end");
                return false;
            }
            ok &= check(n.ref, v, path, ref_depth + 1);
        }
        if (n.const_value && canonical_json(*n.const_value) != canonical_json(v)) {
            std::string mine = v.kind == Value::Kind::list || v.kind == Value::Kind::map
                                   ? value_word(v)
                                   : canonical_json(v);
            report(at(v),
                   subject(path) + " must be " + canonical_json(*n.const_value) + ", not " + mine);
            ok = false;
        }
        if (n.enum_values) ok &= check_enum(n, v, path);
        if (!n.any_of.empty()) ok &= check_any_of(n, v, path, ref_depth);
        if (is_text(v)) ok &= check_string(n, v, path);
        if (v.kind == Value::Kind::number) ok &= check_number(n, v, path);
        if (v.kind == Value::Kind::list) ok &= check_list(n, v, path, ref_depth);
        if (v.kind == Value::Kind::map) ok &= check_map(n, v, path, ref_depth);
        return ok;
    }

    void finish() {
        if (dropped_ > 0)
            error(out_, first_dropped_, "schema.too-many",
                  std::to_string(dropped_) + " more problems not shown: fix these first");
    }

  private:
    // Past the budget, messages are dropped: skip the work of composing them.
    bool full() const { return reported_ >= max_errors_; }

    void report(const Span& span, std::string message, std::string code = "schema") {
        if (reported_ >= max_errors_) {
            if (dropped_++ == 0) first_dropped_ = span;
            return;
        }
        ++reported_;
        error(out_, span, std::move(code), std::move(message));
    }

    // An empty value ("key:" and nothing) or a block list or map has yaml-cpp's mark on its
    // first token, often on the next line: its key is where the user looks.
    static Span at(const Value& v) {
        return v.key_span.line > 0 && v.key_span.line != v.span.line ? v.key_span : v.span;
    }

    // What a message is about: "applicant.gender:", "facts: key" (for propertyNames), or the
    // whole file.
    std::string subject(const std::string& path) const {
        if (naming_key_) return prefix(path) + "key";
        return path.empty() ? noun_ : path + ":";
    }
    static std::string prefix(const std::string& path) { return path.empty() ? "" : path + ": "; }

    bool check_enum(const SchemaNode& n, const Value& v, const std::string& path) {
        std::string mine = canonical_json(v);
        std::vector<std::string> words;
        for (const Value& e : *n.enum_values) {
            if (canonical_json(e) == mine) return true;
            if (is_text(e)) words.push_back(e.text);
        }
        std::string noun = n.title.empty() ? "value" : lower_first(n.title);
        std::string listed = words.size() <= 8 ? join_or(words) : std::string();
        if (is_text(v)) {
            // Two-letter codes are all within two edits of each other: no useful guess.
            auto hint = v.text.size() > 2 && !full() ? did_you_mean(v.text, words)
                                                     : std::vector<std::string>{};
            std::string msg = prefix(path) + "unknown " + noun + " " + json_quote(v.text);
            if (!hint.empty())
                msg += "; " + hint.front();
            else if (!listed.empty())
                msg += "; expected " + listed;
            report(v.span, msg, "value.unknown");
        } else {
            report(at(v), subject(path) + " must be " +
                              (listed.empty() ? "one of the known values" : listed) + ", not " +
                              value_word(v));
        }
        return false;
    }

    bool check_any_of(const SchemaNode& n, const Value& v, const std::string& path, int ref_depth) {
        // Report the problems of the one branch that accepts this kind of value, if there is
        // one; otherwise say which kinds are accepted.
        int fitting = -1;
        unsigned accepted = 0;
        for (int branch : n.any_of) {
            Diagnostics scratch;
            Validator trial(schema_, noun_, scratch, max_errors_);
            if (trial.check(branch, v, path, ref_depth + 1)) return true;
            unsigned types = effective_types(branch);
            accepted |= types;
            if (fitting < 0 && (types == 0 || (types & json_type(v)))) fitting = branch;
        }
        if (fitting >= 0) return check(fitting, v, path, ref_depth + 1);
        report(at(v),
               subject(path) + " must be " + types_words(accepted) + ", not " + value_word(v));
        return false;
    }

    // The JSON types a branch can accept: its `type`, else what its `const` or `enum` values
    // are (so that `{"const": "none"}` is not taken to fit a list), else any (0).
    unsigned effective_types(int index) const {
        const SchemaNode& n = schema_.nodes[static_cast<std::size_t>(index)];
        if (n.types == 0 && n.ref >= 0) return effective_types(n.ref);
        if (n.types == 0 && n.const_value) return json_type(*n.const_value);
        if (n.types == 0 && n.enum_values) {
            unsigned types = 0;
            for (const Value& e : *n.enum_values) types |= json_type(e);
            return types;
        }
        return n.types;
    }

    bool check_string(const SchemaNode& n, const Value& v, const std::string& path) {
        bool ok = true;
        std::size_t length = char_count(v.text);
        if (n.min_length && length < *n.min_length) {
            report(v.span, subject(path) + (*n.min_length == 1 ? std::string(" must not be empty")
                                                               : " must have at least " +
                                                                     std::to_string(*n.min_length) +
                                                                     " characters"));
            ok = false;
        }
        if (n.max_length && length > *n.max_length) {
            report(v.span, subject(path) + " must have at most " + std::to_string(*n.max_length) +
                               " characters, not " + std::to_string(length));
            ok = false;
        }
        if (n.pattern && ok) {
            if (v.text.size() > kMaxPatternInput) {
                report(v.span, subject(path) + " is too long to check against the pattern " +
                                   n.pattern_text + " (over " + std::to_string(kMaxPatternInput) +
                                   " bytes)");
                ok = false;
            } else if (!std::regex_search(v.text, *n.pattern)) {
                report(v.span, subject(path) + " " + json_quote(v.text) +
                                   " does not match the pattern " + n.pattern_text);
                ok = false;
            }
        }
        if (n.format_date && v.kind != Value::Kind::date && !Date::parse(v.text)) {
            bool shaped = v.text.size() == 10 && v.text[4] == '-' && v.text[7] == '-';
            report(v.span, subject(path) + " " + json_quote(v.text) +
                               (shaped ? " is not a real calendar date"
                                       : " is not a date written YYYY-MM-DD"));
            ok = false;
        }
        return ok;
    }

    bool check_number(const SchemaNode& n, const Value& v, const std::string& path) {
        if (n.minimum && v.number < *n.minimum) {
            report(v.span, subject(path) + " must be at least " + format_number(*n.minimum));
            return false;
        }
        if (n.maximum && v.number > *n.maximum) {
            report(v.span, subject(path) + " must be at most " + format_number(*n.maximum));
            return false;
        }
        return true;
    }

    bool check_list(const SchemaNode& n, const Value& v, const std::string& path, int ref_depth) {
        bool ok = true;
        std::size_t size = v.items.size();
        if (n.min_items && size < *n.min_items) {
            report(at(v), subject(path) + " must have at least " + std::to_string(*n.min_items) +
                              (*n.min_items == 1 ? " item" : " items"));
            ok = false;
        }
        if (n.max_items && size > *n.max_items) {
            report(at(v), subject(path) + " must have at most " + std::to_string(*n.max_items) +
                              " items, not " + std::to_string(size));
            ok = false;
        }
        for (std::size_t i = 0; i < size && n.items >= 0; ++i)
            ok &= check(n.items, v.items[i], path + "[" + std::to_string(i) + "]", ref_depth);
        if (n.unique_items) {
            std::unordered_set<std::string> seen;
            for (std::size_t i = 0; i < size; ++i) {
                if (seen.insert(canonical_json(v.items[i])).second) continue;
                report(v.items[i].span, path + "[" + std::to_string(i) + "]: " +
                                            canonical_json(v.items[i]) + " is listed twice");
                ok = false;
            }
        }
        return ok;
    }

    bool check_map(const SchemaNode& n, const Value& v, const std::string& path, int ref_depth) {
        bool ok = true;
        for (const std::string& key : n.required) {
            if (!v.find(key)) {
                report(at(v), prefix(path) + "missing required key " + json_quote(key),
                       "key.missing");
                ok = false;
            }
        }
        std::vector<std::string> known;
        for (const auto& [name, sub] : n.properties) known.push_back(name);
        for (const auto& [key, member] : v.fields) {
            std::string member_path = path.empty() ? key : path + "." + key;
            if (n.property_names >= 0) {
                Value name;
                name.kind = Value::Kind::string;
                name.text = key;
                name.span = member.key_span;
                naming_key_ = true;
                ok &= check(n.property_names, name, path, ref_depth);
                naming_key_ = false;
            }
            auto it = std::find_if(n.properties.begin(), n.properties.end(),
                                   [&k = key](const auto& p) { return p.first == k; });
            if (it != n.properties.end()) {
                ok &= check(it->second, member, member_path, ref_depth);
            } else if (n.additional >= 0) {
                ok &= check(n.additional, member, member_path, ref_depth);
            } else if (n.additional_allowed == false) {
                auto hint = full() ? std::vector<std::string>{} : did_you_mean(key, known);
                report(member.key_span,
                       prefix(path) + "unknown key " + json_quote(key) +
                           (hint.empty() ? "" : "; " + hint.front()),
                       "key.unknown");
                ok = false;
            }
        }
        return ok;
    }

    const Schema& schema_;
    const std::string& noun_;
    Diagnostics& out_;
    std::size_t max_errors_;
    std::size_t reported_ = 0;
    std::size_t dropped_ = 0;
    Span first_dropped_;
    bool naming_key_ = false;  // validating a key against propertyNames
};

}  // namespace

const Schema* SchemaSet::find(const std::string& name) const {
    auto it = by_name.find(name);
    return it == by_name.end() ? nullptr : &it->second;
}

std::optional<Schema> compile_schema(const std::string& file, const Value& root,
                                     Diagnostics& diagnostics) {
    return Compiler(file, diagnostics).run(root);
}

bool validate(const Schema& schema, const Value& data, const std::string& noun,
              Diagnostics& diagnostics, std::size_t max_errors) {
    Validator v(schema, noun, diagnostics, max_errors);
    bool ok = v.check(schema.root, data, "");
    v.finish();
    return ok;
}

std::string canonical_json(const Value& v) {
    switch (v.kind) {
        case Value::Kind::null:
            return "null";
        case Value::Kind::boolean:
            return v.boolean ? "true" : "false";
        case Value::Kind::number:
            return format_number(v.number);
        case Value::Kind::string:
        case Value::Kind::date:
            return json_quote(v.text);
        case Value::Kind::list: {
            std::string out = "[";
            for (std::size_t i = 0; i < v.items.size(); ++i)
                out += (i ? "," : "") + canonical_json(v.items[i]);
            return out + "]";
        }
        case Value::Kind::map: {
            // Member order does not matter to JSON equality.
            std::vector<std::string> members;
            for (const auto& [k, m] : v.fields)
                members.push_back(json_quote(k) + ":" + canonical_json(m));
            std::sort(members.begin(), members.end());
            std::string out = "{";
            for (std::size_t i = 0; i < members.size(); ++i) out += (i ? "," : "") + members[i];
            return out + "}";
        }
    }
    return "null";
}

}  // namespace dossier::load
