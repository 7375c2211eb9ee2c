// Where the password of an encrypted report comes from (DESIGN.md, "Files and outputs"): a
// file, the environment or a prompt on the terminal, so that it need not be on the command
// line, where every user of the machine can read it (ps, /proc/PID/cmdline).
#pragma once

#include <optional>
#include <string>

#include "model/diagnostic.hpp"

namespace dossier::cli {

// The password options of one command. At most one of file, prompt and command_line may be
// given; DOSSIER_PASSWORD in the environment is used when none is.
struct PasswordSource {
    bool encrypt = false;  // --encrypt: encrypt; ask on the terminal if nothing else gives one
    std::string file;      // --password-file FILE: its first line; "-" reads standard input
    bool prompt = false;   // --password-prompt: ask on the terminal (/dev/tty), echo off
    std::optional<std::string> command_line;  // --password PW: works, with a warning

    // Whether the report is to be encrypted: any of the above is given, or DOSSIER_PASSWORD is
    // set (even to nothing: setting it asks for encryption, and an empty one is then an error
    // rather than an unprotected report).
    bool wanted() const;
};

// The password `source` gives, or nullopt after appending an error: two sources at once, an
// unreadable password file (read like every input: a regular file, at most 64 KiB; a file
// other users can read is a warning), no terminal to ask on, two answers to the prompt that
// differ, or a password that is empty, holds a NUL byte, is not UTF-8 or is longer than the
// 127 bytes AES-256 PDF encryption (revision 6) uses. Warns when the password was given on the
// command line. Only call when source.wanted(). The prompt restores the terminal's echo even
// when interrupted. Not thread-safe (it may use the terminal and signal handlers): call it
// once, before any worker thread starts.
std::optional<std::string> read_password(const PasswordSource& source, Diagnostics& diagnostics);

}  // namespace dossier::cli
