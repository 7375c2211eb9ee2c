// The body size a document asks for, and the sizes that follow it.
#include <cmath>
#include <cstdio>
#include <string>

#include "layout/flow.hpp"

namespace dossier::layout {

namespace {

Unit units(double points) { return static_cast<Unit>(std::lround(points * 1000)); }

// `leading` scaled by num/den, rounded to the nearest unit (exact at the default 14.5 pt).
Unit scaled(Unit leading, int num, int den) {
    return static_cast<Unit>((std::int64_t{leading} * num + den / 2) / den);
}

std::string points(double v) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%g", v);
    return buffer;
}

}  // namespace

TypeScale type_scale(const Document& doc, Diagnostics& diagnostics) {
    TypeScale t;
    const double size = doc.body_size, leading = doc.body_leading;
    if (!std::isfinite(size) || !std::isfinite(leading) || size < 8 || size > 20 ||
        leading < size || leading > 2.5 * size) {
        error(diagnostics, {}, "layout.type-size",
              "body text of " + points(size) + " pt on " + points(leading) + " pt cannot be set",
              {"The body size must be 8 to 20 pt and the leading (baseline to baseline) from "
               "the size to 2.5 times it; 11 on 14.5 is used instead."});
        return t;
    }
    t.body_size = units(size);
    t.body_leading = units(leading);
    // Ratios of the default 11 on 14.5: quote 10.5 on 13.5, source 10 on 12.5, section
    // headings 13 on 16, footnotes 9 on 11.
    t.quote_size = t.body_size - 500;
    t.quote_leading = scaled(t.body_leading, 135, 145);
    t.source_size = t.body_size - 1000;
    t.source_leading = scaled(t.body_leading, 125, 145);
    t.section_size = t.body_size + 2000;
    t.section_leading = scaled(t.body_leading, 160, 145);
    t.note_size = t.body_size - 2000;
    t.note_leading = scaled(t.note_size, 11, 9);
    return t;
}

}  // namespace dossier::layout
