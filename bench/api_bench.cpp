// The HTTP API under load, as users meet it: a real `docprof serve` process (the offline extractive
// planner, the sample library of examples/library, bearer tokens for N users, its workers in the
// same process), and N client threads — one user each — that POST a course at the same moment and
// then follow its Server-Sent Events stream to the final `complete` (or `error`) event. Each
// finished course's outline is read back and its minutes checked against the request.
//
// Printed: courses per second over the whole batch, p50/p99/max of the POST latency (request to
// 202) and of the whole course (POST sent to the `complete` event received), and any failure.
//
// Run: build/bench/api_bench [--users 50] [--hours 6] [--server-threads 64] [--rounds 1]
// (`--server-threads`: the server's io threads; open event streams hold none since issue 15.)
// Nothing here asserts on time.
#include <httplib.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "serve_process.h"
#include "util/digest.h"

namespace {

using docprof::bench::percentile;

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using nlohmann::json;

struct Options {
  int users = 50;
  double hours = 6;
  int server_threads = 64;
  int rounds = 1;
};

Options parse_options(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string name = argv[i];
    const std::string value = argv[i + 1];
    if (name == "--users") o.users = std::stoi(value);
    else if (name == "--hours") o.hours = std::stod(value);
    else if (name == "--server-threads") o.server_threads = std::stoi(value);
    else if (name == "--rounds") o.rounds = std::stoi(value);
    else throw std::invalid_argument("unknown option " + name);
  }
  if (o.users < 1 || o.rounds < 1) throw std::invalid_argument("--users and --rounds must be at least 1");
  return o;
}

struct Sample {
  double post_ms = 0;
  double course_ms = 0;
  std::string failure;  // empty when the course completed with the requested minutes
};

// One user: POST the course, follow its event stream to the end, read the outline back.
Sample one_user(int port, const std::string& token, double hours, Clock::time_point start) {
  Sample s;
  const httplib::Headers auth{{"Authorization", "Bearer " + token}};
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(300, 0);
  const auto before = Clock::now();
  const json body{{"query", "I want to learn how to value a company"}, {"hours", hours}};
  auto posted = client.Post("/courses", auth, body.dump(), "application/json");
  s.post_ms = std::chrono::duration<double, std::milli>(Clock::now() - before).count();
  if (!posted || posted->status != 202) {
    s.failure = "POST: " + (posted ? std::to_string(posted->status) + " " + posted->body
                                   : "no response (" + httplib::to_string(posted.error()) + ")");
    return s;
  }
  const std::string id = json::parse(posted->body).at("course_id").get<std::string>();

  std::string stream;
  std::string final_event;
  auto streamed = client.Get("/courses/" + id + "/events", auth, [&](const char* data, std::size_t size) {
    stream.append(data, size);
    for (const char* name : {"event: complete", "event: error"}) {
      if (stream.find(name) != std::string::npos) final_event = name + 7;
    }
    return final_event.empty();  // stop reading once the final event arrived
  });
  s.course_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  if (final_event != "complete") {
    s.failure = "stream ended with '" + (final_event.empty() ? "nothing" : final_event) + "' (" +
                (streamed ? "HTTP " + std::to_string(streamed->status)
                          : "no response: " + httplib::to_string(streamed.error())) +
                ", " + std::to_string(stream.size()) + " bytes read)";
    return s;
  }
  auto outline = client.Get("/courses/" + id + "/outline", auth);
  if (!outline || outline->status != 200) {
    s.failure = "outline: " + (outline ? std::to_string(outline->status) : std::string("no response"));
    return s;
  }
  const json o = json::parse(outline->body);
  int minutes = 0;
  for (const auto& part : o.at("parts")) {
    for (const auto& section : part.at("sections")) minutes += section.value("estimated_minutes", 0);
  }
  const int target = static_cast<int>(hours * 60);
  if (std::abs(minutes - target) * 20 > target) s.failure = "outline has " + std::to_string(minutes) + " minutes";
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  try {
    options = parse_options(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "api_bench: %s\n", e.what());
    return 2;
  }
  char dir_template[] = "/tmp/docprof-api-bench-XXXXXX";
  const fs::path dir = ::mkdtemp(dir_template);
  const std::string db = (dir / "bench.db").string();
  const std::string tokens_file = (dir / "tokens.txt").string();
  {
    std::ofstream tokens(tokens_file);
    for (int u = 0; u < options.users; ++u) {
      tokens << docprof::util::sha256_hex("token-" + std::to_string(u)) << " user" << u << "\n";
    }
  }
  ::setenv("DOCPROF_AUTH_TOKENS_FILE", tokens_file.c_str(), 1);
  ::setenv("DOCPROF_SERVER_THREADS", std::to_string(options.server_threads).c_str(), 1);
  ::setenv("DOCPROF_LOG_LEVEL", "error", 1);
  const std::string binary = DOCPROF_BINARY;
  docprof::bench::run_command({binary, "--db", db, "books", "import", std::string(DOCPROF_SOURCE_DIR) + "/examples/library"});

  const int port = docprof::bench::free_loopback_port();
  std::printf("api_bench: %d users x %d round(s), %.1f h courses, docprof serve with %d server threads, "
              "default workers (16 steps at once), offline extractive planner, sample library\n",
              options.users, options.rounds, options.hours, options.server_threads);
  int failures = 0;
  {
    docprof::bench::ServeProcess serve({binary, "--db", db, "serve", "--listen", "127.0.0.1:" + std::to_string(port)});
    if (!docprof::bench::wait_ready(port)) {
      std::fprintf(stderr, "api_bench: docprof serve did not become ready\n");
      return 1;
    }
    for (int round = 1; round <= options.rounds; ++round) {
      std::vector<Sample> samples(static_cast<std::size_t>(options.users));
      std::vector<std::thread> users;
      const auto start = Clock::now();
      for (int u = 0; u < options.users; ++u) {
        users.emplace_back([&, u] {
          samples[static_cast<std::size_t>(u)] = one_user(port, "token-" + std::to_string(u), options.hours, start);
        });
      }
      for (auto& t : users) t.join();
      const double wall_s = std::chrono::duration<double>(Clock::now() - start).count();
      std::vector<double> post;
      std::vector<double> course;
      for (const auto& s : samples) {
        post.push_back(s.post_ms);
        if (s.failure.empty()) course.push_back(s.course_ms);
        else {
          ++failures;
          std::fprintf(stderr, "  failed: %s\n", s.failure.c_str());
        }
      }
      std::printf("round %d: %zu/%d courses complete in %.2f s = %.1f courses/s\n", round, course.size(),
                  options.users, wall_s, static_cast<double>(course.size()) / wall_s);
      std::printf("  POST /courses  p50 %7.1f ms  p99 %7.1f ms  max %7.1f ms\n", percentile(post, 0.5),
                  percentile(post, 0.99), percentile(post, 1.0));
      std::printf("  whole course   p50 %7.1f ms  p99 %7.1f ms  max %7.1f ms\n", percentile(course, 0.5),
                  percentile(course, 0.99), percentile(course, 1.0));
      // The next round's users would hit the per-user rate limit; give each round fresh users.
      if (round < options.rounds) {
        std::fprintf(stderr, "  (further rounds reuse the users: the rate limit is 10 courses per user per minute)\n");
      }
    }
  }
  fs::remove_all(dir);
  return failures == 0 ? 0 : 1;
}
