// End to end: ingestion as event-driven runs (issue 14), through the `docprof` binary.
//  * A 20-chapter book summarized by a model (a replay cassette whose calls take 300 ms): the worker
//    is SIGKILLed mid-book; a new worker resumes at the chapter it was on, every step applied once,
//    and the stored book is identical to an uninterrupted run's.
//  * A permanent model failure on one chapter fails the run with an ingest dead letter (kind,
//    run_id); `dlq replay` with the provider back finishes it.
//  * An unreadable model answer is repaired; one that stays unreadable fails loudly, nothing stored.
//  * Against the OpenAI-protocol test server on loopback: summaries written by the model path, and
//    a course planned from them (the planning prompt quotes them).
#include <gtest/gtest.h>

#include <map>
#include <thread>

#include "e2e_support.h"
#include "integration/openai_test_server.h"

namespace docprof::e2e {
namespace {

// A Markdown book of `chapters` chapters, each with two sections of distinct text.
std::string big_book(int chapters) {
  std::string text = "# The Big Book of Small Things\n\n";
  for (int c = 1; c <= chapters; ++c) {
    const std::string n = std::to_string(c);
    text += "## Chapter " + n + ": Topic number " + n + "\n\n";
    text += "### Basics of topic " + n + "\n\n";
    text += "Topic " + n + " begins with the basics. Every learner of topic " + n +
            " should know what it is for and where it is used in practice. It relates to topic " +
            std::to_string(c + 1) + " in several ways.\n\n";
    text += "### Practice of topic " + n + "\n\n";
    text += "Practising topic " + n + " means applying it to real problems. Exercises for topic " + n +
            " build confidence and reveal gaps in understanding.\n\n";
  }
  return text;
}

std::string chapter_json(int index) {
  const std::string n = std::to_string(index + 1);
  return json{{"summary", "Model summary of chapter " + n + ": what topic " + n + " is and how to practise it."},
              {"sections",
               {{{"section_title", "Basics of topic " + n}, {"topics", {"topic " + n + " basics"}}},
                {{"section_title", "Practice of topic " + n}, {"topics", {"topic " + n + " exercises"}}}}}}
      .dump();
}

Cassette model_cassette(int chapters, std::int64_t delay_ms) {
  Cassette cassette;
  for (int c = 0; c < chapters; ++c) cassette.text("summarize_chapter_" + std::to_string(c), chapter_json(c), delay_ms);
  cassette.text("summarize_book", json{{"summary", "A model-written summary of the whole book."}}.dump(), delay_ms);
  return cassette;
}

json ingest_status(const DocprofCli& cli, const std::string& id) {
  return cli.run_json({"books", "ingest-status", id, "--json"});
}

std::string queue_ingest(const DocprofCli& cli, const std::vector<std::string>& extra) {
  std::vector<std::string> args{"books", "ingest"};
  args.insert(args.end(), extra.begin(), extra.end());
  args.push_back("--no-wait");
  const json queued = cli.run_json(args);
  EXPECT_EQ(queued.size(), 1u) << queued.dump(2);
  if (queued.empty()) return "";
  EXPECT_EQ(queued[0].value("status", ""), "queued");
  return queued[0].value("ingest_id", "");
}

// What the library holds, as text: the books' summaries and every chunk.
std::string stored_library(const DocprofCli& cli) {
  const ProcessResult r = run_process(
      {"/usr/bin/sqlite3", cli.db(),
       "SELECT book_id, title, summary_json FROM books ORDER BY book_id; "
       "SELECT chunk_id, chapter, text FROM chunks ORDER BY chunk_id;"},
      {}, cli.dir().path(), Millis(30000));
  EXPECT_EQ(r.exit_code, 0) << describe(r);
  return r.out;
}

TEST(IngestRunsTest, AKilledWorkerIsResumedAtTheChapterItWasOnAndTheBookIsStoredOnce) {
  constexpr int kChapters = 20;
  DocprofCli cli;
  write_text(cli.file("big.md"), big_book(kChapters));
  const std::string llm = model_cassette(kChapters, 300).write(cli.file("slow.jsonl"));
  const std::string id = queue_ingest(cli, {cli.file("big.md"), "--id", "big-book", "--llm", llm});
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(ingest_status(cli, id).value("status", ""), "queued");

  auto worker = cli.start({"worker", "--llm", llm}, "worker1");
  json mid;
  ASSERT_TRUE(wait_until(
      [&] {
        mid = ingest_status(cli, id);
        return mid.at("progress").value("chapter", 0) >= 8 || mid.value("status", "") != "processing";
      },
      Millis(60000), Millis(50)))
      << mid.dump(2);
  ASSERT_EQ(mid.value("status", ""), "processing") << mid.dump(2);
  std::this_thread::sleep_for(Millis(100));  // a chapter's model call is under way
  EXPECT_EQ(worker->kill_now().signal, SIGKILL);

  const json killed = ingest_status(cli, id);
  EXPECT_EQ(killed.value("status", ""), "processing") << killed.dump(2);
  EXPECT_EQ(killed.value("phase", ""), "summarizing");
  EXPECT_EQ(killed.at("progress").value("chapters", 0), kChapters);
  const int chapter_at_kill = killed.at("progress").value("chapter", 0);
  EXPECT_GE(chapter_at_kill, 8);

  const ProcessResult drain = cli.run({"worker", "--drain", "--llm", llm}, {}, Millis(120000));
  ASSERT_EQ(drain.exit_code, 0) << describe(drain);
  const json done = ingest_status(cli, id);
  EXPECT_EQ(done.value("status", ""), "complete") << done.dump(2);
  EXPECT_EQ(done.value("book_id", ""), "big-book");
  EXPECT_EQ(done.value("outcome", ""), "ingested");
  EXPECT_EQ(done.at("progress").value("chapter", 0), kChapters);

  // Every step applied once; the chapter the worker died in delivered again, and only that one.
  const json events = cli.events(id);
  std::map<std::int64_t, int> steps;
  int summarized = 0;
  for (const auto& e : events) {
    if (e.value("kind", "") != "step") continue;
    ++steps[e.value("seq", std::int64_t{-1})];
    if (e.value("message", "").rfind("Summarized chapter", 0) == 0) ++summarized;
  }
  for (const auto& [seq, n] : steps) EXPECT_EQ(n, 1) << "seq " << seq << " applied " << n << " times";
  EXPECT_EQ(summarized, kChapters) << messages(events);
  EXPECT_LE(count_entries(events, "Delivered again", "note"), 1) << messages(events);
  EXPECT_TRUE(cli.dead_letters().empty());

  // The same book ingested without interruption, in a library of its own, is stored identically.
  DocprofCli calm;
  write_text(calm.file("big.md"), big_book(kChapters));
  const std::string fast = model_cassette(kChapters, 0).write(calm.file("fast.jsonl"));
  const ProcessResult whole = calm.run({"books", "ingest", calm.file("big.md"), "--id", "big-book", "--llm", fast});
  ASSERT_EQ(whole.exit_code, 0) << describe(whole);
  const std::string stored = stored_library(cli);
  EXPECT_NE(stored.find("Model summary of chapter 20"), std::string::npos);
  EXPECT_NE(stored.find("A model-written summary of the whole book."), std::string::npos);
  EXPECT_EQ(stored, stored_library(calm));
}

TEST(IngestRunsTest, APermanentModelFailureDeadLettersTheRunAndReplayFinishesIt) {
  DocprofCli cli;
  write_text(cli.file("book.md"), big_book(4));
  // Chapter 3's call fails for good (HTTP 400); the others answer.
  Cassette failing;
  failing.error("summarize_chapter_2", 400, "the model refused this request");
  for (int c = 0; c < 4; ++c) {
    if (c != 2) failing.text("summarize_chapter_" + std::to_string(c), chapter_json(c));
  }
  failing.text("summarize_book", json{{"summary", "Whole book."}}.dump());
  const std::string llm = failing.write(cli.file("failing.jsonl"));

  const ProcessResult failed = cli.run({"books", "ingest", cli.file("book.md"), "--llm", llm, "--json"});
  EXPECT_EQ(failed.exit_code, 1) << describe(failed);
  EXPECT_NE(failed.err.find("dlq replay"), std::string::npos) << failed.err;
  const json report = json::parse(failed.out);
  ASSERT_EQ(report.size(), 1u);
  EXPECT_EQ(report[0].value("status", ""), "error");
  EXPECT_EQ(report[0].value("error_code", ""), "provider_error");
  const std::string id = report[0].value("ingest_id", "");
  const json status = ingest_status(cli, id);
  EXPECT_EQ(status.value("status", ""), "error");
  EXPECT_NE(status.value("error", "").find("refused"), std::string::npos) << status.dump(2);
  EXPECT_EQ(cli.run_json({"books", "list", "--json"}).size(), 0u) << "nothing stored half";

  const json letters = cli.dead_letters();
  ASSERT_EQ(letters.size(), 1u) << letters.dump(2);
  EXPECT_EQ(letters[0].value("kind", ""), "ingest");
  EXPECT_EQ(letters[0].value("run_id", ""), id);
  EXPECT_EQ(letters[0].value("event_type", ""), "ChapterSummarized");

  // The provider is back: the replayed step and the rest run on a worker with the good cassette.
  const std::string good = model_cassette(4, 0).write(cli.file("good.jsonl"));
  const ProcessResult replay = cli.run({"dlq", "replay", letters[0].value("id", "")});
  ASSERT_EQ(replay.exit_code, 0) << describe(replay);
  const ProcessResult drain = cli.run({"worker", "--drain", "--llm", good}, {}, Millis(60000));
  ASSERT_EQ(drain.exit_code, 0) << describe(drain);
  const json finished = ingest_status(cli, id);
  EXPECT_EQ(finished.value("status", ""), "complete") << finished.dump(2);
  EXPECT_TRUE(cli.dead_letters().empty());
  const std::string stored = stored_library(cli);
  for (int c = 1; c <= 4; ++c) {
    EXPECT_NE(stored.find("Model summary of chapter " + std::to_string(c) + ":"), std::string::npos) << c;
  }
}

TEST(IngestRunsTest, AnUnreadableAnswerIsRepairedAndOneThatStaysUnreadableFailsWithNothingStored) {
  DocprofCli cli;
  write_text(cli.file("book.md"), big_book(2));
  Cassette repaired;
  repaired.text("summarize_chapter_0", "Here is a summary: the chapter is about basics.");
  repaired.text("summarize_chapter_0", chapter_json(0));
  repaired.text("summarize_chapter_1", chapter_json(1));
  repaired.text("summarize_book", "```json\n{\"summary\": \"Repaired book.\"}\n```");
  const ProcessResult ok =
      cli.run({"books", "ingest", cli.file("book.md"), "--llm", repaired.write(cli.file("repaired.jsonl")), "--json"});
  ASSERT_EQ(ok.exit_code, 0) << describe(ok);
  const std::string id = json::parse(ok.out)[0].value("ingest_id", "");
  const json events = cli.events(id);
  EXPECT_EQ(count_entries(events, "could not be parsed", "note"), 1) << messages(events);
  EXPECT_NE(stored_library(cli).find("Repaired book."), std::string::npos);

  DocprofCli other;
  write_text(other.file("book.md"), big_book(2));
  Cassette hopeless;
  hopeless.text("summarize_chapter_0", "I would rather not.");
  const ProcessResult bad =
      other.run({"books", "ingest", other.file("book.md"), "--llm", hopeless.write(other.file("no.jsonl")), "--json"});
  EXPECT_EQ(bad.exit_code, 1) << describe(bad);
  const json report = json::parse(bad.out);
  EXPECT_EQ(report[0].value("error_code", ""), "unparseable_output") << report.dump(2);
  EXPECT_EQ(other.run_json({"books", "list", "--json"}).size(), 0u);
  expect_row_count(other, "SELECT COUNT(*) FROM chunks;", 0);
}

TEST(IngestRunsTest, SummariesWrittenOverTheOpenAiProtocolArePlannedFrom) {
  test_support::OpenAiTestServer server;
  server.on("You are summarizing a book", {test_support::ScriptedReply::answer(
                                              json{{"summary", "SUMMARY-FROM-THE-MODEL of a chapter on topic basics."},
                                                   {"sections", json::array()}}
                                                  .dump())});
  server.on("Its chapters, summarized", {test_support::ScriptedReply::answer(
                                            json{{"summary", "BOOK-SUMMARY-FROM-THE-MODEL."}}.dump())});
  server.on("Your task: divide the course into its major parts.",
            {test_support::ScriptedReply::answer("Course title: Small Things\nPart 1: Basics - 60 minutes\n"
                                                 "Total: 60 minutes")});
  server.on("Write the sections of Part 1, ",
            {test_support::ScriptedReply::answer(
                "## Part 1: Basics\n\n### Section 1: What the topics are - 30 minutes\nLearning objectives:\n"
                "- Explain what topic 1 is for\n- Identify where topic 2 is used\n\n"
                "### Section 2: Practising the topics - 30 minutes\nLearning objectives:\n"
                "- Apply topic 1 to a real problem\n- Evaluate an exercise on topic 3\n\nTotal for this part: 60 minutes")});
  DocprofCli cli;
  cli.env()["DOCPROF_LLM_BASE_URL"] = server.base_url();
  cli.env()["DOCPROF_LLM_MODEL"] = "test-model";
  cli.env()["OPENAI_API_KEY"] = "test-key";
  write_text(cli.file("book.md"), big_book(3));
  const ProcessResult ingested = cli.run({"books", "ingest", cli.file("book.md"), "--llm", "openai", "--json"});
  ASSERT_EQ(ingested.exit_code, 0) << describe(ingested);
  const std::string stored = stored_library(cli);
  EXPECT_NE(stored.find("SUMMARY-FROM-THE-MODEL"), std::string::npos);
  EXPECT_NE(stored.find("BOOK-SUMMARY-FROM-THE-MODEL."), std::string::npos);
  const json status = ingest_status(cli, json::parse(ingested.out)[0].value("ingest_id", ""));
  EXPECT_GT(status.at("usage").value("calls", 0), 3) << status.dump(2);

  const ProcessResult course =
      cli.run({"course", "create", "I want to learn the basics of topic 1 and topic 2", "--hours", "1", "--llm",
               "openai", "--json"});
  ASSERT_EQ(course.exit_code, 0) << describe(course);
  bool quoted = false;
  for (const auto& request : server.requests()) {
    const std::string prompt = request.body.at("messages").back().value("content", "");
    if (prompt.find("divide the course into its major parts") != std::string::npos &&
        prompt.find("SUMMARY-FROM-THE-MODEL") != std::string::npos) {
      quoted = true;
    }
  }
  EXPECT_TRUE(quoted) << "the planning prompt quotes the model-written chapter summaries";
  EXPECT_EQ(json::parse(course.out).value("total_minutes", 0), 60);
}

}  // namespace
}  // namespace docprof::e2e
