#include "rules/expr.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <compare>
#include <cstdint>
#include <sstream>
#include <utility>

namespace dossier::rules {

namespace {

// ---------------------------------------------------------------------------------------------
// Lexer

enum class Tok {
    end,
    error,  // a lexical error; `message` says what, the parser reports it when it gets there
    string,
    number,
    date,
    path,
    lparen,
    rparen,
    lbracket,
    rbracket,
    comma,
    eq,
    ne,
    lt,
    le,
    gt,
    ge,
    kw_and,
    kw_or,
    kw_not,
    kw_in,
    kw_exists,
    kw_true,
    kw_false,
    kw_null,
};

struct Token {
    Tok kind = Tok::end;
    std::size_t begin = 0;  // byte offsets into the condition
    std::size_t end = 0;
    std::string text;  // string: the decoded contents; path: the path
    double number = 0;
    Date date;
    // error tokens
    std::string code, message;
    std::vector<std::string> hints;
};

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_word(char c) { return is_lower(c) || is_upper(c) || is_digit(c) || c == '_'; }

// A path segment as the grammar allows it: [a-z_][a-z0-9_]*
bool valid_segment(std::string_view s) {
    if (s.empty() || is_digit(s[0])) return false;
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return is_lower(c) || is_digit(c) || c == '_'; });
}

class Lexer {
  public:
    explicit Lexer(std::string_view text) : text_(text) {}

    // The whole token list, ending with `end` or with the first `error` token: everything after
    // a lexical error is unreliable, and the parser reports only the first problem anyway.
    std::vector<Token> run() {
        std::vector<Token> out;
        for (;;) {
            out.push_back(next());
            if (out.back().kind == Tok::end || out.back().kind == Tok::error) return out;
        }
    }

  private:
    std::string_view text_;
    std::size_t pos_ = 0;

    char at(std::size_t i) const { return i < text_.size() ? text_[i] : '\0'; }

    Token make(Tok kind, std::size_t begin, std::size_t end) {
        Token t;
        t.kind = kind;
        t.begin = begin;
        t.end = end;
        pos_ = end;
        return t;
    }

    Token fail(std::size_t begin, std::size_t end, std::string code, std::string message,
               std::vector<std::string> hints = {}) {
        Token t = make(Tok::error, begin, end);
        t.code = std::move(code);
        t.message = std::move(message);
        t.hints = std::move(hints);
        return t;
    }

    // The character at `i` as written (a whole UTF-8 sequence), for messages.
    std::string char_at(std::size_t i) const {
        std::size_t j = i + 1;
        while (j < text_.size() && (static_cast<unsigned char>(text_[j]) & 0xC0) == 0x80) ++j;
        return std::string(text_.substr(i, j - i));
    }

    Token next() {
        while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t')) ++pos_;
        std::size_t b = pos_;
        if (b >= text_.size()) return make(Tok::end, b, b);
        char c = text_[b];
        switch (c) {
            case '(':
                return make(Tok::lparen, b, b + 1);
            case ')':
                return make(Tok::rparen, b, b + 1);
            case '[':
                return make(Tok::lbracket, b, b + 1);
            case ']':
                return make(Tok::rbracket, b, b + 1);
            case ',':
                return make(Tok::comma, b, b + 1);
            case '=':
                if (at(b + 1) == '=') return make(Tok::eq, b, b + 2);
                return fail(b, b + 1, "when.syntax", "unexpected '=', expected '=='",
                            {"equality is written '=='"});
            case '!':
                if (at(b + 1) == '=') return make(Tok::ne, b, b + 2);
                return fail(b, b + 1, "when.syntax", "unexpected '!', expected '!='",
                            {"negation is written 'not'"});
            case '<':
                if (at(b + 1) == '=') return make(Tok::le, b, b + 2);
                return make(Tok::lt, b, b + 1);
            case '>':
                if (at(b + 1) == '=') return make(Tok::ge, b, b + 2);
                return make(Tok::gt, b, b + 1);
            case '&':
                return fail(b, b + 1, "when.syntax", "unexpected character '&'",
                            {"conjunction is written 'and'"});
            case '|':
                return fail(b, b + 1, "when.syntax", "unexpected character '|'",
                            {"disjunction is written 'or'"});
            case '\'':
                return fail(b, b + 1, "when.syntax", "unexpected character '''",
                            {"strings are written in double quotes: \"religion\""});
            case '"':
                return string_token(b);
            default:
                break;
        }
        if (is_digit(c) || (c == '-' && is_digit(at(b + 1)))) return number_token(b);
        if (is_word(c)) return word_token(b);
        return fail(b, b + 1, "when.syntax", "unexpected character '" + char_at(b) + "'");
    }

