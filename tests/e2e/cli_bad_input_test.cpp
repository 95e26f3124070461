// End to end: bad input exits 2 with a specific message on stderr and writes nothing — no run, no
// book, and for a rejected request not even the database file.
#include <gtest/gtest.h>

#include "e2e_support.h"

namespace docprof::e2e {
namespace {

// Expects exit 2, `message` on stderr, nothing on stdout.
void expect_rejected(const ProcessResult& r, const std::string& message) {
  EXPECT_EQ(r.exit_code, 2) << describe(r);
  EXPECT_NE(r.err.find(message), std::string::npos) << "stderr should say: " << message << "\n"
                                                    << describe(r);
  EXPECT_TRUE(r.out.empty()) << describe(r);
}

struct BadRequest {
  const char* name;
  std::vector<std::string> args;  // after `course create`
  const char* message;
};

class BadRequestTest : public ::testing::TestWithParam<BadRequest> {};

// Validation comes before the database: a rejected request does not even create the file.
TEST_P(BadRequestTest, ExitsTwoAndCreatesNoDatabase) {
  const BadRequest& bad = GetParam();
  DocprofCli cli;
  std::vector<std::string> args = {"course", "create"};
  args.insert(args.end(), bad.args.begin(), bad.args.end());
  expect_rejected(cli.run(args), bad.message);
  EXPECT_FALSE(fs::exists(cli.db())) << "the database was created for a rejected request";
}

const std::string kTooLong(4001, 'a');

INSTANTIATE_TEST_SUITE_P(
    Cli, BadRequestTest,
    ::testing::Values(
        BadRequest{"empty_query", {"", "--hours", "2"}, "query is empty"},
        BadRequest{"blank_query", {" \t  ", "--hours", "2"}, "query is empty"},
        BadRequest{"hours_zero",
                   {"valuation", "--hours", "0"},
                   "hours must be between 0.25 and 100 (got 0)"},
        // Numbers on the command line are plain decimals, ^[0-9]+(\.[0-9]+)?$ (issue 15): no sign,
        // exponent, hex, spaces, inf or nan.
        BadRequest{"hours_negative", {"valuation", "--hours", "-1"}, "--hours must be a number (got '-1')"},
        BadRequest{"hours_exponent", {"valuation", "--hours", "1e9"}, "--hours must be a number (got '1e9')"},
        BadRequest{"hours_hex", {"valuation", "--hours", "0x10"}, "--hours must be a number (got '0x10')"},
        BadRequest{"hours_plus", {"valuation", "--hours", "+2"}, "--hours must be a number (got '+2')"},
        BadRequest{"hours_space", {"valuation", "--hours", " 2"}, "--hours must be a number (got ' 2')"},
        BadRequest{"hours_huge",
                   {"valuation", "--hours", "1000000000"},
                   "hours must be between 0.25 and 100 (got 1e+09)"},
        BadRequest{"hours_just_below",
                   {"valuation", "--hours", "0.24"},
                   "hours must be between 0.25 and 100"},
        BadRequest{"hours_just_above",
                   {"valuation", "--hours", "100.5"},
                   "hours must be between 0.25 and 100"},
        BadRequest{
            "hours_text", {"valuation", "--hours", "abc"}, "--hours must be a number (got 'abc')"},
        BadRequest{"hours_trailing_text",
                   {"valuation", "--hours", "2h"},
                   "--hours must be a number (got '2h')"},
        BadRequest{"hours_nan", {"valuation", "--hours", "nan"}, "--hours must be a number (got 'nan')"},
        BadRequest{"hours_inf", {"valuation", "--hours", "inf"}, "--hours must be a number (got 'inf')"},
        BadRequest{"unknown_depth",
                   {"valuation", "--depth", "deep"},
                   "unknown depth 'deep' (expected one of: overview, balanced, technical, expert)"},
        BadRequest{"unknown_pace",
                   {"valuation", "--pace", "slow"},
                   "unknown pace 'slow' (expected one of: quick, moderate, thorough)"},
        BadRequest{"query_4001_chars",
                   {kTooLong, "--hours", "2"},
                   "query is too long: 4001 characters (at most 4000)"},
        // 120,000 bytes: a 200 kB query cannot be passed at all, Linux limits one argument to 128
        // KiB.
        BadRequest{"query_120kB",
                   {std::string(120000, 'q'), "--hours", "2"},
                   "query is too long: 120000 characters (at most 4000)"},
        BadRequest{"missing_query", {"--hours", "2"}, "query is required"},
        BadRequest{
            "query_not_utf8", {"valuation \xFF\xFE", "--hours", "2"}, "query is not valid UTF-8"},
        BadRequest{"style_too_long",
                   {"valuation", "--style", std::string(201, 's')},
                   "presentation_style is too long: 201 characters (at most 200)"},
        BadRequest{"notes_too_long",
                   {"valuation", "--notes", std::string(2001, 'n')},
                   "additional_notes is too long: 2001 characters (at most 2000)"},
        BadRequest{"unknown_option", {"valuation", "--colour", "red"}, "--colour"}),
    [](const ::testing::TestParamInfo<BadRequest>& param_info) {
      return std::string(param_info.param.name);
    });

// The limits are inclusive, and counted in code points after trimming: 4000 two-byte characters
// are a valid query, 0.25 and 100 valid hours.
TEST(BadInputTest, LimitsThemselvesAreAccepted) {
  DocprofCli cli;
  std::string query;
  for (int i = 0; i < 4000; ++i) query += "\xC3\xA9";  // é
  const std::string id = cli.enqueue("  " + query + "  ", "0.25");
  ASSERT_FALSE(id.empty());
  const json status = cli.status(id);
  EXPECT_EQ(status.value("query", ""), query) << "the query is stored trimmed";
  EXPECT_DOUBLE_EQ(status.value("hours", 0.0), 0.25);
  EXPECT_DOUBLE_EQ(cli.status(cli.enqueue("valuation", "100")).value("hours", 0.0), 100.0)
      << "100 h is allowed";
  EXPECT_EQ(cli.courses().size(), 2u);
}

class BadInputWithDatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const ProcessResult r = cli.run({"books", "import", (kLibrary / "sicp.json").string()});
    ASSERT_EQ(r.exit_code, 0) << describe(r);
    existing = cli.enqueue("I want to learn how to structure programs", "1");
    ASSERT_FALSE(existing.empty());
    courses_before = cli.courses();
    books_before = cli.run_json({"books", "list", "--json"});
    ASSERT_EQ(courses_before.size(), 1u);
    ASSERT_EQ(books_before.size(), 1u);
  }
  void expect_nothing_written() {
    EXPECT_EQ(cli.courses(), courses_before);
    EXPECT_EQ(cli.run_json({"books", "list", "--json"}), books_before);
    EXPECT_EQ(cli.events(existing).size(), 1u) << "the queued run was not touched";
  }

