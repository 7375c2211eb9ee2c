// Shared by the fuzz targets: where the source tree's data is, and a private scratch folder
// for inputs that the engine reads from a file. Every target is a plain
// LLVMFuzzerTestOneInput, linked either with libFuzzer (clang, DOSSIER_FUZZ) or with
// seed_driver.cpp (any compiler), which replays the seed corpus as an ordinary test.
#pragma once

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "model/diagnostic.hpp"
#include "model/value.hpp"

namespace dossier::fuzz {

// The checkout: schemas/, clauses/, fonts/, examples/.
inline std::string source_dir() {
    if (const char* d = std::getenv("DOSSIER_DATA_DIR"); d && *d) return d;
    return DOSSIER_SOURCE_DIR;
}

// A fixed report date, so runs do not depend on the day.
inline Date fixed_today() { return Date{2026, 11, 20}; }

// A scratch folder for this process (removed at exit), holding copies of the expert profiles
// that the seeds name by relative path (experts/...).
class Scratch {
  public:
    Scratch() {
        namespace fs = std::filesystem;
        std::string tmpl = (fs::temp_directory_path() / "dossier-fuzz-XXXXXX").string();
        if (!mkdtemp(tmpl.data())) std::abort();
        dir_ = tmpl;
        fs::create_directories(dir_ / "experts");
        for (const char* from : {"examples/experts", "tests/bad-inputs/experts"}) {
            std::error_code ec;
            for (const auto& e : fs::directory_iterator(fs::path(source_dir()) / from, ec))
                fs::copy_file(e.path(), dir_ / "experts" / e.path().filename(),
                              fs::copy_options::overwrite_existing, ec);
        }
    }
    ~Scratch() {
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }
    Scratch(const Scratch&) = delete;
    Scratch& operator=(const Scratch&) = delete;

    // Writes `data` to `<scratch>/<name>` and returns its path.
    std::string write(const std::string& name, const std::uint8_t* data, std::size_t size) {
        std::string path = (dir_ / name).string();
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
        if (!out) std::abort();
        return path;
    }

  private:
    std::filesystem::path dir_;
};

}  // namespace dossier::fuzz
