#include "adapters/llm/provider_errors.h"

#include <utility>

namespace docprof::adapters::llm {
namespace {

struct Classification {
  const char* code;
  bool transient;
};

Classification classify(int status) {
  switch (status) {
    case 400:
      return {"bad_request", false};
    case 401:
      return {"unauthorized", false};
    case 403:
      return {"forbidden", false};
    case 404:
      return {"not_found", false};
    case 408:
      return {"timeout", true};
    case 409:
      return {"conflict", true};
    case 422:
      return {"unprocessable", false};
    case 429:
      return {"rate_limited", true};
    default:
      break;
  }
  if (status >= 500 && status <= 599) return {"server_error", true};
  if (status >= 400 && status <= 499) return {"client_error", false};
  return {"http_error", false};
}

}  // namespace

ports::ProviderError classify_http_status(int status, std::string message) {
  const Classification c = classify(status);
  if (message.empty()) message = "HTTP " + std::to_string(status);
  return ports::ProviderError{c.code, std::move(message), c.transient, status, std::nullopt};
}

bool is_transient_code(const std::string& code) {
  return code == "timeout" || code == "connection_error" || code == "rate_limited" ||
         code == "server_error" || code == "conflict";
}

}  // namespace docprof::adapters::llm
