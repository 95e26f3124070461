// BedrockModel and BedrockEmbedder against a Bedrock Runtime look-alike on loopback
// (bedrock_test_server.h) that verifies every request's SigV4 signature as AWS does: the Converse
// and Titan InvokeModel wire formats, a model id with ':' in the path, session tokens, wrong
// secrets, every fault the provider must ride through or report (throttling, 503, daily quota,
// validation, access errors, truncation, timeouts, malformed answers), the fallback model, and a
// whole course run through the engine's WorkerPool with both Converse and Titan on loopback.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "adapters/llm/bedrock_embedder.h"
#include "adapters/llm/bedrock_model.h"
#include "integration/bedrock_test_server.h"
#include "integration/engine_harness.h"

namespace {

using namespace docprof;
using adapters::llm::BedrockConnection;
using adapters::llm::BedrockEmbedder;
using adapters::llm::BedrockEmbedderOptions;
using adapters::llm::BedrockModel;
using adapters::llm::BedrockOptions;
using test_support::BedrockReply;
using test_support::BedrockTestServer;

constexpr const char* kAccessKey = "AKIDEXAMPLE";
constexpr const char* kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr const char* kRegion = "us-east-1";
constexpr const char* kClaude = "anthropic.claude-3-haiku-20240307-v1:0";
constexpr const char* kFallback = "amazon.nova-lite-v1:0";

constexpr const char* kPartsPrompt = "divide the course into its major parts";
constexpr const char* kPart0Prompt = "Write the sections of Part 1,";
constexpr const char* kPart1Prompt = "Write the sections of Part 2,";

BedrockConnection connection_for(const BedrockTestServer& server) {
  BedrockConnection c;
  c.region = kRegion;
  c.endpoint = server.endpoint();
  c.credentials = {kAccessKey, kSecret, std::nullopt};
  c.timeout_ms = 2'000;
  c.connect_timeout_ms = 1'000;
  return c;
}

BedrockOptions options_for(const BedrockTestServer& server, std::string model = kClaude) {
  BedrockOptions o;
  o.connection = connection_for(server);
  o.model_id = std::move(model);
  return o;
}

domain::LlmRequest request(const std::string& prompt, int max_tokens = 2000) {
  domain::LlmRequest r;
  r.prompt_id = "test";
  r.task = "test_task";
  r.rendered = prompt;
  r.temperature = 0.25;
  r.max_tokens = max_tokens;
  return r;
}

template <class Result>
ports::ProviderError error_of(const Result& result) {
  const auto* e = std::get_if<ports::ProviderError>(&result);
  return e != nullptr ? *e : ports::ProviderError{"(no error)", "", false, 0, std::nullopt};
}

ports::ProviderError fault(BedrockReply reply) {
  BedrockTestServer server(kAccessKey, kSecret, kRegion);
  server.on("hello", {std::move(reply)});
  BedrockModel model(options_for(server));
  return error_of(model.complete(request("hello"), {}));
}

// ---- Converse ------------------------------------------------------------------------------

TEST(BedrockModel, SendsASignedConverseRequestWithTheColonEncodedAndReadsTheAnswer) {
  BedrockTestServer server(kAccessKey, kSecret, kRegion);
  server.on("hello", {BedrockReply::answer("Course title: X")});
  BedrockModel model(options_for(server));

  const auto result = model.complete(request("hello there", 1234), {});
  const auto* outcome = std::get_if<domain::ModelOutcome>(&result);
  ASSERT_NE(outcome, nullptr) << error_of(result).message;
  EXPECT_EQ(outcome->text, "Course title: X");
  EXPECT_EQ(outcome->finish_reason, "stop");
  EXPECT_EQ(outcome->usage.input_tokens, 1000);
  EXPECT_EQ(outcome->usage.output_tokens, 100);
  EXPECT_EQ(outcome->usage.calls, 1);
  EXPECT_EQ(model.name(), std::string("bedrock:") + kClaude);

  const auto sent = server.requests();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(server.rejected_signatures(), 0);
  EXPECT_EQ(sent[0].target, "/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse");
  EXPECT_EQ(sent[0].model_id, kClaude);
  EXPECT_EQ(sent[0].security_token, "");
  EXPECT_EQ(sent[0].body.at("messages"),
            nlohmann::json::parse(R"([{"role":"user","content":[{"text":"hello there"}]}])"));
  EXPECT_EQ(sent[0].body.at("inferenceConfig").at("maxTokens"), 1234);
  EXPECT_DOUBLE_EQ(sent[0].body.at("inferenceConfig").at("temperature").get<double>(), 0.25);
}

TEST(BedrockModel, AnInferenceProfileArnIsOnePathSegment) {
  BedrockTestServer server(kAccessKey, kSecret, kRegion);
  server.on("hello", {BedrockReply::answer("ok")});
  const std::string arn =
      "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-haiku-v1:0";
  BedrockModel model(options_for(server, arn));
  const auto result = model.complete(request("hello"), {});
  ASSERT_TRUE(std::holds_alternative<domain::ModelOutcome>(result)) << error_of(result).message;
  EXPECT_EQ(server.requests().at(0).model_id, arn);
}

TEST(BedrockModel, SessionTokenIsSentAndSigned) {
  const std::string token = "FQoGZXIvYXdzEXAMPLESESSIONTOKEN//////////wEaDEXAMPLE=";
  BedrockTestServer server(kAccessKey, kSecret, kRegion, token);
  server.on("hello", {BedrockReply::answer("ok")});
  BedrockOptions o = options_for(server);
  o.connection.credentials.session_token = token;
  BedrockModel model(o);
  const auto result = model.complete(request("hello"), {});
  ASSERT_TRUE(std::holds_alternative<domain::ModelOutcome>(result)) << error_of(result).message;
  EXPECT_EQ(server.requests().at(0).security_token, token);

  BedrockModel without_token(options_for(server));
  const auto e = error_of(without_token.complete(request("hello"), {}));
  EXPECT_EQ(e.code, "forbidden");
  EXPECT_FALSE(e.transient);
  EXPECT_NE(e.message.find("UnrecognizedClientException"), std::string::npos) << e.message;
}

TEST(BedrockModel, AWrongSecretIsRefusedLikeAwsDoes) {
  BedrockTestServer server(kAccessKey, kSecret, kRegion);
  server.on("hello", {BedrockReply::answer("ok")});
  BedrockOptions o = options_for(server);
  o.connection.credentials.secret_access_key = "not-the-secret";
  BedrockModel model(o);
  const auto e = error_of(model.complete(request("hello"), {}));
  EXPECT_EQ(e.code, "forbidden");
  EXPECT_EQ(e.http_status, 403);
  EXPECT_FALSE(e.transient);
  EXPECT_NE(e.message.find("InvalidSignatureException: The request signature we calculated"),
            std::string::npos)
      << e.message;
  EXPECT_EQ(server.rejected_signatures(), 1);
}

TEST(BedrockModel, ThrottlingIsTransient) {
  const auto e = fault(BedrockReply::throttled());
  EXPECT_EQ(e.code, "rate_limited");
  EXPECT_TRUE(e.transient);
  EXPECT_EQ(e.http_status, 429);
  EXPECT_EQ(e.message, "ThrottlingException: Too many requests, please wait before trying again.");
}

TEST(BedrockModel, ThrottlingNamedOnlyInTheBodyIsTransientWhateverTheStatus) {
  BedrockReply reply = BedrockReply::error(400, "ThrottlingException", "Rate exceeded");
  reply.type_in_body = true;
  const auto e = fault(reply);
  EXPECT_EQ(e.code, "rate_limited");
  EXPECT_TRUE(e.transient);
  EXPECT_EQ(e.message, "ThrottlingException: Rate exceeded");
}

TEST(BedrockModel, ServiceUnavailableAndOther5xxAreTransient) {
  auto e = fault(BedrockReply::unavailable());
  EXPECT_EQ(e.code, "server_error");
  EXPECT_TRUE(e.transient);
  EXPECT_EQ(e.http_status, 503);
  e = fault(BedrockReply::error(500, "InternalServerException", "internal error"));
  EXPECT_EQ(e.code, "server_error");
  EXPECT_TRUE(e.transient);
  e = fault(BedrockReply::error(502, "", "bad gateway"));
  EXPECT_TRUE(e.transient);
}

TEST(BedrockModel, ValidationAccessAndNotFoundArePermanentWithAwsMessage) {
  auto e = fault(BedrockReply::validation("The provided model identifier is invalid."));
  EXPECT_EQ(e.code, "bad_request");
  EXPECT_FALSE(e.transient);
  EXPECT_EQ(e.message, "ValidationException: The provided model identifier is invalid.");
  e = fault(BedrockReply::error(403, "AccessDeniedException",
                                "You don't have access to the model with the specified model ID."));
  EXPECT_EQ(e.code, "forbidden");
  EXPECT_FALSE(e.transient);
  EXPECT_NE(e.message.find("don't have access"), std::string::npos);
  e = fault(BedrockReply::error(404, "ResourceNotFoundException", "Model not found."));
  EXPECT_EQ(e.code, "not_found");
  EXPECT_FALSE(e.transient);
}

TEST(BedrockModel, MaxTokensIsAskedOnceMoreWithDoubleTheTokens) {
  BedrockTestServer server(kAccessKey, kSecret, kRegion);
  server.on("hello", {BedrockReply::answer("Course ti", "max_tokens"),
                      BedrockReply::answer("Course title: X")});
  BedrockModel model(options_for(server));
  const auto result = model.complete(request("hello", 500), {});
  const auto* outcome = std::get_if<domain::ModelOutcome>(&result);
  ASSERT_NE(outcome, nullptr) << error_of(result).message;
  EXPECT_EQ(outcome->text, "Course title: X");
  EXPECT_EQ(outcome->finish_reason, "stop");
  EXPECT_EQ(outcome->usage.calls, 2);
  EXPECT_EQ(outcome->usage.output_tokens, 200);
  const auto sent = server.requests();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0].body.at("inferenceConfig").at("maxTokens"), 500);
  EXPECT_EQ(sent[1].body.at("inferenceConfig").at("maxTokens"), 1000);
}

