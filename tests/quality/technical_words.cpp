#include "quality/technical_words.h"

namespace docprof::quality {

const std::vector<std::string_view>& technical_words() {
  static const std::vector<std::string_view> words = {
      "api",       "apis",      "ascii",      "async",     "backend",     "boolean",   "booleans",
      "bytecode",  "checksum",  "codebase",   "config",    "cpu",         "dataset",   "datasets",
      "enum",      "enums",     "filesystem", "frontend",  "gpu",         "hardcoded", "hostname",
      "html",      "http",      "https",      "json",      "localhost",   "metadata",  "middleware",
      "namespace", "plaintext", "preprocessor", "regex",   "runtime",     "struct",    "structs",
      "subcommand", "subdirectory", "subdirectories", "syscall", "sysadmin", "toolchain", "unicode",
      "url",       "urls",      "usb",        "utf",       "webserver",   "wildcard",  "xml",
      "yaml"};
  return words;
}

}  // namespace docprof::quality
