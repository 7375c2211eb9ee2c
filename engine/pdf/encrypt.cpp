#include "pdf/encrypt.hpp"

// libqpdf is loaded when a report is encrypted, not when the program starts: linking it pulls
// in GnuTLS and eight more shared libraries whose loading and relocation took about 9 ms of
// every process start on the benchmark machine, for a feature most renders do not use. The
// header is used for the C API's types only; each function is looked up with dlsym.
#include <dlfcn.h>
#include <qpdf/qpdf-c.h>

#include <mutex>

namespace dossier::pdf {
namespace {

// The library's C entry points, resolved once per process (std::call_once: render and batch
// worker threads may encrypt at the same time). dlopen's handle is never closed: the process
// may encrypt again, and unloading C++ libraries at exit is a known source of crashes.
struct QpdfApi {
    decltype(&qpdf_init) init = nullptr;
    decltype(&qpdf_cleanup) cleanup = nullptr;
    decltype(&qpdf_silence_errors) silence_errors = nullptr;
    decltype(&qpdf_set_suppress_warnings) suppress_warnings = nullptr;
    decltype(&qpdf_read_memory) read_memory = nullptr;
    decltype(&qpdf_init_write_memory) init_write_memory = nullptr;
    decltype(&qpdf_set_r6_encryption_parameters2) set_r6 = nullptr;
    decltype(&qpdf_write) write = nullptr;
    decltype(&qpdf_get_buffer_length) buffer_length = nullptr;
    decltype(&qpdf_get_buffer) buffer = nullptr;
    decltype(&qpdf_has_error) has_error = nullptr;
    decltype(&qpdf_get_error) get_error = nullptr;
    decltype(&qpdf_get_error_full_text) error_text = nullptr;
    std::string problem;  // why the API is unusable; empty when every entry point was found
};

template <typename F>
bool resolve(void* library, const char* name, F& slot, std::string& problem) {
    slot = reinterpret_cast<F>(::dlsym(library, name));
    if (slot == nullptr && problem.empty()) problem = std::string("libqpdf lacks ") + name;
    return slot != nullptr;
}

QpdfApi load_api() {
    QpdfApi api;
    // The soname of Debian 12's libqpdf29, then the development symlink for other versions
    // with the same C API.
    void* library = nullptr;
    for (const char* name : {"libqpdf.so.29", "libqpdf.so"}) {
        library = ::dlopen(name, RTLD_NOW | RTLD_LOCAL);
        if (library != nullptr) break;
    }
    if (library == nullptr) {
        const char* why = ::dlerror();
        api.problem = std::string("libqpdf could not be loaded (install the libqpdf29 package)") +
                      (why != nullptr ? std::string(": ") + why : std::string());
        return api;
    }
    std::string& p = api.problem;
    resolve(library, "qpdf_init", api.init, p);
    resolve(library, "qpdf_cleanup", api.cleanup, p);
    resolve(library, "qpdf_silence_errors", api.silence_errors, p);
    resolve(library, "qpdf_set_suppress_warnings", api.suppress_warnings, p);
    resolve(library, "qpdf_read_memory", api.read_memory, p);
    resolve(library, "qpdf_init_write_memory", api.init_write_memory, p);
    resolve(library, "qpdf_set_r6_encryption_parameters2", api.set_r6, p);
    resolve(library, "qpdf_write", api.write, p);
    resolve(library, "qpdf_get_buffer_length", api.buffer_length, p);
    resolve(library, "qpdf_get_buffer", api.buffer, p);
    resolve(library, "qpdf_has_error", api.has_error, p);
    resolve(library, "qpdf_get_error", api.get_error, p);
    resolve(library, "qpdf_get_error_full_text", api.error_text, p);
    return api;
}

const QpdfApi& api() {
    // A function-local static: created on first use, thread-safe, and immutable afterwards.
    static const QpdfApi loaded = load_api();
    return loaded;
}

}  // namespace

std::string encrypt_aes256(const std::string& pdf, const std::string& password,
                           Diagnostics& diagnostics) {
    const QpdfApi& q = api();
    const auto fail = [&](const std::string& why) {
        error(diagnostics, {}, "pdf.encrypt", "cannot encrypt the PDF: " + why);
        return std::string();
    };
    if (!q.problem.empty()) return fail(q.problem);

    qpdf_data data = q.init();
    if (data == nullptr) return fail("libqpdf could not start");
    q.silence_errors(data);  // errors come back through qpdf_get_error, not stderr
    q.suppress_warnings(data, QPDF_TRUE);
    std::string result, problem;
    const auto ok = [&](QPDF_ERROR_CODE code) {
        if ((code & QPDF_ERRORS) == 0 && q.has_error(data) == QPDF_FALSE) return true;
        qpdf_error e = q.get_error(data);
        const char* text = e != nullptr ? q.error_text(data, e) : nullptr;
        problem = text != nullptr ? text : "libqpdf reported an error";
        return false;
    };
    if (ok(q.read_memory(data, "report.pdf", pdf.data(), pdf.size(), nullptr)) &&
        ok(q.init_write_memory(data))) {
        // The owner password equals the user password: whoever may open the report may also
        // print and copy from it; the point is confidentiality in transit and at rest.
        q.set_r6(data, password.c_str(), password.c_str(), QPDF_TRUE, QPDF_TRUE, QPDF_TRUE,
                 QPDF_TRUE, QPDF_TRUE, QPDF_TRUE, qpdf_r3p_full, QPDF_TRUE);
        if (ok(q.write(data))) {
            const unsigned char* bytes = q.buffer(data);
            if (bytes == nullptr) {
                problem = "libqpdf wrote no output";
            } else {
                result.assign(reinterpret_cast<const char*>(bytes), q.buffer_length(data));
            }
        }
    }
    q.cleanup(&data);
    if (result.empty()) return fail(problem.empty() ? "libqpdf wrote no output" : problem);
    return result;
}

}  // namespace dossier::pdf