TEST(BedrockModel, StillTruncatedComesBackWithFinishReasonLength) {
  BedrockTestServer server(kAccessKey, kSecret, kRegion);
  server.on("hello", {BedrockReply::answer("Course ti", "max_tokens")});
  BedrockModel model(options_for(server));
  const auto result = model.complete(request("hello", 500), {});
  const auto* outcome = std::get_if<domain::ModelOutcome>(&result);
  ASSERT_NE(outcome, nullptr);
  EXPECT_EQ(outcome->finish_reason, "length");
  EXPECT_EQ(server.requests().size(), 2u);
}

TEST(BedrockModel, DailyQuotaSwitchesToTheFallbackForThisAndLaterCalls) {
  BedrockTestServer server(kAccessKey, kSecret, kRegion);
  server.exhaust_daily_quota(kClaude);
  server.on("hello", {BedrockReply::answer("from the fallback")});
  BedrockOptions o = options_for(server);
  o.fallback_model_id = kFallback;
  BedrockModel model(o);

  auto result = model.complete(request("hello"), {});
  const auto* outcome = std::get_if<domain::ModelOutcome>(&result);
  ASSERT_NE(outcome, nullptr) << error_of(result).message;
  EXPECT_EQ(outcome->text, "from the fallback");
  EXPECT_TRUE(model.using_fallback());
  EXPECT_EQ(model.name(), std::string("bedrock:") + kFallback);

  result = model.complete(request("hello"), {});
  ASSERT_TRUE(std::holds_alternative<domain::ModelOutcome>(result));
  EXPECT_EQ(server.calls_to(kClaude), 1) << "later calls go straight to the fallback";
  EXPECT_EQ(server.calls_to(kFallback), 2);
  EXPECT_EQ(server.requests().at(1).target, "/model/amazon.nova-lite-v1%3A0/converse");
}

