// What the end-to-end tests share: a `docprof` wrapper bound to one temporary directory and
// database (DocprofCli), replay cassettes written from the fixture corpus of model answers
// (Cassette), the expected outline read from the corpus's *.expected.json files, and checks of the
// outline JSON the binary prints.
//
// Thread safety: used from the test's main thread only.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "cli_harness.h"

namespace docprof::e2e {

using nlohmann::json;

inline const fs::path kFixtures = DOCPROF_FIXTURES_DIR;
inline const fs::path kLibrary = kFixtures / "books";
inline constexpr Millis kCommandTimeout{120000};

inline std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline void write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out.flush()) throw std::runtime_error("cannot write " + path.string());
}

// A model answer of the corpus (tests/fixtures/llm/<name>.txt) and what its parse must give.
inline std::string fixture_answer(const std::string& name) {
  return read_text(kFixtures / "llm" / (name + ".txt"));
}
inline json fixture_expected(const std::string& name) {
  return json::parse(read_text(kFixtures / "llm" / (name + ".expected.json")));
}

// A replay cassette (JSON lines, src/adapters/llm/cassette.h) built entry by entry; a task's
// entries are handed out in the order they were added, the last one reused.
class Cassette {
 public:
  Cassette& answer(const std::string& task, const std::string& fixture, std::int64_t delay_ms = 0) {
    return text(task, fixture_answer(fixture), delay_ms);
  }
  Cassette& text(const std::string& task, const std::string& response, std::int64_t delay_ms = 0) {
    json line = {{"task", task},
                 {"response", response},
                 {"usage", {{"input_tokens", 1000}, {"output_tokens", 200}}},
                 {"finish_reason", "stop"}};
    if (delay_ms > 0) line["delay_ms"] = delay_ms;
    lines_.push_back(std::move(line));
    return *this;
  }
  // An answer cut off at the model's token limit (finish_reason "length").
  Cassette& truncated(const std::string& task, const std::string& fixture) {
    text(task, fixture_answer(fixture));
    lines_.back()["finish_reason"] = "length";
    return *this;
  }
  Cassette& error(const std::string& task, int status, const std::string& message) {
    lines_.push_back({{"task", task}, {"error", {{"status", status}, {"message", message}}}});
    return *this;
  }
  // Writes the file; returns the --llm value that replays it.
  std::string write(const fs::path& path) const {
    std::string out;
    for (const auto& line : lines_) out += line.dump() + "\n";
    write_text(path, out);
    return "replay:" + path.string();
  }

 private:
  std::vector<json> lines_;
};

// The clean 2-hour Python course of the corpus: a parts plan with a "Course title:" line and one
// matching answer per part (40 + 50 + 30 = 120 minutes).
inline constexpr const char* kPythonTitle = "From Scripts to Packages: Professional Python";
inline constexpr const char* kPythonQuery =
    "I want to learn Python programming: functions, packaging and testing";
inline Cassette& add_python_parts(Cassette& c) {
  return c.answer("generate_part_sections_0", "sections_bold_headers")
      .answer("generate_part_sections_1", "sections_part_header_plain")
      .answer("generate_part_sections_2", "sections_no_objectives_header");
}
inline Cassette python_cassette() {
  Cassette c;
  c.answer("generate_course_parts", "parts_bold_title_and_parts");
  return add_python_parts(c);
}

struct ExpectedSection {
  std::string title;
  int minutes = 0;
  std::vector<std::string> objectives;
};
struct ExpectedPart {
  std::string title;
  std::vector<ExpectedSection> sections;
};

inline std::vector<ExpectedSection> sections_of(const json& list) {
  std::vector<ExpectedSection> out;
  for (const auto& s : list) {
    out.push_back({s.at("title").get<std::string>(), s.at("minutes").get<int>(),
                   s.at("objectives").get<std::vector<std::string>>()});
  }
  return out;
}
// A part titled as the plan says, with the sections a sections fixture parses to.
inline ExpectedPart part_from_sections(const std::string& part_title, const std::string& fixture) {
  return {part_title, sections_of(fixture_expected(fixture).at("sections"))};
}
// The parts of a reviewed-outline fixture.
inline std::vector<ExpectedPart> parts_from_outline(const std::string& fixture) {
  std::vector<ExpectedPart> out;
  const json expected = fixture_expected(fixture);
  for (const auto& p : expected.at("parts")) {
    out.push_back({p.at("title").get<std::string>(), sections_of(p.at("sections"))});
  }
  return out;
}
inline std::vector<ExpectedPart> python_parts() {
  const json plan = fixture_expected("parts_bold_title_and_parts").at("parts");
  return {part_from_sections(plan[0].at("title"), "sections_bold_headers"),
          part_from_sections(plan[1].at("title"), "sections_part_header_plain"),
          part_from_sections(plan[2].at("title"), "sections_no_objectives_header")};
}

