// OpenAiEmbedder against the OpenAI-protocol server on loopback (openai_test_server.h, its
// /v1/embeddings route): the wire format, batches of at most 64 texts, vectors placed by their
// index whatever order the server answers in, L2 normalisation, blank texts, a dims mismatch, and
// the faults it must classify (429 transient with Retry-After, 500, 401 permanent, malformed JSON).
#include <gtest/gtest.h>

#include <cmath>

#include "adapters/llm/openai_embedder.h"
#include "integration/openai_test_server.h"

namespace {

using namespace docprof;
using adapters::llm::OpenAiEmbedder;
using adapters::llm::OpenAiEmbedderOptions;
using test_support::OpenAiTestServer;
using test_support::ScriptedReply;

OpenAiEmbedderOptions options_for(const OpenAiTestServer& server, int dims = 8) {
  OpenAiEmbedderOptions o;
  o.base_url = server.base_url();
  o.model = "text-embedding-3-small";
  o.dimensions = dims;
  o.timeout_ms = 2'000;
  o.connect_timeout_ms = 1'000;
  return o;
}

ports::ProviderError error_of(const ports::EmbedResult& result) {
  const auto* e = std::get_if<ports::ProviderError>(&result);
  return e != nullptr ? *e : ports::ProviderError{"(no error)", "", false, 0, std::nullopt};
}

std::vector<float> normalised(std::vector<float> v) {
  adapters::llm::l2_normalise(v);
  return v;
}

void expect_vector(const std::vector<float>& got, const std::vector<float>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-6) << i;
}

std::vector<std::string> numbered_texts(int n) {
  std::vector<std::string> texts;
  for (int i = 0; i < n; ++i) texts.push_back("text number " + std::to_string(i * 7919));
  return texts;
}

TEST(OpenAiEmbedder, SendsTheEmbeddingsRequestAndNormalisesTheAnswer) {
  OpenAiTestServer server;
  OpenAiEmbedderOptions o = options_for(server);
  o.api_key = "sk-test-123";
  o.extra_headers = {{"X-Test-Header", "extra"}};
  OpenAiEmbedder embedder(o);
  EXPECT_EQ(embedder.dims(), 8);
  EXPECT_EQ(embedder.model(), "openai:text-embedding-3-small/8");
  EXPECT_DOUBLE_EQ(embedder.default_min_similarity(), OpenAiEmbedder::kDefaultMinSimilarity);

  const std::vector<std::string> texts{"cash flow", "cost of capital"};
  const auto result = embedder.embed(texts);
  const auto* vectors = std::get_if<std::vector<ports::Embedding>>(&result);
  ASSERT_NE(vectors, nullptr) << error_of(result).message;
  ASSERT_EQ(vectors->size(), 2u);
  expect_vector((*vectors)[0], normalised(OpenAiTestServer::embedding_of("cash flow", 8)));
  expect_vector((*vectors)[1], normalised(OpenAiTestServer::embedding_of("cost of capital", 8)));

  const auto sent = server.embedding_requests();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].authorization, "Bearer sk-test-123");
  EXPECT_EQ(sent[0].extra_header, "extra");
  EXPECT_EQ(sent[0].body.at("model"), "text-embedding-3-small");
  EXPECT_EQ(sent[0].body.at("input"), nlohmann::json::array({"cash flow", "cost of capital"}));
  EXPECT_FALSE(sent[0].body.contains("dimensions")) << "not asked for unless configured";
  EXPECT_TRUE(server.requests().empty()) << "no chat call";
}

TEST(OpenAiEmbedder, AsksForDimensionsWhenConfigured) {
  OpenAiTestServer server;
  OpenAiEmbedderOptions o = options_for(server, 16);
  o.request_dimensions = true;
  OpenAiEmbedder embedder(o);
  const std::vector<std::string> texts{"enterprise value"};
  const auto result = embedder.embed(texts);
  ASSERT_TRUE(std::holds_alternative<std::vector<ports::Embedding>>(result))
      << error_of(result).message;
  EXPECT_EQ(std::get<std::vector<ports::Embedding>>(result)[0].size(), 16u);
  EXPECT_EQ(server.embedding_requests().at(0).body.at("dimensions"), 16);
}