TEST(BedrockModel, DailyQuotaWithoutFallbackIsPermanent) {
  BedrockTestServer server(kAccessKey, kSecret, kRegion);
  server.exhaust_daily_quota(kClaude);
  BedrockModel model(options_for(server));
  const auto e = error_of(model.complete(request("hello"), {}));
  EXPECT_EQ(e.code, "quota_exhausted");
  EXPECT_FALSE(e.transient);
  EXPECT_NE(e.message.find("Too many tokens per day"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("llm.fallback_model"), std::string::npos) << e.message;
}

TEST(BedrockModel, OrdinaryThrottlingDoesNotSwitchToTheFallback) {
  BedrockTestServer server(kAccessKey, kSecret, kRegion);
  server.on("hello", {BedrockReply::throttled()});
  BedrockOptions o = options_for(server);
  o.fallback_model_id = kFallback;
  BedrockModel model(o);
  EXPECT_EQ(error_of(model.complete(request("hello"), {})).code, "rate_limited");
  EXPECT_FALSE(model.using_fallback());
  EXPECT_EQ(server.calls_to(kFallback), 0);
}

TEST(BedrockModel, SlowAnswerPastTheTimeoutIsATransientTimeout) {
  BedrockReply slow = BedrockReply::answer("late");
  slow.delay_ms = 1'500;
  BedrockTestServer server(kAccessKey, kSecret, kRegion);
  server.on("hello", {slow});
  BedrockOptions o = options_for(server);
  o.connection.timeout_ms = 300;
  BedrockModel model(o);
  const auto e = error_of(model.complete(request("hello"), {}));
  EXPECT_EQ(e.code, "timeout");
  EXPECT_TRUE(e.transient);
}

TEST(BedrockModel, MalformedAnswerIsATransientBadResponse) {
  BedrockReply cut;
  cut.raw_body = R"({"output": {"message": )";
  auto e = fault(cut);
  EXPECT_EQ(e.code, "bad_response");
  EXPECT_TRUE(e.transient);
  BedrockReply no_text;
  no_text.raw_body =
      R"({"output":{"message":{"role":"assistant","content":[]}},"stopReason":"end_turn"})";
  EXPECT_EQ(fault(no_text).code, "bad_response");
}

TEST(BedrockModel, ConstructionNeedsRegionCredentialsModelAndAnHttpEndpoint) {
  BedrockTestServer server(kAccessKey, kSecret, kRegion);
  BedrockOptions o = options_for(server);
  o.model_id.clear();
  EXPECT_THROW(BedrockModel{o}, std::invalid_argument);
  o = options_for(server);
  o.connection.region.clear();
  EXPECT_THROW(BedrockModel{o}, std::invalid_argument);
  o = options_for(server);
  o.connection.credentials.secret_access_key.clear();
  EXPECT_THROW(BedrockModel{o}, std::invalid_argument);
  o = options_for(server);
  o.connection.endpoint = "ftp://example.com";
  EXPECT_THROW(BedrockModel{o}, std::invalid_argument);
}

TEST(BedrockRuntime, DefaultEndpointAndPaths) {
  using adapters::llm::BedrockRuntime;
  EXPECT_EQ(adapters::llm::bedrock_default_endpoint("eu-west-3"),
            "https://bedrock-runtime.eu-west-3.amazonaws.com");
  BedrockConnection c;
  c.region = "eu-west-3";
  c.credentials = {kAccessKey, kSecret, std::nullopt};
  BedrockRuntime aws(c);
  EXPECT_EQ(aws.endpoint(), "https://bedrock-runtime.eu-west-3.amazonaws.com");
  EXPECT_EQ(aws.path_for(kClaude, "converse"),
            "/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse");
  c.endpoint = "https://vpce-1.bedrock-runtime.eu-west-3.vpce.amazonaws.com/proxy/";
  BedrockRuntime vpc(c);
  EXPECT_EQ(vpc.path_for("amazon.titan-embed-text-v1", "invoke"),
            "/proxy/model/amazon.titan-embed-text-v1/invoke");
}

TEST(BedrockRuntime, CredentialsAndRegionFromTheEnvironment) {
  std::map<std::string, std::string> env{{"AWS_ACCESS_KEY_ID", "AK"},
                                         {"AWS_SECRET_ACCESS_KEY", "SK"},
                                         {"AWS_SESSION_TOKEN", "TOK"},
                                         {"AWS_REGION", "us-west-2"}};
  auto lookup = [&](const std::string& name) -> std::optional<std::string> {
    auto it = env.find(name);
    return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
  auto got = adapters::llm::aws_environment(lookup);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got.value().credentials.access_key_id, "AK");
  EXPECT_EQ(got.value().credentials.secret_access_key, "SK");
  EXPECT_EQ(got.value().credentials.session_token, "TOK");
  EXPECT_EQ(got.value().region, "us-west-2");

  env.erase("AWS_SESSION_TOKEN");
  env.erase("AWS_REGION");
  env["AWS_DEFAULT_REGION"] = "eu-central-1";
  got = adapters::llm::aws_environment(lookup);
  ASSERT_TRUE(got.ok());
  EXPECT_FALSE(got.value().credentials.session_token.has_value());
  EXPECT_EQ(got.value().region, "eu-central-1");

  env = {{"AWS_ACCESS_KEY_ID", "AK"}, {"AWS_SECRET_ACCESS_KEY", ""}};
  got = adapters::llm::aws_environment(lookup);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, "missing_aws_credentials");
  EXPECT_NE(got.error().message.find("AWS_SECRET_ACCESS_KEY, AWS_REGION"), std::string::npos)
      << got.error().message;
}

