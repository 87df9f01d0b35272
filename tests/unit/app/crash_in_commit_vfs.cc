#include "tests/unit/app/crash_in_commit_vfs.h"

#include <sqlite3.h>
#include <unistd.h>

#include <cstddef>

namespace papo::testing {

namespace {

// A file of this VFS: SQLite's sqlite3_file header, then the real file's
// storage (the default VFS's szOsFile bytes) in the same allocation.
struct ShimFile {
  sqlite3_file base;
  bool is_wal;
  sqlite3_file* real() { return reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(this) + kRealOffset); }
  static constexpr size_t kRealOffset = (sizeof(sqlite3_file) + sizeof(bool) + alignof(std::max_align_t) - 1) /
                                        alignof(std::max_align_t) * alignof(std::max_align_t);
};

sqlite3_vfs g_vfs;
sqlite3_vfs* g_real = nullptr;
sqlite3_io_methods g_methods;
int g_exit_code = -1;  // armed when >= 0

sqlite3_file* Real(sqlite3_file* file) { return reinterpret_cast<ShimFile*>(file)->real(); }

int Close(sqlite3_file* f) { return Real(f)->pMethods->xClose(Real(f)); }
int Read(sqlite3_file* f, void* b, int n, sqlite3_int64 o) { return Real(f)->pMethods->xRead(Real(f), b, n, o); }
bool g_commit_frame_written = false;

int Write(sqlite3_file* f, const void* b, int n, sqlite3_int64 o) {
  // A WAL frame header is written on its own (24 bytes); bytes 4-7 hold the
  // database size after a commit, non-zero only in a commit's last frame.
  if (reinterpret_cast<ShimFile*>(f)->is_wal && n == 24 && o >= 32) {
    const auto* header = static_cast<const unsigned char*>(b);
    if ((header[4] | header[5] | header[6] | header[7]) != 0) g_commit_frame_written = true;
  }
  return Real(f)->pMethods->xWrite(Real(f), b, n, o);
}
int Truncate(sqlite3_file* f, sqlite3_int64 size) { return Real(f)->pMethods->xTruncate(Real(f), size); }
int Sync(sqlite3_file* f, int flags) {
  // Not the sync of a new WAL's header: the one after the commit frame.
  if (reinterpret_cast<ShimFile*>(f)->is_wal && g_exit_code >= 0 && g_commit_frame_written) _exit(g_exit_code);
  return Real(f)->pMethods->xSync(Real(f), flags);
}
int FileSize(sqlite3_file* f, sqlite3_int64* size) { return Real(f)->pMethods->xFileSize(Real(f), size); }
int Lock(sqlite3_file* f, int level) { return Real(f)->pMethods->xLock(Real(f), level); }
int Unlock(sqlite3_file* f, int level) { return Real(f)->pMethods->xUnlock(Real(f), level); }
int CheckReservedLock(sqlite3_file* f, int* out) { return Real(f)->pMethods->xCheckReservedLock(Real(f), out); }
int FileControl(sqlite3_file* f, int op, void* arg) { return Real(f)->pMethods->xFileControl(Real(f), op, arg); }
int SectorSize(sqlite3_file* f) { return Real(f)->pMethods->xSectorSize(Real(f)); }
int DeviceCharacteristics(sqlite3_file* f) { return Real(f)->pMethods->xDeviceCharacteristics(Real(f)); }
int ShmMap(sqlite3_file* f, int page, int size, int extend, void volatile** out) {
  return Real(f)->pMethods->xShmMap(Real(f), page, size, extend, out);
}
int ShmLock(sqlite3_file* f, int offset, int n, int flags) {
  return Real(f)->pMethods->xShmLock(Real(f), offset, n, flags);
}
void ShmBarrier(sqlite3_file* f) { Real(f)->pMethods->xShmBarrier(Real(f)); }
int ShmUnmap(sqlite3_file* f, int delete_flag) { return Real(f)->pMethods->xShmUnmap(Real(f), delete_flag); }
int Fetch(sqlite3_file* f, sqlite3_int64 offset, int amount, void** out) {
  return Real(f)->pMethods->xFetch(Real(f), offset, amount, out);
}
int Unfetch(sqlite3_file* f, sqlite3_int64 offset, void* page) {
  return Real(f)->pMethods->xUnfetch(Real(f), offset, page);
}

int Open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* file, int flags, int* out_flags) {
  auto* shim = reinterpret_cast<ShimFile*>(file);
  shim->base.pMethods = nullptr;
  shim->is_wal = (flags & SQLITE_OPEN_WAL) != 0;
  int code = g_real->xOpen(g_real, name, shim->real(), flags, out_flags);
  if (code == SQLITE_OK && shim->real()->pMethods != nullptr) {
    g_methods.iVersion = shim->real()->pMethods->iVersion;
    shim->base.pMethods = &g_methods;
  }
  return code;
}

}  // namespace

const char* RegisterCrashInCommitVfs() {
  static const char* const kName = "papo-crash-in-commit";
  if (g_real != nullptr) return kName;
  g_real = sqlite3_vfs_find(nullptr);
  g_vfs = *g_real;  // the default's path, access and time functions are used as they are
  g_vfs.zName = kName;
  g_vfs.pNext = nullptr;
  g_vfs.szOsFile = static_cast<int>(ShimFile::kRealOffset) + g_real->szOsFile;
  g_vfs.xOpen = Open;
  g_methods = sqlite3_io_methods{3,           Close,      Read,       Write,      Truncate,    Sync,
                                 FileSize,    Lock,       Unlock,     CheckReservedLock,       FileControl,
                                 SectorSize,  DeviceCharacteristics,  ShmMap,     ShmLock,     ShmBarrier,
                                 ShmUnmap,    Fetch,      Unfetch};
  sqlite3_vfs_register(&g_vfs, 0);
  return kName;
}

void ArmCrashInCommit(int exit_code) { g_exit_code = exit_code; }

}  // namespace papo::testing