    Token string_token(std::size_t b) {
        std::string value;
        std::size_t i = b + 1;
        while (i < text_.size()) {
            char c = text_[i];
            if (c == '"') {
                Token t = make(Tok::string, b, i + 1);
                t.text = std::move(value);
                return t;
            }
            if (c == '\\') {
                char e = at(i + 1);
                if (e == '"' || e == '\\') {
                    value += e;
                    i += 2;
                    continue;
                }
                if (i + 1 >= text_.size()) break;  // unterminated
                return fail(i, i + 2, "when.syntax",
                            "unknown escape '\\" + char_at(i + 1) + "' in a string",
                            {"only \\\" and \\\\ are escapes"});
            }
            value += c;
            ++i;
        }
        return fail(b, text_.size(), "when.unterminated-string", "unterminated string",
                    {"close the string with '\"'"});
    }

    Token number_token(std::size_t b) {
        std::size_t i = b;
        // A date: four digits and a '-' followed by a digit. Anything of that shape is read as
        // a date and validated, so 2024-1-5 gets a date error rather than a puzzling one.
        if (c_digits(b) == 4 && at(b + 4) == '-' && is_digit(at(b + 5))) {
            i = b;
            while (i < text_.size() && (is_digit(text_[i]) || text_[i] == '-')) ++i;
            if (is_word(at(i)) || at(i) == '.') {
                while (i < text_.size() && (is_word(text_[i]) || text_[i] == '.')) ++i;
            }
            std::string_view word = text_.substr(b, i - b);
            auto d = Date::parse(word);
            if (!d)
                return fail(b, i, "when.invalid-date", "invalid date '" + std::string(word) + "'",
                            {"dates are written YYYY-MM-DD and must exist in the calendar"});
            Token t = make(Tok::date, b, i);
            t.date = *d;
            return t;
        }
        if (text_[i] == '-') ++i;
        i += c_digits(i);
        if (at(i) == '.' && is_digit(at(i + 1))) {
            ++i;
            i += c_digits(i);
        }
        if (is_word(at(i)) || at(i) == '.') {
            std::size_t e = i;
            while (e < text_.size() && (is_word(text_[e]) || text_[e] == '.')) ++e;
            return fail(b, e, "when.syntax",
                        "invalid number '" + std::string(text_.substr(b, e - b)) + "'",
                        {"numbers are written like 3, -2 or 1.5"});
        }
        Token t = make(Tok::number, b, i);
        std::from_chars(text_.data() + b, text_.data() + i, t.number);
        return t;
    }

    std::size_t c_digits(std::size_t i) const {
        std::size_t n = 0;
        while (is_digit(at(i + n))) ++n;
        return n;
    }

    Token word_token(std::size_t b) {
        std::size_t i = b;
        while (i < text_.size() && (is_word(text_[i]) || text_[i] == '.')) ++i;
        std::string_view word = text_.substr(b, i - b);
        static constexpr std::pair<std::string_view, Tok> keywords[] = {
            {"and", Tok::kw_and},     {"or", Tok::kw_or},         {"not", Tok::kw_not},
            {"in", Tok::kw_in},       {"exists", Tok::kw_exists}, {"true", Tok::kw_true},
            {"false", Tok::kw_false}, {"null", Tok::kw_null},
        };
        for (const auto& [k, kind] : keywords)
            if (word == k) return make(kind, b, i);
        // Validate each segment so that the error points at the offending one.
        std::size_t seg = b;
        while (true) {
            std::size_t dot = text_.find('.', seg);
            if (dot == std::string_view::npos || dot > i) dot = i;
            std::string_view s = text_.substr(seg, dot - seg);
            if (!valid_segment(s)) {
                std::vector<std::string> hints;
                std::string lower(word);
                std::transform(lower.begin(), lower.end(), lower.begin(), [](char ch) {
                    return is_upper(ch) ? static_cast<char>(ch - 'A' + 'a') : ch;
                });
                if (lower == "true" || lower == "false")
                    hints.push_back("booleans are written true and false");
                else if (s.empty())
                    hints.push_back("a path is names joined by single dots, like facts.detained");
                else
                    hints.push_back(
                        "path names are lowercase letters, digits and '_', not starting with a "
                        "digit");
                return fail(s.empty() ? dot : seg, i, "when.syntax",
                            "invalid path '" + std::string(word) + "'", std::move(hints));
            }
            if (dot == i) break;
            seg = dot + 1;
        }
        Token t = make(Tok::path, b, i);
        t.text = std::string(word);
        return t;
    }
};

