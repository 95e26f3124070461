#include "domain/events_json.h"

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "domain/json_read.h"
#include "domain/models_json.h"

namespace docprof::domain {
namespace {

using json_read::exception_message;
using json_read::Fault;
using json_read::Fields;
using nlohmann::json;

// Events come from queues and brokers, so every field is checked explicitly (json_read.h) and a
// problem becomes Error{"invalid_event", "<path>: <what is wrong>"}. Readers throw a
// json_read::Problem, caught at the two public entry points; nothing escapes as an exception.

// Field policy: what the next step needs is required; metadata (usage, the embedder's name, the
// review note and text of an OutlineReviewed{reviewed: false}) defaults when missing.
EventPayload read_payload(EventType type, const json& v, const std::string& path) {
  const Fields f(v, path);
  switch (type) {
    case EventType::CourseRequested:
      return CourseRequested{f.string("query"), f.number("hours"),
                             f.nested_or_default<Preferences>("preferences"), f.string("user_id")};
    case EventType::EmbeddingGenerated:
      return EmbeddingGenerated{json_read::as_floats(f.required("embedding"), f.path("embedding"),
                                                     "number out of float range"),
                                f.string_or_empty("model"),
                                f.nested_or_default<TokenUsage>("usage")};
    case EventType::BookSummariesFound:
      return BookSummariesFound{
          json_read::nested_array<BookMatch>(f.required("books"), f.path("books"))};
    case EventType::PartsGenerated:
      return PartsGenerated{f.string("parts_text"), f.nested_or_default<TokenUsage>("usage")};
    case EventType::PartSectionsGenerated:
      return PartSectionsGenerated{f.string("sections_text"), f.integer<int>("part_index", 0),
                                   f.nested_or_default<TokenUsage>("usage")};
    case EventType::AllPartsComplete:
      return AllPartsComplete{};
    case EventType::OutlineReviewed:
      return OutlineReviewed{f.boolean("reviewed"), f.string_or_empty("reviewed_outline_text"),
                             f.string_or_empty("note"), f.nested_or_default<TokenUsage>("usage")};
    case EventType::CourseStored:
      return CourseStored{f.non_empty_string("course_id"), f.string("title"),
                          f.integer<int>("total_minutes", 0)};
    case EventType::CourseFailed:
      // phase is kept as text: it is informational and must not make a failure unrecordable.
      return CourseFailed{f.non_empty_string("code"), f.string("message"), f.string("phase")};
    case EventType::RevisionRequested:
      return RevisionRequested{f.integer<int>("revision", 0), f.string("revision_request"), f.string("user_id")};
    case EventType::OutlineRevised:
      return OutlineRevised{f.string("revised_outline_text"), f.nested_or_default<TokenUsage>("usage")};
    case EventType::RevisionStored:
      return RevisionStored{f.non_empty_string("course_id"), f.integer<int>("revision", 0),
                            f.integer<int>("total_minutes", 0)};
    case EventType::IngestRequested:
      return IngestRequested{f.non_empty_string("path"), f.string_or_empty("file_name"), f.string_or_empty("book_id"),
                             f.string_or_empty("title"),  f.string_or_empty("author"),    f.string("summarizer"),
                             f.boolean("owned"),          f.string_or_empty("user_id")};
    case EventType::DocumentParsed:
      return DocumentParsed{f.non_empty_string("book_id"), f.string_or_empty("title"),  f.string_or_empty("format"),
                            f.string_or_empty("sha256"),   f.integer<int>("chapters", 0), f.integer<int>("words", 0),
                            f.integer<int>("pages", 0),    f.boolean("unchanged")};
    case EventType::ChapterSummarized:
      return ChapterSummarized{f.integer<int>("chapter_index", 0), f.integer<int>("part_index", 0),
                               f.integer<int>("parts", 1), f.string("summary_text"),
                               f.nested_or_default<TokenUsage>("usage")};
    case EventType::BookSummarized:
      return BookSummarized{f.string("summary_text"), f.nested_or_default<TokenUsage>("usage")};
    case EventType::BookStored:
      return BookStored{f.non_empty_string("book_id"), f.string_or_empty("title"), f.string_or_empty("status"),
                        f.integer<int>("chapters", 0), f.integer<int>("chunks", 0)};
    case EventType::IngestFailed:
      return IngestFailed{f.non_empty_string("code"), f.string("message"), f.string("phase")};
  }
  json_read::fail(Fault::bad_value, "type", "unknown event type");
}

json fields_of(const CourseRequested& p) {
  return json{{"query", p.query},
              {"hours", p.hours},
              {"preferences", p.preferences},
              {"user_id", p.user_id}};
}
json fields_of(const EmbeddingGenerated& p) {
  json j{{"model", p.model}, {"usage", p.usage}};
  j["embedding"] = p.embedding;  // empty unless an older event carried it
  return j;
}
// The books as references (their whole matches are kept with the run).
json fields_of(const BookSummariesFound& p) {
  json books = json::array();
  for (const auto& book : p.books) {
    json ref{{"book_id", book.book_id}, {"title", book.title}, {"author", book.author},
             {"similarity", book.similarity}};
    if (!book.topics.empty()) ref["topics"] = book.topics;
    books.push_back(std::move(ref));
  }
  return json{{"books", std::move(books)}};
}
json fields_of(const PartsGenerated& p) {
  return json{{"parts_text", p.parts_text}, {"usage", p.usage}};
}
json fields_of(const PartSectionsGenerated& p) {
  return json{{"sections_text", p.sections_text}, {"part_index", p.part_index}, {"usage", p.usage}};
}
json fields_of(const AllPartsComplete&) {
  return json::object();
}
json fields_of(const OutlineReviewed& p) {
  return json{{"reviewed", p.reviewed},
              {"reviewed_outline_text", p.reviewed_outline_text},
              {"note", p.note},
              {"usage", p.usage}};
}
json fields_of(const CourseStored& p) {
  return json{{"course_id", p.course_id}, {"title", p.title}, {"total_minutes", p.total_minutes}};
}
json fields_of(const CourseFailed& p) {
  return json{{"code", p.code}, {"message", p.message}, {"phase", p.phase}};
}

json fields_of(const RevisionRequested& p) {
  return json{{"revision", p.revision}, {"revision_request", p.revision_request}, {"user_id", p.user_id}};
}
json fields_of(const OutlineRevised& p) {
  return json{{"revised_outline_text", p.revised_outline_text}, {"usage", p.usage}};
}
json fields_of(const RevisionStored& p) {
  return json{{"course_id", p.course_id}, {"revision", p.revision}, {"total_minutes", p.total_minutes}};
}

json fields_of(const IngestRequested& p) {
  return json{{"path", p.path},       {"file_name", p.file_name},   {"book_id", p.book_id},
              {"title", p.title},     {"author", p.author},         {"summarizer", p.summarizer},
              {"owned", p.owned},     {"user_id", p.user_id}};
}
json fields_of(const DocumentParsed& p) {
  return json{{"book_id", p.book_id},   {"title", p.title}, {"format", p.format}, {"sha256", p.sha256},
              {"chapters", p.chapters}, {"words", p.words}, {"pages", p.pages},   {"unchanged", p.unchanged}};
}
json fields_of(const ChapterSummarized& p) {
  return json{{"chapter_index", p.chapter_index}, {"part_index", p.part_index}, {"parts", p.parts},
              {"summary_text", p.summary_text},   {"usage", p.usage}};
}
json fields_of(const BookSummarized& p) { return json{{"summary_text", p.summary_text}, {"usage", p.usage}}; }
json fields_of(const BookStored& p) {
  return json{{"book_id", p.book_id}, {"title", p.title}, {"status", p.status}, {"chapters", p.chapters},
              {"chunks", p.chunks}};
}
json fields_of(const IngestFailed& p) {
  return json{{"code", p.code}, {"message", p.message}, {"phase", p.phase}};
}

}  // namespace

json payload_to_json(const EventPayload& payload) {
  return std::visit([](const auto& p) { return fields_of(p); }, payload);
}

void to_json(json& j, const Envelope& e) {
  j = json{{"event_id", e.event_id},
           {"course_id", e.course_id},
           {"seq", e.seq},
           {"type", std::string(to_string(e.type()))},
           {"occurred_at", e.occurred_at},
           {"attempt", e.attempt},
           {"payload", payload_to_json(e.payload)}};
}

Result<EventPayload> payload_from_json(EventType type, const json& j) {
  try {
    return read_payload(type, j, "payload");
  } catch (const json_read::Problem& p) {
    return Error{"invalid_event", p.message};
  } catch (const json::exception& e) {  // a safety net: every access above is checked first
    return Error{"invalid_event", "payload: " + exception_message(e)};
  }
}

Result<Envelope> envelope_from_json(const json& j) {
  try {
    const Fields f(j, "$");
    Envelope e;
    e.event_id = f.non_empty_string("event_id");
    e.course_id = f.non_empty_string("course_id");
    e.seq = f.integer<std::int64_t>("seq", 0);
    const auto type = parse_event_type(f.string("type"));
    if (!type) json_read::fail(Fault::bad_value, f.path("type"), type.error().message);
    e.occurred_at = f.string("occurred_at");
    e.attempt = f.integer<int>("attempt", 1);
    e.payload = read_payload(*type, f.required("payload"), f.path("payload"));
    return e;
  } catch (const json_read::Problem& p) {
    return Error{"invalid_event", p.message};
  } catch (const json::exception& e) {  // a safety net: every access above is checked first
    return Error{"invalid_event", "$: " + exception_message(e)};
  }
}

}  // namespace docprof::domain
