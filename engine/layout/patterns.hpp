// Private to engine/layout: libhyphen dictionaries read by our own loader. hnj_hyphen_load
// spends about 38 M instructions (10-30 ms) on one dictionary, mostly allocating: a 250 KB hash
// table per level, a string and a growing array per state, and freeing them all again. This
// reader builds the same states, numbered the same way, into a few flat arrays (12 M
// instructions, less than half the memory touched); libhyphen still does the hyphenating
// (hnj_hyphen_hyphenate2), on a HyphenDict that is the same as its own loader's.
#pragma once

#include <hyphen.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace dossier::layout {

// One parsed .dic file: the two levels hnj_hyphen_load makes (the default compound level,
// which keeps hyphens and apostrophes, in front of the file's patterns). Owns its memory; the
// HyphenDict is only read while hyphenating, so one dictionary may serve many threads.
class PatternDictionary {
  public:
    // Reads the file at `path`. nullptr when it cannot be read or libhyphen cannot parse it.
    static std::unique_ptr<PatternDictionary> load(const std::string& path);
    // Builds the dictionary from the text of a .dic file. nullptr when the text uses something
    // this reader leaves to libhyphen's loader (NEXTLEVEL, NOHYPHEN, non-standard "/"
    // replacements, lines longer than libhyphen's line buffers, NUL bytes, an empty file);
    // load() then uses that loader.
    static std::unique_ptr<PatternDictionary> parse(std::string_view text);

    ~PatternDictionary();
    PatternDictionary(const PatternDictionary&) = delete;
    PatternDictionary& operator=(const PatternDictionary&) = delete;

    // For hnj_hyphen_hyphenate2; valid as long as this object.
    HyphenDict* dict() const;

    struct Level;  // private: one HyphenDict and the arrays it points into

  private:
    PatternDictionary();
    std::unique_ptr<Level> patterns_, compound_;
    HyphenDict* libhyphen_ = nullptr;  // when libhyphen's own loader read the file
};

}  // namespace dossier::layout
