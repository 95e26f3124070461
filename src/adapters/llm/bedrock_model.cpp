#include "adapters/llm/bedrock_model.h"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <utility>

namespace docprof::adapters::llm {
namespace {

using nlohmann::json;

ports::ProviderError bad_response(const std::string& why, const std::string& body) {
  return ports::ProviderError{
      "bad_response",
      "the Bedrock answer is not a Converse answer (" + why + "): " + body.substr(0, 200), true, 0,
      std::nullopt};
}

bool quota_exhausted(const ports::LlmResult& result) {
  const auto* e = std::get_if<ports::ProviderError>(&result);
  return e != nullptr && e->code == "quota_exhausted";
}

}  // namespace

BedrockModel::BedrockModel(BedrockOptions options)
    : options_(std::move(options)), runtime_(options_.connection) {
  if (options_.model_id.empty())
    throw std::invalid_argument("bedrock provider: llm.model (the Bedrock model id) is not set");
}

std::string BedrockModel::name() const {
  return "bedrock:" + (use_fallback_.load() ? options_.fallback_model_id : options_.model_id);
}

ports::LlmResult BedrockModel::complete(const domain::LlmRequest& request,
                                        const ports::CallContext& /*context*/) {
  const bool has_fallback = !options_.fallback_model_id.empty();
  if (has_fallback && use_fallback_.load()) {
    return complete_with(options_.fallback_model_id, request);
  }
  ports::LlmResult result = complete_with(options_.model_id, request);
  if (!quota_exhausted(result)) return result;
  auto& error = std::get<ports::ProviderError>(result);
  if (!has_fallback) {
    error.message += " (the daily token quota of " + options_.model_id +
                     " is spent; set llm.fallback_model to go on with another model)";
    return result;
  }
  if (!use_fallback_.exchange(true)) {
    spdlog::warn("bedrock: the daily token quota of {} is spent ({}); using {} from now on",
                 options_.model_id, error.message, options_.fallback_model_id);
  }
  return complete_with(options_.fallback_model_id, request);
}

ports::LlmResult BedrockModel::complete_with(const std::string& model_id,
                                             const domain::LlmRequest& request) {
  ports::LlmResult first = converse(model_id, request, request.max_tokens);
  auto* outcome = std::get_if<domain::ModelOutcome>(&first);
  if (outcome == nullptr || outcome->finish_reason != "length") return first;
  // Truncated: ask once more with room to finish.
  ports::LlmResult second = converse(model_id, request, request.max_tokens * 2);
  if (auto* again = std::get_if<domain::ModelOutcome>(&second)) {
    again->usage += outcome->usage;  // both calls were paid for
  }
  return second;
}

ports::LlmResult BedrockModel::converse(const std::string& model_id,
                                        const domain::LlmRequest& request, int max_tokens) {
  const json payload = {
      {"messages",
       json::array({{{"role", "user"}, {"content", json::array({{{"text", request.rendered}}})}}})},
      {"inferenceConfig", {{"maxTokens", max_tokens}, {"temperature", request.temperature}}}};
  HttpResult sent = runtime_.invoke(model_id, "converse", payload.dump(), "model call");
  if (auto* failed = std::get_if<ports::ProviderError>(&sent)) return *failed;
  const HttpAnswer& answer = std::get<HttpAnswer>(sent);
  if (answer.status < 200 || answer.status > 299) return bedrock_error(answer);

  const json parsed = json::parse(answer.body, nullptr, false);
  if (parsed.is_discarded()) return bad_response("not JSON", answer.body);
  try {
    domain::ModelOutcome outcome;
    bool any_text = false;
    for (const json& block : parsed.at("output").at("message").at("content")) {
      if (const auto text = block.find("text"); text != block.end() && text->is_string()) {
        outcome.text += text->get<std::string>();
        any_text = true;
      }
    }
    if (!any_text) return bad_response("no text in output.message.content", answer.body);
    const std::string stop = parsed.value("stopReason", std::string("end_turn"));
    outcome.finish_reason = stop == "max_tokens" ? "length" : "stop";
    if (const auto usage = parsed.find("usage"); usage != parsed.end() && usage->is_object()) {
      outcome.usage.input_tokens = usage->value("inputTokens", std::int64_t{0});
      outcome.usage.output_tokens = usage->value("outputTokens", std::int64_t{0});
    }
    outcome.usage.calls = 1;
    return outcome;
  } catch (const std::exception& e) {
    return bad_response(e.what(), answer.body);
  }
}

}  // namespace docprof::adapters::llm
