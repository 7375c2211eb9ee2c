// Hyphenation: finding and loading libhyphen dictionaries, and the points of a word.
#include <algorithm>
#include <cstdlib>
#include <mutex>
#include <optional>

#include "layout/paragraph.hpp"

namespace dossier::layout {

// Hyphenation points of a lowercase word (characters before each point), unfiltered.
std::vector<int> dictionary_points(HyphenDict* dict, const std::u32string& word) {
    std::vector<int> points;
    if (!dict || word.empty() || word.size() > 60) return points;
    std::string utf8;
    std::vector<int> char_at_byte;  // byte index -> index of the character it ends, or -1
    for (std::size_t i = 0; i < word.size(); ++i) {
        append_utf8(utf8, word[i]);
        char_at_byte.resize(utf8.size(), -1);
        char_at_byte[utf8.size() - 1] = static_cast<int>(i);
    }
    std::vector<char> hyphens(utf8.size() + 5, '0');
    char** rep = nullptr;
    int* pos = nullptr;
    int* cut = nullptr;
    int failed = hnj_hyphen_hyphenate2(dict, utf8.c_str(), static_cast<int>(utf8.size()),
                                       hyphens.data(), nullptr, &rep, &pos, &cut);
    if (rep) {
        for (std::size_t i = 0; i < utf8.size(); ++i) std::free(rep[i]);
        std::free(rep);
    }
    std::free(pos);
    std::free(cut);
    if (failed) return points;
    for (std::size_t b = 0; b + 1 < utf8.size(); ++b)
        if ((hyphens[b] - '0') % 2 == 1 && char_at_byte[b] >= 0)
            points.push_back(char_at_byte[b] + 1);
    return points;
}

std::string hyphenation_dictionary(const std::string& dir, const std::string& language) {
    // Only British and American patterns are bundled with the system; every other language
    // (the report language is English today) falls back to the American ones.
    std::string tag = language;
    std::replace(tag.begin(), tag.end(), '_', '-');
    bool gb =
        tag.size() >= 5 && (tag.compare(0, 5, "en-GB") == 0 || tag.compare(0, 5, "en-gb") == 0);
    return dir + (gb ? "/hyph_en_GB.dic" : "/hyph_en_US.dic");
}

struct HyphenationPatterns::Lazy {
    std::once_flag once;
    DictPtr dictionary;
};

HyphenationPatterns::HyphenationPatterns(std::string path)
    : path_(std::move(path)), lazy_(std::make_shared<Lazy>()) {}

void* HyphenationPatterns::get() const {
    std::call_once(lazy_->once, [this] { lazy_->dictionary = load_dictionary(path_); });
    return dict_of(lazy_->dictionary);
}

void prepare_hyphenation(const FontSet& fonts, const std::string& language,
                         const Options& options) noexcept {
    if (!options.hyphenate) return;
    try {
        // The dictionary Typesetter::Impl::dictionary() will look for.
        std::string path = hyphenation_dictionary(options.hyphen_dir, language);
        for (const auto& patterns : fonts.hyphenation)
            if (patterns.path() == path) patterns.get();
    } catch (...) {
        // std::bad_alloc: layout() tries again, and reports it.
    }
}

std::optional<HyphenationPatterns> find_hyphenation(const std::string& path) {
    std::FILE* probe = std::fopen(path.c_str(), "rb");
    if (!probe) return std::nullopt;
    std::fclose(probe);
    return HyphenationPatterns(path);
}

std::vector<int> hyphenation_points(const std::string& dictionary, const std::string& word) {
    DictPtr dict = load_dictionary(dictionary);
    return dictionary_points(dict_of(dict), decode_utf8(word));
}

}  // namespace dossier::layout