TEST(OpenAiEmbedder, BatchesOfAtMost64KeepTheirOrder) {
  OpenAiTestServer server;
  OpenAiEmbedder embedder(options_for(server));
  const auto texts = numbered_texts(150);
  const auto result = embedder.embed(texts);
  const auto* vectors = std::get_if<std::vector<ports::Embedding>>(&result);
  ASSERT_NE(vectors, nullptr) << error_of(result).message;
  ASSERT_EQ(vectors->size(), 150u);
  for (std::size_t i = 0; i < texts.size(); ++i) {
    SCOPED_TRACE(i);
    expect_vector((*vectors)[i], normalised(OpenAiTestServer::embedding_of(texts[i], 8)));
  }
  const auto sent = server.embedding_requests();
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_EQ(sent[0].body.at("input").size(), 64u);
  EXPECT_EQ(sent[1].body.at("input").size(), 64u);
  EXPECT_EQ(sent[2].body.at("input").size(), 22u);
  EXPECT_EQ(sent[1].body.at("input").at(0), texts[64]);
}

TEST(OpenAiEmbedder, VectorsArePlacedByIndexWhateverTheAnswersOrder) {
  OpenAiTestServer server;
  server.reverse_embedding_order(true);
  OpenAiEmbedder embedder(options_for(server));
  const auto texts = numbered_texts(5);
  const auto vectors = std::get<std::vector<ports::Embedding>>(embedder.embed(texts));
  for (std::size_t i = 0; i < texts.size(); ++i) {
    SCOPED_TRACE(i);
    expect_vector(vectors[i], normalised(OpenAiTestServer::embedding_of(texts[i], 8)));
  }
}

TEST(OpenAiEmbedder, BlankTextsAreTheZeroVectorAndNotSent) {
  OpenAiTestServer server;
  OpenAiEmbedder embedder(options_for(server));
  const std::vector<std::string> texts{"", "valuation", " \n"};
  const auto vectors = std::get<std::vector<ports::Embedding>>(embedder.embed(texts));
  ASSERT_EQ(vectors.size(), 3u);
  EXPECT_EQ(vectors[0], std::vector<float>(8, 0.0f));
  EXPECT_EQ(vectors[2], std::vector<float>(8, 0.0f));
  expect_vector(vectors[1], normalised(OpenAiTestServer::embedding_of("valuation", 8)));
  EXPECT_EQ(server.embedding_requests().at(0).body.at("input"),
            nlohmann::json::array({"valuation"}));

  const std::vector<std::string> only_blank{"  "};
  ASSERT_TRUE(std::holds_alternative<std::vector<ports::Embedding>>(embedder.embed(only_blank)));
  EXPECT_EQ(server.embedding_requests().size(), 1u) << "nothing to send, no request";
}

