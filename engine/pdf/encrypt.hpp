// Private to engine/pdf: AES-256 encryption of finished PDF bytes with libqpdf (libharu can
// only do RC4, which no longer protects anything).
#pragma once

#include <string>

#include "model/diagnostic.hpp"

namespace dossier::pdf {

// Returns `pdf` encrypted with AES-256 (PDF 2.0 security handler, revision 6) so that it
// opens only with `password`; permissions are all granted to whoever can open it. The salts
// are random, so two encryptions of the same bytes differ. On failure appends a diagnostic
// and returns an empty string.
std::string encrypt_aes256(const std::string& pdf, const std::string& password,
                           Diagnostics& diagnostics);

}  // namespace dossier::pdf
