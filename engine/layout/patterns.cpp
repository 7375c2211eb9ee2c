#include "layout/patterns.hpp"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>

#include "model/file_bytes.hpp"

namespace dossier::layout {

struct PatternDictionary::Level {
    HyphenDict dict{};
    std::vector<HyphenState> states;
    std::vector<HyphenTrans> trans;  // every state's transitions, each state's together
    std::vector<char> matches;       // the states' match strings, each ending in a NUL
    std::string nohyphen;            // as libhyphen keeps it: the list with NULs for commas
};

namespace {

// libhyphen reads lines with fgets into buffers of these sizes (hyphen.h): a longer line would
// be split, which this reader leaves to libhyphen.
constexpr std::size_t kMaxLine = MAX_CHARS - 1;
constexpr std::size_t kMaxCharsetLine = MAX_NAME - 1;

bool starts_with(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

// Builds one level the way hnj_hyphen_load_line does: a state per prefix of each pattern's
// letters, numbered in the order libhyphen creates them (a new pattern's own state first, then
// its new prefixes, longest first), with each state's transitions in the order libhyphen adds
// them and the same fallback states. libhyphen finds states by hashing their strings; here
// they form a trie, found by following transitions. The arrays are reserved once for the most
// states the text can make, so they never move, and only the pages used are touched.
class LevelBuilder {
  public:
    // `letters`: at least the letters of all the lines to come; `lines`: their number.
    LevelBuilder(std::size_t letters, std::size_t lines) {
        root_.fill(-1);
        states_.reserve(letters + 1);
        nodes_.reserve(letters + 1);
        // A match is at most the line's letters plus one digit, and its NUL.
        matches_.reserve(letters + 2 * lines);
        add_state(-1, 0);
    }

    // One line as libhyphen's loader sees it, without its newline.
    void line(std::string_view buf, HyphenDict& dict) {
        auto number = [&](std::size_t skip) {
            return static_cast<char>(std::atoi(std::string(buf.substr(skip)).c_str()));
        };
        if (starts_with(buf, "LEFTHYPHENMIN"))
            dict.lhmin = number(13);
        else if (starts_with(buf, "RIGHTHYPHENMIN"))
            dict.rhmin = number(14);
        else if (starts_with(buf, "COMPOUNDLEFTHYPHENMIN"))
            dict.clhmin = number(21);
        else if (starts_with(buf, "COMPOUNDRIGHTHYPHENMIN"))
            dict.crhmin = number(22);
        else if (starts_with(buf, "NOHYPHEN"))
            nohyphen(buf.substr(8));
        else
            pattern(buf);
    }

    void finish(PatternDictionary::Level& out) {
        const std::size_t n = states_.size();
        // Each state's transitions, in the order libhyphen adds them: it adds every transition
        // just after making the state it comes from, and makes a pattern's new states from the
        // longest down, so transitions are added in the order of the states they lead to.
        for (std::size_t s = 1; s < n; ++s) ++states_[parent(s)].num_trans;
        out.trans.resize(n - 1);
        std::size_t at = 0;
        for (HyphenState& st : states_) {
            st.trans = st.num_trans ? out.trans.data() + at : nullptr;
            at += static_cast<std::size_t>(st.num_trans);
            st.num_trans = 0;
        }
        for (std::size_t s = 1; s < n; ++s) {
            HyphenState& from = states_[parent(s)];
            from.trans[from.num_trans++] = HyphenTrans{nodes_[s].ch, static_cast<int>(s)};
        }
        states_[0].fallback_state = -1;
        for (std::size_t s = 1; s < n; ++s) fallback(static_cast<int>(s));
        out.states = std::move(states_);
        out.matches = std::move(matches_);  // a vector's move keeps the match pointers valid
        out.dict.num_states = static_cast<int>(n);
        out.dict.states = out.states.data();
        out.nohyphen = std::move(nohyphen_);
        out.dict.nohyphen = nohyphen_set_ ? out.nohyphen.data() : nullptr;
        out.dict.nohyphenl = nohyphenl_;
    }

  private:
    // What the trie needs while building; the HyphenStates hold the rest.
    struct Node {
        int parent;
        int first_child = -1;   // the child made last
        int next_sibling = -1;  // the sibling made before this one
        char ch;                // on the transition from the parent
    };
    static constexpr int kUnknown = -2;  // fallback_state not worked out yet

    std::size_t parent(std::size_t s) const { return static_cast<std::size_t>(nodes_[s].parent); }

    int add_state(int parent, char ch) {
        HyphenState st{};
        st.fallback_state = kUnknown;
        states_.push_back(st);
        nodes_.push_back(Node{parent, -1, -1, ch});
        return static_cast<int>(states_.size() - 1);
    }

    // Makes `s` findable from its parent (which may have been made after it).
    void link(int s) {
        Node& node = nodes_[static_cast<std::size_t>(s)];
        if (node.parent == 0) {
            root_[static_cast<unsigned char>(node.ch)] = s;
        } else {
            Node& parent = nodes_[static_cast<std::size_t>(node.parent)];
            node.next_sibling = parent.first_child;
            parent.first_child = s;
        }
    }

    int child(int from, char ch) const {
        if (from == 0) return root_[static_cast<unsigned char>(ch)];
        for (int c = nodes_[static_cast<std::size_t>(from)].first_child; c >= 0;
             c = nodes_[static_cast<std::size_t>(c)].next_sibling)
            if (nodes_[static_cast<std::size_t>(c)].ch == ch) return c;
        return -1;
    }

    // The longest proper suffix of the state's string that is a state ("" being state 0), as
    // in Aho-Corasick: that of p + c is the first fallback of p, following fallbacks, with a
    // transition on c. Recursion only reaches shorter strings, so at most 98 deep.
    int fallback(int s) {
        HyphenState& st = states_[static_cast<std::size_t>(s)];
        if (st.fallback_state != kUnknown) return st.fallback_state;
        const Node& node = nodes_[static_cast<std::size_t>(s)];
        int f = 0;
        for (int t = node.parent == 0 ? -1 : fallback(node.parent); t >= 0; t = fallback(t))
            if (int c = child(t, node.ch); c >= 0) {
                f = c;
                break;
            }
        // states_ does not move (reserved), so `st` is still valid.
        st.fallback_state = f;
        return f;
    }

    void pattern(std::string_view buf) {
        // Letters go to the word, digits to the value between letters ("0" when absent).
        char word[MAX_CHARS + 1], digits[MAX_CHARS + 2];
        std::size_t len = 0;
        digits[0] = '0';
        for (std::size_t i = 0; i < buf.size() && static_cast<unsigned char>(buf[i]) > ' '; ++i) {
            if (buf[i] >= '0' && buf[i] <= '9') {
                digits[len] = buf[i];
            } else {
                word[len++] = buf[i];
                digits[len] = '0';
            }
        }
        // The longest prefix that is already a state.
        std::size_t known = 0;
        int s = 0;
        for (int c; known < len && (c = child(s, word[known])) >= 0; ++known) s = c;
        if (known < len) {
            // libhyphen numbers the new states longest first: the one of length l will be
            // base + len - l. Each is made with its parent's number known in advance.
            const int base = static_cast<int>(states_.size());
            for (std::size_t l = len; l > known; --l)
                add_state(l - 1 == known ? s : base + static_cast<int>(len - l) + 1, word[l - 1]);
            for (int t = base; t < static_cast<int>(states_.size()); ++t) link(t);
            s = base;
        }
        // Leading zeros dropped, as libhyphen stores it; a later line for the same letters
        // replaces the earlier one.
        std::string_view value(digits, len + 1);
        value.remove_prefix(std::min(value.find_first_not_of('0'), value.size()));
        HyphenState& st = states_[static_cast<std::size_t>(s)];
        st.match = matches_.data() + matches_.size();
        matches_.insert(matches_.end(), value.begin(), value.end());
        matches_.push_back('\0');
        st.replcut = static_cast<signed char>(len);
    }

    // libhyphen keeps the list after "NOHYPHEN" and its blanks, with each comma after the
    // first character turned into a NUL, and counts those commas.
    void nohyphen(std::string_view rest) {
        while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t'))
            rest.remove_prefix(1);
        nohyphen_.assign(rest);
        for (std::size_t i = nohyphen_.size(); i-- > 1;)
            if (nohyphen_[i] == ',') {
                nohyphen_[i] = '\0';
                ++nohyphenl_;
            }
        nohyphen_set_ = true;
    }

    std::array<int, 256> root_;  // state 0's children by character (it has the most)
    std::vector<HyphenState> states_;
    std::vector<Node> nodes_;
    std::vector<char> matches_;  // the match strings, each ending in a NUL
    std::string nohyphen_;
    bool nohyphen_set_ = false;
    int nohyphenl_ = 0;
};

}  // namespace

PatternDictionary::PatternDictionary() = default;

PatternDictionary::~PatternDictionary() {
    if (libhyphen_) hnj_hyphen_free(libhyphen_);
}

HyphenDict* PatternDictionary::dict() const { return libhyphen_ ? libhyphen_ : &compound_->dict; }

std::unique_ptr<PatternDictionary> PatternDictionary::parse(std::string_view text) {
    if (text.empty() || text.find('\0') != std::string_view::npos) return nullptr;
    // Calls `f` with each line as fgets returns it, without the newline; stops at the first
    // for which it returns false.
    auto each_line = [&](auto f) {
        for (std::size_t at = 0, number = 0; at < text.size(); ++number) {
            std::size_t end = std::min(text.find('\n', at), text.size());
            if (!f(number, text.substr(at, end - at), end + 1 - at)) return false;
            at = end + 1;
        }
        return true;
    };
    // What this reader leaves to libhyphen, and an upper bound on the letters.
    std::size_t letters = 0, lines = 0;
    bool plain = each_line([&](std::size_t number, std::string_view l, std::size_t bytes) {
        if (bytes > (number == 0 ? kMaxCharsetLine : kMaxLine)) return false;
        if (number > 0 && (l.find('/') != std::string_view::npos || starts_with(l, "NEXTLEVEL") ||
                           starts_with(l, "NOHYPHEN")))
            return false;
        letters += l.size();
        ++lines;
        return true;
    });
    if (!plain) return nullptr;

    auto out = std::unique_ptr<PatternDictionary>(new PatternDictionary());
    out->patterns_ = std::make_unique<Level>();
    out->compound_ = std::make_unique<Level>();
    HyphenDict& base = out->patterns_->dict;
    HyphenDict& top = out->compound_->dict;

    LevelBuilder patterns(letters, lines);
    each_line([&](std::size_t number, std::string_view l, std::size_t) {
        if (number == 0) {
            // The character set; libhyphen blanks out its CR and LF.
            std::memcpy(base.cset, l.data(), l.size());
            for (char& c : base.cset)
                if (c == '\r') c = '\0';
            base.utf8 = std::strcmp(base.cset, "UTF-8") == 0;
        } else if (l.empty() || l[0] != '%') {
            patterns.line(l, base);
        }
        return true;
    });
    patterns.finish(*out->patterns_);

    // The default compound level, as hnj_hyphen_load_file adds it when there is no NEXTLEVEL:
    // words break at hyphens, apostrophes and (in UTF-8) en dashes, which are kept.
    std::vector<std::string_view> defaults;
    if (base.utf8)
        defaults = {"NOHYPHEN ',\u2013,\u2019,-", "1-1", "1'1", "1\u20131", "1\u20191"};
    else
        defaults = {"NOHYPHEN ',-", "1-1", "1'1"};
    LevelBuilder compound(64, defaults.size());
    for (std::string_view l : defaults) compound.line(l, top);
    compound.finish(*out->compound_);
    std::memcpy(top.cset, base.cset, sizeof top.cset);
    top.cset[MAX_NAME - 1] = '\0';
    top.utf8 = base.utf8;
    top.nextlevel = &base;
    top.lhmin = base.lhmin;
    top.rhmin = base.rhmin;
    top.clhmin = base.clhmin ? base.clhmin : base.lhmin ? base.lhmin : 3;
    top.crhmin = base.crhmin ? base.crhmin : base.rhmin ? base.rhmin : 3;
    return out;
}

std::unique_ptr<PatternDictionary> PatternDictionary::load(const std::string& path) {
    FileBytes file(path);
    // hnj_hyphen_load would print to stderr on a missing file.
    if (!file.opened()) return nullptr;
    if (auto dict = parse(file.bytes())) return dict;
    HyphenDict* d = hnj_hyphen_load(path.c_str());
    if (!d) return nullptr;
    auto out = std::unique_ptr<PatternDictionary>(new PatternDictionary());
    out->libhyphen_ = d;
    return out;
}

}  // namespace dossier::layout
