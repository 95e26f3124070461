#include "cli/provider_registry.h"

#include <array>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <sstream>
#include <string_view>

#include "adapters/embed/hashing_embedder.h"
#include "adapters/embed/stemming_analyzer.h"
#include "adapters/llm/bedrock_embedder.h"
#include "adapters/llm/bedrock_model.h"
#include "adapters/llm/extractive_model.h"
#include "adapters/llm/fault_injecting_model.h"
#include "adapters/llm/openai_embedder.h"
#include "adapters/llm/openai_model.h"
#include "adapters/llm/recording_model.h"
#include "adapters/llm/replay_model.h"
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


// The resilience decorators every remote model gets: its budgets, and the breaker outermost (while
// it is open, calls do not even wait for a budget).
std::shared_ptr<ports::LanguageModel> resilient(const config::Config& config,
                                                std::shared_ptr<ports::LanguageModel> provider) {
  engine::ProviderBudget budget;
  budget.max_in_flight = static_cast<int>(config.llm_max_in_flight);
  budget.requests_per_minute = static_cast<int>(config.llm_requests_per_minute);
  budget.tokens_per_minute = config.llm_tokens_per_minute;
  std::shared_ptr<ports::LanguageModel> model = std::make_shared<engine::BudgetedModel>(std::move(provider), budget);
  if (config.llm_circuit_failures > 0) {
    model = std::make_shared<engine::CircuitBreakerModel>(model, breaker_options(config));
  }
  return model;
}

std::shared_ptr<ports::Embedder> resilient(const config::Config& config, std::shared_ptr<ports::Embedder> provider) {
  engine::ProviderBudget budget;
  budget.max_in_flight = static_cast<int>(config.embedding_max_in_flight);
  budget.requests_per_minute = static_cast<int>(config.embedding_requests_per_minute);
  budget.tokens_per_minute = config.embedding_tokens_per_minute;
  std::shared_ptr<ports::Embedder> embedder = std::make_shared<engine::BudgetedEmbedder>(std::move(provider), budget);
  if (config.llm_circuit_failures <= 0) return embedder;
  return std::make_shared<engine::CircuitBreakerEmbedder>(embedder, breaker_options(config));
}

std::string replay_path(const std::string& argument) {
  if (argument.empty()) throw bad_input("--llm replay: needs a cassette path (replay:PATH)");
  if (!std::filesystem::exists(argument)) throw bad_input("cassette not found: " + argument);
  return argument;
}

std::shared_ptr<ports::LanguageModel> open_cassette(const std::string& argument) {
  const std::string path = replay_path(argument);
  try {
    return std::make_shared<llm::ReplayModel>(path);
  } catch (const std::exception& e) {  // a cassette that cannot be read or parsed: the file's fault
    throw bad_input(e.what());
  }
}

struct ModelEntry {
  std::string_view name;
  std::string_view argument;  // what follows "name:" (empty: the spec is the name alone)
  std::function<void(const config::Config&, const std::string& argument)> check;
  std::function<std::shared_ptr<ports::LanguageModel>(const config::Config&, const std::string& argument,
                                                      const ModelSources&)>
      make;
};

const std::array<ModelEntry, 4>& model_entries() {
  static const std::array<ModelEntry, 4> entries{{
      {"extractive", "", [](const config::Config&, const std::string&) {},
       [](const config::Config&, const std::string&, const ModelSources& sources) -> std::shared_ptr<ports::LanguageModel> {
         if (sources.library == nullptr || sources.embedder == nullptr) {
           throw CliError(kExitFailure, "the extractive model needs the library and the embedder");
         }
         return std::make_shared<llm::ExtractiveModel>(
             *sources.library, *sources.embedder,
             llm::ExtractiveOptions{sources.top_k, sources.min_similarity, 64, &adapters::embed::default_analyzer()});
       }},
      {"replay", "PATH", [](const config::Config&, const std::string& argument) { open_cassette(argument); },
       [](const config::Config&, const std::string& argument, const ModelSources&) { return open_cassette(argument); }},
      {"openai", "",
       [](const config::Config& config, const std::string&) {
         openai_options(config);
         breaker_options(config);
       },
       [](const config::Config& config, const std::string&, const ModelSources&) {
         return resilient(config, build<ports::LanguageModel>(
                                      [&] { return std::make_shared<llm::OpenAiModel>(openai_options(config)); }));
       }},
      {"bedrock", "",
       [](const config::Config& config, const std::string&) {
         bedrock_options(config);
         breaker_options(config);
       },
       [](const config::Config& config, const std::string&, const ModelSources&) {
         return resilient(config, build<ports::LanguageModel>(
                                      [&] { return std::make_shared<llm::BedrockModel>(bedrock_options(config)); }));
       }},
  }};
  return entries;
}

struct EmbedderEntry {
  std::string_view name;
  std::function<std::shared_ptr<ports::Embedder>(const config::Config&)> make;
};

