// Private to engine/load: a fast path for the schemas, which are plain JSON.
#pragma once

#include <yaml-cpp/eventhandler.h>

#include <string_view>

namespace dossier::load {

// Feeds a YAML::EventHandler the events yaml-cpp's parser gives for `text` when it is plain
// JSON, with the same marks (each at its token's first byte: the quote of a string, the
// bracket of a collection), so that a Builder makes the same Value tree: 2 M instructions for
// the five schema files where yaml-cpp spends 12 M. Returns true once the whole document was
// fed, false for anything it does not know yaml-cpp to read the same way (invalid JSON, tabs
// and carriage returns, a key and its colon on different lines, surrogate and NUL escapes, very
// long keys): the caller then discards what it got and asks yaml-cpp. Exceptions the handler
// throws pass through.
bool read_json_events(std::string_view text, YAML::EventHandler& out);

}  // namespace dossier::load
