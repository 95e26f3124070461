// Events stay small (domain.md §2, kMaxEventBytes): the request's embedding and the books found are
// kept with the run by keep_outcome and the events name them; an event emitted before that was so
// (carrying them whole) is still applied; a next event over the limit fails its step.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "domain/events_json.h"
#include "workflow_test_support.h"

namespace docprof::testing {
namespace {

// The state after the embedding step, and its BookSummariesFound built from a search outcome.
struct SearchStep {
  RunState state;
  Envelope found;
};

SearchStep search_step(const std::vector<BookMatch>& books) {
  RunState s = initial_state("course-1");
  s.last_seq = 0;
  s.embedding = {0.5F, 0.25F};
  const Envelope event = envelope(1, EmbeddingGenerated{{}, "hashing", {}});
  Decision d = decide(s, event, context_at(10));
  EXPECT_EQ(d.outcome, RunOutcome::running);
  EXPECT_TRUE(d.state.embedding.empty()) << "used once, by the search";
  const CommandOutcome outcome{SearchOutcome{books}};
  auto next = follow_up_event(d, event, outcome, context_at(11));
  EXPECT_TRUE(next.ok());
  keep_outcome(d.state, outcome);
  return SearchStep{d.state, next.value()};
}

TEST(WorkflowSmallEvents, TheEmbeddingIsKeptWithTheRunAndTheEventNamesOnlyItsModel) {
  const Envelope request = envelope(0, valuation_request());
  Decision d = decide(initial_state("course-1"), request, context_at(10));
  const CommandOutcome outcome{EmbedOutcome{std::vector<float>(4096, 0.123456F), "openai:big/4096", {}}};
  auto next = follow_up_event(d, request, outcome, context_at(11));
  ASSERT_TRUE(next.ok()) << next.error().message;
  const auto& payload = std::get<EmbeddingGenerated>(next->payload);
  EXPECT_TRUE(payload.embedding.empty());
  EXPECT_EQ(payload.model, "openai:big/4096");
  keep_outcome(d.state, outcome);
  EXPECT_EQ(d.state.embedding.size(), 4096U);

  const Decision search = decide(d.state, next.value(), context_at(12));
  ASSERT_EQ(search.commands.size(), 1U);
  EXPECT_EQ(std::get<SearchBookSummaries>(search.commands[0]).embedding.size(), 4096U);
  EXPECT_LT(nlohmann::json(next.value()).dump().size(), 1024U);
}

TEST(WorkflowSmallEvents, BooksFoundTravelAsReferencesAndTheRunKeepsThemWhole) {
  const BookMatch book = valuation_book();
  const SearchStep step = search_step({book});
  const auto json = nlohmann::json(step.found);
  const auto& ref = json.at("payload").at("books").at(0);
  EXPECT_EQ(ref.at("book_id"), book.book_id);
  EXPECT_FALSE(ref.contains("summary"));
  EXPECT_FALSE(ref.contains("chapter_scores"));
  ASSERT_EQ(step.state.books.size(), 1U);
  EXPECT_EQ(step.state.books[0], book) << "the whole match, summary and scores, is kept with the run";

  // Through the queue's text and back: the plan is made from the kept matches.
  auto parsed = envelope_from_json(json);
  ASSERT_TRUE(parsed.ok());
  const Decision plan = decide(step.state, parsed.value(), context_at(12));
  EXPECT_EQ(plan.outcome, RunOutcome::running);
  EXPECT_EQ(plan.state.books[0], book);
  ASSERT_EQ(plan.commands.size(), 1U);
  const auto& rendered = std::get<CallModel>(plan.commands[0]).request.rendered;
  EXPECT_NE(rendered.find(book.summary.chapters.at(0).chapter_title), std::string::npos)
      << "the prompt shows the kept summary";
}

TEST(WorkflowSmallEvents, AnEventThatCarriesTheWholeMatchesIsStillApplied) {
  RunState s = initial_state("course-1");
  s.last_seq = 1;  // the search step saved no books: the event was emitted before they were kept
  const BookMatch book = valuation_book();
  const Decision d = decide(s, envelope(2, BookSummariesFound{{book}}), context_at(10));
  EXPECT_EQ(d.outcome, RunOutcome::running);
  ASSERT_EQ(d.state.books.size(), 1U);
  EXPECT_EQ(d.state.books[0], book);
}

TEST(WorkflowSmallEvents, AnEventWhoseBooksTheRunDidNotKeepFailsTheStep) {
  RunState s = initial_state("course-1");
  s.last_seq = 1;
  BookMatch ref;
  ref.book_id = "some-book";
  ref.title = "Some Book";
  ref.similarity = 0.5;
  const Decision d = decide(s, envelope(2, BookSummariesFound{{ref}}), context_at(10));
  EXPECT_EQ(d.outcome, RunOutcome::failed);
  ASSERT_TRUE(d.failure.has_value());
  EXPECT_EQ(d.failure->code, "invalid_outcome");
}

TEST(WorkflowSmallEvents, ManyLargeMatchesStillMakeASmallEvent) {
  std::vector<BookMatch> books;
  for (int i = 0; i < 50; ++i) {
    BookMatch book = valuation_book();
    book.book_id = "book-" + std::to_string(i);
    for (int c = 0; c < 40; ++c) book.summary.chapters.push_back(book.summary.chapters.at(0));
    for (int k = 0; k < 400; ++k) book.section_scores.push_back(SectionScore{k / 10 + 1, k % 10 + 1, 0.25});
    books.push_back(std::move(book));
  }
  const SearchStep step = search_step(books);
  EXPECT_LT(nlohmann::json(step.found).dump().size(), kMaxEventBytes);
  EXPECT_EQ(step.state.books.size(), 50U);
}

TEST(WorkflowSmallEvents, AModelAnswerLongerThanAnEventMayHoldFailsTheStepAsAProviderError) {
  RunState s = planned_state({PartPlan{"A", 60}});
  s.books = {valuation_book()};
  s.last_seq = 1;
  const Envelope found = envelope(2, BookSummariesFound{{valuation_book()}});
  const Decision d = decide(s, found, context_at(10));
  ASSERT_EQ(d.outcome, RunOutcome::running);
  const std::string huge(kMaxEventBytes + 1, 'x');
  auto next = follow_up_event(d, found, CommandOutcome{ModelOutcome{huge, {}, "stop"}}, context_at(11));
  ASSERT_FALSE(next.ok());
  EXPECT_EQ(next.error().code, "provider_error");
  EXPECT_NE(next.error().message.find("PartsGenerated"), std::string::npos) << next.error().message;
  EXPECT_NE(next.error().message.find("65536"), std::string::npos) << next.error().message;
}

}  // namespace
}  // namespace docprof::testing