  DocprofCli cli;
  std::string existing;
  json courses_before;
  json books_before;
};

TEST_F(BadInputWithDatabaseTest, MissingCassetteIsRejectedBeforeAnythingIsQueued) {
  expect_rejected(cli.run({"course", "create", "structure programs", "--hours", "1", "--llm",
                           "replay:/nonexistent/c.jsonl"}),
                  "cassette not found: /nonexistent/c.jsonl");
  expect_rejected(cli.run({"course", "create", "structure programs", "--llm", "replay:"}),
                  "needs a cassette path");
  expect_rejected(cli.run({"course", "create", "structure programs", "--llm", "gpt-17"}),
                  "unknown --llm 'gpt-17'");
  expect_nothing_written();
}

TEST_F(BadInputWithDatabaseTest, MalformedCassetteIsRejectedNamingTheLine) {
  const fs::path cassette = kFixtures / "cassettes" / "malformed_line3.jsonl";
  expect_rejected(
      cli.run({"course", "create", "structure programs", "--llm", "replay:" + cassette.string()}),
      cassette.string() + ":3:");
  const fs::path no_task = kFixtures / "cassettes" / "missing_task.jsonl";
  expect_rejected(
      cli.run({"course", "create", "structure programs", "--llm", "replay:" + no_task.string()}),
      no_task.string() + ":2: \"task\": missing");
  expect_rejected(cli.run({"worker", "--drain", "--llm", "replay:/nonexistent.jsonl"}),
                  "cassette not found");
  expect_nothing_written();
}

