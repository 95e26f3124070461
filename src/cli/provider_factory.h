// ProviderFactory: builds the remote model and embedding providers the configuration names
// (openai, bedrock), each behind the process-wide resilience decorators: a circuit breaker
// outermost, then the provider's budgets (calls in flight, requests and tokens per minute).
// Configuration problems (a missing base_url, model, region or AWS credentials, bad headers,
// dimensions the model does not offer) are thrown as CliError bad input naming the setting.
//
// Thread safety: functions without shared state; what they build is safe for concurrent use.
#pragma once

#include <memory>
#include <string>

#include "config/config.h"
#include "ports/embedder.h"
#include "ports/language_model.h"

namespace docprof::cli {

// true for "openai" and "bedrock".
bool is_remote_model(const std::string& spec);
// Checks the settings of a remote model without building it (throws the specific bad input).
void check_remote_model(const config::Config& config, const std::string& spec);
// The remote model `spec` with its breaker and budgets.
std::shared_ptr<ports::LanguageModel> make_remote_model(const config::Config& config, const std::string& spec);

// The embedder of [embedding]: hashing, openai or bedrock (the remote ones behind a breaker).
std::shared_ptr<ports::Embedder> make_embedder(const config::Config& config);

}  // namespace docprof::cli
