// End to end against a third-party OpenAI-compatible server: mock-llm (@dwmkerr/mock-llm from the
// npm registry, pinned in tests/npm-providers/package.json), scripted by
// tests/npm-providers/mock-llm.yaml to answer docprof's parts, sections and review prompts. docprof
// runs with `--llm openai` against it on loopback, and the course it stores must be exactly the
// outline those answers describe.
//
// mock-llm is installed by `npm ci --prefix tests/npm-providers` (scripts/test.sh does it); when it
// is missing, or node is not on PATH, these tests FAIL and say so — they never skip silently.
//
// Thread safety: the test's main thread only.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <cstdint>

#include "e2e_support.h"

namespace docprof::e2e {
namespace {

const fs::path kSourceDir = DOCPROF_SOURCE_DIR;
const fs::path kProviders = kSourceDir / "tests" / "npm-providers";
const fs::path kMockLlmMain = kProviders / "node_modules" / "@dwmkerr" / "mock-llm" / "dist" / "main.js";
const fs::path kMockLlmConfig = kProviders / "mock-llm.yaml";
const fs::path kExampleLibrary = kSourceDir / "examples" / "library";
constexpr const char* kInstallHint = "run `npm ci --prefix tests/npm-providers` (scripts/test.sh does)";
constexpr const char* kModel = "mock-planner";
constexpr const char* kQuery = "I want to learn how to value a company";
constexpr const char* kTitle = "Valuing a Company: From Financial Statements to DCF";

// `node` on PATH, or empty.
fs::path find_node() {
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
  std::size_t start = 0;
  while (start <= dirs.size()) {
    std::size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    const fs::path candidate = fs::path(dirs.substr(start, end - start)) / "node";
    if (!candidate.parent_path().empty() && access(candidate.c_str(), X_OK) == 0) return candidate;
    start = end + 1;
  }
  return {};
}


// `GET path` on 127.0.0.1:port; the whole answer (status line, headers, body), or empty when
// nothing answers.
std::string http_get(int port, const std::string& path) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return {};
  timeval tv{2, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  std::string answer;
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    const std::string request =
        "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    if (write(fd, request.data(), request.size()) == static_cast<ssize_t>(request.size())) {
      char buffer[4096];
      ssize_t n = 0;
      while ((n = read(fd, buffer, sizeof buffer)) > 0) answer.append(buffer, static_cast<std::size_t>(n));
    }
  }
  close(fd);
  return answer;
}

// mock-llm running on a free loopback port (HOST=127.0.0.1) with tests/npm-providers/mock-llm.yaml;
// stopped when destroyed.
class MockLlm {
 public:
  // Starts it and waits for GET /health; on failure `error()` says why.
  explicit MockLlm(const TempDir& dir) {
    const fs::path node = find_node();
    if (node.empty()) {
      error_ = "node is not on PATH: install Node.js (scripts/install-deps.sh installs Debian's nodejs "
               "and npm), then " + std::string(kInstallHint);
      return;
    }
    if (!fs::exists(kMockLlmMain)) {
      error_ = "mock-llm is not installed (no " + kMockLlmMain.string() + "): " + kInstallHint;
      return;
    }
    // The port is free when chosen but may be taken before mock-llm binds it: then it exits
    // (EADDRINUSE) and another port is tried.
    for (int attempt = 1; attempt <= 3; ++attempt) {
      port_ = free_loopback_port();
      out_ = dir.path() / ("mock-llm-" + std::to_string(attempt) + ".out");
      err_ = dir.path() / ("mock-llm-" + std::to_string(attempt) + ".err");
      process_ = std::make_unique<BackgroundProcess>(
          std::vector<std::string>{node.string(), kMockLlmMain.string(), "--config",
                                   kMockLlmConfig.string()},
          Environment{{"HOST", "127.0.0.1"}, {"PORT", std::to_string(port_)}}, dir.path(), out_, err_);
      bool exited = false;
      const bool healthy = wait_until(
          [&] {
            if (!process_->running()) {
              exited = true;
              return true;
            }
            return http_get(port_, "/health").find("\"healthy\"") != std::string::npos;
          },
          Millis(30000), Millis(100));
      if (healthy && !exited) return;
      const ProcessResult r = exited ? process_->wait() : process_->kill_now();
      process_.reset();
      error_ = "mock-llm did not become healthy on 127.0.0.1:" + std::to_string(port_) + " (" +
               (exited ? "it exited" : "no answer to GET /health within 30 s") + ")\n" + describe(r);
      if (!exited || r.err.find("EADDRINUSE") == std::string::npos) return;
    }
  }
  ~MockLlm() {
    if (process_) {
      process_->send(SIGTERM);
      process_->wait(Millis(5000));
    }
  }
  MockLlm(const MockLlm&) = delete;
  MockLlm& operator=(const MockLlm&) = delete;