// How a token reads in "unexpected X" messages.
std::string describe(const Token& t, std::string_view text) {
    if (t.kind == Tok::end) return "end of condition";
    if (t.kind == Tok::string) return std::string(text.substr(t.begin, t.end - t.begin));
    return "'" + std::string(text.substr(t.begin, t.end - t.begin)) + "'";
}

std::size_t code_points(std::string_view s) {
    std::size_t n = 0;
    for (char c : s)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
    return n;
}

// ---------------------------------------------------------------------------------------------
// Parser

class Parser {
  public:
    Parser(std::string_view text, const Span& at, Diagnostics& diags)
        : text_(text), at_(at), diags_(diags), tokens_(Lexer(text).run()) {}

    std::optional<Expr> run() {
        auto e = or_expr();
        if (!e) return std::nullopt;
        if (peek().kind != Tok::end) {
            std::vector<std::string> hints;
            if (is_comparison(peek().kind) && e->kind == Expr::Kind::compare)
                hints.push_back("comparisons do not chain; join them with 'and'");
            return fail_unexpected("'and', 'or' or the end of the condition", std::move(hints));
        }
        return e;
    }

  private:
    std::string_view text_;
    Span at_;
    Diagnostics& diags_;
    std::vector<Token> tokens_;
    std::size_t i_ = 0;
    int depth_ = 0;

    const Token& peek(std::size_t ahead = 0) const {
        return tokens_[std::min(i_ + ahead, tokens_.size() - 1)];
    }
    const Token& take() {
        const Token& t = peek();
        if (i_ < tokens_.size() - 1) ++i_;
        return t;
    }

    static bool is_comparison(Tok k) {
        return k == Tok::eq || k == Tok::ne || k == Tok::lt || k == Tok::le || k == Tok::gt ||
               k == Tok::ge || k == Tok::kw_in;
    }

    // Reports at the current token: its own lexical error, or "unexpected X, expected Y".
    std::nullopt_t fail_unexpected(const std::string& expected,
                                   std::vector<std::string> hints = {}) {
        const Token& t = peek();
        if (t.kind == Tok::error) {
            error(diags_, span_at(at_, text_, t.begin), t.code, t.message, t.hints);
        } else {
            error(diags_, span_at(at_, text_, t.begin), "when.syntax",
                  "unexpected " + describe(t, text_) + ", expected " + expected, std::move(hints));
        }
        return std::nullopt;
    }

    // Called on entering every construct that can nest; false (with the error reported) when
    // the limit is passed, so that deep input cannot overflow the stack.
    bool enter(std::size_t offset) {
        if (++depth_ <= max_nesting_depth) return true;
        error(diags_, span_at(at_, text_, offset), "when.too-deep",
              "condition nests too deeply (more than " + std::to_string(max_nesting_depth) +
                  " levels)");
        return false;
    }

    std::optional<Expr> or_expr() { return chain(Tok::kw_or, Expr::Kind::or_); }
    std::optional<Expr> and_expr() { return chain(Tok::kw_and, Expr::Kind::and_); }

    std::optional<Expr> chain(Tok op, Expr::Kind kind) {
        auto sub = [&]() { return kind == Expr::Kind::or_ ? and_expr() : not_expr(); };
        auto first = sub();
        if (!first) return std::nullopt;
        if (peek().kind != op) return first;
        Expr e;
        e.kind = kind;
        e.begin = first->begin;
        e.operands.push_back(std::move(*first));
        while (peek().kind == op) {
            take();
            auto next = sub();
            if (!next) return std::nullopt;
            e.operands.push_back(std::move(*next));
        }
        e.end = e.operands.back().end;
        return e;
    }

