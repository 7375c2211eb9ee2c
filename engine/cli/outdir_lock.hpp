// One batch at a time per output folder: an advisory lock on OUTDIR/.dossier-lock, and the
// housekeeping only the lock holder may do (removing what an interrupted run left behind).
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace dossier::cli {

enum class LockResult {
    acquired,     // this process holds the lock until the OutdirLock is destroyed
    busy,         // another process holds it (only from try_lock)
    interrupted,  // wait() gave up because `stop` said so
    failed,       // the lock file cannot be opened or locked; `problem` says why
};

// flock(2) on OUTDIR/.dossier-lock, created with the mode the umask gives (so that other
// users sharing the folder can lock it too) and never removed: removing it would let a third
// process lock a new file while the second still waits on the old one. The kernel drops the
// lock when the process ends, however it ends (kill -9 included), so a lock is never stale.
class OutdirLock {
  public:
    OutdirLock() = default;
    ~OutdirLock();
    OutdirLock(const OutdirLock&) = delete;
    OutdirLock& operator=(const OutdirLock&) = delete;

    // One attempt that does not block. `outdir` must exist.
    LockResult try_lock(const std::string& outdir, std::string& problem);
    // After try_lock returned busy: polls every 50 ms until the lock is free (acquired) or
    // `stop()` returns true (interrupted). Polling rather than a blocking flock, so that a
    // SIGINT is seen however it races with the call.
    LockResult wait(const std::function<bool()>& stop, std::string& problem);
    // The process id the holder wrote into the lock file ("" when unknown), for messages.
    std::string holder() const;

  private:
    LockResult attempt(std::string& problem);
    std::string path_;
    int fd_ = -1;
};

// Removes the temporary files an interrupted write left in `outdir` (".NAME.tmp-XXXXXX", the
// pattern of write_atomically; only regular files directly in the folder). Only the lock
// holder may call it: the temporaries of a running batch look the same. Returns the names
// removed; a file that cannot be removed is added to `problems` with the reason.
std::vector<std::string> remove_stale_temporaries(const std::string& outdir,
                                                  std::vector<std::string>& problems);

}  // namespace dossier::cli