// ---- Titan embeddings ----------------------------------------------------------------------

BedrockEmbedderOptions titan(const BedrockTestServer& server, std::string model, int dims = 0) {
  BedrockEmbedderOptions o;
  o.connection = connection_for(server);
  o.model_id = std::move(model);
  o.dimensions = dims;
  return o;
}

double norm(const std::vector<float>& v) {
  double sum = 0;
  for (float x : v) sum += static_cast<double>(x) * x;
  return std::sqrt(sum);
}

TEST(BedrockEmbedder, TitanV1MakesUnitVectorsOf1536OneCallPerText) {
  BedrockTestServer server(kAccessKey, kSecret, kRegion);
  BedrockEmbedder embedder(titan(server, "amazon.titan-embed-text-v1"));
  EXPECT_EQ(embedder.dims(), 1536);
  EXPECT_EQ(embedder.model(), "bedrock:amazon.titan-embed-text-v1/1536");
  EXPECT_DOUBLE_EQ(embedder.default_min_similarity(), 0.35);

  const std::vector<std::string> texts{"discounted cash flow valuation", "  ",
                                       "cost of capital and WACC"};
  const auto result = embedder.embed(texts);
  const auto* vectors = std::get_if<std::vector<ports::Embedding>>(&result);
  ASSERT_NE(vectors, nullptr) << error_of(result).message;
  ASSERT_EQ(vectors->size(), 3u);
  EXPECT_EQ((*vectors)[0].size(), 1536u);
  EXPECT_NEAR(norm((*vectors)[0]), 1.0, 1e-5) << "v1's vectors are normalised by the client";
  EXPECT_EQ(norm((*vectors)[1]), 0.0) << "a blank text is the zero vector";
  EXPECT_NEAR(norm((*vectors)[2]), 1.0, 1e-5);

  const auto sent = server.requests();
  ASSERT_EQ(sent.size(), 2u) << "one call per non-blank text";
  EXPECT_EQ(sent[0].action, "invoke");
  EXPECT_EQ(sent[0].target, "/model/amazon.titan-embed-text-v1/invoke");
  EXPECT_EQ(sent[0].body,
            nlohmann::json::parse(R"({"inputText":"discounted cash flow valuation"})"));
  EXPECT_EQ(sent[1].body.at("inputText"), "cost of capital and WACC");
}