    std::optional<Expr> not_expr() {
        if (peek().kind != Tok::kw_not) return comparison();
        std::size_t begin = take().begin;
        if (!enter(begin)) return std::nullopt;
        auto operand = not_expr();
        --depth_;
        if (!operand) return std::nullopt;
        Expr e;
        e.kind = Expr::Kind::not_;
        e.begin = begin;
        e.end = operand->end;
        e.operands.push_back(std::move(*operand));
        return e;
    }

    std::optional<Expr> comparison() {
        auto lhs = primary();
        if (!lhs) return std::nullopt;
        Expr::Op op;
        switch (peek().kind) {
            case Tok::eq:
                op = Expr::Op::eq;
                break;
            case Tok::ne:
                op = Expr::Op::ne;
                break;
            case Tok::lt:
                op = Expr::Op::lt;
                break;
            case Tok::le:
                op = Expr::Op::le;
                break;
            case Tok::gt:
                op = Expr::Op::gt;
                break;
            case Tok::ge:
                op = Expr::Op::ge;
                break;
            case Tok::kw_in:
                op = Expr::Op::in;
                break;
            case Tok::kw_not:
                if (peek(1).kind != Tok::kw_in) return lhs;
                take();
                op = Expr::Op::not_in;
                break;
            default:
                return lhs;
        }
        take();
        auto rhs = primary();
        if (!rhs) return std::nullopt;
        Expr e;
        e.kind = Expr::Kind::compare;
        e.op = op;
        e.begin = lhs->begin;
        e.end = rhs->end;
        e.operands.push_back(std::move(*lhs));
        e.operands.push_back(std::move(*rhs));
        return e;
    }

    static constexpr const char* kValue = "a value, a path, exists(...) or '('";

    std::optional<Expr> primary() {
        const Token& t = peek();
        switch (t.kind) {
            case Tok::path: {
                Expr e;
                e.kind = Expr::Kind::path;
                e.path = t.text;
                e.begin = t.begin;
                e.end = t.end;
                take();
                return e;
            }
            case Tok::kw_exists:
                return exists();
            case Tok::lparen: {
                std::size_t begin = take().begin;
                if (!enter(begin)) return std::nullopt;
                auto inner = or_expr();
                --depth_;
                if (!inner) return std::nullopt;
                if (peek().kind != Tok::rparen)
                    return fail_unexpected(
                        "')'",
                        {"the '(' at column " + std::to_string(span_at(at_, text_, begin).column) +
                         " is not closed"});
                inner->end = take().end;
                inner->begin = begin;
                inner->parenthesized = true;
                return inner;
            }
            default:
                break;
        }
        return literal(kValue);
    }

    std::optional<Expr> exists() {
        std::size_t begin = take().begin;
        if (peek().kind != Tok::lparen) return fail_unexpected("'(' after exists");
        take();
        if (peek().kind != Tok::path) return fail_unexpected("a path");
        Expr e;
        e.kind = Expr::Kind::exists;
        e.path = take().text;
        if (peek().kind != Tok::rparen) return fail_unexpected("')'");
        e.begin = begin;
        e.end = take().end;
        return e;
    }

    std::optional<Expr> literal(const char* expected) {
        const Token& t = peek();
        Expr e;
        e.kind = Expr::Kind::literal;
        e.begin = t.begin;
        e.end = t.end;
        e.value.span = span_at(at_, text_, t.begin);
        e.value.text = std::string(text_.substr(t.begin, t.end - t.begin));
        switch (t.kind) {
            case Tok::string:
                e.value.kind = Value::Kind::string;
                e.value.text = t.text;
                break;
            case Tok::number:
                e.value.kind = Value::Kind::number;
                e.value.number = t.number;
                break;
            case Tok::date:
                e.value.kind = Value::Kind::date;
                e.value.date = t.date;
                break;
            case Tok::kw_true:
            case Tok::kw_false:
                e.value.kind = Value::Kind::boolean;
                e.value.boolean = t.kind == Tok::kw_true;
                break;
            case Tok::lbracket:
                return list();
            case Tok::kw_null:
                return fail_unexpected(expected,
                                       {"there is no null literal: a missing value is tested "
                                        "with exists(path) or not exists(path)"});
            default:
                return fail_unexpected(expected);
        }
        take();
        return e;
    }

