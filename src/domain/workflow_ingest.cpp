// The steps of an ingestion run (issue 14, docs/ingestion-runs.md): read the document, summarize
// each chapter (in parts when it is long), summarize the book, store it.
#include <string>

#include "domain/ingest_summaries.h"
#include "domain/prompts.h"
#include "domain/workflow_internal.h"

namespace docprof::domain::workflow_internal {
namespace {

constexpr std::string_view kExtractive = "extractive";

bool offline_summarizer(const IngestState& ingest) { return ingest.summarizer.empty() || ingest.summarizer == kExtractive; }

int chapter_count(const IngestState& ingest) { return static_cast<int>(ingest.outline.chapters.size()); }

// The chapter text of one summary request: fixed with the run when its document was read.
int part_tokens(const IngestState& ingest, const StepContext& context) {
  return ingest.part_tokens > 0 ? ingest.part_tokens : context.settings.summary_part_tokens;
}

// The run's ingest state, or a failed decision: events of an ingestion run applied to a run that
// has none (or whose document is not read yet) are a programmer's error, visible as such.
const IngestState* ingest_of(const RunState& state, bool parsed) {
  if (!state.ingest || (parsed && !state.ingest->parsed)) return nullptr;
  return &*state.ingest;
}

Decision no_ingest(const RunState& state, const Envelope& event, const StepContext& context) {
  return failed(state, event, "invalid_event",
                std::string(to_string(event.type())) + " for a run that has no document read", context);
}

std::string chapter_name(const IngestState& ingest, int index) {
  return "chapter " + std::to_string(index + 1) + " of " + std::to_string(chapter_count(ingest)) + " (\"" +
         ingest.outline.chapters[static_cast<std::size_t>(index)].title + "\")";
}

// The step that summarizes chapter `index` (its part `part`): offline, the follow-up is ready;
// else a model call.
Decision summarize_chapter(Decision d, int index, int part, const RunState& before, const Envelope& event,
                           const StepContext& context) {
  const IngestState& ingest = *d.state.ingest;
  if (offline_summarizer(ingest)) {
    d.follow_up.ready =
        ChapterSummarized{index, 0, 1, chapter_answer_text(ingest.offline.chapters[static_cast<std::size_t>(index)]),
                          TokenUsage{}};
    return d;
  }
  auto request = summarize_chapter_request(ingest, index, part, part_tokens(ingest, context));
  return with_model_call(std::move(d), request, EventType::ChapterSummarized, index, before, event, context);
}

Decision summarize_book(Decision d, const RunState& before, const Envelope& event, const StepContext& context) {
  const IngestState& ingest = *d.state.ingest;
  if (offline_summarizer(ingest)) {
    const std::string& summary =
        ingest.offline.source_summary.empty() ? ingest.offline.source_title : ingest.offline.source_summary;
    d.follow_up.ready = BookSummarized{book_answer_text(summary), TokenUsage{}};
    return d;
  }
  auto request = summarize_book_request(ingest, context.settings.context_budget_tokens);
  return with_model_call(std::move(d), request, EventType::BookSummarized, 0, before, event, context);
}

}  // namespace

Decision on_ingest_requested(const RunState& state, const Envelope& event, const IngestRequested& payload,
                             const StepContext& context) {
  RunState started = state;
  started.user_id = payload.user_id;
  started.query = payload.file_name;
  started.created_at_ms = context.now_ms;
  IngestState ingest;
  ingest.path = payload.path;
  ingest.file_name = payload.file_name;
  ingest.requested_book_id = payload.book_id;
  ingest.title = payload.title;
  ingest.author = payload.author;
  ingest.summarizer = payload.summarizer.empty() ? std::string(kExtractive) : payload.summarizer;
  ingest.owned = payload.owned;
  started.ingest = std::move(ingest);
  if (payload.path.empty()) return failed(started, event, "invalid_request", "no document to ingest", context);
  Decision d = applied(started, event, context);
  d.message = "Reading " + (payload.file_name.empty() ? payload.path : payload.file_name);
  d.commands.emplace_back(ParseDocument{payload.path, payload.book_id, payload.title, payload.author});
  d.follow_up.type = EventType::DocumentParsed;
  return d;
}

Decision on_document_parsed(const RunState& state, const Envelope& event, const DocumentParsed& payload,
                            const StepContext& context) {
  const IngestState* ingest = ingest_of(state, true);
  if (ingest == nullptr) return no_ingest(state, event, context);
  Decision d = applied(state, event, context);
  d.state.ingest->part_tokens = part_tokens(*ingest, context);
  if (ingest->unchanged) {
    d.message = "\"" + payload.title + "\" is in the library already with these bytes: nothing to do";
    d.follow_up.ready = BookStored{payload.book_id, payload.title, "unchanged", payload.chapters, ingest->stored_chunks};
    return d;
  }
  if (chapter_count(*ingest) == 0) {
    return failed(state, event, "invalid_document", ingest->path + ": no chapter with text found", context);
  }
  d.message = "Read \"" + payload.title + "\" (" + payload.format + "): " + std::to_string(payload.chapters) +
              " chapter(s), " + std::to_string(payload.words) + " words; summaries by " + ingest->summarizer;
  return summarize_chapter(std::move(d), 0, 0, state, event, context);
}

Decision on_chapter_summarized(const RunState& state, const Envelope& event, const ChapterSummarized& payload,
                               const StepContext& context) {
  const IngestState* ingest = ingest_of(state, true);
  if (ingest == nullptr) return no_ingest(state, event, context);
  const int index = payload.chapter_index;
  if (index != static_cast<int>(ingest->chapters.size()) || index >= chapter_count(*ingest)) {
    return failed(state, event, "invalid_event",
                  "a summary of chapter " + std::to_string(index + 1) + " arrived while chapter " +
                      std::to_string(ingest->chapters.size() + 1) + " was expected",
                  context);
  }
  RunState before = state;
  before.usage += payload.usage;
  const bool part = payload.parts > 1 && payload.part_index < payload.parts;
  const ChapterSummary& offline = ingest->offline.chapters[static_cast<std::size_t>(index)];
  // Chapter `index` summarized: keep it, then on to the next chapter or, after the last, the book.
  const auto chapter_done = [&](Decision d, ChapterSummary summary) {
    d.state.ingest->chapters.push_back(std::move(summary));
    d.state.ingest->part_summaries.clear();
    d.message = "Summarized " + chapter_name(*ingest, index);
    if (index + 1 < chapter_count(*ingest)) return summarize_chapter(std::move(d), index + 1, 0, before, event, context);
    return summarize_book(std::move(d), before, event, context);
  };
  // The offline summary itself, exactly (its answer text only records it in the history).
  if (offline_summarizer(*ingest)) return chapter_done(applied(before, event, context), offline);
  auto answer = parse_chapter_answer(payload.summary_text);
  if (!answer) {
    const std::string what = "the summary of " + (part ? "part " + std::to_string(payload.part_index + 1) + " of " : "") +
                             chapter_name(*ingest, index);
    return repair_or_fail(before, event, context,
                          summarize_chapter_request(*ingest, index, payload.part_index, part_tokens(*ingest, context)),
                          answer.error(), payload.summary_text, EventType::ChapterSummarized, index, what);
  }
  Decision d = applied(before, event, context);
  d.state.repairs = 0;
  if (!part) return chapter_done(std::move(d), merge_chapter_answer(offline, *answer));
  d.state.ingest->part_summaries.push_back(payload.summary_text);
  d.message = "Summarized part " + std::to_string(payload.part_index + 1) + " of " + std::to_string(payload.parts) +
              " of " + chapter_name(*ingest, index);
  return summarize_chapter(std::move(d), index, payload.part_index + 1, before, event, context);
}

Decision on_book_summarized(const RunState& state, const Envelope& event, const BookSummarized& payload,
                            const StepContext& context) {
  const IngestState* ingest = ingest_of(state, true);
  if (ingest == nullptr) return no_ingest(state, event, context);
  RunState before = state;
  before.usage += payload.usage;
  auto summary = offline_summarizer(*ingest) ? Result<std::string>(ingest->offline.source_summary)
                                             : parse_book_answer(payload.summary_text);
  if (!summary) {
    return repair_or_fail(before, event, context,
                          summarize_book_request(*ingest, context.settings.context_budget_tokens), summary.error(),
                          payload.summary_text, EventType::BookSummarized, 0, "the book's summary");
  }
  Decision d = applied(before, event, context);
  d.state.repairs = 0;
  IngestState& next = *d.state.ingest;
  next.source_summary = summary.value();
  d.message = "Summarized the book; embedding and storing it";
  d.commands.emplace_back(StoreBook{next.book_id, ingested_summary(next), next.outline, next.source_path, next.format,
                                    next.sha256, next.pages, next.words});
  d.follow_up.type = EventType::BookStored;
  return d;
}

Decision on_book_stored(const RunState& state, const Envelope& event, const BookStored& payload,
                        const StepContext& context) {
  Decision d = applied(state, event, context);
  d.outcome = RunOutcome::complete;
  d.message = "Book " + payload.status + ": \"" + payload.title + "\", " + std::to_string(payload.chapters) +
              " chapter(s), " + std::to_string(payload.chunks) + " chunk(s) [book_id " + payload.book_id + "]";
  return d;
}

Decision on_ingest_failed(const RunState& state, const Envelope& event, const IngestFailed& payload,
                          const StepContext& context) {
  Decision d = applied(state, event, context);
  d.state.last_error = Error{payload.code, payload.message};
  d.outcome = RunOutcome::failed;
  d.failure = CourseFailed{payload.code, payload.message, payload.phase};
  d.message = "Ingestion failed (" + payload.code + "): " + payload.message;
  return d;
}

std::optional<Result<EventPayload>> ingest_follow_up_payload(const Decision& decision,
                                                             const std::optional<CommandOutcome>& outcome,
                                                             const StepContext& context) {
  if (!decision.follow_up.type) return std::nullopt;
  const EventType type = *decision.follow_up.type;
  const auto wrong = [type]() -> Result<EventPayload> {
    return Error{"invalid_outcome", "the outcome does not fit a step that emits " + std::string(to_string(type))};
  };
  const auto model_answer = [&](TokenUsage& usage) -> Result<std::string> {
    const auto* model = outcome ? std::get_if<ModelOutcome>(&*outcome) : nullptr;
    if (model == nullptr) return Error{"invalid_outcome", "a summary step's outcome is not a model's answer"};
    if (model->finish_reason == "length") {
      return Error{"truncated_output", "the model's answer was cut off at its token limit (finish_reason \"length\")"};
    }
    usage = model->usage;
    return model->text;
  };
  switch (type) {
    case EventType::DocumentParsed: {
      const auto* parsed = outcome ? std::get_if<ParseOutcome>(&*outcome) : nullptr;
      if (parsed == nullptr) return wrong();
      const int chapters =
          parsed->unchanged ? parsed->offline.total_chapters : static_cast<int>(parsed->outline.chapters.size());
      return Result<EventPayload>(EventPayload{DocumentParsed{parsed->book_id, parsed->offline.source_title,
                                                              parsed->format, parsed->sha256, chapters, parsed->words,
                                                              parsed->pages, parsed->unchanged}});
    }
    case EventType::ChapterSummarized: {
      TokenUsage usage;
      auto text = model_answer(usage);
      if (!text) return Result<EventPayload>(text.error());
      const IngestState* ingest = ingest_of(decision.state, true);
      const int index = decision.follow_up.part_index;
      if (ingest == nullptr || index < 0 || index >= chapter_count(*ingest)) return wrong();
      const int parts = static_cast<int>(
          chapter_parts(ingest->outline.chapters[static_cast<std::size_t>(index)], part_tokens(*ingest, context)).size());
      const int part = parts > 1 ? static_cast<int>(ingest->part_summaries.size()) : 0;
      return Result<EventPayload>(EventPayload{ChapterSummarized{index, part, parts, text.value(), usage}});
    }
    case EventType::BookSummarized: {
      TokenUsage usage;
      auto text = model_answer(usage);
      if (!text) return Result<EventPayload>(text.error());
      return Result<EventPayload>(EventPayload{BookSummarized{text.value(), usage}});
    }
    case EventType::BookStored: {
      const auto* stored = outcome ? std::get_if<BookStoreOutcome>(&*outcome) : nullptr;
      const IngestState* ingest = ingest_of(decision.state, true);
      if (stored == nullptr || ingest == nullptr) return wrong();
      return Result<EventPayload>(EventPayload{BookStored{ingest->book_id, ingest->offline.source_title, stored->status,
                                                          chapter_count(*ingest), stored->chunks}});
    }
    default:
      return std::nullopt;
  }
}

}  // namespace docprof::domain::workflow_internal
