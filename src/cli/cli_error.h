// CliError: an expected failure of a command, with the process exit code it maps to.
// Exit codes: 0 success, 1 other failure, 2 bad input or unknown id, 3 generation failed.
// Thread safety: plain value.
#pragma once

#include <stdexcept>
#include <string>

namespace docprof::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitBadInput = 2;
inline constexpr int kExitGenerationFailed = 3;

class CliError : public std::runtime_error {
 public:
  CliError(int exit_code, const std::string& message) : std::runtime_error(message), exit_code_(exit_code) {}
  int exit_code() const { return exit_code_; }

 private:
  int exit_code_;
};

inline CliError bad_input(const std::string& message) { return CliError(kExitBadInput, message); }

}  // namespace docprof::cli