TEST(BedrockEmbedder, TitanV2AsksForItsDimensions) {
  BedrockTestServer server(kAccessKey, kSecret, kRegion);
  for (int dims : {256, 512, 1024}) {
    BedrockEmbedder embedder(titan(server, "amazon.titan-embed-text-v2:0", dims));
    EXPECT_EQ(embedder.model(), "bedrock:amazon.titan-embed-text-v2:0/" + std::to_string(dims));
    const std::vector<std::string> texts{"enterprise value"};
    const auto result = embedder.embed(texts);
    const auto* vectors = std::get_if<std::vector<ports::Embedding>>(&result);
    ASSERT_NE(vectors, nullptr) << error_of(result).message;
    EXPECT_EQ(vectors->at(0).size(), static_cast<std::size_t>(dims));
    EXPECT_NEAR(norm(vectors->at(0)), 1.0, 1e-5);
    const auto last = server.requests().back();
    EXPECT_EQ(last.target, "/model/amazon.titan-embed-text-v2%3A0/invoke");
    EXPECT_EQ(last.body.at("dimensions"), dims);
    EXPECT_EQ(last.body.at("normalize"), true);
  }
  EXPECT_EQ(BedrockEmbedder(titan(server, "amazon.titan-embed-text-v2:0")).dims(), 1024);
  EXPECT_THROW(BedrockEmbedder(titan(server, "amazon.titan-embed-text-v2:0", 1536)),
               std::invalid_argument);
  EXPECT_THROW(BedrockEmbedder(titan(server, "amazon.titan-embed-text-v1", 512)),
               std::invalid_argument);
  EXPECT_THROW(BedrockEmbedder(titan(server, "cohere.embed-english-v3")), std::invalid_argument);
}