    std::optional<Expr> list() {
        std::size_t begin = take().begin;
        if (!enter(begin)) return std::nullopt;
        Expr e;
        e.kind = Expr::Kind::literal;
        e.begin = begin;
        e.value.kind = Value::Kind::list;
        e.value.span = span_at(at_, text_, begin);
        if (peek().kind != Tok::rbracket) {
            while (true) {
                const char* expected =
                    "a literal (list items are strings, numbers, dates, "
                    "booleans or lists)";
                auto item = literal(expected);
                if (!item) return std::nullopt;
                e.value.items.push_back(std::move(item->value));
                if (peek().kind == Tok::comma) {
                    take();
                    continue;
                }
                if (peek().kind != Tok::rbracket) return fail_unexpected("',' or ']'");
                break;
            }
        }
        e.end = take().end;
        e.value.text = std::string(text_.substr(e.begin, e.end - e.begin));
        --depth_;
        return e;
    }
};

// ---------------------------------------------------------------------------------------------
// Evaluation

bool values_equal(const Value& a, const Value& b) {
    if (a.kind != b.kind) return false;
    switch (a.kind) {
        case Value::Kind::null:
            return false;  // null equals nothing, itself included
        case Value::Kind::boolean:
            return a.boolean == b.boolean;
        case Value::Kind::number:
            return a.number == b.number;
        case Value::Kind::string:
            return a.text == b.text;
        case Value::Kind::date:
            return a.date == b.date;
        case Value::Kind::list:
            return a.items.size() == b.items.size() &&
                   std::equal(a.items.begin(), a.items.end(), b.items.begin(), values_equal);
        case Value::Kind::map:
            return false;
    }
    return false;
}

// nullopt when the two values are not ordered (null, different kinds, booleans, lists, maps).
std::optional<std::partial_ordering> order(const Value& a, const Value& b) {
    if (a.kind != b.kind) return std::nullopt;
    switch (a.kind) {
        case Value::Kind::number:
            return a.number <=> b.number;
        case Value::Kind::string:
            return a.text <=> b.text;
        case Value::Kind::date:
            return a.date <=> b.date;
        default:
            return std::nullopt;
    }
}

bool is_true(const Value& v) { return v.kind == Value::Kind::boolean && v.boolean; }

const Value& lookup(const Value& root, const std::string& path, const Value& null_value) {
    const Value* v = root.at_path(path);
    return v ? *v : null_value;
}

bool holds(const Expr& e, const Value& root);

// The value of a comparison operand. `scratch` holds computed booleans and the null that a
// missing path reads as.
const Value& operand_value(const Expr& e, const Value& root, Value& scratch) {
    switch (e.kind) {
        case Expr::Kind::literal:
            return e.value;
        case Expr::Kind::path:
            return lookup(root, e.path, scratch);
        default:
            scratch.kind = Value::Kind::boolean;
            scratch.boolean = holds(e, root);
            return scratch;
    }
}

bool compare(Expr::Op op, const Value& a, const Value& b) {
    switch (op) {
        case Expr::Op::eq:
            return values_equal(a, b);
        case Expr::Op::ne:
            return !values_equal(a, b);
        case Expr::Op::in:
        case Expr::Op::not_in: {
            bool found = !a.is_null() && b.kind == Value::Kind::list &&
                         std::any_of(b.items.begin(), b.items.end(),
                                     [&](const Value& item) { return values_equal(a, item); });
            return op == Expr::Op::in ? found : !found;
        }
        default:
            break;
    }
    auto o = order(a, b);
    if (!o) return false;
    switch (op) {
        case Expr::Op::lt:
            return *o < 0;
        case Expr::Op::le:
            return *o <= 0;
        case Expr::Op::gt:
            return *o > 0;
        case Expr::Op::ge:
            return *o >= 0;
        default:
            return false;
    }
}

