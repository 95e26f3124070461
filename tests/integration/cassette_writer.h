// Writes replay cassettes (JSON lines, src/adapters/llm/cassette.h) for the provider and engine
// integration tests: a file's text exactly as given (so a test can write malformed lines, CRLF or
// an empty file), or one line per JSON entry.
// Thread safety: free functions; two callers must not write the same file at once.
#pragma once

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace docprof::test_support {

// Writes `text` to `path` byte for byte (replacing the file); returns `path`.
inline std::filesystem::path write_cassette_text(const std::filesystem::path& path,
                                                 const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out.flush()) throw std::runtime_error("cannot write cassette " + path.string());
  return path;
}

// Writes each entry as one line of JSON; returns `path`.
inline std::filesystem::path write_cassette(const std::filesystem::path& path,
                                            const std::vector<nlohmann::json>& lines) {
  std::string text;
  for (const auto& line : lines) text += line.dump() + '\n';
  return write_cassette_text(path, text);
}

}  // namespace docprof::test_support
