#include "cli/command_context.h"

#include <fmt/core.h>
#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "cli/cli_error.h"

namespace docprof::cli {

const config::Config& CommandContext::config() {
  if (!config_) {
    std::optional<std::string> file;
    if (!options.config_file.empty()) file = options.config_file;
    auto loaded = config::load_config(file, config::process_environment());
    if (!loaded) throw bad_input(loaded.error().message);
    config_ = loaded.value();
    if (!options.db.empty()) config_->storage_path = options.db;
    if (!options.log_level.empty()) config_->log_level = options.log_level;
  }
  return *config_;
}

void CommandContext::apply_logging() {
  const auto& c = config();
  spdlog::set_level(spdlog::level::from_str(c.log_level));
  if (c.log_json) {
    spdlog::set_pattern(R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","message":"%v"})", spdlog::pattern_time_type::utc);
  }
}

Runtime& CommandContext::runtime() {
  if (!runtime_) runtime_ = std::make_unique<Runtime>(config());
  return *runtime_;
}

void print_json(const nlohmann::json& value) {
  fmt::print("{}\n", value.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
}

double parse_number(const std::string& text, const std::string& option) {
  errno = 0;
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || errno == ERANGE) {
    throw bad_input(option + " must be a number (got '" + text + "')");
  }
  return value;
}

}  // namespace docprof::cli
