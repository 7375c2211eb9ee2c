#include "pdf/encrypt.hpp"

// qpdf 11: opt out of the deprecated PointerHolder API (we use std::shared_ptr).
#define POINTERHOLDER_TRANSITION 4
#include <exception>
#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFWriter.hh>

namespace dossier::pdf {

std::string encrypt_aes256(const std::string& pdf, const std::string& password,
                           Diagnostics& diagnostics) {
    try {
        QPDF in;
        in.setSuppressWarnings(true);
        in.processMemoryFile("report.pdf", pdf.data(), pdf.size());
        QPDFWriter out(in);
        out.setOutputMemory();
        // The owner password equals the user password: whoever may open the report may also
        // print and copy from it; the point is confidentiality in transit and at rest.
        out.setR6EncryptionParameters(password.c_str(), password.c_str(), true, true, true, true,
                                      true, true, qpdf_r3p_full, true);
        out.write();
        std::shared_ptr<Buffer> buffer = out.getBufferSharedPointer();
        return std::string(reinterpret_cast<const char*>(buffer->getBuffer()), buffer->getSize());
    } catch (const std::exception& e) {
        error(diagnostics, {}, "pdf.encrypt", std::string("cannot encrypt the PDF: ") + e.what());
        return {};
    }
}

}  // namespace dossier::pdf
