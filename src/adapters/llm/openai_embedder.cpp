#include "adapters/llm/openai_embedder.h"

#include <cmath>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>

#include "adapters/llm/http_transport.h"
#include "adapters/llm/openai_model.h"
#include "adapters/llm/provider_errors.h"

namespace docprof::adapters::llm {
namespace {

using nlohmann::json;

ports::ProviderError bad_response(std::string message, bool transient) {
  return ports::ProviderError{"bad_response", std::move(message), transient, 0, std::nullopt};
}

}  // namespace

void l2_normalise(std::vector<float>& vector) {
  double sum = 0;
  for (const float x : vector) sum += static_cast<double>(x) * x;
  if (sum <= 0) return;
  const double scale = 1.0 / std::sqrt(sum);
  for (float& x : vector) x = static_cast<float>(x * scale);
}

bool is_blank(const std::string& text) {
  return text.find_first_not_of(" \t\r\n\f\v") == std::string::npos;
}

OpenAiEmbedder::OpenAiEmbedder(OpenAiEmbedderOptions options) : options_(std::move(options)) {
  if (options_.base_url.empty())
    throw std::invalid_argument("openai embedder: embedding.base_url is not set");
  if (options_.model.empty())
    throw std::invalid_argument("openai embedder: embedding.model is not set");
  if (options_.dimensions < 1) {
    throw std::invalid_argument(
        "openai embedder: embedding.dimensions must be set to the model's vector size");
  }
  if (options_.batch_size < 1 || options_.batch_size > kMaxBatch)
    throw std::invalid_argument("openai embedder: the batch size must be 1..64");
}

std::string OpenAiEmbedder::model() const {
  return "openai:" + options_.model + "/" + std::to_string(options_.dimensions);
}

ports::EmbedResult OpenAiEmbedder::embed(std::span<const std::string> texts) {
  std::vector<ports::Embedding> out(texts.size(),
                                    ports::Embedding(static_cast<std::size_t>(dims()), 0.0f));
  std::vector<std::string> batch;
  std::vector<std::size_t> positions;
  auto flush = [&]() -> std::optional<ports::ProviderError> {
    if (batch.empty()) return std::nullopt;
    ports::EmbedResult result = embed_batch(batch);
    if (auto* e = std::get_if<ports::ProviderError>(&result)) return *e;
    auto& vectors = std::get<std::vector<ports::Embedding>>(result);
    for (std::size_t i = 0; i < positions.size(); ++i) out[positions[i]] = std::move(vectors[i]);
    batch.clear();
    positions.clear();
    return std::nullopt;
  };
  for (std::size_t i = 0; i < texts.size(); ++i) {
    if (is_blank(texts[i])) continue;  // stays the zero vector
    batch.push_back(texts[i]);
    positions.push_back(i);
    if (static_cast<int>(batch.size()) == options_.batch_size) {
      if (auto e = flush()) return *e;
    }
  }
  if (auto e = flush()) return *e;
  return out;
}

ports::EmbedResult OpenAiEmbedder::embed_batch(std::span<const std::string> texts) {
  json payload = {{"model", options_.model}, {"input", json::array()}};
  for (const std::string& text : texts) payload["input"].push_back(text);
  if (options_.request_dimensions) payload["dimensions"] = options_.dimensions;
  std::string url = options_.base_url;
  while (!url.empty() && url.back() == '/') url.pop_back();

  HttpPost post;
  post.url = url + "/embeddings";
  post.headers = {{"Content-Type", "application/json"}, {"Accept", "application/json"}};
  if (!options_.api_key.empty())
    post.headers.emplace_back("Authorization", "Bearer " + options_.api_key);
  for (const auto& header : options_.extra_headers) post.headers.push_back(header);
  post.body = payload.dump();
  post.timeout_ms = options_.timeout_ms;
  post.connect_timeout_ms = options_.connect_timeout_ms;
  post.purpose = "embedding call";
  post.endpoint_setting = "embedding.base_url";

  HttpResult sent = http_post(post);
  if (auto* failed = std::get_if<ports::ProviderError>(&sent)) return *failed;
  const HttpAnswer& answer = std::get<HttpAnswer>(sent);
  if (answer.status < 200 || answer.status > 299) {
    ports::ProviderError e = classify_http_status(answer.status, openai_error_message(answer.body));
    e.retry_after_ms = answer.retry_after_ms;
    return e;
  }

  const json parsed = json::parse(answer.body, nullptr, false);
  const std::string sample = answer.body.substr(0, 200);
  std::vector<ports::Embedding> vectors(texts.size());
  std::vector<bool> filled(texts.size(), false);
  try {
    if (parsed.is_discarded()) throw std::runtime_error("not JSON");
    const json& data = parsed.at("data");
    if (!data.is_array() || data.size() != texts.size()) {
      throw std::runtime_error(std::to_string(texts.size()) + " texts sent, " +
                               std::to_string(data.is_array() ? data.size() : 0) +
                               " embeddings received");
    }
    for (std::size_t i = 0; i < data.size(); ++i) {
      const json& item = data[i];
      const std::size_t index = item.contains("index") ? item.at("index").get<std::size_t>() : i;
      if (index >= texts.size() || filled[index])
        throw std::runtime_error("embedding index " + std::to_string(index) + " out of place");
      auto vector = item.at("embedding").get<std::vector<float>>();
      if (static_cast<int>(vector.size()) != options_.dimensions) {
        return bad_response("the embedding model " + options_.model + " answered vectors of " +
                                std::to_string(vector.size()) + " dimensions, but " +
                                std::to_string(options_.dimensions) +
                                " are configured (embedding.dimensions)",
                            false);
      }
      l2_normalise(vector);
      vectors[index] = std::move(vector);
      filled[index] = true;
    }
  } catch (const std::exception& e) {
    return bad_response("the embedding server's answer is not an embeddings answer (" +
                            std::string(e.what()) + "): " + sample,
                        true);
  }
  return vectors;
}

}  // namespace docprof::adapters::llm
