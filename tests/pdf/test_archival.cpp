// The PDF/A-1b parts of the writer's output (pdf/archival.hpp): document ID, XMP metadata,
// output intent, CIDSets, the outline and link annotations as PDF/A wants them, and what
// Standard::none and a password leave out or refuse.
#include <catch2/catch.hpp>
#include <regex>
#include <string>
#include <vector>

#include "../support/preflight.hpp"
#include "pdf/pdf.hpp"
#include "pdf_tools.hpp"

using namespace dossier;
using namespace dossier::test_pdf;

namespace {

// The trailer's /ID as written, "<hex> <hex>"; empty when there is none.
std::string trailer_id(const std::string& pdf) {
    std::smatch m;
    const std::string tail = pdf.substr(pdf.rfind("trailer"));
    if (!std::regex_search(tail, m,
                           std::regex("/ID \\[ *(<[0-9A-Fa-f]+>) *(<[0-9A-Fa-f]+>) *\\]"))) {
        return {};
    }
    return m[1].str() + " " + m[2].str();
}

// The XMP packet (the metadata stream is never compressed, so it is in the bytes as is).
std::string xmp(const std::string& pdf) {
    const auto begin = pdf.find("<?xpacket begin=");
    const auto end = pdf.find("<?xpacket end=\"r\"?>");
    if (begin == std::string::npos || end == std::string::npos) return {};
    return pdf.substr(begin, end + 19 - begin);
}

// Whether every element of `xml` is closed in order and every & starts an entity: the
// well-formedness a generator can get wrong (Preflight's XMP parser checks the rest).
bool balanced(const std::string& xml) {
    std::vector<std::string> open;
    for (std::size_t i = 0; (i = xml.find('<', i)) != std::string::npos; ++i) {
        const auto close = xml.find('>', i);
        if (close == std::string::npos) return false;
        const std::string tag = xml.substr(i + 1, close - i - 1);
        if (tag[0] == '?' || tag.back() == '/') continue;
        const std::string name =
            tag.substr(tag[0] == '/', tag.find_first_of(" \n") - (tag[0] == '/'));
        if (tag[0] != '/') {
            open.push_back(name);
        } else {
            if (open.empty() || open.back() != name) return false;
            open.pop_back();
        }
    }
    return open.empty() && !std::regex_search(xml, std::regex("&(?!(amp|lt|gt|quot|apos);)"));
}

}  // namespace

TEST_CASE("the trailer has a document ID that follows from the content", "[pdf][pdfa]") {
    Diagnostics ds;
    const std::string a = pdf::write(sample(), {}, ds);
    const std::string b = pdf::write(sample(), {}, ds);
    Pages other = sample();
    other.info.title = "Another report";
    const std::string c = pdf::write(other, {}, ds);
    INFO(messages(ds));
    REQUIRE(ds.empty());
    const std::string id = trailer_id(a);
    REQUIRE(id.size() == 2 * 34 + 1);
    CHECK(id.substr(0, 34) == id.substr(35));          // both halves equal for a new file
    CHECK(id.find("<00000000") == std::string::npos);  // the placeholder was replaced
    CHECK(a == b);                                     // stable: the same bytes twice
    CHECK(trailer_id(c) != id);
    TempFile file(".pdf");
    save(a, file.path());
    const Result check = run("qpdf --check " + quote(file.path()) + " 2>&1");
    INFO(check.output);
    CHECK(check.exit_code == 0);
}

TEST_CASE("the XMP metadata is well formed and says what the document info says", "[pdf][pdfa]") {
    Pages pages = sample();
    pages.info.title = "Smith & Jones <report> \"quoted\" 'single'";
    TempFile file(".pdf");
    const std::string raw = slurp(write_ok(pages, file, {.compress = false, .password = {}}));
    const std::string packet = xmp(raw);
    INFO(packet);
    REQUIRE_FALSE(packet.empty());
    CHECK(balanced(packet));
    CHECK(contains(packet,
                   "<rdf:li xml:lang=\"x-default\">Smith &amp; Jones &lt;report&gt; "
                   "&quot;quoted&quot; &apos;single&apos;</rdf:li>"));
    CHECK(contains(packet, "<dc:creator><rdf:Seq><rdf:li>Dr A. Expert</rdf:li>"));
    CHECK(contains(packet, "<rdf:li xml:lang=\"x-default\">Country conditions</rdf:li>"));
    CHECK(contains(packet, "<pdf:Keywords>asylum, Tajikistan</pdf:Keywords>"));
    CHECK(contains(packet, "<xmp:CreatorTool>Dossier test</xmp:CreatorTool>"));
    CHECK(contains(packet, "<pdf:Producer>Dossier (libharu "));
    // The same instant as /CreationDate (D:20261120000000+00'00').
    CHECK(contains(packet, "<xmp:CreateDate>2026-11-20T00:00:00+00:00</xmp:CreateDate>"));
    CHECK(contains(packet, "<xmp:ModifyDate>2026-11-20T00:00:00+00:00</xmp:ModifyDate>"));
    CHECK(contains(packet, "<pdfaid:part>1</pdfaid:part>"));
    CHECK(contains(packet, "<pdfaid:conformance>B</pdfaid:conformance>"));
    const std::string flat = squeeze(qdf(file.path()));
    CHECK(contains(flat, "/Metadata "));
    CHECK(contains(flat, "/Subtype /XML /Type /Metadata"));

    Pages undated = sample();
    undated.info.date = {};
    undated.info.subject.clear();
    TempFile file2(".pdf");
    const std::string packet2 = xmp(slurp(write_ok(undated, file2)));
    CHECK(balanced(packet2));
    CHECK_FALSE(contains(packet2, "CreateDate"));
    CHECK_FALSE(contains(packet2, "dc:description"));
}