  bool ok() const { return process_ != nullptr; }
  const std::string& error() const { return error_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1"; }
  // What mock-llm printed so far: its banner, then one "METHOD /path" line per request.
  std::string log() const { return read_text(out_) + read_text(err_); }
  int chat_completions_served() const {
    const std::string text = read_text(out_);
    int n = 0;
    for (std::size_t at = text.find("POST /v1/chat/completions"); at != std::string::npos;
         at = text.find("POST /v1/chat/completions", at + 1)) {
      ++n;
    }
    return n;
  }

 private:
  int port_ = 0;
  fs::path out_;
  fs::path err_;
  std::unique_ptr<BackgroundProcess> process_;
  std::string error_;
};

// The sections mock-llm.yaml answers, part by part: title and minutes (objectives counted).
struct Section {
  std::string title;
  int minutes;
  std::size_t objectives;
};
struct Part {
  std::string title;
  std::vector<Section> sections;
};

std::vector<Part> planned_parts() {
  return {
      {"Reading Financial Statements",
       {{"The Balance Sheet and the Income Statement", 30, 3},
        {"The Cash Flow Statement", 25, 3},
        {"Ratios That Matter for Valuation", 20, 2}}},
      {"Free Cash Flow and the Cost of Capital",
       {{"From Accounting Profit to Free Cash Flow", 40, 4},
        {"The Cost of Equity and the CAPM", 25, 3},
        {"The Weighted Average Cost of Capital", 25, 3}}},
      {"Discounted Cash Flow Valuation",
       {{"Forecasting Free Cash Flows", 40, 3},
        {"Terminal Value", 30, 3},
        {"From Enterprise Value to Value per Share", 35, 3}}},
      {"Relative Valuation and Judgement",
       {{"Multiples and Comparable Companies", 35, 3},
        {"Sensitivity and Scenario Analysis", 30, 2},
        {"Presenting a Valuation", 25, 2}}},
  };
}

// The review's answer: one more section in parts 2 and 4 (420 minutes).
std::vector<Part> reviewed_parts() {
  std::vector<Part> parts = planned_parts();
  parts[1].sections.push_back({"Capital Structure and Its Effect on Value", 30, 2});
  parts[3].sections.push_back({"Young, Cyclical and Financial Companies", 30, 3});
  return parts;
}

void expect_parts(const json& outline, const std::vector<Part>& want, int total_minutes) {
  SCOPED_TRACE(outline.dump(2).substr(0, 3000));
  expect_outline_shape(outline);
  EXPECT_EQ(outline.value("title", ""), kTitle);
  EXPECT_EQ(outline.value("total_minutes", 0), total_minutes);
  const json parts = outline.value("parts", json::array());
  ASSERT_EQ(parts.size(), want.size()) << "number of parts";
  for (std::size_t p = 0; p < want.size(); ++p) {
    SCOPED_TRACE("part " + std::to_string(p + 1));
    EXPECT_EQ(parts[p].value("title", ""), want[p].title);
    const json sections = parts[p].value("sections", json::array());
    ASSERT_EQ(sections.size(), want[p].sections.size()) << "number of sections";
    int minutes = 0;
    for (std::size_t s = 0; s < sections.size(); ++s) {
      const Section& w = want[p].sections[s];
      EXPECT_EQ(sections[s].value("title", ""), w.title);
      EXPECT_EQ(sections[s].value("estimated_minutes", 0), w.minutes) << w.title;
      EXPECT_EQ(sections[s].value("learning_objectives", json::array()).size(), w.objectives) << w.title;
      minutes += w.minutes;
    }
    EXPECT_EQ(parts[p].value("estimated_minutes", 0), minutes);
  }
}

class MockLlmTest : public ::testing::Test {
 protected:
  void SetUp() override {
    mock = std::make_unique<MockLlm>(cli.dir());
    ASSERT_TRUE(mock->ok()) << mock->error();
    const ProcessResult r = cli.run({"books", "import", kExampleLibrary.string()});
    ASSERT_EQ(r.exit_code, 0) << describe(r);
    // The openai provider, pointed at mock-llm; no API key (the variable named is never set).
    cli.env()["DOCPROF_LLM_BASE_URL"] = mock->base_url();
    cli.env()["DOCPROF_LLM_MODEL"] = kModel;
    cli.env()["DOCPROF_LLM_API_KEY_ENV"] = "DOCPROF_TEST_UNSET_API_KEY";
  }

