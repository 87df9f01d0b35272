// A text file compiled into the binary (see cmake/PapoEmbed.cmake).
#pragma once

#include <string_view>
#include <vector>

namespace papo {

struct EmbeddedFile {
  std::string_view name;      // file name without directory, e.g. "001_inicial.sql"
  std::string_view contents;
};

// Returns the file called `name`, or nullptr.
inline const EmbeddedFile* FindEmbedded(const std::vector<EmbeddedFile>& files, std::string_view name) {
  for (const auto& file : files) {
    if (file.name == name) return &file;
  }
  return nullptr;
}

}  // namespace papo
