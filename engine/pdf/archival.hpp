// Private to engine/pdf: the parts of a PDF/A-1b file (ISO 19005-1, level B) that libharu does
// not write, or writes wrongly: the XMP metadata packet, the sRGB output intent, the CIDSet of
// each subset font and a document ID derived from the content. libharu's own PDF/A mode is not
// used: it writes XMP text without XML escaping and takes the ID from the clock (ctime(), which
// is not thread-safe either), so two renders would differ.
#pragma once

#include <hpdf.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/pages.hpp"

namespace dossier::pdf {

// The ICC profile embedded as the output intent's /DestOutputProfile: sRGB IEC 61966-2.1,
// version 2 (engine/pdf/profiles/README.md), compiled in by CMake.
std::string_view srgb_profile();

// `text` with &, <, >, " and ' as XML entities; C0 control characters other than tab, LF and CR
// (which XML 1.0 cannot carry at all) become spaces.
std::string xml_escape(std::string_view text);

// The XMP packet for the catalog's /Metadata: the same title (dc:title), author (dc:creator),
// subject (dc:description), keywords (pdf:Keywords), creator (xmp:CreatorTool), producer
// (pdf:Producer) and dates (xmp:CreateDate, xmp:ModifyDate: midnight UTC of info.date, as the
// Info dictionary has them) as the document information, each left out when empty there, and
// the claim pdfaid:part 1, pdfaid:conformance B. Every value XML-escaped; no padding.
std::string xmp_packet(const DocumentInfo& info, const std::string& producer);

// /CIDSet for a subset CIDFont whose codes are glyph ids: one bit per CID, most significant
// first, set for .notdef (always in the font program) and each of `glyphs`.
std::string cid_set(const std::vector<std::uint16_t>& glyphs);

// What archival.cpp needs of the writer: its checked libharu calls and stream writing (both
// report their failure as a diagnostic and return false).
class DocumentSteps {
  public:
    virtual bool check(HPDF_STATUS status, const std::string& doing) = 0;
    virtual bool check_object(const void* handle, const std::string& doing) = 0;
    // Deflates `data` when the document is compressed and `compressible`.
    virtual bool put_stream(HPDF_Dict stream, std::string_view data, const std::string& doing,
                            bool compressible) = 0;

  protected:
    ~DocumentSteps() = default;
};

// Adds the XMP stream (/Metadata, never compressed, so that archive tools that scan files for
// XMP packets find it) and the sRGB /OutputIntents to the catalog, and a placeholder /ID to the
// trailer, which fill_document_id() replaces once the file is saved.
bool add_archival_objects(HPDF_Doc doc, const DocumentInfo& info, const std::string& producer,
                          DocumentSteps& steps);

// Replaces the placeholder ID in the trailer of the saved file `pdf` by the MD5 of the whole
// file as saved with the placeholder (so the ID follows from the content and the output stays
// reproducible; both halves of the ID are equal, as for any newly created file). False when
// the placeholder is not there.
bool fill_document_id(std::string& pdf);

}  // namespace dossier::pdf
