#include "model/message_pattern.hpp"

namespace dossier {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// A recursive-descent reader of MessageFormat structure. It does not interpret anything: ICU
// does that later; this only needs to know where arguments are and whether braces balance.
class Scanner {
  public:
    explicit Scanner(std::string_view p) : p_(p) {}

    ScanResult run() {
        message(false, false, 0);
        return std::move(result_);
    }

  private:
    static constexpr int kMaxDepth = 16;

    bool failed() const { return !result_.error.empty(); }
    void fail(std::size_t at, std::string message) {
        if (failed()) return;
        result_.error = std::move(message);
        result_.error_offset = at;
    }
    void skip_space() {
        while (i_ < p_.size() && is_space(p_[i_])) ++i_;
    }
    // After an apostrophe that starts quoting: skip to the closing one ('' is a literal ').
    void skip_quoted() {
        while (i_ < p_.size()) {
            if (p_[i_] == '\'') {
                if (i_ + 1 < p_.size() && p_[i_ + 1] == '\'') {
                    i_ += 2;
                    continue;
                }
                ++i_;
                return;
            }
            ++i_;
        }
    }
    bool starts_quote(bool plural) const {
        if (i_ + 1 >= p_.size()) return false;
        char n = p_[i_ + 1];
        return n == '{' || n == '}' || n == '|' || (plural && n == '#');
    }

    // Reads message text until the end (top level) or the '}' closing a sub-message (nested),
    // leaving that '}' for the caller.
    void message(bool nested, bool plural, int depth) {
        std::size_t start = i_;
        while (i_ < p_.size() && !failed()) {
            char c = p_[i_];
            if (c == '\'') {
                if (i_ + 1 < p_.size() && p_[i_ + 1] == '\'') {
                    i_ += 2;
                } else if (starts_quote(plural)) {
                    ++i_;
                    skip_quoted();
                } else {
                    ++i_;
                }
            } else if (c == '{') {
                argument(depth);
            } else if (c == '}') {
                if (nested) return;
                fail(i_, "unmatched '}' (write '}' inside apostrophes for a literal brace)");
            } else {
                ++i_;
            }
        }
        if (nested && !failed()) fail(start == 0 ? 0 : start - 1, "sub-message is missing its '}'");
    }

    void argument(int depth) {
        Argument a;
        a.open = i_;
        if (depth >= kMaxDepth) {
            fail(i_, "arguments nested more than " + std::to_string(kMaxDepth) + " deep");
            return;
        }
        ++i_;
        skip_space();
        a.name_begin = i_;
        while (i_ < p_.size() && !is_space(p_[i_]) && p_[i_] != ',' && p_[i_] != '}' &&
               p_[i_] != '{')
            ++i_;
        a.name_end = i_;
        a.name = std::string(p_.substr(a.name_begin, a.name_end - a.name_begin));
        if (a.name.empty()) {
            fail(a.open, "'{' starts an argument but no variable name follows");
            return;
        }
        skip_space();
        if (i_ >= p_.size()) {
            fail(a.open, "argument {" + a.name + " is missing its '}'");
            return;
        }
        if (p_[i_] == '}') {
            ++i_;
            result_.arguments.push_back(std::move(a));
            return;
        }
        if (p_[i_] != ',') {
            fail(i_, "expected ',' or '}' after the variable name " + a.name);
            return;
        }
        ++i_;
        skip_space();
        std::size_t type_begin = i_;
        while (i_ < p_.size() && (std::isalnum(static_cast<unsigned char>(p_[i_])) != 0)) ++i_;
        a.type = std::string(p_.substr(type_begin, i_ - type_begin));
        skip_space();
        if (a.type.empty()) {
            fail(type_begin,
                 "expected a format type (plural, select, number, date, ...) after ','");
            return;
        }
        if (i_ < p_.size() && p_[i_] == '}') {
            ++i_;
            result_.arguments.push_back(std::move(a));
            return;
        }
        if (i_ >= p_.size() || p_[i_] != ',') {
            fail(i_, "expected ',' or '}' after the format type " + a.type);
            return;
        }
        ++i_;
        bool complex = a.type == "plural" || a.type == "select" || a.type == "selectordinal";
        bool plural = a.type != "select";
        std::string type = a.type;
        std::size_t open = a.open;
        result_.arguments.push_back(std::move(a));
        if (!complex) {
            // A style such as "long" or a number skeleton: skip to the matching brace.
            int braces = 1;
            while (i_ < p_.size()) {
                char c = p_[i_];
                if (c == '\'' && starts_quote(false)) {
                    ++i_;
                    skip_quoted();
                    continue;
                }
                if (c == '{') ++braces;
                if (c == '}' && --braces == 0) {
                    ++i_;
                    return;
                }
                ++i_;
            }
            fail(open, "argument is missing its '}'");
            return;
        }
        bool any = false;
        while (!failed()) {
            skip_space();
            if (i_ >= p_.size()) {
                fail(open, type + " argument is missing its '}'");
                return;
            }
            if (p_[i_] == '}') {
                if (!any) fail(i_, type + " needs at least one case, such as other {...}");
                ++i_;
                return;
            }
            std::size_t sel = i_;
            while (i_ < p_.size() && !is_space(p_[i_]) && p_[i_] != '{' && p_[i_] != '}') ++i_;
            std::string selector(p_.substr(sel, i_ - sel));
            skip_space();
            if (selector.rfind("offset:", 0) == 0) continue;
            if (i_ >= p_.size() || p_[i_] != '{') {
                fail(i_ < p_.size() ? i_ : sel, "expected '{' after the " + type + " case " +
                                                    (selector.empty() ? "" : "'" + selector + "'"));
                return;
            }
            ++i_;
            message(true, plural, depth + 1);
            if (failed()) return;
            ++i_;  // the sub-message's '}'
            any = true;
        }
    }

    std::string_view p_;
    std::size_t i_ = 0;
    ScanResult result_;
};

}  // namespace

ScanResult scan_pattern(std::string_view pattern) { return Scanner(pattern).run(); }

}  // namespace dossier
