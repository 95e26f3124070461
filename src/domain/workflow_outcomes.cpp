// The end of a step: the event that follows a command's outcome, failures, and reopening a run.
#include <string>

#include <nlohmann/json.hpp>

#include "domain/events_json.h"
#include "domain/saturating.h"
#include "domain/time_format.h"
#include "domain/time_rule.h"
#include "domain/workflow_internal.h"

namespace docprof::domain {
namespace {

template <class T>
const T* outcome_as(const std::optional<CommandOutcome>& outcome) {
  return outcome ? std::get_if<T>(&*outcome) : nullptr;
}

Error wrong_outcome(EventType type) {
  return Error{"invalid_outcome", "the outcome does not fit a step that emits " + std::string(to_string(type))};
}

Result<std::string> model_text(const std::optional<CommandOutcome>& outcome, EventType type, TokenUsage& usage) {
  const auto* model = outcome_as<ModelOutcome>(outcome);
  if (model == nullptr) return wrong_outcome(type);
  if (model->finish_reason == "length") {
    return Error{"truncated_output", "the model's answer was cut off at its token limit (finish_reason \"length\")"};
  }
  usage = model->usage;
  return model->text;
}

Result<EventPayload> follow_up_payload(const Decision& decision, const std::optional<CommandOutcome>& outcome,
                                       const StepContext& context) {
  if (decision.follow_up.ready) return *decision.follow_up.ready;
  if (!decision.follow_up.type) return Error{"invalid_outcome", "this step emits no event"};
  if (auto ingest = workflow_internal::ingest_follow_up_payload(decision, outcome, context)) return std::move(*ingest);
  const EventType type = *decision.follow_up.type;
  switch (type) {
    case EventType::EmbeddingGenerated: {
      const auto* embed = outcome_as<EmbedOutcome>(outcome);
      if (embed == nullptr) return wrong_outcome(type);
      if (embed->embedding.empty()) return Error{"provider_error", "the embedder returned an empty vector"};
      return EventPayload{EmbeddingGenerated{{}, embed->model, embed->usage}};  // the vector: keep_outcome
    }
    case EventType::BookSummariesFound: {
      const auto* search = outcome_as<SearchOutcome>(outcome);
      if (search == nullptr) return wrong_outcome(type);
      if (search->books.empty()) {
        double threshold = 0;
        for (const auto& command : decision.commands) {
          if (const auto* s = std::get_if<SearchBookSummaries>(&command)) threshold = s->min_similarity;
        }
        std::string shown = std::to_string(threshold);
        shown.erase(shown.find_last_not_of('0') + 1);
        if (!shown.empty() && shown.back() == '.') shown.pop_back();
        return Error{"no_relevant_books", "no book in the library is relevant to this request (none reached the "
                                          "similarity threshold " + shown + "); import books on the subject and retry"};
      }
      // References only (the event's JSON form); the whole matches: keep_outcome.
      std::vector<BookMatch> refs;
      refs.reserve(search->books.size());
      for (const auto& book : search->books) {
        BookMatch ref;
        ref.book_id = book.book_id;
        ref.title = book.title;
        ref.author = book.author;
        ref.similarity = book.similarity;
        ref.topics = book.topics;
        refs.push_back(std::move(ref));
      }
      return EventPayload{BookSummariesFound{std::move(refs)}};
    }
    case EventType::PartsGenerated: {
      TokenUsage usage;
      auto text = model_text(outcome, type, usage);
      if (!text) return text.error();
      return EventPayload{PartsGenerated{text.value(), usage}};
    }
    case EventType::PartSectionsGenerated: {
      TokenUsage usage;
      auto text = model_text(outcome, type, usage);
      if (!text) return text.error();
      return EventPayload{PartSectionsGenerated{text.value(), decision.follow_up.part_index, usage}};
    }
    case EventType::OutlineReviewed: {
      TokenUsage usage;
      auto text = model_text(outcome, type, usage);
      if (!text) return text.error();
      return EventPayload{OutlineReviewed{true, text.value(), "", usage}};
    }
    case EventType::OutlineRevised: {
      TokenUsage usage;
      auto text = model_text(outcome, type, usage);
      if (!text) return text.error();
      return EventPayload{OutlineRevised{text.value(), usage}};
    }
    case EventType::RevisionStored: {
      if (outcome_as<StoreOutcome>(outcome) == nullptr) return wrong_outcome(type);
      for (const auto& command : decision.commands) {
        if (const auto* store = std::get_if<StoreRevision>(&command)) {
          return EventPayload{RevisionStored{store->course_id, store->rows.revision, store->total_minutes}};
        }
      }
      return wrong_outcome(type);
    }
    case EventType::CourseStored: {
      if (outcome_as<StoreOutcome>(outcome) == nullptr) return wrong_outcome(type);
      CourseStored stored{decision.state.course_id, "", decision.state.outline.total_minutes()};
      for (const auto& command : decision.commands) {
        if (const auto* create = std::get_if<CreateCourse>(&command)) stored.title = create->course.title;
      }
      return EventPayload{stored};
    }
    default:
      return wrong_outcome(type);
  }
}

}  // namespace

Result<Envelope> follow_up_event(const Decision& decision, const Envelope& event,
                                 const std::optional<CommandOutcome>& outcome, const StepContext& context) {
  auto payload = follow_up_payload(decision, outcome, context);
  if (!payload) return payload.error();
  Envelope next;
  next.event_id = context.next_event_id;
  next.course_id = event.course_id;
  next.seq = event.seq + 1;
  next.occurred_at = format_iso8601(context.now_ms);
  next.attempt = 1;
  next.payload = std::move(payload).value();
  const std::size_t bytes = nlohmann::json(next).dump().size();
  if (bytes > kMaxEventBytes) {
    const bool model_text = next.type() == EventType::PartsGenerated ||
                            next.type() == EventType::PartSectionsGenerated ||
                            next.type() == EventType::OutlineReviewed ||
                            next.type() == EventType::OutlineRevised ||
                            next.type() == EventType::ChapterSummarized ||
                            next.type() == EventType::BookSummarized;
    const std::string what = "the next event (" + std::string(to_string(next.type())) + ") would be " +
                             std::to_string(bytes) + " bytes, more than the " + std::to_string(kMaxEventBytes) +
                             " an event may hold";
    if (model_text) return Error{"provider_error", what + ": the model's answer is far longer than asked for"};
    return Error{"invalid_outcome", what};
  }
  return next;
}

void keep_outcome(RunState& state, const CommandOutcome& outcome) {
  if (const auto* embed = std::get_if<EmbedOutcome>(&outcome)) {
    state.embedding = embed->embedding;
  } else if (const auto* search = std::get_if<SearchOutcome>(&outcome)) {
    state.books = search->books;
  } else if (const auto* parsed = std::get_if<ParseOutcome>(&outcome); parsed != nullptr && state.ingest) {
    // The document read: its text stays with the run, events name its chapters by index.
    IngestState& ingest = *state.ingest;
    ingest.parsed = true;
    ingest.book_id = parsed->book_id;
    ingest.source_path = parsed->source_path;
    ingest.format = parsed->format;
    ingest.sha256 = parsed->sha256;
    ingest.pages = parsed->pages;
    ingest.words = parsed->words;
    ingest.unchanged = parsed->unchanged;
    ingest.previous = parsed->replaces;
    ingest.stored_chunks = parsed->stored_chunks;
    ingest.outline = parsed->outline;
    ingest.offline = parsed->offline;
  }
}

Decision decide_failure(const RunState& state, const Envelope& event, const StepFailure& failure,
                        const StepContext& context) {
  // The review is an improvement, not a requirement: when its answer is unusable the pre-review
  // outline is stored instead (rescaled if needed), rather than losing the whole course.
  const bool review_unusable = event.type() == EventType::AllPartsComplete &&
                               (failure.code == "truncated_output" || failure.code == "unparseable_output");
  if (review_unusable && state.phase != Phase::error && event.seq == state.last_seq + 1) {
    Decision d = workflow_internal::applied(state, event, context);
    d.state.review_rounds = state.review_rounds + 1;
    const std::string why = failure.code == "truncated_output" ? "was truncated" : "could not be used";
    d.follow_up.ready = OutlineReviewed{false, "", "The review's answer " + why + " (" + failure.message +
                                                       "); keeping the pre-review outline", TokenUsage{}};
    d.message = "Review unusable; keeping the pre-review outline";
    return d;
  }
  return workflow_internal::failed(state, event, failure.code, failure.message, context);
}

RunState reopen(const RunState& failed_state, EventType pending, std::int64_t now_ms,
                const WorkflowSettings& settings) {
  RunState state = failed_state;
  // The phase "by the last applied event": the one before the pending event in the chain.
  switch (pending) {
    case EventType::CourseRequested:
      state.phase = Phase::initializing;
      break;
    case EventType::EmbeddingGenerated:
    case EventType::BookSummariesFound:
      state.phase = Phase::searching_books;
      break;
    case EventType::PartsGenerated:
      state.phase = Phase::generating_parts;
      break;
    case EventType::PartSectionsGenerated:
      state.phase = Phase::generating_sections;
      break;
    case EventType::AllPartsComplete:
      state.phase = Phase::generating_sections;
      break;
    case EventType::OutlineReviewed:
      state.phase = Phase::reviewing_outline;
      break;
    case EventType::CourseStored:
      state.phase = Phase::storing;
      break;
    case EventType::CourseFailed:
      state.phase = Phase::error;
      break;
    case EventType::RevisionRequested:
    case EventType::OutlineRevised:
    case EventType::RevisionStored:
      state.phase = Phase::revising;
      break;
    case EventType::IngestRequested:
      state.phase = Phase::initializing;
      break;
    case EventType::DocumentParsed:
      state.phase = Phase::parsing;
      break;
    case EventType::ChapterSummarized:
    case EventType::BookSummarized:
      state.phase = Phase::summarizing;
      break;
    case EventType::BookStored:
      state.phase = Phase::storing;
      break;
    case EventType::IngestFailed:
      state.phase = Phase::error;
      break;
  }
  state.last_error.reset();
  state.repairs = 0;
  state.updated_at_ms = now_ms;
  state.expires_at_ms = saturating_add(now_ms, settings.state_ttl_ms);
  return state;
}

}  // namespace docprof::domain
