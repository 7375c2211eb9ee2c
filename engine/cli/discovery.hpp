// Which files a batch renders: case files named on the command line, and the case files found
// by reading every YAML file in the folders named, with a reason for every file passed over.
#pragma once

#include <string>
#include <vector>

#include "model/diagnostic.hpp"

namespace dossier::cli {

struct SkippedFile {
    std::string file;    // as found, e.g. "cases/experts/example-expert.yaml"
    std::string reason;  // e.g. "not a case file (no top-level dossier key)"
    // Worth a warning rather than a note: a YAML file that does not parse (it may be a case
    // someone broke) or one too large to be a case.
    bool warning = false;
};

struct Discovery {
    // Lexically normal paths, sorted and without duplicates, so that every process (and every
    // shard) sees the same list.
    std::vector<std::string> cases;
    // Every file in the folders that is not taken, sorted by path. Expert profiles and other
    // files beside the cases are expected here: batch prints these as notes.
    std::vector<SkippedFile> skipped;
    // Errors only: an argument that does not exist, a folder or YAML file that cannot be read
    // (with the errno text): a case may have been missed, though the rest still run.
    Diagnostics diagnostics;
    bool missing_argument = false;  // an argument names nothing: the run must not start
};

// Files are taken as given. Folders are searched recursively (symbolic links to folders are
// not followed, so a loop cannot make the search endless; links to files are). A file found
// there is a case when its name ends in .yaml or .yml in any letter case and it is a YAML
// map with a top-level `dossier` key, however quoted, a UTF-8 byte order mark allowed; a file
// that does not parse is a case when a line starts with that key (the render then reports
// the syntax error). `exclude` (the output folder, if it is inside an input) is not searched.
Discovery find_cases(const std::vector<std::string>& inputs, const std::string& exclude);

// Whether `text`, a YAML file's bytes, is a case file; when it is not, `reason` says why, and
// `unparsed` is set when the text is not valid YAML (reason then quotes the parser).
bool is_case_text(std::string text, std::string& reason, bool& unparsed);

}  // namespace dossier::cli
