// End to end: the rest of the CLI a user relies on — --version, `course create --no-wait --json`,
// the JSON shapes of `course list`, `course status` and `events`, `course export`, cancelling a
// queued run, deleting a course, `migrate` on a fresh file.
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "e2e_support.h"

namespace docprof::e2e {
namespace {

const std::regex kUuid("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");
const std::regex kIsoTime(R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$)");

TEST(CommandsTest, VersionPrintsTheNameAndVersion) {
  DocprofCli cli;
  const ProcessResult r = cli.run({"--version"}, {}, kCommandTimeout, false);
  EXPECT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(^docprof \d+\.\d+\.\d+)"))) << r.out;
  EXPECT_FALSE(fs::exists(cli.db()));
  const ProcessResult help = cli.run({"course", "create", "--help"}, {}, kCommandTimeout, false);
  EXPECT_EQ(help.exit_code, 0) << describe(help);
  EXPECT_NE(help.out.find("--no-wait"), std::string::npos) << help.out;
}

TEST(CommandsTest, MigrateCreatesTheSchemaOnceOnAFreshFile) {
  DocprofCli cli;
  const ProcessResult first = cli.run({"migrate"});
  ASSERT_EQ(first.exit_code, 0) << describe(first);
  EXPECT_TRUE(fs::exists(cli.db()));
  std::smatch m;
  ASSERT_TRUE(std::regex_search(
      first.out, m, std::regex(R"(schema version (\d+) \((\d+) migration\(s\) applied, was 0\))")))
      << first.out;
  EXPECT_GE(std::stoi(m[1]), 1);
  EXPECT_EQ(m[1], m[2]) << "every migration applied to a fresh file";
  const ProcessResult again = cli.run({"migrate"});
  ASSERT_EQ(again.exit_code, 0) << describe(again);
  EXPECT_NE(again.out.find("(0 migration(s) applied, was " + m[1].str() + ")"), std::string::npos)
      << again.out;
  // The migrated file is usable as is.
  EXPECT_TRUE(cli.courses().empty());
  // DOCPROF_DB names the file when --db is not given.
  const ProcessResult env_db =
      cli.run({"migrate"}, {{"DOCPROF_DB", cli.file("other.db")}}, kCommandTimeout, false);
  ASSERT_EQ(env_db.exit_code, 0) << describe(env_db);
  EXPECT_TRUE(fs::exists(cli.file("other.db")));
}

TEST(CommandsTest, LibraryImportListSearchRemove) {
  DocprofCli cli;
  const json report = cli.run_json({"books", "import", kLibrary.string(), "--json"});
  ASSERT_TRUE(report.is_array());
  std::size_t files = 0;
  for (const auto& entry : fs::directory_iterator(kLibrary))
    files += entry.path().extension() == ".json" ? 1 : 0;
  EXPECT_EQ(report.size(), files);
  for (const auto& row : report) {
    EXPECT_EQ(row.value("status", ""), "imported") << row.dump();
    EXPECT_GT(row.value("vectors", 0), row.value("chapters", 0))
        << "a vector per chapter and one for the book";
  }
  ASSERT_EQ(cli.run_json({"books", "list", "--json"}).size(), files);
  // Importing a book again replaces it.
  ASSERT_EQ(
      cli.run({"books", "import", (kLibrary / "corporate_valuation.json").string()}).exit_code, 0);
  EXPECT_EQ(cli.run_json({"books", "list", "--json"}).size(), files);

  const std::string topic = "discounted cash flow valuation";
  const json found = cli.run_json({"books", "search", topic, "--json"});
  ASSERT_FALSE(found.empty());
  EXPECT_NE(found[0].value("title", "").find("Corporate Valuation"), std::string::npos)
      << found.dump(2);
  for (std::size_t i = 1; i < found.size(); ++i) {
    EXPECT_GE(found[i - 1].value("similarity", 0.0), found[i].value("similarity", 0.0))
        << "best first";
  }
  EXPECT_TRUE(cli.run_json({"books", "search", "how to bake sourdough bread", "--json"}).empty());

  const std::string book_id = found[0].value("book_id", "");
  const ProcessResult removed = cli.run({"books", "remove", book_id});
  ASSERT_EQ(removed.exit_code, 0) << describe(removed);
  EXPECT_EQ(cli.run_json({"books", "list", "--json"}).size(), files - 1);
  for (const auto& m : cli.run_json({"books", "search", topic, "--json"})) {
    EXPECT_NE(m.value("book_id", ""), book_id) << "a removed book is not found";
  }
  EXPECT_EQ(cli.run({"books", "remove", book_id}).exit_code, 2);
}

TEST(CommandsTest, NoWaitPrintsTheCourseIdAndQueuesTheRun) {
  DocprofCli cli;
  const ProcessResult r =
      cli.run({"course", "create", "I want to learn corporate valuation", "--hours", "1.5",
               "--depth", "Technical", "--pace", "quick", "--style", "hands-on", "--notes",
               "I know accounting", "--no-wait", "--json"});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  const json printed = json::parse(r.out);
  ASSERT_TRUE(printed.is_object());
  EXPECT_EQ(printed.size(), 1u) << printed.dump();
  const std::string id = printed.value("course_id", "");
  EXPECT_TRUE(std::regex_match(id, kUuid)) << id;

  const json status = cli.status(id);
  EXPECT_EQ(status.value("status", ""), "processing");
  EXPECT_EQ(status.value("phase", ""), "initializing");
  EXPECT_EQ(status.value("query", ""), "I want to learn corporate valuation");
  EXPECT_DOUBLE_EQ(status.value("hours", 0.0), 1.5);
  EXPECT_EQ(status.at("progress").value("title", ""), "I want to learn corporate valuation");
  EXPECT_EQ(status.at("progress").value("outline_complete", true), false);

  const json outline = cli.run_json({"course", "show", id, "--json"});
  EXPECT_TRUE(outline.at("parts").empty());
  EXPECT_EQ(outline.at("notes"), json::array());  // always present, also while generating
  EXPECT_EQ(outline.at("generation_status").value("status", ""), "processing");
  EXPECT_EQ(outline.at("preferences").value("depth", ""), "technical");
  EXPECT_EQ(outline.at("preferences").value("pace", ""), "quick");
  EXPECT_EQ(outline.at("preferences").value("presentation_style", ""), "hands-on");
  EXPECT_EQ(outline.at("preferences").value("additional_notes", ""), "I know accounting");

  // Without --json: the id alone on stdout.
  const ProcessResult plain = cli.run({"course", "create", "valuation", "--no-wait"});
  ASSERT_EQ(plain.exit_code, 0) << describe(plain);
  EXPECT_TRUE(std::regex_match(plain.out, std::regex("^[0-9a-f-]{36}\n$"))) << plain.out;
}

TEST(CommandsTest, ListShowsCoursesNewestFirstInTheHttpShape) {
  DocprofCli cli;
  cli.import_library();
  EXPECT_TRUE(cli.courses().empty());
  const std::string llm = python_cassette().write(cli.file("python.jsonl"));
  const ProcessResult created = cli.run({"course", "create", kPythonQuery, "--llm", llm, "--json"});
  ASSERT_EQ(created.exit_code, 0) << describe(created);
  const std::string done = json::parse(created.out).value("course_id", "");
  const std::string queued = cli.enqueue("I want to learn corporate valuation", "3");

  const json list = cli.courses();
  ASSERT_TRUE(list.is_array());
  ASSERT_EQ(list.size(), 2u) << list.dump(2);
  for (const auto& row : list) {
    for (const char* key : {"courseId", "title", "estimatedHours", "status", "createdAt"}) {
      EXPECT_TRUE(row.contains(key)) << key << " in " << row.dump();
    }
    EXPECT_TRUE(std::regex_match(row.value("createdAt", ""), kIsoTime)) << row.dump();
  }
  EXPECT_EQ(list[0].value("courseId", ""), queued) << "newest first";
  EXPECT_EQ(list[0].value("status", ""), "generating");
  EXPECT_EQ(list[0].value("title", ""), "I want to learn corporate valuation");
  EXPECT_DOUBLE_EQ(list[0].value("estimatedHours", 0.0), 3.0);
  EXPECT_EQ(list[0].at("generation_status").value("phase", ""), "initializing");
  EXPECT_EQ(list[1].value("courseId", ""), done);
  EXPECT_EQ(list[1].value("title", ""), kPythonTitle);
  EXPECT_EQ(list[1].value("status", ""), "active");
  EXPECT_DOUBLE_EQ(list[1].value("estimatedHours", 0.0), 2.0);

  // Another user's list is empty.
  EXPECT_TRUE(cli.run_json({"course", "list", "--user", "someone-else", "--json"}).empty());
  // The text listing names both.
  const ProcessResult text = cli.run({"course", "list"});
  EXPECT_NE(text.out.find(done), std::string::npos);
  EXPECT_NE(text.out.find(queued), std::string::npos);
}

TEST(CommandsTest, StatusAndEventsOfACompletedRun) {
  DocprofCli cli;
  cli.import_library();
  const std::string llm = python_cassette().write(cli.file("python.jsonl"));
  const ProcessResult created = cli.run({"course", "create", kPythonQuery, "--llm", llm, "--json"});
  ASSERT_EQ(created.exit_code, 0) << describe(created);
  const std::string id = json::parse(created.out).value("course_id", "");

  const json status = cli.status(id);
  EXPECT_EQ(status.value("status", ""), "complete");
  EXPECT_EQ(status.value("phase", ""), "complete");
  EXPECT_EQ(status.at("progress").value("parts_count", 0), 3);
  EXPECT_EQ(status.at("progress").value("total_parts", 0), 3);
  EXPECT_EQ(status.at("progress").value("outline_complete", false), true);
  EXPECT_EQ(status.at("progress").value("title", ""), kPythonTitle);
  EXPECT_EQ(status.at("usage").value("calls", 0), 4);
  EXPECT_EQ(status.at("usage").value("output_tokens", 0), 4 * 200);
  EXPECT_FALSE(status.contains("error"));

  const json events = cli.events(id);
  ASSERT_TRUE(events.is_array());
  ASSERT_GE(events.size(), 9u) << messages(events);
  std::int64_t last_id = 0;
  std::set<std::string> types;
  for (const auto& e : events) {
    for (const char* key : {"id", "seq", "type", "kind", "message", "at", "usage"}) {
      EXPECT_TRUE(e.contains(key)) << key << " in " << e.dump();
    }
    EXPECT_GT(e.value("id", std::int64_t{0}), last_id) << "history ids increase";
    last_id = e.value("id", std::int64_t{0});
    EXPECT_TRUE(e.value("kind", "") == "step" || e.value("kind", "") == "note" ||
                e.value("kind", "") == "complete")
        << e.dump();
    if (e.value("kind", "") == "step") types.insert(e.value("type", ""));
  }
  for (const char* type :
       {"CourseRequested", "EmbeddingGenerated", "BookSummariesFound", "PartsGenerated",
        "PartSectionsGenerated", "AllPartsComplete", "OutlineReviewed", "CourseStored"}) {
    EXPECT_TRUE(types.count(type)) << type << " missing from\n" << messages(events);
  }
  EXPECT_EQ(events.back().value("kind", ""), "complete");
  EXPECT_EQ(count_entries(events, "Python for Data Analysis"), 1) << "the books found are named\n"
                                                                  << messages(events);

  // The text forms answer too.
  const ProcessResult text = cli.run({"course", "status", id});
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find("complete"), std::string::npos) << text.out;
  const ProcessResult history = cli.run({"events", id});
  EXPECT_EQ(history.exit_code, 0);
  EXPECT_NE(history.out.find("CourseStored"), std::string::npos) << history.out;
}

TEST(CommandsTest, ExportWritesMarkdownAndJsonFiles) {
  DocprofCli cli;
  cli.import_library();
  const std::string llm = python_cassette().write(cli.file("python.jsonl"));
  const ProcessResult created = cli.run({"course", "create", kPythonQuery, "--llm", llm});
  ASSERT_EQ(created.exit_code, 0) << describe(created);
  // Without --json: the outline as Markdown on stdout, the id on stderr.
  EXPECT_NE(created.out.find(std::string("# ") + kPythonTitle), std::string::npos) << created.out;
  const json list = cli.courses();
  ASSERT_EQ(list.size(), 1u);
  const std::string id = list[0].value("courseId", "");
  EXPECT_NE(created.err.find(id), std::string::npos);

  const std::string md = cli.file("course.md");
  const ProcessResult r = cli.run({"course", "export", id, "--format", "md", "--output", md});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  const std::string text = read_text(md);
  EXPECT_EQ(text, cli.run({"course", "show", id}).out)
      << "the file holds what `course show` prints";
  EXPECT_EQ(text.rfind(std::string("# ") + kPythonTitle + "\n", 0), 0u) << text;
  EXPECT_NE(text.find("3 part(s), 6 section(s), 120 minutes (target 120)"), std::string::npos)
      << text;
  EXPECT_NE(text.find("## Part 1: Python Foundations Refresher (40 min)"), std::string::npos)
      << text;
  EXPECT_NE(text.find("### 1.1 Variables, Types and Mutability (15 min)"), std::string::npos)
      << text;
  EXPECT_NE(text.find("- Distinguish mutable from immutable built-in types"), std::string::npos)
      << text;
  EXPECT_FALSE(fs::exists(md + ".partial"));

  const std::string js = cli.file("course.json");
  ASSERT_EQ(cli.run({"course", "export", id, "--format", "json", "-o", js}).exit_code, 0);
  expect_outline(json::parse(read_text(js)), kPythonTitle, python_parts());

  // Exporting a run that has no outline is refused and writes no file.
  const std::string queued = cli.enqueue("I want to learn corporate valuation", "2");
  const ProcessResult none =
      cli.run({"course", "export", queued, "--format", "md", "--output", cli.file("none.md")});
  EXPECT_EQ(none.exit_code, 2) << describe(none);
  EXPECT_NE(none.err.find("has no outline yet"), std::string::npos) << describe(none);
  EXPECT_FALSE(fs::exists(cli.file("none.md")));
}

TEST(CommandsTest, CourseCreateRunsOnlyItsOwnRun) {
  // Issue 11, defect 7: a foreground `course create --llm X` used to work every queued run of the
  // database too, with its own model X. It follows its own run alone; the others wait for a worker.
  DocprofCli cli;
  cli.import_library();
  const std::string queued = cli.enqueue("I want to learn corporate valuation", "3");
  ASSERT_FALSE(queued.empty());
  const std::string llm = python_cassette().write(cli.file("python.jsonl"));

  const ProcessResult created = cli.run({"course", "create", kPythonQuery, "--llm", llm, "--json"});
  ASSERT_EQ(created.exit_code, 0) << describe(created);
  const std::string mine = json::parse(created.out).value("course_id", "");
  EXPECT_EQ(cli.status(mine).value("status", ""), "complete");

  const json untouched = cli.status(queued);
  EXPECT_EQ(untouched.value("status", ""), "processing") << untouched.dump(2);
  EXPECT_EQ(untouched.value("phase", ""), "initializing") << untouched.dump(2);
  EXPECT_EQ(cli.events(queued).size(), 1u) << "only its creation: no step of it ran";
  expect_row_count(cli, "SELECT COUNT(*) FROM event_queue WHERE course_id = '" + queued + "';", 1);

  // A worker, with the default offline planner, then does it.
  const ProcessResult drain = cli.run({"worker", "--drain"});
  ASSERT_EQ(drain.exit_code, 0) << describe(drain);
  EXPECT_EQ(cli.status(queued).value("status", ""), "complete");
}

TEST(CommandsTest, CancelledQueuedRunStaysCancelledThroughAWorker) {
  DocprofCli cli;
  cli.import_library();
  const std::string llm = python_cassette().write(cli.file("python.jsonl"));
  const std::string id = cli.enqueue(kPythonQuery, "2");
  const std::string other = cli.enqueue(kPythonQuery, "2");
  const ProcessResult cancel = cli.run({"course", "cancel", id});
  ASSERT_EQ(cancel.exit_code, 0) << describe(cancel);

  const ProcessResult drain = cli.run({"worker", "--drain", "--llm", llm});
  ASSERT_EQ(drain.exit_code, 0) << describe(drain);

  const json status = cli.status(id);
  EXPECT_EQ(status.value("status", ""), "error");
  EXPECT_EQ(status.value("error_code", ""), "cancelled");
  EXPECT_EQ(status.at("usage").value("calls", -1), 0) << "no model call for a cancelled run";
  const ProcessResult show = cli.run({"course", "show", id, "--json"});
  EXPECT_EQ(show.exit_code, 3);
  EXPECT_TRUE(json::parse(show.out).at("sections").empty()) << "no course stored";
  expect_row_count(cli, "SELECT COUNT(*) FROM courses WHERE course_id = '" + id + "';", 0);
  // The other run was not affected.
  EXPECT_EQ(cli.status(other).value("status", ""), "complete");
  // A cancelled run cannot be cancelled again.
  EXPECT_EQ(cli.run({"course", "cancel", id}).exit_code, 2);
}

TEST(CommandsTest, DeleteRemovesACompletedCourseAndItsRun) {
  DocprofCli cli;
  cli.import_library();
  const std::string llm = python_cassette().write(cli.file("python.jsonl"));
  const ProcessResult created = cli.run({"course", "create", kPythonQuery, "--llm", llm, "--json"});
  ASSERT_EQ(created.exit_code, 0) << describe(created);
  const std::string id = json::parse(created.out).value("course_id", "");
  const std::string kept = cli.enqueue("I want to learn corporate valuation", "2");

  const ProcessResult removed = cli.run({"course", "delete", id});
  ASSERT_EQ(removed.exit_code, 0) << describe(removed);
  EXPECT_EQ(cli.run({"course", "show", id, "--json"}).exit_code, 2);
  EXPECT_EQ(cli.run({"course", "status", id}).exit_code, 2);
  const json list = cli.courses();
  ASSERT_EQ(list.size(), 1u) << list.dump(2);
  EXPECT_EQ(list[0].value("courseId", ""), kept);
  expect_row_count(cli, "SELECT COUNT(*) FROM course_sections;", 0);
  EXPECT_EQ(cli.run({"course", "delete", id}).exit_code, 2) << "deleted once";

  // Deleting a course still being generated cancels its run first; a worker then leaves it alone.
  ASSERT_EQ(cli.run({"course", "delete", kept}).exit_code, 0);
  ASSERT_EQ(cli.run({"worker", "--drain", "--llm", llm}).exit_code, 0);
  EXPECT_TRUE(cli.courses().empty());
}

}  // namespace
}  // namespace docprof::e2e