TEST(OpenAiEmbedder, DimensionsOtherThanConfiguredArePermanent) {
  OpenAiTestServer server;
  server.set_embedding_dims(12);
  OpenAiEmbedder embedder(options_for(server, 8));
  const std::vector<std::string> texts{"valuation"};
  const auto e = error_of(embedder.embed(texts));
  EXPECT_EQ(e.code, "bad_response");
  EXPECT_FALSE(e.transient);
  EXPECT_NE(e.message.find("12 dimensions"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("embedding.dimensions"), std::string::npos) << e.message;
}

TEST(OpenAiEmbedder, RateLimitIsTransientWithRetryAfter) {
  OpenAiTestServer server;
  server.fail_next_embeddings(
      {ScriptedReply::error(429, "Rate limit reached for embeddings", {{"Retry-After", "3"}})});
  OpenAiEmbedder embedder(options_for(server));
  const std::vector<std::string> texts{"valuation"};
  const auto e = error_of(embedder.embed(texts));
  EXPECT_EQ(e.code, "rate_limited");
  EXPECT_TRUE(e.transient);
  EXPECT_EQ(e.http_status, 429);
  EXPECT_EQ(e.retry_after_ms, 3000);
  EXPECT_EQ(e.message, "Rate limit reached for embeddings");
  EXPECT_TRUE(std::holds_alternative<std::vector<ports::Embedding>>(embedder.embed(texts)))
      << "the next call goes through";
}

TEST(OpenAiEmbedder, ServerErrorIsTransientAndUnauthorizedPermanent) {
  OpenAiTestServer server;
  server.fail_next_embeddings({ScriptedReply::error(500, "The server had an error"),
                               ScriptedReply::error(401, "Incorrect API key provided: sk-bad")});
  OpenAiEmbedder embedder(options_for(server));
  const std::vector<std::string> texts{"valuation"};
  auto e = error_of(embedder.embed(texts));
  EXPECT_EQ(e.code, "server_error");
  EXPECT_TRUE(e.transient);
  e = error_of(embedder.embed(texts));
  EXPECT_EQ(e.code, "unauthorized");
  EXPECT_FALSE(e.transient);
  EXPECT_EQ(e.message, "Incorrect API key provided: sk-bad");
}

TEST(OpenAiEmbedder, AFailingBatchFailsTheWholeCall) {
  OpenAiTestServer server;
  OpenAiEmbedderOptions o = options_for(server);
  o.batch_size = 2;
  OpenAiEmbedder embedder(o);
  const auto texts = numbered_texts(5);
  server.fail_next_embeddings({});
  ASSERT_TRUE(std::holds_alternative<std::vector<ports::Embedding>>(embedder.embed(texts)));
  EXPECT_EQ(server.embedding_requests().size(), 3u);
  ScriptedReply cut;
  cut.raw_body = R"({"data": [ {"embedding": )";
  server.fail_next_embeddings({cut});
  const auto e = error_of(embedder.embed(texts));
  EXPECT_EQ(e.code, "bad_response");
  EXPECT_TRUE(e.transient);
  EXPECT_EQ(server.embedding_requests().size(), 4u) << "no batch after a failed one";
}

TEST(OpenAiEmbedder, SlowAnswerPastTheTimeoutIsATransientTimeout) {
  OpenAiTestServer server;
  ScriptedReply slow = ScriptedReply::error(500, "late");
  slow.delay_ms = 1'500;
  server.fail_next_embeddings({slow});
  OpenAiEmbedderOptions o = options_for(server);
  o.timeout_ms = 300;
  OpenAiEmbedder embedder(o);
  const std::vector<std::string> texts{"valuation"};
  const auto e = error_of(embedder.embed(texts));
  EXPECT_EQ(e.code, "timeout");
  EXPECT_TRUE(e.transient);
  EXPECT_NE(e.message.find("embedding call timed out"), std::string::npos) << e.message;
}

TEST(OpenAiEmbedder, ConstructionNeedsBaseUrlModelDimensionsAndABatchSize) {
  OpenAiEmbedderOptions o;
  o.base_url = "http://127.0.0.1:1/v1";
  o.model = "m";
  EXPECT_THROW(OpenAiEmbedder{o}, std::invalid_argument) << "dimensions are required";
  o.dimensions = 8;
  EXPECT_NO_THROW(OpenAiEmbedder{o});
  o.batch_size = 65;
  EXPECT_THROW(OpenAiEmbedder{o}, std::invalid_argument);
  o.batch_size = 64;
  o.model.clear();
  EXPECT_THROW(OpenAiEmbedder{o}, std::invalid_argument);
}

}  // namespace