TEST(BedrockEmbedder, RelatedTextsScoreHigherThanUnrelatedOnes) {
  BedrockTestServer server(kAccessKey, kSecret, kRegion);
  BedrockEmbedder embedder(titan(server, "amazon.titan-embed-text-v1"));
  const std::vector<std::string> texts{"valuing a company with discounted cash flows",
                                       "discounted cash flow valuation of companies",
                                       "growing tomatoes in a greenhouse"};
  const auto v = std::get<std::vector<ports::Embedding>>(embedder.embed(texts));
  EXPECT_GT(adapters::embed::cosine(v[0], v[1]), adapters::embed::cosine(v[0], v[2]) + 0.2);
}

TEST(BedrockEmbedder, FaultsAreClassified) {
  BedrockTestServer server(kAccessKey, kSecret, kRegion);
  BedrockEmbedder embedder(titan(server, "amazon.titan-embed-text-v1"));
  const std::vector<std::string> texts{"a", "b"};
  server.fail_next_invokes({BedrockReply::throttled()});
  auto e = error_of(embedder.embed(texts));
  EXPECT_EQ(e.code, "rate_limited");
  EXPECT_TRUE(e.transient);

  server.fail_next_invokes({BedrockReply::validation("Malformed input request")});
  e = error_of(embedder.embed(texts));
  EXPECT_EQ(e.code, "bad_request");
  EXPECT_FALSE(e.transient);

  BedrockReply short_vector;
  short_vector.raw_body = R"({"embedding":[0.1,0.2,0.3],"inputTextTokenCount":1})";
  server.fail_next_invokes({short_vector});
  e = error_of(embedder.embed(texts));
  EXPECT_EQ(e.code, "bad_response");
  EXPECT_FALSE(e.transient) << "a vector of the wrong size is a configuration error";

  server.exhaust_daily_quota("amazon.titan-embed-text-v1");
  e = error_of(embedder.embed(texts));
  EXPECT_EQ(e.code, "quota_exhausted");
}

// ---- whole runs through the engine -----------------------------------------------------------

// A second database with the valuation books embedded by Titan (on the loopback server), and the
// engine wired to BedrockModel + BedrockEmbedder as a worker process would be.
struct BedrockRuntimeUnderTest {
  BedrockRuntimeUnderTest(test_support::EngineHarness& h, ports::LanguageModel& model,
                          ports::Embedder& embedder)
      : stores(h.dir.file("bedrock.db")),
        library_service(stores.library, embedder, h.clock),
        service(stores.runs, stores.queue, stores.dead_letters, stores.courses, h.clock, h.ids, h.settings.workflow),
        runner(engine::StepPorts{stores.runs, stores.queue, stores.dead_letters, model, embedder, stores.library,
                                 h.clock, h.ids},
               h.settings) {
    for (const char* book : test_support::kValuationBooks) {
      test_support::import_book_file(library_service, test_support::sample_book(book));
    }
  }

  test_support::Stores stores;
  engine::LibraryService library_service;
  engine::CourseService service;
  engine::StepRunner runner;
};

