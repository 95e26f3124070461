// ProviderRegistry: the one table of the language models an --llm spec can name (extractive,
// replay:PATH, openai, bedrock) and of the embedders [embedding] provider can name (hashing,
// openai, bedrock). Each entry checks its settings without building anything (so bad input is
// refused before the database is opened) and builds the provider. The remote ones come behind the
// process-wide resilience decorators: a circuit breaker outermost, then the provider's budgets
// (calls in flight, requests and tokens per minute). Adding a provider is adding an entry.
//
// Configuration problems (an unknown name, a missing base_url, model, region or AWS credentials,
// bad headers, a missing cassette, dimensions the model does not offer) are thrown as CliError bad
// input naming the setting; an unknown name lists the known ones.
//
// Thread safety: functions without shared state; what they build is safe for concurrent use.
#pragma once

#include <memory>
#include <string>

#include "config/config.h"
#include "ports/embedder.h"
#include "ports/language_model.h"
#include "ports/library.h"

namespace docprof::cli {

// What building a model may draw on besides the configuration: the offline (extractive) model
// plans from the library, with the deployment's embedder and search settings.
struct ModelSources {
  ports::Library* library = nullptr;
  ports::Embedder* embedder = nullptr;
  int top_k = 10;
  double min_similarity = 0.0;
};

// Checks an --llm spec ("extractive", "replay:PATH", "openai", "bedrock"; empty = llm.provider)
// and its settings, including llm.fault_kinds when faults are injected. Throws CliError.
void check_model(const config::Config& config, const std::string& spec);

// The model of `spec` (empty = llm.provider), wrapped in the fault injector when llm.fault_rate is
// set and in the recorder when `record` (or llm.record) names a cassette. Throws CliError.
std::shared_ptr<ports::LanguageModel> make_model(const config::Config& config, const std::string& spec,
                                                 const ModelSources& sources, const std::string& record);

// The embedder of [embedding] provider.
std::shared_ptr<ports::Embedder> make_embedder(const config::Config& config);

}  // namespace docprof::cli
