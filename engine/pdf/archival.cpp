#include "pdf/archival.hpp"

// hpdf_doc.h and hpdf_objects.h are libharu's internal headers (installed with libhpdf-dev):
// the catalog and trailer dictionaries are reached through the document record.
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <nettle/md5.h>

#include <algorithm>
#include <cstdio>

namespace dossier::pdf {
namespace {

// The placeholder written as each half of the trailer's /ID: 16 zero bytes, which libharu
// writes as 32 hex digits between angle brackets.
constexpr std::size_t kIdBytes = 16;
const std::string kIdPlaceholder = "<" + std::string(2 * kIdBytes, '0') + ">";

// The instant libharu writes into /CreationDate and /ModDate (D:YYYYMMDD000000+00'00') in XMP's
// form: the same instant, which PDF/A requires of the two.
std::string xmp_date(const Date& date) {
    char text[40];
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT00:00:00+00:00", date.year, date.month,
                  date.day);
    return text;
}

void element(std::string& out, const char* name, const std::string& value) {
    if (value.empty()) return;
    out += "   <";
    out += name;
    out += '>';
    out += xml_escape(value);
    out += "</";
    out += name;
    out += ">\n";
}

// dc:title and dc:description are language alternatives; the report's language is not known
// here, so the value is the default one.
void alternative(std::string& out, const char* name, const std::string& value) {
    if (value.empty()) return;
    out += "   <";
    out += name;
    out += "><rdf:Alt><rdf:li xml:lang=\"x-default\">";
    out += xml_escape(value);
    out += "</rdf:li></rdf:Alt></";
    out += name;
    out += ">\n";
}

// Two equal halves of placeholder bytes; fill_document_id() writes the real ID over them.
bool add_id_placeholder(HPDF_Doc doc, DocumentSteps& steps) {
    const std::string doing = "adding the document ID";
    HPDF_BYTE zeros[kIdBytes] = {};
    HPDF_Array id = HPDF_Array_New(doc->mmgr);
    return steps.check_object(id, doing) &&
           steps.check(HPDF_Array_Add(id, HPDF_Binary_New(doc->mmgr, zeros, kIdBytes)), doing) &&
           steps.check(HPDF_Array_Add(id, HPDF_Binary_New(doc->mmgr, zeros, kIdBytes)), doing) &&
           steps.check(HPDF_Dict_Add(doc->trailer, "ID", id), doing);
}

}  // namespace

std::string xml_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&apos;";
                break;
            default:
                if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                    out += ' ';
                } else {
                    out += c;
                }
        }
    }
    return out;
}

std::string xmp_packet(const DocumentInfo& info, const std::string& producer) {
    // The byte order mark in begin="" is part of the packet header XMP prescribes; PDF/A
    // forbids the header's bytes= and encoding= attributes, so there are none.
    std::string out =
        "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
        "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
        " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
        "  <rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
        "   <dc:format>application/pdf</dc:format>\n";
    alternative(out, "dc:title", info.title);
    if (!info.author.empty()) {
        out += "   <dc:creator><rdf:Seq><rdf:li>" + xml_escape(info.author) +
               "</rdf:li></rdf:Seq></dc:creator>\n";
    }
    alternative(out, "dc:description", info.subject);
    out +=
        "  </rdf:Description>\n"
        "  <rdf:Description rdf:about=\"\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\n";
    element(out, "xmp:CreatorTool", info.creator);
    if (info.date.year != 0) {
        element(out, "xmp:CreateDate", xmp_date(info.date));
        element(out, "xmp:ModifyDate", xmp_date(info.date));
    }
    out +=
        "  </rdf:Description>\n"
        "  <rdf:Description rdf:about=\"\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n";
    element(out, "pdf:Producer", producer);
    element(out, "pdf:Keywords", info.keywords);
    out +=
        "  </rdf:Description>\n"
        "  <rdf:Description rdf:about=\"\" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n"
        "   <pdfaid:part>1</pdfaid:part>\n"
        "   <pdfaid:conformance>B</pdfaid:conformance>\n"
        "  </rdf:Description>\n"
        " </rdf:RDF>\n"
        "</x:xmpmeta>\n"
        "<?xpacket end=\"r\"?>";
    return out;
}