TEST_F(BadInputWithDatabaseTest, MissingOrMalformedBookFilesImportNothing) {
  const std::string truncated = cli.file("truncated.json");
  write_text(truncated, R"({"source_title": "Half a book", "author": "A. Writer", "chapters": [)");
  const std::string invalid = cli.file("no_chapters.json");
  write_text(
      invalid,
      R"({"source_title": "No chapters", "author": "A. Writer", "total_chapters": 0, "source_summary": "", "chapters": []})");
  expect_rejected(cli.run({"books", "import", cli.file("missing.json")}),
                  "missing.json: no such file or folder");
  expect_rejected(cli.run({"books", "import", truncated}), "truncated.json: not valid JSON");
  expect_rejected(cli.run({"books", "import", invalid}),
                  "no_chapters.json: chapters: expected a non-empty array");
  const fs::path empty_folder = cli.dir().path() / "empty";
  fs::create_directory(empty_folder);
  expect_rejected(cli.run({"books", "import", empty_folder.string()}),
                  "no .json files in this folder");
  expect_nothing_written();

  // A good file beside a bad one: the good one is imported, the bad one reported, exit 2.
  const ProcessResult mixed =
      cli.run({"books", "import", (kLibrary / "corporate_valuation.json").string(), truncated});
  EXPECT_EQ(mixed.exit_code, 2) << describe(mixed);
  EXPECT_NE(mixed.err.find("1 book(s) imported, 1 failed"), std::string::npos) << describe(mixed);
  EXPECT_EQ(cli.run_json({"books", "list", "--json"}).size(), 2u);
}

// Numeric options take plain decimals (issue 15): CLI11 alone read "0x10" as 16 and "010" as 8.
TEST_F(BadInputWithDatabaseTest, NumericOptionsTakePlainDecimalsOnly) {
  for (const std::string top_k : {"0x10", "010x", "1e1", "+3", "-3"}) {
    const ProcessResult r = cli.run({"books", "search", "valuation", "--top-k", top_k});
    EXPECT_EQ(r.exit_code, 2) << top_k << ": " << describe(r);
    EXPECT_NE(r.err.find(top_k), std::string::npos) << describe(r);
  }
  for (const std::string threshold : {"0x1", "1e-1", "+0.2"}) {
    expect_rejected(cli.run({"books", "search", "valuation", "--min-similarity", threshold}),
                    "--min-similarity must be a number (got '" + threshold + "')");
  }
  const ProcessResult negative = cli.run({"books", "search", "valuation", "--min-similarity", "-0.5", "--json"});
  EXPECT_EQ(negative.exit_code, 0) << "a negative threshold is in its range: " << describe(negative);
  const ProcessResult top3 = cli.run({"books", "search", "valuation", "--top-k", "3", "--json"});
  EXPECT_EQ(top3.exit_code, 0) << describe(top3);
  for (const std::string concurrency : {"0x10", "1e1", "+3"}) {
    const ProcessResult r = cli.run({"worker", "--drain", "--concurrency", concurrency});
    EXPECT_EQ(r.exit_code, 2) << concurrency << ": " << describe(r);
    EXPECT_NE(r.err.find(concurrency), std::string::npos) << describe(r);
  }
  expect_nothing_written();
}

