// TempDir: a fresh directory under $TMPDIR (mkdtemp), removed with its
// contents when the test ends, unless PAPO_KEEP_TEST_DIRS=1 (for debugging:
// the logs of every server the test started are in it).
#pragma once

#include <string>

namespace papo::testing {

class TempDir final {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Reads a whole file ("" when it cannot be read).
std::string ReadFile(const std::string& path);
void WriteFile(const std::string& path, const std::string& contents);

}  // namespace papo::testing