std::shared_ptr<ports::Embedder> hashing_embedder(const config::Config& config) {
  const int dims = static_cast<int>(config.embedding_dimensions);
  if (dims != 0 && dims < 16) throw bad_input("embedding.dimensions: the hashing embedder needs at least 16");
  return std::make_shared<adapters::embed::HashingEmbedder>(dims == 0 ? 1024 : dims);
}

std::shared_ptr<ports::Embedder> openai_embedder(const config::Config& config) {
  const int dims = static_cast<int>(config.embedding_dimensions);
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
  return resilient(config, build<ports::Embedder>([&] { return std::make_shared<llm::OpenAiEmbedder>(options); }));
}

std::shared_ptr<ports::Embedder> bedrock_embedder(const config::Config& config) {
  llm::BedrockEmbedderOptions options;
  options.connection = bedrock_connection(config, config.embedding_base_url);
  if (!config.embedding_model.empty()) options.model_id = config.embedding_model;
  options.dimensions = static_cast<int>(config.embedding_dimensions);
  return resilient(config, build<ports::Embedder>([&] { return std::make_shared<llm::BedrockEmbedder>(options); }));
}

const std::array<EmbedderEntry, 3>& embedder_entries() {
  static const std::array<EmbedderEntry, 3> entries{{
      {"hashing", hashing_embedder},
      {"openai", openai_embedder},
      {"bedrock", bedrock_embedder},
  }};
  return entries;
}

// "a, b, c or d"
template <typename Entries, typename Spell>
std::string known_names(const Entries& entries, Spell spell) {
  std::string text;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (i > 0) text += i + 1 == entries.size() ? " or " : ", ";
    text += spell(entries[i]);
  }
  return text;
}

// The entry of an --llm spec and its argument ("replay:PATH" → replay, PATH).
std::pair<const ModelEntry*, std::string> find_model(const config::Config& config, const std::string& requested) {
  const std::string spec = requested.empty() ? config.llm_provider : requested;
  const auto colon = spec.find(':');
  const std::string name = spec.substr(0, colon);
  const std::string argument = colon == std::string::npos ? "" : spec.substr(colon + 1);
  for (const auto& entry : model_entries()) {
    if (entry.name != name) continue;
    if (entry.argument.empty() && colon != std::string::npos) {
      throw bad_input("--llm " + name + " takes no argument (got '" + spec + "')");
    }
    if (!entry.argument.empty() && colon == std::string::npos) {
      throw bad_input("--llm " + name + ": needs " + std::string(entry.argument) + " (" + name + ":" +
                      std::string(entry.argument) + ")");
    }
    return {&entry, argument};
  }
  throw bad_input("unknown --llm '" + spec + "' (expected " + known_names(model_entries(), [](const ModelEntry& e) {
                    return e.argument.empty() ? std::string(e.name)
                                              : std::string(e.name) + ":" + std::string(e.argument);
                  }) + ")");
}

adapters::llm::FaultMix fault_mix(const std::string& kinds) {
  adapters::llm::FaultMix mix{0, 0, 0, 0};
  std::stringstream in(kinds);
  std::string kind;
  while (std::getline(in, kind, ',')) {
    if (kind == "rate_limited") mix.rate_limited = 1;
    else if (kind == "server_error") mix.server_error = 1;
    else if (kind == "timeout") mix.timeout = 1;
    else if (kind == "garbage") mix.garbage = 1;
    else if (!kind.empty()) throw bad_input("llm.fault_kinds: unknown fault kind '" + kind + "'");
  }
  return mix;
}

}  // namespace

void check_model(const config::Config& config, const std::string& spec) {
  const auto [entry, argument] = find_model(config, spec);
  entry->check(config, argument);
  if (config.llm_fault_rate > 0) fault_mix(config.llm_fault_kinds);
}

std::shared_ptr<ports::LanguageModel> make_model(const config::Config& config, const std::string& spec,
                                                 const ModelSources& sources, const std::string& record) {
  const auto [entry, argument] = find_model(config, spec);
  std::shared_ptr<ports::LanguageModel> model = entry->make(config, argument, sources);
  if (config.llm_fault_rate > 0) {
    llm::FaultOptions options;
    options.rate = config.llm_fault_rate;
    options.seed = static_cast<std::uint64_t>(config.llm_fault_seed);
    options.mix = fault_mix(config.llm_fault_kinds);
    model = std::make_shared<llm::FaultInjectingModel>(model, options);
  }
  const std::string cassette = record.empty() ? config.llm_record : record;
  if (!cassette.empty()) {
    try {
      model = std::make_shared<llm::RecordingModel>(model, cassette);
    } catch (const std::exception& e) {
      throw bad_input(e.what());
    }
  }
  return model;
}

std::shared_ptr<ports::Embedder> make_embedder(const config::Config& config) {
  for (const auto& entry : embedder_entries()) {
    if (entry.name == config.embedding_provider) return entry.make(config);
  }
  throw bad_input("embedding.provider '" + config.embedding_provider + "' is unknown (expected " +
                  known_names(embedder_entries(), [](const EmbedderEntry& e) { return std::string(e.name); }) + ")");
}

}  // namespace docprof::cli
