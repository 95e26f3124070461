#include "cli/command_context.h"

#include <fmt/core.h>
#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "cli/cli_error.h"
#include "util/decimal_text.h"

namespace docprof::cli {

const config::Config& CommandContext::config() {
  if (!config_) {
    std::optional<std::string> file;
    if (!options.config_file.empty()) file = options.config_file;
    auto loaded = config::load_config(file, config::process_environment());
    if (!loaded) throw bad_input(loaded.error().message);
    config_ = loaded.value();
    if (!options.db.empty()) {
      if (config::distributed(*config_)) {
        throw bad_input("--db names a SQLite file, but storage.backend is postgres: the database is storage.url "
                        "(drop --db, or set storage.backend = sqlite and bus.backend = sqlite)");
      }
      config_->storage_path = options.db;
    }
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

double parse_number(const std::string& text, const std::string& option, bool allow_negative) {
  const auto value = allow_negative ? util::parse_signed_decimal(text) : util::parse_decimal(text);
  if (!value) {
    throw bad_input(option + " must be a number (got '" + text + "')");
  }
  return *value;
}

std::string check_digits(const std::string& text) {
  const bool digits = !text.empty() && text.size() <= 9 &&
                      text.find_first_not_of("0123456789") == std::string::npos;
  return digits ? std::string() : "expected a whole number of digits, got '" + text + "'";
}

}  // namespace docprof::cli