bool holds(const Expr& e, const Value& root) {
    switch (e.kind) {
        case Expr::Kind::literal:
            return is_true(e.value);
        case Expr::Kind::path: {
            const Value* v = root.at_path(e.path);
            return v && is_true(*v);
        }
        case Expr::Kind::exists: {
            const Value* v = root.at_path(e.path);
            return v && !v->is_null();
        }
        case Expr::Kind::compare: {
            Value sa, sb;
            const Value& a = operand_value(e.operands[0], root, sa);
            const Value& b = operand_value(e.operands[1], root, sb);
            return compare(e.op, a, b);
        }
        case Expr::Kind::not_:
            return !holds(e.operands[0], root);
        case Expr::Kind::and_:
            return std::all_of(e.operands.begin(), e.operands.end(),
                               [&](const Expr& o) { return holds(o, root); });
        case Expr::Kind::or_:
            return std::any_of(e.operands.begin(), e.operands.end(),
                               [&](const Expr& o) { return holds(o, root); });
    }
    return false;
}

const char* op_text(Expr::Op op) {
    switch (op) {
        case Expr::Op::eq:
            return "==";
        case Expr::Op::ne:
            return "!=";
        case Expr::Op::lt:
            return "<";
        case Expr::Op::le:
            return "<=";
        case Expr::Op::gt:
            return ">";
        case Expr::Op::ge:
            return ">=";
        case Expr::Op::in:
            return "in";
        case Expr::Op::not_in:
            return "not in";
    }
    return "?";
}

std::string render_number(double n) {
    if (std::isfinite(n) && n == std::trunc(n) && std::fabs(n) < 1e15)
        return std::to_string(static_cast<long long>(n));
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof buf, n);
    return std::string(buf, r.ptr);
}

std::string quote(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + '"';
}

// ---------------------------------------------------------------------------------------------
// Static checks

// The kind an expression always has, when that is known without a case.
std::optional<Value::Kind> static_kind(const Expr& e) {
    switch (e.kind) {
        case Expr::Kind::literal:
            return e.value.kind;
        case Expr::Kind::path:
            return std::nullopt;
        default:
            return Value::Kind::boolean;
    }
}

// No kind name starts with a vowel, so "a" always reads right.
std::string a_kind(Value::Kind k) { return std::string("a ") + kind_name(k); }

const std::vector<std::string>& case_roots() {
    static const std::vector<std::string> roots = {
        "dossier",          "reference",  "language",     "jurisdiction", "date",      "signed_in",
        "expert",           "appeal",     "instructions", "documents",    "account",   "issues",
        "range_of_opinion", "assistance", "limitations",  "sources",      "applicant", "country",
        "grounds",          "facts",      "clauses",      "notes",        "expertise"};
    return roots;
}

const std::vector<std::string>& sub_fields(std::string_view root) {
    static const std::vector<std::string> applicant = {"name",    "pseudonym", "gender",
                                                       "aliases", "born",      "nationality"};
    static const std::vector<std::string> instructions = {"firm", "solicitor", "received", "items",
                                                          "questions"};
    static const std::vector<std::string> appeal = {"number", "a_number", "permission_to_exceed"};
    // Not typed in the case file: the loader copies the expert profile's `expertise` here.
    static const std::vector<std::string> expertise = {"countries", "themes"};
    static const std::vector<std::string> clauses = {"include", "exclude"};
    static const std::vector<std::string> none;
    if (root == "applicant") return applicant;
    if (root == "instructions") return instructions;
    if (root == "clauses") return clauses;
    if (root == "appeal") return appeal;
    if (root == "expertise") return expertise;
    return none;
}

std::vector<std::string_view> split_path(std::string_view path) {
    std::vector<std::string_view> out;
    while (true) {
        auto dot = path.find('.');
        out.push_back(path.substr(0, dot));
        if (dot == std::string_view::npos) return out;
        path.remove_prefix(dot + 1);
    }
}

class Checker {
  public:
    Checker(std::string_view source, const Span& at, Diagnostics& diags)
        : source_(source), at_(at), diags_(diags) {}

    void condition(const Expr& e) {
        truth_operand(e, "a condition");
        walk(e);
    }

  private:
    std::string_view source_;
    Span at_;
    Diagnostics& diags_;

    Span where(const Expr& e) const { return span_at(at_, source_, e.begin); }
    std::string text(const Expr& e) const {
        return std::string(source_.substr(e.begin, e.end - e.begin));
    }

