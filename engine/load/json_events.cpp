#include "load/json_events.hpp"

#include <yaml-cpp/emitterstyle.h>
#include <yaml-cpp/mark.h>

#include <string>

namespace dossier::load {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

class JsonEvents {
  public:
    JsonEvents(std::string_view text, YAML::EventHandler& out) : text_(text), out_(out) {}

    bool run() {
        out_.OnDocumentStart(mark());
        if (!blank() || !value(0) || !blank() || at_ < text_.size()) return false;
        out_.OnDocumentEnd();
        return true;
    }

  private:
    static constexpr int kMaxDepth = 64;               // deeper: yaml-cpp's own limits apply
    static constexpr std::size_t kMaxKeyBytes = 1000;  // YAML implicit keys stop at 1024

    YAML::Mark mark() const {
        YAML::Mark m;
        m.pos = static_cast<int>(at_);
        m.line = line_;
        m.column = static_cast<int>(at_ - line_start_);
        return m;
    }

    // Skips JSON blanks other than tabs and carriage returns; false on either of those.
    bool blank() {
        for (; at_ < text_.size(); ++at_) {
            char c = text_[at_];
            if (c == '\n') {
                ++line_;
                line_start_ = at_ + 1;
            } else if (c != ' ') {
                return c != '\t' && c != '\r';
            }
        }
        return true;
    }

    bool value(int depth) {
        if (at_ >= text_.size() || depth > kMaxDepth) return false;
        YAML::Mark m = mark();
        char c = text_[at_];
        if (c == '{') {
            ++at_;
            out_.OnMapStart(m, "?", YAML::NullAnchor, YAML::EmitterStyle::Flow);
            if (!blank()) return false;
            if (at_ < text_.size() && text_[at_] == '}') {
                ++at_;
                out_.OnMapEnd();
                return true;
            }
            for (;;) {
                if (at_ >= text_.size() || text_[at_] != '"') return false;
                int key_line = line_;
                YAML::Mark km = mark();
                std::string key;
                if (!string(key) || key.size() > kMaxKeyBytes) return false;
                out_.OnScalar(km, "!", YAML::NullAnchor, key);
                if (!blank() || line_ != key_line || at_ >= text_.size() || text_[at_] != ':')
                    return false;
                ++at_;
                if (!blank() || !value(depth + 1) || !blank() || at_ >= text_.size()) return false;
                if (text_[at_] == '}') {
                    ++at_;
                    out_.OnMapEnd();
                    return true;
                }
                if (text_[at_] != ',') return false;
                ++at_;
                if (!blank()) return false;
            }
        }
        if (c == '[') {
            ++at_;
            out_.OnSequenceStart(m, "?", YAML::NullAnchor, YAML::EmitterStyle::Flow);
            if (!blank()) return false;
            if (at_ < text_.size() && text_[at_] == ']') {
                ++at_;
                out_.OnSequenceEnd();
                return true;
            }
            for (;;) {
                if (!value(depth + 1) || !blank() || at_ >= text_.size()) return false;
                if (text_[at_] == ']') {
                    ++at_;
                    out_.OnSequenceEnd();
                    return true;
                }
                if (text_[at_] != ',') return false;
                ++at_;
                if (!blank()) return false;
            }
        }
        if (c == '"') {
            std::string s;
            if (!string(s)) return false;
            out_.OnScalar(m, "!", YAML::NullAnchor, s);
            return true;
        }
        // A literal: yaml-cpp reads it as a plain scalar, and "null" as a null.
        std::size_t end = at_;
        while (end < text_.size() &&
               std::string_view(" \t\r\n,]}").find(text_[end]) == std::string_view::npos)
            ++end;
        std::string_view word = text_.substr(at_, end - at_);
        if (word != "true" && word != "false" && word != "null" && !json_number(word)) return false;
        at_ = end;
        if (word == "null")
            out_.OnNull(m, YAML::NullAnchor);
        else
            out_.OnScalar(m, "?", YAML::NullAnchor, std::string(word));
        return true;
    }

    // -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][-+]?[0-9]+)?
    static bool json_number(std::string_view w) {
        std::size_t i = 0;
        auto digits = [&] {
            std::size_t from = i;
            while (i < w.size() && is_digit(w[i])) ++i;
            return i > from;
        };
        if (i < w.size() && w[i] == '-') ++i;
        if (i < w.size() && w[i] == '0')
            ++i;
        else if (!digits())
            return false;
        if (i < w.size() && w[i] == '.' && (++i, !digits())) return false;
        if (i < w.size() && (w[i] == 'e' || w[i] == 'E')) {
            ++i;
            if (i < w.size() && (w[i] == '-' || w[i] == '+')) ++i;
            if (!digits()) return false;
        }
        return i == w.size();
    }

    // A string at text_[at_] == '"', unescaped into `out`, ending after its closing quote.
    bool string(std::string& out) {
        for (++at_; at_ < text_.size(); ++at_) {
            auto c = static_cast<unsigned char>(text_[at_]);
            if (c == '"') {
                ++at_;
                return true;
            }
            if (c < 0x20) return false;  // JSON has none; yaml-cpp would fold a line break
            if (c != '\\') {
                out += static_cast<char>(c);
                continue;
            }
            if (++at_ >= text_.size()) return false;
            switch (text_[at_]) {
                case '"':
                    out += '"';
                    break;
                case '\\':
                    out += '\\';
                    break;
                case '/':
                    out += '/';
                    break;
                case 'b':
                    out += '\b';
                    break;
                case 'f':
                    out += '\f';
                    break;
                case 'n':
                    out += '\n';
                    break;
                case 'r':
                    out += '\r';
                    break;
                case 't':
                    out += '\t';
                    break;
                case 'u': {
                    unsigned cp = 0;
                    for (int k = 0; k < 4; ++k) {
                        if (++at_ >= text_.size()) return false;
                        char h = text_[at_];
                        int v = is_digit(h)              ? h - '0'
                                : (h >= 'a' && h <= 'f') ? h - 'a' + 10
                                : (h >= 'A' && h <= 'F') ? h - 'A' + 10
                                                         : -1;
                        if (v < 0) return false;
                        cp = cp * 16 + static_cast<unsigned>(v);
                    }
                    if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
                    if (cp < 0x80) {
                        out += static_cast<char>(cp);
                    } else if (cp < 0x800) {
                        out += static_cast<char>(0xC0 | (cp >> 6));
                        out += static_cast<char>(0x80 | (cp & 0x3F));
                    } else {
                        out += static_cast<char>(0xE0 | (cp >> 12));
                        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
                        out += static_cast<char>(0x80 | (cp & 0x3F));
                    }
                    break;
                }
                default:
                    return false;
            }
        }
        return false;
    }

    std::string_view text_;
    YAML::EventHandler& out_;
    std::size_t at_ = 0;
    int line_ = 0;
    std::size_t line_start_ = 0;
};

}  // namespace

bool read_json_events(std::string_view text, YAML::EventHandler& out) {
    return JsonEvents(text, out).run();
}

}  // namespace dossier::load
