// The real examples typeset in-process (load, select, compose, layout), for tests that check
// the display list of every example.
#pragma once

#include <string>
#include <vector>

#include "layout/layout.hpp"

namespace dossier::layout::test {

// The sizes that follow the document's body size (11 on 14.5 by default; compose sets 12 on 18
// for the First-tier Tribunal): footnotes 2 pt smaller, section headings 2 pt larger.
struct Type {
    Unit body = 11000, leading = 14500, note = 9000, section = 13000;
};

struct Rendered {
    std::string name;
    Type type;
    Pages pages;
    Diagnostics diagnostics;
    std::string jurisdiction;
    int permission_pages = 0;  // appeal.permission_to_exceed.pages; 0 = none
};

Rendered render(const std::string& case_path, const FontSet& fonts);

// examples/*.yaml, sorted.
std::vector<std::string> example_paths();

}  // namespace dossier::layout::test