  DocprofCli cli;
  std::unique_ptr<MockLlm> mock;
};

TEST_F(MockLlmTest, CourseCreateWithTheOpenAiProviderStoresMockLlmsOutline) {
  // 4 parts of 75 + 90 + 105 + 90 = 360 minutes, each expanded to exactly its minutes: on target
  // for 6 hours, so no review.
  const ProcessResult r =
      cli.run({"course", "create", kQuery, "--hours", "6", "--llm", "openai", "--json"});
  ASSERT_EQ(r.exit_code, 0) << describe(r) << "\n--- mock-llm ---\n" << mock->log();
  const json printed = json::parse(r.out);
  const std::string id = printed.value("course_id", "");
  expect_parts(printed, planned_parts(), 360);

  const json stored = cli.run_json({"course", "show", id, "--json"});
  EXPECT_EQ(stored.value("parts", json()), printed.value("parts", json())) << "show differs from create";
  expect_parts(stored, planned_parts(), 360);

  // The run's token usage is the sum of what mock-llm.yaml's answers report: the parts answer
  // (1200 in, 80 out) and four part answers (1500 in, 250 out each) — five calls, all served by
  // mock-llm.
  const json status = cli.status(id);
  EXPECT_EQ(status.value("status", ""), "complete") << status.dump(2);
  const json usage = status.value("usage", json::object());
  EXPECT_EQ(usage.value("calls", 0), 5) << status.dump(2);
  EXPECT_EQ(usage.value("input_tokens", 0), 1200 + 4 * 1500) << status.dump(2);
  EXPECT_EQ(usage.value("output_tokens", 0), 80 + 4 * 250) << status.dump(2);
  EXPECT_EQ(mock->chat_completions_served(), 5) << mock->log();

  const json events = cli.events(id);
  EXPECT_EQ(count_entries(events, "no review needed"), 1) << messages(events);
  EXPECT_EQ(count_entries(events, "rescaled"), 0) << messages(events);

  // The human-readable views name the course and its parts as mock-llm planned them.
  const ProcessResult show = cli.run({"course", "show", id});
  EXPECT_EQ(show.exit_code, 0) << describe(show);
  EXPECT_NE(show.out.find(kTitle), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("Discounted Cash Flow Valuation"), std::string::npos) << show.out;
  const ProcessResult text_status = cli.run({"course", "status", id});
  EXPECT_EQ(text_status.exit_code, 0) << describe(text_status);
  EXPECT_NE(text_status.out.find("7200 in, 1080 out, 5 model call(s)"), std::string::npos)
      << text_status.out;
}

TEST_F(MockLlmTest, WorkerWithTheOpenAiProviderGetsTheOutlineReviewedByMockLlm) {
  // The same plan (360 minutes) for 7 hours is 14 % short, so docprof asks for a review; mock-llm's
  // review answer adds a section to parts 2 and 4 and lands exactly on 420 minutes.
  const std::string id = cli.enqueue(kQuery, "7");
  ASSERT_FALSE(id.empty());
  const ProcessResult worker = cli.run({"worker", "--llm", "openai", "--drain"});
  ASSERT_EQ(worker.exit_code, 0) << describe(worker) << "\n--- mock-llm ---\n" << mock->log();
  // The worker names the provider it runs with.
  EXPECT_NE(worker.err.find(std::string("model openai:") + kModel), std::string::npos) << worker.err;

  const json status = cli.status(id);
  ASSERT_EQ(status.value("status", ""), "complete") << status.dump(2) << "\n" << mock->log();
  const json outline = cli.run_json({"course", "show", id, "--json"});
  expect_parts(outline, reviewed_parts(), 420);

  const json usage = status.value("usage", json::object());
  EXPECT_EQ(usage.value("calls", 0), 6) << status.dump(2);
  EXPECT_EQ(usage.value("input_tokens", 0), 1200 + 4 * 1500 + 2500) << status.dump(2);
  EXPECT_EQ(usage.value("output_tokens", 0), 80 + 4 * 250 + 600) << status.dump(2);
  EXPECT_EQ(mock->chat_completions_served(), 6) << mock->log();

  const json events = cli.events(id);
  EXPECT_EQ(count_entries(events, "asking for a review"), 1) << messages(events);
  EXPECT_EQ(count_entries(events, "Review applied: 360 minutes -> 420 minutes"), 1) << messages(events);
  EXPECT_EQ(count_entries(events, "rescaled"), 0) << messages(events);
}

}  // namespace
}  // namespace docprof::e2e