TEST(BedrockPipeline, CoursesRunThroughConverseAndTitanOnLoopbackRidingOutFaults) {
  auto settings = test_support::fast_engine_settings();
  // The loopback Titan answers the hashing embedder's vectors, so the hashing threshold applies.
  settings.workflow.min_similarity = adapters::embed::HashingEmbedder::kDefaultMinSimilarity;
  test_support::EngineHarness h(settings);
  BedrockTestServer server(kAccessKey, kSecret, kRegion);
  server.on(kPartsPrompt, {BedrockReply::throttled(), BedrockReply::unavailable(),
                           BedrockReply::answer(test_support::kPartsAnswer)});
  server.on(kPart0Prompt, {BedrockReply::answer(test_support::kPart0Answer)});
  server.on(kPart1Prompt, {BedrockReply::answer("## Part 2: DCF", "max_tokens"),
                           BedrockReply::answer(test_support::kPart1Answer)});
  BedrockModel model(options_for(server));
  BedrockEmbedder embedder(titan(server, "amazon.titan-embed-text-v1"));
  BedrockRuntimeUnderTest rt(h, model, embedder);
  const int import_calls = static_cast<int>(server.requests().size());
  ASSERT_GT(import_calls, 3) << "the books were embedded through Titan";

  constexpr int kRuns = 3;
  std::vector<std::string> ids;
  for (int i = 0; i < kRuns; ++i) {
    domain::RawCourseRequest raw;
    raw.query =
        "Corporate valuation: discounted cash flow, cost of capital and valuation multiples";
    raw.hours = 2.0;
    auto id = rt.service.request_course("user-" + std::to_string(i), raw);
    ASSERT_TRUE(id.ok()) << id.error().message;
    ids.push_back(id.value());
  }
  engine::WorkerPool pool(rt.runner, rt.stores.queue, rt.stores.runs, h.clock, settings, "pool",
                          /*drain=*/true);
  pool.start();
  ASSERT_TRUE(pool.wait());

  for (const auto& id : ids) {
    auto run = rt.service.run(id);
    EXPECT_EQ(run->status, ports::RunStatus::complete)
        << id << ": " << (run->error ? run->error->message : "");
    EXPECT_EQ(rt.stores.course_rows(id), test_support::kRowsPerCourse) << id;
  }
  EXPECT_EQ(server.rejected_signatures(), 0);
  EXPECT_EQ(server.hits(kPartsPrompt), kRuns + 2) << "throttling and 503 were retried";
  EXPECT_EQ(server.hits(kPart1Prompt), kRuns + 1) << "one max_tokens re-ask";
  EXPECT_EQ(pool.stats().retries, 2);
  int embed_calls = 0;
  for (const auto& r : server.requests()) embed_calls += r.action == "invoke" ? 1 : 0;
  EXPECT_EQ(embed_calls, import_calls + kRuns) << "each request's query was embedded by Titan";
}

TEST(BedrockPipeline, ARunGoesOnWithTheFallbackWhenTheDailyQuotaIsSpent) {
  test_support::EngineHarness h;
  BedrockTestServer server(kAccessKey, kSecret, kRegion);
  server.on(kPartsPrompt, {BedrockReply::answer(test_support::kPartsAnswer)});
  server.on(kPart0Prompt, {BedrockReply::answer(test_support::kPart0Answer)});
  server.on(kPart1Prompt, {BedrockReply::answer(test_support::kPart1Answer)});
  server.exhaust_daily_quota(kClaude);
  BedrockOptions o = options_for(server);
  o.fallback_model_id = kFallback;
  BedrockModel model(o);
  auto runner = h.runner(model);
  const std::string id = h.request();
  h.deliver_all(*runner);
  auto run = h.service.run(id);
  EXPECT_EQ(run->status, ports::RunStatus::complete) << (run->error ? run->error->message : "");
  EXPECT_EQ(h.course_rows(id), test_support::kRowsPerCourse);
  EXPECT_EQ(server.calls_to(kClaude), 1);
  EXPECT_EQ(server.calls_to(kFallback), test_support::kModelCallsPerRun);
}

TEST(BedrockPipeline, ValidationExceptionFailsTheRunAtOnceWithAwsMessage) {
  test_support::EngineHarness h;
  BedrockTestServer server(kAccessKey, kSecret, kRegion);
  server.on(kPartsPrompt, {BedrockReply::validation("The provided model identifier is invalid.")});
  BedrockModel model(options_for(server));
  auto runner = h.runner(model);
  const std::string id = h.request();
  h.deliver_all(*runner);
  auto run = h.service.run(id);
  EXPECT_EQ(run->status, ports::RunStatus::error);
  ASSERT_TRUE(run->error.has_value());
  EXPECT_NE(run->error->message.find("The provided model identifier is invalid."),
            std::string::npos)
      << run->error->message;
  EXPECT_EQ(server.hits(kPartsPrompt), 1) << "a permanent error must not be retried";
}

}  // namespace
