#include "adapters/llm/bedrock_embedder.h"

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <utility>

#include "adapters/llm/openai_embedder.h"

namespace docprof::adapters::llm {
namespace {

using nlohmann::json;

bool starts_with(const std::string& text, const std::string& prefix) {
  return text.rfind(prefix, 0) == 0;
}

ports::ProviderError bad_response(std::string message, bool transient) {
  return ports::ProviderError{"bad_response", std::move(message), transient, 0, std::nullopt};
}

}  // namespace

BedrockEmbedder::BedrockEmbedder(BedrockEmbedderOptions options)
    : options_(std::move(options)), runtime_(options_.connection) {
  const std::string& id = options_.model_id;
  const int asked = options_.dimensions;
  if (starts_with(id, "amazon.titan-embed-text-v2")) {
    v2_ = true;
    dims_ = asked == 0 ? 1024 : asked;
    if (dims_ != 256 && dims_ != 512 && dims_ != 1024) {
      throw std::invalid_argument("bedrock embedder: " + id +
                                  " offers 256, 512 or 1024 dimensions, not " +
                                  std::to_string(dims_));
    }
  } else if (starts_with(id, "amazon.titan-embed-text-v1") ||
             starts_with(id, "amazon.titan-embed-g1-text-02")) {
    dims_ = 1536;
    if (asked != 0 && asked != 1536) {
      throw std::invalid_argument("bedrock embedder: " + id + " makes 1536 dimensions, not " +
                                  std::to_string(asked));
    }
  } else {
    throw std::invalid_argument("bedrock embedder: unsupported model \"" + id +
                                "\" (amazon.titan-embed-text-v1 or amazon.titan-embed-text-v2:0)");
  }
}

std::string BedrockEmbedder::model() const {
  return "bedrock:" + options_.model_id + "/" + std::to_string(dims_);
}

ports::EmbedResult BedrockEmbedder::embed(std::span<const std::string> texts) {
  std::vector<ports::Embedding> out;
  out.reserve(texts.size());
  for (const std::string& text : texts) {
    if (is_blank(text)) {
      out.emplace_back(static_cast<std::size_t>(dims_), 0.0f);
      continue;
    }
    auto one = embed_one(text);
    if (auto* e = std::get_if<ports::ProviderError>(&one)) return *e;
    out.push_back(std::move(std::get<ports::Embedding>(one)));
  }
  return out;
}

std::variant<ports::Embedding, ports::ProviderError> BedrockEmbedder::embed_one(
    const std::string& text) const {
  json payload = {{"inputText", text}};
  if (v2_) {
    payload["dimensions"] = dims_;
    payload["normalize"] = true;
  }
  HttpResult sent = runtime_.invoke(options_.model_id, "invoke", payload.dump(), "embedding call");
  if (auto* failed = std::get_if<ports::ProviderError>(&sent)) return *failed;
  const HttpAnswer& answer = std::get<HttpAnswer>(sent);
  if (answer.status < 200 || answer.status > 299) return bedrock_error(answer);

  const json parsed = json::parse(answer.body, nullptr, false);
  ports::Embedding vector;
  try {
    if (parsed.is_discarded()) throw std::runtime_error("not JSON");
    vector = parsed.at("embedding").get<ports::Embedding>();
  } catch (const std::exception& e) {
    return bad_response("the Bedrock answer is not a Titan embedding (" + std::string(e.what()) +
                            "): " + answer.body.substr(0, 200),
                        true);
  }
  if (static_cast<int>(vector.size()) != dims_) {
    return bad_response(options_.model_id + " answered a vector of " +
                            std::to_string(vector.size()) + " dimensions, " +
                            std::to_string(dims_) + " expected",
                        false);
  }
  l2_normalise(vector);
  return vector;
}

}  // namespace docprof::adapters::llm