    // An operand that is used for its truth: a literal of another kind than boolean never holds.
    void truth_operand(const Expr& e, const std::string& role) {
        auto k = static_kind(e);
        if (k && *k != Value::Kind::boolean)
            error(diags_, where(e), "when.type",
                  text(e) + " is " + a_kind(*k) + ", which is never true as " + role,
                  {"only the boolean true counts as true; compare it with '==' instead"});
    }

    void path(const Expr& e) {
        if (case_can_supply(e.path)) return;
        auto parts = split_path(e.path);
        std::vector<std::string> hints;
        const auto& roots = case_roots();
        if (std::find(roots.begin(), roots.end(), parts[0]) == roots.end()) {
            hints = did_you_mean(parts[0], roots);
        } else if (parts.size() > 1 && !sub_fields(parts[0]).empty()) {
            hints = did_you_mean(parts[1], sub_fields(parts[0]));
            if (hints.empty() && parts.size() == 2) {
                std::string all;
                for (const auto& f : sub_fields(parts[0])) all += (all.empty() ? "" : ", ") + f;
                hints.push_back(std::string(parts[0]) + " has: " + all);
            }
        } else if (parts.size() > 1) {
            hints.push_back(std::string(parts[0]) == "facts"
                                ? "facts hold scalars and lists, not maps"
                                : std::string(parts[0]) + " is not a map");
        }
        Span s = span_at(at_, source_,
                         e.kind == Expr::Kind::exists ? source_.find(e.path, e.begin) : e.begin);
        error(diags_, s, "when.unknown-path", "no case can supply " + e.path, std::move(hints));
    }

    void walk(const Expr& e) {
        switch (e.kind) {
            case Expr::Kind::literal:
                return;
            case Expr::Kind::path:
            case Expr::Kind::exists:
                path(e);
                return;
            case Expr::Kind::not_:
                truth_operand(e.operands[0], "the operand of 'not'");
                walk(e.operands[0]);
                return;
            case Expr::Kind::and_:
            case Expr::Kind::or_:
                for (const Expr& o : e.operands) {
                    truth_operand(o, e.kind == Expr::Kind::and_ ? "an operand of 'and'"
                                                                : "an operand of 'or'");
                    walk(o);
                }
                return;
            case Expr::Kind::compare:
                comparison(e);
                walk(e.operands[0]);
                walk(e.operands[1]);
                return;
        }
    }

    void comparison(const Expr& e) {
        const Expr& lhs = e.operands[0];
        const Expr& rhs = e.operands[1];
        auto a = static_kind(lhs);
        auto b = static_kind(rhs);
        std::string op = op_text(e.op);
        switch (e.op) {
            case Expr::Op::eq:
            case Expr::Op::ne:
                if (a && b && *a != *b)
                    error(diags_, where(e), "when.type",
                          "comparing " + a_kind(*a) + " with " + a_kind(*b) + " using '" + op +
                              "' is always " + (e.op == Expr::Op::eq ? "false" : "true"),
                          {"values of different kinds are never equal"});
                return;
            case Expr::Op::in:
            case Expr::Op::not_in:
                if (b && *b != Value::Kind::list) {
                    std::vector<std::string> hints = {"write a list: " + text(lhs) + " " + op +
                                                      " [" + text(rhs) + "]"};
                    if (*b == Value::Kind::string)
                        hints.push_back("'in' does not look inside strings");
                    error(diags_, where(rhs), "when.type",
                          "the right side of '" + op + "' must be a list, not " + a_kind(*b),
                          std::move(hints));
                }
                return;
            default:
                break;
        }
        for (const Expr* side : {&lhs, &rhs}) {
            auto k = static_kind(*side);
            if (k && *k != Value::Kind::number && *k != Value::Kind::string &&
                *k != Value::Kind::date) {
                error(diags_, where(*side), "when.type", "'" + op + "' cannot order " + a_kind(*k),
                      {"only numbers, strings and dates are ordered"});
                return;
            }
        }
        if (a && b && *a != *b)
            error(diags_, where(e), "when.type",
                  "comparing " + a_kind(*a) + " with " + a_kind(*b) + " using '" + op +
                      "' is always false",
                  {"values of different kinds are never ordered"});
    }
};

}  // namespace

// ---------------------------------------------------------------------------------------------
// Public functions