std::string cid_set(const std::vector<std::uint16_t>& glyphs) {
    std::uint16_t last = 0;
    for (std::uint16_t g : glyphs) last = std::max(last, g);
    std::string bits(last / 8u + 1u, '\0');
    const auto set = [&](std::uint16_t g) {
        bits[g / 8u] =
            static_cast<char>(static_cast<unsigned char>(bits[g / 8u]) | (0x80u >> (g % 8u)));
    };
    set(0);
    for (std::uint16_t g : glyphs) set(g);
    return bits;
}

bool add_archival_objects(HPDF_Doc doc, const DocumentInfo& info, const std::string& producer,
                          DocumentSteps& steps) {
    HPDF_MMgr mmgr = doc->mmgr;
    HPDF_Xref xref = doc->xref;

    std::string doing = "adding the XMP metadata";
    HPDF_Dict metadata = HPDF_DictStream_New(mmgr, xref);
    if (!steps.check_object(metadata, doing) ||
        !steps.check(HPDF_Dict_AddName(metadata, "Type", "Metadata"), doing) ||
        !steps.check(HPDF_Dict_AddName(metadata, "Subtype", "XML"), doing) ||
        !steps.put_stream(metadata, xmp_packet(info, producer), doing, false) ||
        !steps.check(HPDF_Dict_Add(doc->catalog, "Metadata", metadata), doing)) {
        return false;
    }

    // The output intent says what DeviceGray means, which makes the gray of text and rules
    // device-independent (ISO 19005-1, 6.2.3.3).
    doing = "adding the sRGB output intent";
    const char* condition = "sRGB IEC61966-2.1";
    HPDF_Dict profile = HPDF_DictStream_New(mmgr, xref);
    HPDF_Dict intent = HPDF_Dict_New(mmgr);
    HPDF_Array intents = HPDF_Array_New(mmgr);
    return steps.check_object(profile, doing) &&
           steps.check(HPDF_Dict_AddNumber(profile, "N", 3), doing) &&
           steps.put_stream(profile, srgb_profile(), doing, true) &&
           steps.check_object(intent, doing) && steps.check_object(intents, doing) &&
           steps.check(HPDF_Dict_AddName(intent, "Type", "OutputIntent"), doing) &&
           steps.check(HPDF_Dict_AddName(intent, "S", "GTS_PDFA1"), doing) &&
           steps.check(HPDF_Dict_Add(intent, "OutputConditionIdentifier",
                                     HPDF_String_New(mmgr, condition, nullptr)),
                       doing) &&
           steps.check(HPDF_Dict_Add(intent, "Info", HPDF_String_New(mmgr, condition, nullptr)),
                       doing) &&
           steps.check(HPDF_Dict_Add(intent, "RegistryName",
                                     HPDF_String_New(mmgr, "http://www.color.org", nullptr)),
                       doing) &&
           steps.check(HPDF_Dict_Add(intent, "DestOutputProfile", profile), doing) &&
           steps.check(HPDF_Array_Add(intents, intent), doing) &&
           steps.check(HPDF_Dict_Add(doc->catalog, "OutputIntents", intents), doing) &&
           add_id_placeholder(doc, steps);
}

bool fill_document_id(std::string& pdf) {
    const std::size_t trailer = pdf.rfind("trailer");
    if (trailer == std::string::npos) return false;
    const std::size_t first = pdf.find(kIdPlaceholder, trailer);
    if (first == std::string::npos) return false;
    const std::size_t second = pdf.find(kIdPlaceholder, first + kIdPlaceholder.size());
    if (second == std::string::npos) return false;
    md5_ctx md5;
    md5_init(&md5);
    md5_update(&md5, pdf.size(), reinterpret_cast<const std::uint8_t*>(pdf.data()));
    std::uint8_t digest[MD5_DIGEST_SIZE];
    md5_digest(&md5, sizeof digest, digest);
    static_assert(sizeof digest == kIdBytes);
    static constexpr char kHex[] = "0123456789ABCDEF";
    for (std::size_t i = 0; i < kIdBytes; ++i) {
        for (const std::size_t at : {first + 1, second + 1}) {
            pdf[at + 2 * i] = kHex[digest[i] >> 4];
            pdf[at + 2 * i + 1] = kHex[digest[i] & 0xF];
        }
    }
    return true;
}

}  // namespace dossier::pdf