TEST_F(BadInputWithDatabaseTest, NumbersOutOfRangeAreParseErrorsNamingTheFile) {
  // Issue 11, defect 8: a number beyond a double's range (1e400) is an nlohmann out_of_range, not
  // a parse_error; it escaped the error handling, named no file and stopped a folder import.
  const fs::path shelf = cli.dir().path() / "shelf";
  fs::create_directory(shelf);
  fs::copy_file(kLibrary / "corporate_valuation.json", shelf / "a_good.json");
  std::string overflowing = read_text(kLibrary / "financial_statements.json");
  const std::string key = "\"total_chapters\": ";
  const auto at = overflowing.find(key);
  ASSERT_NE(at, std::string::npos);
  const auto end = overflowing.find(',', at);
  overflowing.replace(at + key.size(), end - at - key.size(), "1e400");
  write_text(shelf / "b_overflow.json", overflowing);
  fs::copy_file(kLibrary / "origin_of_species.json", shelf / "c_good.json");

  const ProcessResult imported = cli.run({"books", "import", shelf.string()});
  EXPECT_EQ(imported.exit_code, 2) << describe(imported);
  EXPECT_NE(imported.err.find("b_overflow.json: not valid JSON"), std::string::npos) << describe(imported);
  EXPECT_NE(imported.err.find("1e400"), std::string::npos) << describe(imported);
  EXPECT_NE(imported.err.find("2 book(s) imported, 1 failed"), std::string::npos) << describe(imported);
  EXPECT_EQ(cli.run_json({"books", "list", "--json"}).size(), 3u) << "the good files around it are imported";

  // A cassette: the file and the line.
  const std::string cassette = cli.file("overflow.jsonl");
  write_text(cassette,
             "{\"task\": \"generate_course_parts\", \"response\": \"Part 1: A - 60 minutes\"}\n"
             "{\"task\": \"generate_part_sections_0\", \"response\": \"x\", \"delay_ms\": 1e400}\n");
  const ProcessResult replay =
      cli.run({"course", "create", "structure programs", "--hours", "1", "--llm", "replay:" + cassette});
  expect_rejected(replay, cassette + ":2: invalid JSON");
  EXPECT_NE(replay.err.find("1e400"), std::string::npos) << describe(replay);
  EXPECT_EQ(cli.courses(), courses_before) << "nothing was queued";
}

TEST_F(BadInputWithDatabaseTest, UnknownCourseIdIsExitTwoEverywhere) {
  const std::string unknown = "00000000-0000-4000-8000-000000000000";
  const std::vector<std::vector<std::string>> commands = {
      {"course", "status", unknown},
      {"course", "status", unknown, "--json"},
      {"course", "show", unknown},
      {"course", "show", unknown, "--json"},
      {"course", "delete", unknown},
      {"course", "cancel", unknown},
      {"course", "export", unknown, "--format", "md"},
      {"events", unknown},
      {"events", unknown, "--json"},
      {"dlq", "show", unknown},
      {"dlq", "replay", unknown},
      {"books", "remove", unknown}};
  for (const auto& args : commands) {
    SCOPED_TRACE(args[0] + " " + args[1]);
    expect_rejected(cli.run(args), unknown);
  }
  // `course retry` with a usable model: the id is what is wrong.
  const std::string llm =
      Cassette().text("generate_course_parts", "Part 1: A - 60 minutes").write(cli.file("c.jsonl"));
  expect_rejected(cli.run({"course", "retry", unknown, "--llm", llm}), unknown);
  expect_nothing_written();
}

TEST_F(BadInputWithDatabaseTest, ArgumentErrorsExitTwo) {
  EXPECT_EQ(cli.run({}).exit_code, 2);
  EXPECT_EQ(cli.run({"frobnicate"}).exit_code, 2);
  EXPECT_EQ(cli.run({"course"}).exit_code, 2);
  EXPECT_EQ(cli.run({"course", "show", existing, "--format", "pdf"}).exit_code, 2);
  EXPECT_EQ(cli.run({"worker", "--concurrency", "0"}).exit_code, 2);
  EXPECT_EQ(cli.run({"--log-level", "loud", "course", "list"}).exit_code, 2);
  const ProcessResult config =
      cli.run({"course", "list"}, {{"DOCPROF_QUEUE_LEASE_SECONDS", "soon"}});
  EXPECT_EQ(config.exit_code, 2) << describe(config);
  EXPECT_NE(config.err.find("DOCPROF_QUEUE_LEASE_SECONDS: expected an integer"), std::string::npos)
      << describe(config);
  expect_nothing_written();
}

// Input rejected before the database is opened creates no database file ("nothing written").
TEST(BadInputFreshDatabaseTest, RejectedCassetteOrBookFileCreatesNoDatabase) {
  DocprofCli cli;
  expect_rejected(cli.run({"course", "create", "valuation", "--llm", "replay:/nonexistent.jsonl"}),
                  "cassette not found");
  EXPECT_FALSE(fs::exists(cli.db()));
  expect_rejected(cli.run({"books", "import", cli.file("missing.json")}), "no such file or folder");
  EXPECT_FALSE(fs::exists(cli.db()));
}

}  // namespace
}  // namespace docprof::e2e
