// The step transitions of the course workflow: one function per event type, dispatched by decide().
#include "domain/workflow.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "domain/course_builder.h"
#include "domain/outline_parser.h"
#include "domain/outline_text.h"
#include "domain/request.h"
#include "domain/text.h"
#include "domain/time_rule.h"
#include "domain/workflow_internal.h"

namespace docprof::domain {

Phase phase_after(EventType type) {
  switch (type) {
    case EventType::CourseRequested:
    case EventType::EmbeddingGenerated:
      return Phase::searching_books;
    case EventType::BookSummariesFound:
      return Phase::generating_parts;
    case EventType::PartsGenerated:
    case EventType::PartSectionsGenerated:
      return Phase::generating_sections;
    case EventType::AllPartsComplete:
      return Phase::reviewing_outline;
    case EventType::OutlineReviewed:
      return Phase::storing;
    case EventType::CourseStored:
      return Phase::complete;
    case EventType::CourseFailed:
      return Phase::error;
    case EventType::RevisionRequested:
    case EventType::OutlineRevised:
      return Phase::revising;
    case EventType::RevisionStored:
      return Phase::complete;
    case EventType::IngestRequested:
      return Phase::parsing;
    case EventType::DocumentParsed:
    case EventType::ChapterSummarized:
      return Phase::summarizing;
    case EventType::BookSummarized:
      return Phase::storing;
    case EventType::BookStored:
      return Phase::complete;
    case EventType::IngestFailed:
      return Phase::error;
  }
  return Phase::error;
}

RunState initial_state(const std::string& course_id) {
  RunState state;
  state.course_id = course_id;
  return state;
}

namespace workflow_internal {

// Puts a model request into the decision, or fails the run when the prompt cannot be rendered
// (a missing variable is a bug, but it must end the run visibly rather than stall it).
Decision with_model_call(Decision decision, const Result<LlmRequest>& request, EventType follow_up, int part_index,
                         const RunState& before, const Envelope& event, const StepContext& context) {
  if (!request) {
    return failed(before, event, "invalid_request", "could not build the prompt: " + request.error().message,
                  context);
  }
  decision.commands.emplace_back(CallModel{request.value()});
  decision.follow_up.type = follow_up;
  decision.follow_up.part_index = part_index;
  return decision;
}

// A step's input could not be parsed: ask the model to repair it (a step of its own), or fail the run
// once max_repairs repairs have been spent on this step.
Decision repair_or_fail(const RunState& before, const Envelope& event, const StepContext& context,
                        const Result<LlmRequest>& original, const Error& parse_error, std::string_view answer,
                        EventType follow_up, int part_index, std::string_view what) {
  const int max_repairs = context.settings.max_repairs;
  if (before.repairs >= max_repairs) {
    Decision d = failed(before, event, "unparseable_output",
                        std::string(what) + " could not be parsed after " + std::to_string(max_repairs) +
                            " repair(s): " + parse_error.message,
                        context);
    d.notes.push_back("Unparseable answer kept for inspection:\n" + utf8_prefix(answer, 4000));
    return d;
  }
  Decision d = applied(before, event, context);
  d.state.repairs = before.repairs + 1;
  d.notes.push_back(std::string(what) + " could not be parsed (" + parse_error.message +
                    "); asking the model to repair it (repair " + std::to_string(d.state.repairs) + " of " +
                    std::to_string(max_repairs) + ")");
  d.message = "Repair requested for " + std::string(what);
  if (!original) return with_model_call(std::move(d), original, follow_up, part_index, before, event, context);
  return with_model_call(std::move(d), repair_request(original.value(), parse_error.message, answer), follow_up,
                         part_index, before, event, context);
}

}  // namespace workflow_internal

namespace {

using workflow_internal::applied;
using workflow_internal::repair_or_fail;
using workflow_internal::with_model_call;
using workflow_internal::failed;

PromptSettings prompt_settings(const StepContext& context) {
  return PromptSettings{context.settings.context_budget_tokens, context.book_views};
}

std::string minutes_text(int minutes) { return std::to_string(minutes) + " minutes"; }

// "Valuation: Measuring and Managing … (7th edition)" -> "Valuation": enough to recognise a book
// in a one-line progress message.
std::string short_title(const std::string& title) {
  const auto cut = title.find_first_of(":(");
  std::string head = trim(cut == std::string::npos ? title : title.substr(0, cut));
  return head.empty() ? utf8_prefix(title, 40) : utf8_prefix(head, 60);
}

Decision on_course_requested(const RunState& state, const Envelope& event, const CourseRequested& request,
                             const StepContext& context) {
  RunState started = state;
  started.user_id = request.user_id;
  started.query = request.query;
  started.hours = request.hours;
  started.preferences = request.preferences;
  started.created_at_ms = context.now_ms;

  RawCourseRequest raw;
  raw.query = request.query;
  raw.hours = request.hours;
  raw.depth = std::string(to_string(request.preferences.depth));
  raw.pace = std::string(to_string(request.preferences.pace));
  raw.presentation_style = request.preferences.presentation_style;
  raw.additional_notes = request.preferences.additional_notes;
  auto valid = validate_course_request(raw);
  if (!valid) return failed(started, event, "invalid_request", valid.error().message, context);
  started.query = valid->query;
  started.preferences = valid->preferences;

  Decision d = applied(started, event, context);
  d.commands.emplace_back(Embed{{started.query}});
  d.follow_up.type = EventType::EmbeddingGenerated;
  d.message = "Course requested: " + std::to_string(target_minutes(started.hours)) + " minutes on \"" +
              utf8_prefix(started.query, 80) + "\"";
  return d;
}

Decision on_embedding_generated(const RunState& state, const Envelope& event, const EmbeddingGenerated& payload,
                                const StepContext& context) {
  // The vector is kept with the run (an event emitted before that was so carries it).
  const std::vector<float>& embedding = payload.embedding.empty() ? state.embedding : payload.embedding;
  if (embedding.empty()) {
    return failed(state, event, "invalid_outcome", "the request's embedding was not kept with the run", context);
  }
  Decision d = applied(state, event, context);
  d.state.usage += payload.usage;
  d.state.embedding.clear();  // used once, by this search
  SearchBookSummaries search;
  search.query = state.query;
  search.embedding = embedding;
  search.embedding_model = payload.model;
  search.top_k = context.settings.top_k;
  search.min_similarity = context.settings.min_similarity;
  d.commands.emplace_back(std::move(search));
  d.follow_up.type = EventType::BookSummariesFound;
  d.message = "Request embedded (" + std::to_string(embedding.size()) + " dimensions, " + payload.model +
              "); searching the library";
  return d;
}

bool same_books(const std::vector<BookMatch>& kept, const std::vector<BookMatch>& named) {
  return kept.size() == named.size() &&
         std::equal(kept.begin(), kept.end(), named.begin(),
                    [](const BookMatch& a, const BookMatch& b) { return a.book_id == b.book_id; });
}

Decision on_books_found(const RunState& state, const Envelope& event, const BookSummariesFound& payload,
                        const StepContext& context) {
  if (payload.books.empty()) {
    return failed(state, event, "no_relevant_books", "no book in the library is relevant to this request", context);
  }
  // The event names the books; their whole matches were kept with the run by the search step. An
  // event emitted before that was so carries them whole.
  const bool carried_whole = std::any_of(payload.books.begin(), payload.books.end(), [](const BookMatch& book) {
    return !book.summary.chapters.empty() || !book.chapter_scores.empty();
  });
  if (!carried_whole && !same_books(state.books, payload.books)) {
    return failed(state, event, "invalid_outcome", "the books found were not kept with the run", context);
  }
  Decision d = applied(state, event, context);
  if (carried_whole) d.state.books = payload.books;
  std::string titles;
  for (std::size_t i = 0; i < payload.books.size() && i < 5; ++i) {
    if (!titles.empty()) titles += "; ";
    std::string score = std::to_string(static_cast<int>(payload.books[i].similarity * 100 + 0.5));
    titles += short_title(payload.books[i].title) + " (" + score + "%)";
  }
  if (payload.books.size() > 5) titles += "; …";
  d.message = "Found " + std::to_string(payload.books.size()) + " relevant book(s): " + titles;
  auto request = generate_parts_request(d.state, prompt_settings(context));
  return with_model_call(std::move(d), request, EventType::PartsGenerated, 0, state, event, context);
}

Decision on_parts_generated(const RunState& state, const Envelope& event, const PartsGenerated& payload,
                            const StepContext& context) {
  RunState before = state;
  before.usage += payload.usage;
  auto parsed = parse_parts(payload.parts_text);
  if (!parsed) {
    return repair_or_fail(before, event, context, generate_parts_request(before, prompt_settings(context)),
                          parsed.error(), payload.parts_text, EventType::PartsGenerated, 0, "the parts list");
  }
  Decision d = applied(before, event, context);
  d.state.parts = parsed->parts;
  d.state.course_title = parsed->course_title;
  d.state.notes = parsed->notes;
  d.state.outline = Outline{};
  d.state.next_part_index = 0;
  d.state.repairs = 0;
  d.notes = check_parts(d.state.parts);
  for (const auto& note : d.state.notes) d.notes.push_back("Outline note: " + render_note(note));
  int planned = 0;
  for (const auto& part : d.state.parts) planned += part.minutes;
  const int target = target_minutes(d.state.hours);
  if (planned != target) {
    d.notes.push_back("The parts plan " + minutes_text(planned) + " for a target of " + minutes_text(target) +
                      "; the timing review will correct it");
  }
  d.message = "Planned " + std::to_string(d.state.parts.size()) + " part(s), " + minutes_text(planned) +
              "; expanding part 1 of " + std::to_string(d.state.parts.size());
  auto request = expand_part_request(d.state, 0, prompt_settings(context));
  return with_model_call(std::move(d), request, EventType::PartSectionsGenerated, 0, state, event, context);
}

Decision on_sections_generated(const RunState& state, const Envelope& event, const PartSectionsGenerated& payload,
                               const StepContext& context) {
  const int index = payload.part_index;
  if (index != state.next_part_index || index < 0 || index >= static_cast<int>(state.parts.size())) {
    return failed(state, event, "invalid_request",
                  "sections for part " + std::to_string(index + 1) + " arrived, but part " +
                      std::to_string(state.next_part_index + 1) + " was expected",
                  context);
  }
  RunState before = state;
  before.usage += payload.usage;
  const std::string what = "the sections of part " + std::to_string(index + 1);
  auto parsed = parse_sections(payload.sections_text);
  if (!parsed) {
    return repair_or_fail(before, event, context, expand_part_request(before, index, prompt_settings(context)),
                          parsed.error(), payload.sections_text, EventType::PartSectionsGenerated, index, what);
  }

  Decision d = applied(before, event, context);
  const PartPlan& plan = before.parts[static_cast<std::size_t>(index)];
  PartDraft part{plan.title, plan.minutes, parsed->sections};
  d.notes = normalize_sections(part.sections);
  if (part.section_minutes() != plan.minutes) {
    d.notes.push_back("Part " + std::to_string(index + 1) + " sections total " +
                      minutes_text(part.section_minutes()) + " of " + minutes_text(plan.minutes) + " planned");
  }
  d.state.outline.parts.push_back(std::move(part));
  d.state.next_part_index = index + 1;
  d.state.repairs = 0;

  const int total_parts = static_cast<int>(before.parts.size());
  const std::string done = "Part " + std::to_string(index + 1) + " of " + std::to_string(total_parts) + " expanded: " +
                           std::to_string(parsed->sections.size()) + " section(s), " +
                           minutes_text(d.state.outline.parts.back().section_minutes());
  if (index + 1 < total_parts) {
    d.message = done;
    auto request = expand_part_request(d.state, index + 1, prompt_settings(context));
    return with_model_call(std::move(d), request, EventType::PartSectionsGenerated, index + 1, state, event,
                           context);
  }
  d.follow_up.ready = AllPartsComplete{};
  d.message = done + "; all parts complete (" + minutes_text(d.state.outline.total_minutes()) + ")";
  return d;
}

Decision on_all_parts_complete(const RunState& state, const Envelope& event, const StepContext& context) {
  Decision d = applied(state, event, context);
  const int total = state.outline.total_minutes();
  const int target = target_minutes(state.hours);
  if (within_tolerance(total, target)) {
    d.follow_up.ready = OutlineReviewed{};
    d.message = "Outline totals " + minutes_text(total) + ", within 5 % of the " + minutes_text(target) +
                " target: no review needed";
    return d;
  }
  d.state.review_rounds = state.review_rounds + 1;
  d.message = "Outline totals " + minutes_text(total) + ", " + variance_percent(total, target) + " % off the " +
              minutes_text(target) + " target: asking for a review";
  auto request = review_outline_request(d.state, prompt_settings(context));
  return with_model_call(std::move(d), request, EventType::OutlineReviewed, 0, state, event, context);
}

Decision on_outline_reviewed(const RunState& state, const Envelope& event, const OutlineReviewed& payload,
                             const StepContext& context) {
  RunState before = state;
  before.usage += payload.usage;
  Outline final_outline = before.outline;
  std::vector<std::string> notes;
  if (payload.reviewed) {
    auto parsed = parse_outline(payload.reviewed_outline_text);
    if (!parsed) {
      if (before.repairs < context.settings.max_repairs) {
        return repair_or_fail(before, event, context, review_outline_request(before, prompt_settings(context)),
                              parsed.error(), payload.reviewed_outline_text, EventType::OutlineReviewed, 0,
                              "the reviewed outline");
      }
      notes.push_back("The reviewed outline could not be parsed after " +
                      std::to_string(context.settings.max_repairs) +
                      " repair(s) (" + parsed.error().message + "); keeping the pre-review outline");
    } else {
      final_outline = workflow_internal::adopt_reviewed_outline(parsed.value(), before.parts, notes);
      notes.push_back("Review applied: " + minutes_text(before.outline.total_minutes()) + " -> " +
                      minutes_text(final_outline.total_minutes()));
    }
  } else if (!payload.note.empty()) {
    notes.push_back(payload.note);
  }

  const int target = target_minutes(before.hours);
  if (!within_tolerance(final_outline.total_minutes(), target)) {
    workflow_internal::rescale_outline(final_outline, target, notes);
  }

  Decision d = applied(before, event, context);
  d.state.outline = final_outline;
  d.state.repairs = 0;
  d.state.course_stored = true;  // the commit of this step writes the course
  d.notes = std::move(notes);
  CourseRows rows = build_course_rows(d.state, final_outline, context.now_ms,
                                      context.book_views != nullptr ? *context.book_views : direct_book_views());
  d.message = "Storing \"" + rows.course.title + "\": " + std::to_string(final_outline.parts.size()) +
              " part(s), " + std::to_string(final_outline.section_count()) + " section(s), " +
              minutes_text(final_outline.total_minutes());
  d.commands.emplace_back(CreateCourse{rows.course});
  d.commands.emplace_back(CreateSections{rows.course.course_id, std::move(rows.sections)});
  d.follow_up.type = EventType::CourseStored;
  return d;
}

Decision on_course_stored(const RunState& state, const Envelope& event, const CourseStored& payload,
                          const StepContext& context) {
  Decision d = applied(state, event, context);
  d.outcome = RunOutcome::complete;
  d.message = "Course stored: \"" + payload.title + "\", " + minutes_text(payload.total_minutes);
  return d;
}

Decision on_course_failed(const RunState& state, const Envelope& event, const CourseFailed& payload,
                          const StepContext& context) {
  Decision d = applied(state, event, context);
  d.state.last_error = Error{payload.code, payload.message};
  d.outcome = RunOutcome::failed;
  d.failure = payload;
  d.message = "Course failed (" + payload.code + "): " + payload.message;
  return d;
}

}  // namespace

Decision decide(const RunState& state, const Envelope& event, const StepContext& context) {
  Decision d;
  d.state = state;
  if (state.phase == Phase::complete || state.phase == Phase::error || event.seq <= state.last_seq) {
    d.kind = DecisionKind::duplicate;
    d.message = "Duplicate " + std::string(to_string(event.type())) + " (seq " + std::to_string(event.seq) +
                ") ignored";
    return d;
  }
  if (event.seq > state.last_seq + 1) {
    d.kind = DecisionKind::out_of_order;
    d.message = "Event seq " + std::to_string(event.seq) + " arrived before seq " +
                std::to_string(state.last_seq + 1);
    return d;
  }
  return std::visit(
      [&](const auto& payload) -> Decision {
        using T = std::decay_t<decltype(payload)>;
        if constexpr (std::is_same_v<T, CourseRequested>) return on_course_requested(state, event, payload, context);
        if constexpr (std::is_same_v<T, EmbeddingGenerated>)
          return on_embedding_generated(state, event, payload, context);
        if constexpr (std::is_same_v<T, BookSummariesFound>) return on_books_found(state, event, payload, context);
        if constexpr (std::is_same_v<T, PartsGenerated>) return on_parts_generated(state, event, payload, context);
        if constexpr (std::is_same_v<T, PartSectionsGenerated>)
          return on_sections_generated(state, event, payload, context);
        if constexpr (std::is_same_v<T, AllPartsComplete>) return on_all_parts_complete(state, event, context);
        if constexpr (std::is_same_v<T, OutlineReviewed>) return on_outline_reviewed(state, event, payload, context);
        if constexpr (std::is_same_v<T, CourseStored>) return on_course_stored(state, event, payload, context);
        if constexpr (std::is_same_v<T, CourseFailed>) return on_course_failed(state, event, payload, context);
        if constexpr (std::is_same_v<T, RevisionRequested>)
          return workflow_internal::on_revision_requested(state, event, payload, context);
        if constexpr (std::is_same_v<T, OutlineRevised>)
          return workflow_internal::on_outline_revised(state, event, payload, context);
        if constexpr (std::is_same_v<T, RevisionStored>)
          return workflow_internal::on_revision_stored(state, event, payload, context);
        if constexpr (std::is_same_v<T, IngestRequested>)
          return workflow_internal::on_ingest_requested(state, event, payload, context);
        if constexpr (std::is_same_v<T, DocumentParsed>)
          return workflow_internal::on_document_parsed(state, event, payload, context);
        if constexpr (std::is_same_v<T, ChapterSummarized>)
          return workflow_internal::on_chapter_summarized(state, event, payload, context);
        if constexpr (std::is_same_v<T, BookSummarized>)
          return workflow_internal::on_book_summarized(state, event, payload, context);
        if constexpr (std::is_same_v<T, BookStored>)
          return workflow_internal::on_book_stored(state, event, payload, context);
        if constexpr (std::is_same_v<T, IngestFailed>)
          return workflow_internal::on_ingest_failed(state, event, payload, context);
      },
      event.payload);
}

}  // namespace docprof::domain