// The stored shape (domain.md §1, §8): parts, their sections, one order_index counter from 1 in
// document order, part rows without parent and with the sum of their sections' minutes.
inline void expect_outline_shape(const json& outline) {
  ASSERT_TRUE(outline.contains("sections") && outline["sections"].is_array()) << outline.dump(2);
  const json& flat = outline["sections"];
  std::set<std::string> ids;
  std::string part_id;
  int part_minutes = -1;
  int sum = 0;
  int leaves = 0;
  int total = 0;
  for (std::size_t i = 0; i < flat.size(); ++i) {
    const json& row = flat[i];
    SCOPED_TRACE("row " + std::to_string(i + 1) + ": " + row.value("title", ""));
    EXPECT_EQ(row.at("order_index").get<int>(), static_cast<int>(i) + 1)
        << "order_index must be contiguous";
    EXPECT_TRUE(ids.insert(row.at("section_id").get<std::string>()).second)
        << "duplicate section_id";
    EXPECT_EQ(row.at("course_id"), outline.at("course_id"));
    if (row.at("parent_section_id").is_null()) {
      if (part_minutes >= 0) {
        EXPECT_EQ(part_minutes, sum) << "a part's minutes = the sum of its sections";
      }
      part_id = row.at("section_id").get<std::string>();
      part_minutes = row.at("estimated_minutes").get<int>();
      sum = 0;
      EXPECT_TRUE(row.at("learning_objectives").empty()) << "a part row has no objectives";
    } else {
      EXPECT_FALSE(part_id.empty()) << "a section before any part";
      EXPECT_EQ(row.at("parent_section_id").get<std::string>(), part_id);
      sum += row.at("estimated_minutes").get<int>();
      total += row.at("estimated_minutes").get<int>();
      ++leaves;
    }
  }
  if (part_minutes >= 0) {
    EXPECT_EQ(part_minutes, sum) << "a part's minutes = the sum of its sections";
  }
  EXPECT_EQ(outline.at("total_sections").get<int>(), leaves);
  EXPECT_EQ(outline.at("total_minutes").get<int>(), total);
}

// The outline JSON (course create --json / course show --json) holds exactly these parts.
inline void expect_outline(const json& outline, const std::string& title,
                           const std::vector<ExpectedPart>& parts) {
  SCOPED_TRACE(outline.dump(2).substr(0, 3000));
  expect_outline_shape(outline);
  EXPECT_EQ(outline.at("title").get<std::string>(), title);
  const json& got = outline.at("parts");
  ASSERT_EQ(got.size(), parts.size()) << "number of parts";
  int total = 0;
  for (std::size_t p = 0; p < parts.size(); ++p) {
    SCOPED_TRACE("part " + std::to_string(p + 1));
    EXPECT_EQ(got[p].at("title").get<std::string>(), parts[p].title);
    const json& sections = got[p].at("sections");
    ASSERT_EQ(sections.size(), parts[p].sections.size()) << "number of sections";
    int minutes = 0;
    for (std::size_t s = 0; s < sections.size(); ++s) {
      SCOPED_TRACE("section " + std::to_string(s + 1));
      const ExpectedSection& want = parts[p].sections[s];
      EXPECT_EQ(sections[s].at("title").get<std::string>(), want.title);
      EXPECT_EQ(sections[s].at("estimated_minutes").get<int>(), want.minutes);
      EXPECT_EQ(sections[s].at("learning_objectives").get<std::vector<std::string>>(),
                want.objectives);
      minutes += want.minutes;
    }
    EXPECT_EQ(got[p].at("estimated_minutes").get<int>(), minutes);
    total += minutes;
  }
  EXPECT_EQ(outline.at("total_minutes").get<int>(), total);
}

// `docprof --db <dir>/docprof.db …` in a temporary directory, with fast retry settings.
class DocprofCli {
 public:
  DocprofCli()
      : db_(dir_.file("docprof.db")),
        env_({{"DOCPROF_QUEUE_BACKOFF_BASE_MS", "10"},
              {"DOCPROF_QUEUE_BACKOFF_CAP_MS", "50"},
              {"DOCPROF_WORKER_POLL_MS", "20"}}) {}