TEST_CASE("the output intent embeds the sRGB profile, and subset fonts list their CIDs",
          "[pdf][pdfa]") {
    TempFile file(".pdf");
    write_ok(sample(), file);
    const std::string raw = qdf(file.path());
    const std::string flat = squeeze(raw);
    CHECK(contains(flat, "/OutputIntents [ << /DestOutputProfile "));
    CHECK(contains(flat, "/OutputConditionIdentifier (sRGB IEC61966-2.1)"));
    CHECK(contains(flat, "/S /GTS_PDFA1 /Type /OutputIntent"));
    CHECK(contains(flat, "/N 3"));
    const std::string profile = slurp(DOSSIER_SOURCE_DIR "/engine/pdf/profiles/sRGB.icc");
    REQUIRE(profile.size() == 6922);
    CHECK(contains(raw, profile));  // qpdf --qdf writes the stream decompressed
    // Two faces are used, each with a CIDSet.
    std::size_t sets = 0;
    for (std::size_t at = 0; (at = flat.find("/CIDSet ", at)) != std::string::npos; ++at) ++sets;
    CHECK(sets == 2);
    CHECK(raw.rfind("%PDF-1.4", 0) == 0);
}

TEST_CASE("outline items have no /Type and direct destinations, links print and say what they are",
          "[pdf][pdfa]") {
    TempFile file(".pdf");
    write_ok(sample(), file);
    const std::string flat = squeeze(qdf(file.path()));
    // Only the outline's root is /Type /Outlines.
    std::size_t roots = 0;
    for (std::size_t at = 0; (at = flat.find("/Type /Outlines", at)) != std::string::npos; ++at) {
        ++roots;
    }
    CHECK(roots == 1);
    // Cover: page 1, at the top; a direct array.
    CHECK(std::regex_search(flat, std::regex("/Dest \\[ \\d+ 0 R /FitH 841.89")));
    CHECK(contains(flat, "/F 4"));
    // ASCII as a literal string; other text in UTF-16BE with its byte order mark.
    CHECK(contains(flat, "/Contents (https://example.org/report?id=1)"));
    CHECK(contains(flat, "/Contents (page 3)"));  // a hand-made link has no text
    Pages cyrillic = sample();
    cyrillic.pages[1].links[0].text = "Ҳуқуқ";
    TempFile file2(".pdf");
    write_ok(cyrillic, file2);
    CHECK(contains(squeeze(qdf(file2.path())), "/Contents <feff04b20443049b0443049b>"));
}

TEST_CASE("Standard::none writes a plain PDF without the archival parts", "[pdf][pdfa]") {
    TempFile file(".pdf");
    const std::string raw =
        slurp(write_ok(sample(), file, {.compress = false, .standard = pdf::Standard::none}));
    CHECK(trailer_id(raw).empty());
    CHECK_FALSE(contains(raw, "/OutputIntents"));
    CHECK_FALSE(contains(raw, "/Metadata"));
    CHECK_FALSE(contains(raw, "/CIDSet"));
    CHECK(contains(raw, "/F 4"));  // the corrections apply to every PDF
}

TEST_CASE("a password with PDF/A is refused, with Standard::none it encrypts", "[pdf][pdfa]") {
    Diagnostics ds;
    CHECK(pdf::write(sample(), {.password = "secret"}, ds).empty());
    CHECK(has_code(ds, "an encrypted report cannot be PDF/A"));
    Diagnostics ok;
    const std::string bytes =
        pdf::write(sample(), {.standard = pdf::Standard::none, .password = "secret"}, ok);
    INFO(messages(ok));
    CHECK(ok.empty());
    CHECK(contains(bytes, "/Encrypt"));
}

TEST_CASE("PDFBox Preflight accepts the sample document as PDF/A-1b", "[pdf][pdfa]") {
    if (const std::string missing = dossier::test::preflight_missing(); !missing.empty()) {
        WARN("skipped: PDFBox Preflight cannot run without " << missing);
        return;
    }
    TempFile file(".pdf");
    write_ok(sample(), file);
    const dossier::test::Run r = dossier::test::preflight(quote(file.path()));
    INFO(r.out);
    CHECK(r.status == 0);
    CHECK(contains(r.out, "is a valid PDF/A-1b file"));
}
