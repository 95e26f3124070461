#include "cli/provider_factory.h"

#include <cstdlib>

#include "adapters/embed/hashing_embedder.h"
#include "adapters/llm/bedrock_embedder.h"
#include "adapters/llm/bedrock_model.h"
#include "adapters/llm/openai_embedder.h"
#include "adapters/llm/openai_model.h"
#include "cli/cli_error.h"
#include "engine/circuit_breaker.h"
#include "engine/provider_budget.h"

namespace docprof::cli {
namespace {

namespace llm = adapters::llm;

std::int64_t millis(double seconds, const std::string& key) {
  if (!(seconds > 0)) throw bad_input(key + " must be more than 0");
  return static_cast<std::int64_t>(seconds * 1000);
}

std::string env_value(const std::string& name) {
  if (name.empty()) return "";
  const char* value = std::getenv(name.c_str());
  return value == nullptr ? "" : value;
}

llm::OpenAiOptions openai_options(const config::Config& config) {
  if (config.llm_base_url.empty()) {
    throw bad_input(
        "--llm openai needs llm.base_url (or DOCPROF_LLM_BASE_URL), e.g. https://api.openai.com/v1");
  }
  if (config.llm_model.empty()) throw bad_input("--llm openai needs llm.model (or DOCPROF_LLM_MODEL)");
  llm::OpenAiOptions options;
  options.base_url = config.llm_base_url;
  options.model = config.llm_model;
  options.api_key = env_value(config.llm_api_key_env);
  try {
    options.extra_headers = llm::parse_header_list(config.llm_extra_headers);
  } catch (const std::exception& e) {
    throw bad_input(std::string("llm.extra_headers: ") + e.what());
  }
  options.timeout_ms = millis(config.llm_timeout_seconds, "llm.timeout_seconds");
  options.connect_timeout_ms = millis(config.llm_connect_timeout_seconds, "llm.connect_timeout_seconds");
  return options;
}

// Region and credentials from the environment (llm.region wins over AWS_REGION).
llm::BedrockConnection bedrock_connection(const config::Config& config, const std::string& endpoint) {
  auto aws = llm::aws_environment([&config](const std::string& name) -> std::optional<std::string> {
    if ((name == "AWS_REGION" || name == "AWS_DEFAULT_REGION") && !config.llm_region.empty()) {
      return config.llm_region;
    }
    const std::string value = env_value(name);
    if (value.empty()) return std::nullopt;
    return value;
  });
  if (!aws) throw bad_input("bedrock: " + aws.error().message);
  llm::BedrockConnection connection;
  connection.region = aws->region;
  connection.endpoint = endpoint;
  connection.credentials = aws->credentials;
  connection.timeout_ms = millis(config.llm_timeout_seconds, "llm.timeout_seconds");
  connection.connect_timeout_ms = millis(config.llm_connect_timeout_seconds, "llm.connect_timeout_seconds");
  return connection;
}

llm::BedrockOptions bedrock_options(const config::Config& config) {
  if (config.llm_model.empty()) {
    throw bad_input(
        "--llm bedrock needs llm.model (or DOCPROF_LLM_MODEL), a Bedrock model id such as "
        "anthropic.claude-3-5-haiku-20241022-v1:0");
  }
  return llm::BedrockOptions{bedrock_connection(config, config.llm_base_url), config.llm_model,
                             config.llm_fallback_model};
}

engine::CircuitBreakerOptions breaker_options(const config::Config& config) {
  engine::CircuitBreakerOptions options;
  options.failure_threshold = static_cast<int>(config.llm_circuit_failures);
  options.cooldown_ms = millis(config.llm_circuit_cooldown_seconds, "llm.circuit_cooldown_seconds");
  options.max_cooldown_ms = std::max<std::int64_t>(options.cooldown_ms, 600'000);
  return options;
}

template <typename T>
std::shared_ptr<T> build(const std::function<std::shared_ptr<T>()>& make) {
  try {
    return make();
  } catch (const CliError&) {
    throw;
  } catch (const std::invalid_argument& e) {
    throw bad_input(e.what());
  }
}

}  // namespace

bool is_remote_model(const std::string& spec) { return spec == "openai" || spec == "bedrock"; }

void check_remote_model(const config::Config& config, const std::string& spec) {
  if (spec == "openai") openai_options(config);
  if (spec == "bedrock") bedrock_options(config);
  breaker_options(config);
}

std::shared_ptr<ports::LanguageModel> make_remote_model(const config::Config& config, const std::string& spec) {
  auto provider = build<ports::LanguageModel>([&]() -> std::shared_ptr<ports::LanguageModel> {
    if (spec == "bedrock") return std::make_shared<llm::BedrockModel>(bedrock_options(config));
    return std::make_shared<llm::OpenAiModel>(openai_options(config));
  });
  engine::ProviderBudget budget;
  budget.max_in_flight = static_cast<int>(config.llm_max_in_flight);
  budget.requests_per_minute = static_cast<int>(config.llm_requests_per_minute);
  budget.tokens_per_minute = config.llm_tokens_per_minute;
  std::shared_ptr<ports::LanguageModel> model = std::make_shared<engine::BudgetedModel>(provider, budget);
  // The breaker is outermost: while it is open, calls do not even wait for a budget.
  if (config.llm_circuit_failures > 0) {
    model = std::make_shared<engine::CircuitBreakerModel>(model, breaker_options(config));
  }
  return model;
}

std::shared_ptr<ports::Embedder> make_embedder(const config::Config& config) {
  const std::string& provider = config.embedding_provider;
  const int dims = static_cast<int>(config.embedding_dimensions);
  if (provider == "hashing") {
    if (dims != 0 && dims < 16) throw bad_input("embedding.dimensions: the hashing embedder needs at least 16");
    return std::make_shared<adapters::embed::HashingEmbedder>(dims == 0 ? 1024 : dims);
  }
  std::shared_ptr<ports::Embedder> embedder;
  if (provider == "openai") {
    llm::OpenAiEmbedderOptions options;
    options.base_url = config.embedding_base_url.empty() ? config.llm_base_url : config.embedding_base_url;
    options.model = config.embedding_model;
    options.dimensions = dims;
    if (options.base_url.empty()) throw bad_input("embedding.provider openai needs embedding.base_url (or llm.base_url)");
    if (options.model.empty()) throw bad_input("embedding.provider openai needs embedding.model, e.g. text-embedding-3-small");
    if (dims <= 0) {
      throw bad_input("embedding.provider openai needs embedding.dimensions, the model's vector size "
                      "(1536 for text-embedding-3-small)");
    }
    options.request_dimensions = config.embedding_request_dimensions;
    options.api_key = env_value(config.embedding_api_key_env);
    options.timeout_ms = millis(config.llm_timeout_seconds, "llm.timeout_seconds");
    options.connect_timeout_ms = millis(config.llm_connect_timeout_seconds, "llm.connect_timeout_seconds");
    embedder = build<ports::Embedder>([&] { return std::make_shared<llm::OpenAiEmbedder>(options); });
  } else if (provider == "bedrock") {
    llm::BedrockEmbedderOptions options;
    options.connection = bedrock_connection(config, config.embedding_base_url);
    if (!config.embedding_model.empty()) options.model_id = config.embedding_model;
    options.dimensions = dims;
    embedder = build<ports::Embedder>([&] { return std::make_shared<llm::BedrockEmbedder>(options); });
  } else {
    throw bad_input("embedding.provider '" + provider + "' is unknown (expected hashing, openai or bedrock)");
  }
  engine::ProviderBudget budget;
  budget.max_in_flight = static_cast<int>(config.embedding_max_in_flight);
  budget.requests_per_minute = static_cast<int>(config.embedding_requests_per_minute);
  budget.tokens_per_minute = config.embedding_tokens_per_minute;
  embedder = std::make_shared<engine::BudgetedEmbedder>(embedder, budget);
  if (config.llm_circuit_failures <= 0) return embedder;
  return std::make_shared<engine::CircuitBreakerEmbedder>(embedder, breaker_options(config));
}

}  // namespace docprof::cli