  const TempDir& dir() const { return dir_; }
  std::string file(const std::string& name) const { return dir_.file(name); }
  const std::string& db() const { return db_; }
  Environment& env() { return env_; }

  // Runs `docprof --db DB args…` (no --db when with_db is false).
  ProcessResult run(const std::vector<std::string>& args, const Environment& extra = {},
                    Millis timeout = kCommandTimeout, bool with_db = true) const {
    return run_process(argv(args, with_db), merged(extra), dir_.path(), timeout);
  }
  // Runs a command that must succeed and print JSON; returns the JSON.
  json run_json(const std::vector<std::string>& args, const Environment& extra = {}) const {
    const ProcessResult r = run(args, extra);
    EXPECT_EQ(r.exit_code, 0) << describe(r);
    try {
      return json::parse(r.out);
    } catch (const json::parse_error& e) {
      ADD_FAILURE() << "stdout is not JSON: " << e.what() << "\n" << describe(r);
      return json();
    }
  }
  std::unique_ptr<BackgroundProcess> start(const std::vector<std::string>& args,
                                           const std::string& name,
                                           const Environment& extra = {}, bool with_db = true) const {
    return std::make_unique<BackgroundProcess>(argv(args, with_db), merged(extra), dir_.path(),
                                               dir_.path() / (name + ".out"),
                                               dir_.path() / (name + ".err"));
  }

  void import_library() const {
    const ProcessResult r = run({"books", "import", kLibrary.string()});
    ASSERT_EQ(r.exit_code, 0) << describe(r);
  }
  // `course create … --no-wait --json`: the new course id.
  std::string enqueue(const std::string& query, const std::string& hours) const {
    const json j = run_json({"course", "create", query, "--hours", hours, "--no-wait", "--json"});
    return j.value("course_id", "");
  }
  json status(const std::string& id) const { return run_json({"course", "status", id, "--json"}); }
  json events(const std::string& id) const { return run_json({"events", id, "--json"}); }
  json dead_letters() const { return run_json({"dlq", "list", "--json"}); }
  json courses() const { return run_json({"course", "list", "--json"}); }

 private:
  std::vector<std::string> argv(const std::vector<std::string>& args, bool with_db) const {
    std::vector<std::string> all = {DOCPROF_BINARY};
    if (with_db) {
      all.push_back("--db");
      all.push_back(db_);
    }
    all.insert(all.end(), args.begin(), args.end());
    return all;
  }
  Environment merged(const Environment& extra) const {
    Environment all = env_;
    for (const auto& [k, v] : extra) all[k] = v;
    return all;
  }

  TempDir dir_{"docprof-e2e"};
  std::string db_;
  Environment env_;
};

// History entries (`events --json`) whose message contains `text`.
inline int count_entries(const json& events, const std::string& text,
                         const std::string& kind = "") {
  int n = 0;
  for (const auto& e : events) {
    if (!kind.empty() && e.value("kind", "") != kind) continue;
    if (e.value("message", "").find(text) != std::string::npos) ++n;
  }
  return n;
}

inline std::string messages(const json& events) {
  std::string out;
  for (const auto& e : events)
    out += e.value("kind", "") + " " + e.value("type", "") + ": " + e.value("message", "") + "\n";
  return out;
}

// Polls until `done` holds or `timeout` passes; true when it held.
inline bool wait_until(const std::function<bool()>& done, Millis timeout,
                       Millis every = Millis(100)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(every);
  }
  return done();
}

// Rows of a table in the SQLite file, counted with the sqlite3 command-line shell; -1 when the
// shell is not installed.
inline int count_rows(const DocprofCli& cli, const std::string& sql) {
  if (!fs::exists("/usr/bin/sqlite3")) return -1;
  const ProcessResult r =
      run_process({"/usr/bin/sqlite3", cli.db(), sql}, {}, cli.dir().path(), Millis(30000));
  if (r.exit_code != 0) {
    ADD_FAILURE() << "sqlite3 failed: " << describe(r);
    return -1;
  }
  return std::stoi(r.out);
}

// Expects `sql` (a COUNT query) to give `expected`; checked only where the sqlite3 shell exists.
inline void expect_row_count(const DocprofCli& cli, const std::string& sql, int expected) {
  const int rows = count_rows(cli, sql);
  if (rows >= 0) {
    EXPECT_EQ(rows, expected) << sql;
  }
}

}  // namespace docprof::e2e
