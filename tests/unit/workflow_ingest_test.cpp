// The steps of an ingestion run (issue 14) as the pure reducer takes them: IngestRequested → the
// parse command; DocumentParsed → the first chapter (offline: a ready summary, no model call; with
// a model: books.summarize_chapter); ChapterSummarized → the next chapter, the parts of a long one
// and their merge, a repair of an unreadable answer; BookSummarized → StoreBook; BookStored → done.
// Events, commands and the run's state round-trip through JSON.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "domain/commands_json.h"
#include "domain/events_json.h"
#include "domain/ingest_summaries.h"
#include "domain/models_json.h"
#include "domain/workflow.h"

namespace {

using namespace docprof::domain;

constexpr std::int64_t kNow = 1'800'000'000'000;

Envelope envelope(std::int64_t seq, EventPayload payload) {
  Envelope e;
  e.event_id = "event-" + std::to_string(seq);
  e.course_id = "ingest-1";
  e.seq = seq;
  e.occurred_at = "2027-01-15T08:00:00.000Z";
  e.payload = std::move(payload);
  return e;
}

StepContext context(int part_tokens = 6000) {
  WorkflowSettings settings;
  settings.summary_part_tokens = part_tokens;
  return StepContext{kNow, "next-event", settings};
}

ParseOutcome parsed_document(int chapters, int paragraphs_each) {
  ParseOutcome parsed;
  parsed.book_id = "book-1";
  parsed.source_path = "/books/guide.md";
  parsed.format = "markdown";
  parsed.sha256 = "abc";
  parsed.words = 1000;
  parsed.outline.title = "A Field Guide";
  parsed.offline.source_title = "A Field Guide";
  parsed.offline.source_summary = "Offline book summary.";
  for (int c = 0; c < chapters; ++c) {
    DocumentChapter chapter{"Chapter " + std::to_string(c + 1), "chapter", {}};
    DocumentSection section{"Basics", {}, {}};
    for (int p = 0; p < paragraphs_each; ++p) {
      section.paragraphs.push_back(DocumentParagraph{std::string(400, 'a' + static_cast<char>(p % 26)) + ".", 0, false});
    }
    chapter.sections.push_back(section);
    parsed.outline.chapters.push_back(chapter);
    ChapterSummary summary;
    summary.chapter_number = c + 1;
    summary.chapter_title = chapter.title;
    summary.summary = "Offline summary " + std::to_string(c + 1) + ".";
    summary.sections = {SectionSummary{"Basics", {"basics"}, {"A key idea."}, "", 100}};
    parsed.offline.chapters.push_back(summary);
  }
  parsed.offline.total_chapters = chapters;
  return parsed;
}

// Runs one step: decide, then the follow-up from `outcome` (as the engine would), keeping the
// outcome and checking the state survives JSON. Returns the next event (nullopt when none).
struct Step {
  Decision decision;
  std::optional<Envelope> next;
};
Step step(RunState& state, const Envelope& event, const std::optional<CommandOutcome>& outcome,
          const StepContext& ctx = context()) {
  Step s{decide(state, event, ctx), std::nullopt};
  EXPECT_EQ(s.decision.kind, DecisionKind::apply) << s.decision.message;
  // A model call's follow-up is built by the test from the answer it chooses.
  if (s.decision.outcome == RunOutcome::running && s.decision.emits() && (s.decision.follow_up.ready || outcome)) {
    auto next = follow_up_event(s.decision, event, s.decision.follow_up.ready ? std::nullopt : outcome, ctx);
    EXPECT_TRUE(next) << (next ? "" : next.error().message);
    if (next) {
      s.next = next.value();
      if (outcome && !s.decision.follow_up.ready) keep_outcome(s.decision.state, *outcome);
      // Every event survives its JSON form.
      const nlohmann::json j = *s.next;
      EXPECT_EQ(envelope_from_json(j).value(), *s.next);
    }
  }
  state = nlohmann::json(s.decision.state).get<RunState>();  // the state as the store reloads it
  EXPECT_EQ(state, s.decision.state);
  return s;
}

const LlmRequest& model_request(const Decision& d) {
  for (const auto& c : d.commands) {
    if (const auto* call = std::get_if<CallModel>(&c)) return call->request;
  }
  throw std::runtime_error("no model call in: " + d.message);
}

ModelOutcome answer(std::string text) { return ModelOutcome{std::move(text), TokenUsage{100, 50, 1}, "stop"}; }

TEST(IngestWorkflow, OfflineRunSummarizesEveryChapterWithoutAModelCallAndStoresTheBook) {
  RunState state = initial_state("ingest-1");
  auto s = step(state, envelope(0, IngestRequested{"/books/guide.md", "guide.md", "", "", "", "extractive", true, "u"}),
                CommandOutcome{parsed_document(3, 2)});
  ASSERT_EQ(s.decision.commands.size(), 1u);
  EXPECT_EQ(std::get<ParseDocument>(s.decision.commands[0]).path, "/books/guide.md");
  EXPECT_EQ(state.phase, Phase::parsing);
  ASSERT_TRUE(s.next);
  const auto& parsed = std::get<DocumentParsed>(s.next->payload);
  EXPECT_EQ(parsed.chapters, 3);
  EXPECT_TRUE(state.ingest->parsed);
  EXPECT_EQ(state.ingest->outline.chapters.size(), 3u);

  Envelope event = *s.next;
  for (int c = 0; c < 3; ++c) {
    s = step(state, event, std::nullopt);
    EXPECT_TRUE(s.decision.commands.empty()) << "no model call offline";
    ASSERT_TRUE(s.next);
    const auto& summarized = std::get<ChapterSummarized>(s.next->payload);
    EXPECT_EQ(summarized.chapter_index, c);
    EXPECT_EQ(summarized.usage.calls, 0);
    event = *s.next;
  }
  s = step(state, event, std::nullopt);  // the last chapter's summary → the book's (offline)
  ASSERT_TRUE(s.next);
  EXPECT_EQ(s.next->type(), EventType::BookSummarized);
  EXPECT_EQ(state.ingest->chapters.size(), 3u);
  event = *s.next;
  s = step(state, event, CommandOutcome{BookStoreOutcome{"ingested", 9}});
  const auto& store = std::get<StoreBook>(s.decision.commands.at(0));
  EXPECT_EQ(store.summary, parsed_document(3, 2).offline);  // offline: the offline summary, whole
  EXPECT_EQ(store.book_id, "book-1");
  ASSERT_TRUE(s.next);
  const auto& stored = std::get<BookStored>(s.next->payload);
  EXPECT_EQ(stored.status, "ingested");
  EXPECT_EQ(stored.chunks, 9);
  s = step(state, *s.next, std::nullopt);
  EXPECT_EQ(s.decision.outcome, RunOutcome::complete);
  EXPECT_EQ(state.phase, Phase::complete);
}

TEST(IngestWorkflow, AnUnchangedDocumentEndsWithoutSummaries) {
  RunState state = initial_state("ingest-1");
  const Envelope first = envelope(0, IngestRequested{"/books/guide.md", "guide.md", "", "", "", "openai", false, "u"});
  ParseOutcome unchanged;
  unchanged.book_id = "book-1";
  unchanged.unchanged = true;
  unchanged.stored_chunks = 17;
  unchanged.offline.source_title = "A Field Guide";
  unchanged.offline.total_chapters = 7;
  auto s = step(state, first, CommandOutcome{unchanged});
  s = step(state, *s.next, std::nullopt);
  EXPECT_TRUE(s.decision.commands.empty());
  const auto& stored = std::get<BookStored>(s.next->payload);
  EXPECT_EQ(stored.status, "unchanged");
  EXPECT_EQ(stored.chapters, 7);
  EXPECT_EQ(stored.chunks, 17);
}

TEST(IngestWorkflow, AModelSummarizesChaptersInPartsMergesThemAndRepairsAnUnreadableAnswer) {
  RunState state = initial_state("ingest-1");
  const StepContext ctx = context(500);  // 2,000 bytes a part: chapter 1 (12 × 400 bytes) needs 3
  const Envelope first = envelope(0, IngestRequested{"/books/guide.md", "guide.md", "", "", "", "openai", false, "u"});
  auto s = step(state, first, CommandOutcome{parsed_document(2, 12)}, ctx);
  s = step(state, *s.next, std::nullopt, ctx);  // DocumentParsed → chapter 1, part 1
  EXPECT_EQ(model_request(s.decision).task, "summarize_chapter_0_part_0");
  const int parts = static_cast<int>(chapter_parts(state.ingest->outline.chapters[0], 500).size());
  ASSERT_EQ(parts, 3);

  // Part answers: the first unreadable (a repair is asked for, the same part again), then good.
  std::optional<CommandOutcome> outcome = CommandOutcome{answer("Sorry, I can't.")};
  auto next = follow_up_event(s.decision, *s.next, outcome, ctx);
  ASSERT_TRUE(next);
  EXPECT_EQ(std::get<ChapterSummarized>(next->payload).part_index, 0);
  EXPECT_EQ(std::get<ChapterSummarized>(next->payload).parts, 3);
  s = step(state, *next, std::nullopt, ctx);
  EXPECT_EQ(model_request(s.decision).prompt_id, "courses.repair");
  EXPECT_EQ(model_request(s.decision).task, "summarize_chapter_0_part_0");
  EXPECT_EQ(state.repairs, 1);
  Envelope event = follow_up_event(s.decision, *next, CommandOutcome{answer(R"({"summary": "Part one."})")}, ctx).value();
  for (int j = 0; j < parts; ++j) {
    EXPECT_EQ(std::get<ChapterSummarized>(event.payload).part_index, j);
    s = step(state, event, std::nullopt, ctx);
    EXPECT_EQ(state.repairs, 0);
    const std::string task = model_request(s.decision).task;
    EXPECT_EQ(task, j + 1 < parts ? "summarize_chapter_0_part_" + std::to_string(j + 1) : "summarize_chapter_0");
    const std::string text = j + 1 < parts ? R"({"summary": "Part )" + std::to_string(j + 2) + R"(."})"
                                           : R"({"summary": "The whole chapter.", "sections": [{"section_title": "Basics", "topics": ["merged topic"]}]})";
    event = follow_up_event(s.decision, event, CommandOutcome{answer(text)}, ctx).value();
  }
  EXPECT_EQ(std::get<ChapterSummarized>(event.payload).part_index, parts);  // the merge
  s = step(state, event, std::nullopt, ctx);  // chapter 1 done → chapter 2, whole? (12 × 400 too) part 0
  ASSERT_EQ(state.ingest->chapters.size(), 1u);
  EXPECT_EQ(state.ingest->chapters[0].summary, "The whole chapter.");
  EXPECT_EQ(state.ingest->chapters[0].sections[0].topics, (std::vector<std::string>{"merged topic"}));
  EXPECT_EQ(state.ingest->chapters[0].sections[0].key_concepts, (std::vector<std::string>{"A key idea."}));
  EXPECT_TRUE(state.ingest->part_summaries.empty());
  EXPECT_EQ(model_request(s.decision).task, "summarize_chapter_1_part_0");
  EXPECT_EQ(state.usage.calls, 5);  // the unreadable answer, its repair, three parts... and the merge counted next
}

TEST(IngestWorkflow, RepairsRunOutIntoAFailure) {
  RunState state = initial_state("ingest-1");
  const Envelope first = envelope(0, IngestRequested{"/books/guide.md", "guide.md", "", "", "", "openai", false, "u"});
  auto s = step(state, first, CommandOutcome{parsed_document(1, 1)});
  s = step(state, *s.next, std::nullopt);
  Envelope event = follow_up_event(s.decision, *s.next, CommandOutcome{answer("no")}, context()).value();
  for (int repair = 0; repair < WorkflowSettings{}.max_repairs; ++repair) {
    s = step(state, event, std::nullopt);
    event = follow_up_event(s.decision, event, CommandOutcome{answer("still no")}, context()).value();
  }
  const Decision last = decide(state, event, context());
  EXPECT_EQ(last.outcome, RunOutcome::failed);
  ASSERT_TRUE(last.failure);
  EXPECT_EQ(last.failure->code, "unparseable_output");
  EXPECT_NE(last.failure->message.find("chapter 1 of 1"), std::string::npos);
}

TEST(IngestWorkflow, AModelBookSummaryIsStoredWithTheChapterSummaries) {
  RunState state = initial_state("ingest-1");
  const Envelope first = envelope(0, IngestRequested{"/books/guide.md", "guide.md", "", "", "", "openai", false, "u"});
  auto s = step(state, first, CommandOutcome{parsed_document(1, 1)});
  s = step(state, *s.next, std::nullopt);
  Envelope event =
      follow_up_event(s.decision, *s.next, CommandOutcome{answer(R"({"summary": "Chapter one, written."})")}, context())
          .value();
  s = step(state, event, std::nullopt);
  EXPECT_EQ(model_request(s.decision).task, "summarize_book");
  event = follow_up_event(s.decision, event, CommandOutcome{answer(R"({"summary": "The book, written."})")}, context())
              .value();
  s = step(state, event, CommandOutcome{BookStoreOutcome{"replaced", 3}});
  const auto& store = std::get<StoreBook>(s.decision.commands.at(0));
  EXPECT_EQ(store.summary.source_summary, "The book, written.");
  EXPECT_EQ(store.summary.chapters.at(0).summary, "Chapter one, written.");
  // The store command survives its JSON form (logs, cassettes).
  EXPECT_EQ(command_from_json(command_to_json(s.decision.commands[0])).value(), s.decision.commands[0]);
  EXPECT_EQ(std::get<BookStored>(s.next->payload).status, "replaced");
}

TEST(IngestWorkflow, AFailedStepReopensAtItsPhase) {
  RunState failed = initial_state("ingest-1");
  failed.phase = Phase::error;
  EXPECT_EQ(reopen(failed, EventType::ChapterSummarized, kNow, WorkflowSettings{}).phase, Phase::summarizing);
  EXPECT_EQ(reopen(failed, EventType::DocumentParsed, kNow, WorkflowSettings{}).phase, Phase::parsing);
  EXPECT_EQ(reopen(failed, EventType::IngestRequested, kNow, WorkflowSettings{}).phase, Phase::initializing);
  EXPECT_EQ(run_kind_of(EventType::ChapterSummarized), RunKind::ingest);
  EXPECT_EQ(run_kind_of(EventType::RevisionStored), RunKind::course);
}

}  // namespace