Span span_at(const Span& at, std::string_view text, std::size_t offset) {
    Span s = at;
    offset = std::min(offset, text.size());
    // A condition is one line; should a newline slip in, count lines rather than mislead.
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < offset; ++i) {
        if (text[i] == '\n') {
            ++s.line;
            s.column = 1;
            line_start = i + 1;
        }
    }
    s.column += static_cast<int>(code_points(text.substr(line_start, offset - line_start)));
    return s;
}

std::optional<Expr> parse(std::string_view text, const Span& at, Diagnostics& diagnostics) {
    std::size_t length = code_points(text);
    if (length > max_condition_length) {
        error(diagnostics, at, "when.too-long",
              "condition is too long (" + std::to_string(length) + " characters; the limit is " +
                  std::to_string(max_condition_length) + ")",
              {"split it across clauses with requires"});
        return std::nullopt;
    }
    return Parser(text, at, diagnostics).run();
}

bool evaluate(const Expr& e, const Value& root) { return holds(e, root); }

std::string render_value(const Value& v) {
    switch (v.kind) {
        case Value::Kind::null:
            return "null";
        case Value::Kind::boolean:
            return v.boolean ? "true" : "false";
        case Value::Kind::number:
            return render_number(v.number);
        case Value::Kind::string:
            return quote(v.text);
        case Value::Kind::date:
            return v.date.iso();
        case Value::Kind::list: {
            std::string out = "[";
            for (std::size_t i = 0; i < v.items.size(); ++i)
                out += (i ? ", " : "") + render_value(v.items[i]);
            return out + "]";
        }
        case Value::Kind::map: {
            std::string out = "{";
            for (std::size_t i = 0; i < v.fields.size(); ++i)
                out +=
                    (i ? ", " : "") + v.fields[i].first + ": " + render_value(v.fields[i].second);
            return out + "}";
        }
    }
    return "null";
}

std::string substitute(const Expr& e, const Value& root) {
    static const Value null_value;  // immutable: a missing path reads as this
    std::string out;
    switch (e.kind) {
        case Expr::Kind::literal:
            out = render_value(e.value);
            break;
        case Expr::Kind::path:
            out = render_value(lookup(root, e.path, null_value));
            break;
        case Expr::Kind::exists:
            // The path stays as written and the test's outcome follows it: the value itself
            // says nothing (only its presence counts) and `exists("x")` would hide which fact
            // was tested.
            out = "exists(" + e.path + ")=" + (evaluate(e, root) ? "true" : "false");
            break;
        case Expr::Kind::compare:
            out = substitute(e.operands[0], root) + " " + op_text(e.op) + " " +
                  substitute(e.operands[1], root);
            break;
        case Expr::Kind::not_:
            out = "not " + substitute(e.operands[0], root);
            break;
        case Expr::Kind::and_:
        case Expr::Kind::or_:
            for (std::size_t i = 0; i < e.operands.size(); ++i) {
                if (i) out += e.kind == Expr::Kind::and_ ? " and " : " or ";
                out += substitute(e.operands[i], root);
            }
            break;
    }
    return e.parenthesized ? "(" + out + ")" : out;
}

Explanation explain(const Expr& e, std::string_view source, const Value& root) {
    Explanation x;
    x.result = evaluate(e, root);
    std::string_view written =
        source.substr(std::min(e.begin, source.size()), e.end > e.begin ? e.end - e.begin : 0);
    // A stream, not string concatenation: GCC 12 at -O3 warns falsely (-Wrestrict, GCC bug
    // 105329) on the inlined appends.
    std::ostringstream text;
    text << '`' << written << "` was `" << substitute(e, root) << "`, "
         << (x.result ? "true" : "false");
    x.text = text.str();
    return x;
}

void check(const Expr& e, std::string_view source, const Span& at, Diagnostics& diagnostics) {
    Checker(source, at, diagnostics).condition(e);
}

bool case_can_supply(std::string_view path) {
    auto parts = split_path(path);
    const auto& roots = case_roots();
    if (std::find(roots.begin(), roots.end(), parts[0]) == roots.end()) return false;
    if (parts.size() == 1) return true;
    if (parts[0] == "facts") return parts.size() == 2;
    const auto& fields = sub_fields(parts[0]);
    return parts.size() == 2 && std::find(fields.begin(), fields.end(), parts[1]) != fields.end();
}

}  // namespace dossier::rules
