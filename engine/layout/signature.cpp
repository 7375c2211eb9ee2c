// The signature block: a picture of the expert's signature, or a line to sign on.
#include <algorithm>
#include <string>

#include "layout/flow.hpp"
#include "layout/png_size.hpp"

namespace dossier::layout {

namespace {

// The box a signature fits in: about a handwritten signature's size on paper, and wide enough
// for a scanned one on a white strip. The rule to sign on spans the box's width.
constexpr Unit kBoxWidth = 200 * kPoint, kBoxHeight = 40 * kPoint;
constexpr Unit kRule = 500;  // 0.5 pt, the weight of the footnote rule

// `w` x `h` pixels scaled to fit the box, aspect ratio kept (rounded to units, at least 1).
std::pair<Unit, Unit> fit(std::uint32_t w, std::uint32_t h) {
    const std::int64_t pw = w, ph = h;
    // Wider than the box's 5:1: the width is the limit.
    if (pw * kBoxHeight > ph * kBoxWidth) {
        return {kBoxWidth, static_cast<Unit>(std::max<std::int64_t>(
                               1, (std::int64_t{kBoxWidth} * ph + pw / 2) / pw))};
    }
    return {
        static_cast<Unit>(std::max<std::int64_t>(1, (std::int64_t{kBoxHeight} * pw + ph / 2) / ph)),
        kBoxHeight};
}

}  // namespace

FlowLine signature_line(const Block& block, Unit left, Diagnostics& diagnostics) {
    FlowLine line;
    line.height = kBoxHeight;
    line.ascent = 0;  // no text: the "baseline" is the top of the box
    if (!block.image.empty()) {
        std::string problem;
        if (auto size = read_png_size(block.image, problem)) {
            const auto [width, height] = fit(size->width, size->height);
            line.images.push_back({block.image, left, kBoxHeight - height, width, height});
            return line;
        }
        // The span is the image file itself: Block carries no position of the case-file line
        // that named it.
        error(diagnostics, {block.image, 0, 0}, "layout.signature",
              "the signature image '" + block.image + "' cannot be used: " + problem,
              {"Give a PNG file of the signature, or no image to leave a line to sign on."});
    }
    line.rules.push_back({left, kBoxHeight - kRule, kBoxWidth, kRule, 0});
    return line;
}

}  // namespace dossier::layout
