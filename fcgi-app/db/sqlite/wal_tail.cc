#include "fcgi-app/db/sqlite/wal_tail.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>

namespace papo {

namespace {

constexpr uint32_t kWalIndexVersion = 3007000;
constexpr size_t kIndexHeaderSize = 48;
constexpr size_t kWalHeaderSize = 32;
constexpr size_t kFrameHeaderSize = 24;

// Reads exactly `size` bytes at `offset`; false at end of file.
Result<bool> ReadAt(int fd, void* buffer, size_t size, off_t offset, const std::string& path) {
  size_t done = 0;
  while (done < size) {
    ssize_t n = pread(fd, static_cast<char*>(buffer) + done, size - done, offset + static_cast<off_t>(done));
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::IOError("read " + path + ": " + std::strerror(errno));
    }
    if (n == 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

// A read-only descriptor of `path` that stays open for the life of the
// process; -1 when the file does not exist. Never closed, on purpose: POSIX
// advisory locks belong to the process and the file, and close() of ANY
// descriptor of a file drops every lock the process holds on it — SQLite's
// WAL read and write locks on `-shm` included (sqlite.org/howtocorrupt.html,
// 2.2). Opening and closing `-shm` here once a second let another process
// write while this one did: commits written over, acknowledged messages lost
// (the chaos suite, tests/chaos; WalTailTest). A file replaced by a new one
// (after every connection closed it) gets a new descriptor; the old one stays
// open too, for the same reason.
Result<int> LongLivedDescriptor(const std::string& path) {
  static std::mutex mutex;
  static auto* open_files = new std::map<std::string, int>();  // never destroyed: see above
  std::lock_guard lock(mutex);
  struct stat now;
  if (stat(path.c_str(), &now) != 0) {
    if (errno == ENOENT) return -1;
    return Status::IOError("stat " + path + ": " + std::strerror(errno));
  }
  auto held = open_files->find(path);
  if (held != open_files->end()) {
    struct stat same;
    if (fstat(held->second, &same) == 0 && same.st_dev == now.st_dev && same.st_ino == now.st_ino) return held->second;
  }
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return -1;
    return Status::IOError("open " + path + ": " + std::strerror(errno));
  }
  (*open_files)[path] = fd;
  return fd;
}

}  // namespace

Result<WalTail> ReadWalTail(const std::string& db_path) {
  WalTail tail;
  const std::string shm_path = db_path + "-shm";
  const std::string wal_path = db_path + "-wal";
  auto shm = LongLivedDescriptor(shm_path);
  if (!shm.ok()) return shm.status();
  auto wal = LongLivedDescriptor(wal_path);
  if (!wal.ok()) return wal.status();
  if (*shm < 0 || *wal < 0) return tail;

  // WalIndexHdr: iVersion u32, unused u32, iChange u32, isInit u8,
  // bigEndCksum u8, szPage u16, mxFrame u32, nPage u32, aFrameCksum[2],
  // aSalt[2], aCksum[2] — native byte order (the mapping is never moved
  // between machines).
  unsigned char header[kIndexHeaderSize];
  auto read = ReadAt(*shm, header, sizeof header, 0, shm_path);
  if (!read.ok()) return read.status();
  uint32_t version;
  std::memcpy(&version, header, 4);
  if (!*read || version != kWalIndexVersion || header[12] == 0) return tail;  // not initialised
  uint16_t page_field;
  std::memcpy(&page_field, header + 14, 2);
  // szPage stores 65536 as 1 (it does not fit in 16 bits).
  uint64_t page_size = page_field == 1 ? 65536 : page_field;
  std::memcpy(&tail.indexed_frames, header + 16, 4);
  uint32_t index_salt[2];
  std::memcpy(index_salt, header + 32, 8);

  // The WAL header's salts (bytes 16-23). A writer that starts a new WAL
  // generation (after a full checkpoint) writes new ones there and in its
  // frames, and the index learns them only when it publishes its commit.
  unsigned char wal_header[kWalHeaderSize];
  read = ReadAt(*wal, wal_header, sizeof wal_header, 0, wal_path);
  if (!read.ok()) return read.status();
  if (!*read) return tail;
  // SQLite copies salts as bytes (and compares them with memcmp): so do we.
  const bool new_generation = std::memcmp(wal_header + 16, index_salt, 8) != 0;

  // The frame after the last indexed one (or the first frame of a new
  // generation): page number, commit size, salt-1 and salt-2 (bytes 8-15),
  // checksums. Salts equal to the generation's mean a writer wrote it after
  // the index was last published; frames left from an older generation
  // carry other salts and no recovery replays them.
  uint64_t frame_index = new_generation ? 0 : tail.indexed_frames;
  unsigned char frame[kFrameHeaderSize];
  off_t offset = static_cast<off_t>(kWalHeaderSize + frame_index * (kFrameHeaderSize + page_size));
  read = ReadAt(*wal, frame, sizeof frame, offset, wal_path);
  if (!read.ok()) return read.status();
  if (!*read) return tail;
  tail.frames_past_index = std::memcmp(frame + 8, wal_header + 16, 8) == 0;
  return tail;
}

}  // namespace papo
