// Test helper: Apache PDFBox Preflight 2.0 (Debian's libpdfbox2-java), the PDF/A-1b validator
// the suite runs on Dossier's output. scripts/setup.sh installs it for the test modes; where
// java or the jars are missing the tests that need it say so and skip.
#pragma once

#include <string>

#include "process.hpp"

namespace dossier::test {

inline const std::string kPreflightJars =
    "/usr/share/java/preflight.jar:/usr/share/java/pdfbox2.jar:/usr/share/java/fontbox2.jar:"
    "/usr/share/java/xmpbox.jar:/usr/share/java/commons-logging.jar:"
    "/usr/share/java/javax.activation.jar:/usr/share/java/jaxb-api.jar";

// Why Preflight cannot run here (empty when it can): java or one of the jars is missing.
inline std::string preflight_missing() {
    if (run("command -v java >/dev/null 2>&1").status != 0) {
        return "java (install default-jre-headless)";
    }
    std::string jars = kPreflightJars + ":";
    for (std::size_t start = 0, end; (end = jars.find(':', start)) != std::string::npos;
         start = end + 1) {
        const std::string jar = jars.substr(start, end - start);
        if (run("test -r " + jar).status != 0) {
            return jar + " (install libpdfbox2-java libactivation-java libjaxb-api-java)";
        }
    }
    return {};
}

// Runs Validator_A1b with `args`: one PDF file, or "batch DIR" for every file in DIR in one JVM
// (a JVM start is most of the half second a file takes). Output: one "The file NAME is a valid
// PDF/A-1b file" line per valid file, else the file's errors.
inline Run preflight(const std::string& args) {
    return run("java -cp " + kPreflightJars + " org.apache.pdfbox.preflight.Validator_A1b " + args);
}

}  // namespace dossier::test
