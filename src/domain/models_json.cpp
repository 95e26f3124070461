#include "domain/models_json.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/json_read.h"

namespace docprof::domain {
namespace {

using json_read::at_index;
using json_read::fail;
using json_read::Fault;
using nlohmann::json;

// Reading is done by the path-aware readers of json_read.h, which throw a json_read::Problem; the
// public from_json functions turn it into the nlohmann exception the header promises. Messages are
// "<path>: <what is wrong>", with "$" for the document itself, so that callers reading a nested
// document (events_json, commands_json, parse_book_summary) can splice their own prefix in front of
// the path.

// Every reader is declared up front: the vector/optional templates below call them by unqualified
// name, and ADL would not find functions of this unnamed namespace.
void read(const json& v, const std::string& path, std::string& out);
void read(const json& v, const std::string& path, double& out);
void read(const json& v, const std::string& path, bool& out);
void read(const json& v, const std::string& path, int& out);
void read(const json& v, const std::string& path, std::int64_t& out);
void read(const json& v, const std::string& path, Error& out);
void read(const json& v, const std::string& path, Depth& out);
void read(const json& v, const std::string& path, Pace& out);
void read(const json& v, const std::string& path, CourseStatus& out);
void read(const json& v, const std::string& path, SectionStatus& out);
void read(const json& v, const std::string& path, Phase& out);
void read(const json& v, const std::string& path, Preferences& out);
void read(const json& v, const std::string& path, ReadingRef& out);
void read(const json& v, const std::string& path, SectionSource& out);
void read(const json& v, const std::string& path, CourseNote& out);
void read(const json& v, const std::string& path, Course& out);
void read(const json& v, const std::string& path, CourseSection& out);
void read(const json& v, const std::string& path, PartPlan& out);
void read(const json& v, const std::string& path, SectionDraft& out);
void read(const json& v, const std::string& path, PartDraft& out);
void read(const json& v, const std::string& path, Outline& out);
void read(const json& v, const std::string& path, TokenUsage& out);
void read(const json& v, const std::string& path, SectionSummary& out);
void read(const json& v, const std::string& path, ChapterSummary& out);
void read(const json& v, const std::string& path, BookSummary& out);
void read(const json& v, const std::string& path, ChapterScore& out);
void read(const json& v, const std::string& path, SectionScore& out);
void read(const json& v, const std::string& path, BookMatch& out);
void read(const json& v, const std::string& path, BookList& out);
void read(const json& v, const std::string& path, DocumentParagraph& out);
void read(const json& v, const std::string& path, DocumentSection& out);
void read(const json& v, const std::string& path, DocumentChapter& out);
void read(const json& v, const std::string& path, DocumentOutline& out);
void read(const json& v, const std::string& path, IngestState& out);
void read(const json& v, const std::string& path, RunState& out);
void read(const json& v, const std::string& path, std::vector<float>& out);

template <class T>
void read(const json& v, const std::string& path, std::vector<T>& out) {
  if (!v.is_array()) fail(Fault::wrong_type, path, "expected an array");
  std::vector<T> items(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) read(v[i], at_index(path, i), items[i]);
  out = std::move(items);
}

// null is the absent optional.
template <class T>
void read(const json& v, const std::string& path, std::optional<T>& out) {
  if (v.is_null()) {
    out.reset();
    return;
  }
  T value{};
  read(v, path, value);
  out = std::move(value);
}

// The members of one JSON object (json_read::Fields), each read by the overloads of this file.
class Fields {
 public:
  Fields(const json& object, std::string path) : fields_(object, std::move(path)) {}

  // A key that must be present (a null value is present and fails the type check, except for an
  // optional field, where it means absent).
  template <class T>
  void required(std::string_view key, T& out) const {
    read(fields_.required(key), fields_.path(key), out);
  }

  // A key that may be missing or null; out keeps its default then.
  template <class T>
  void optional(std::string_view key, T& out) const {
    if (const json* v = fields_.optional(key)) read(*v, fields_.path(key), out);
  }

 private:
  json_read::Fields fields_;
};

void read(const json& v, const std::string& path, std::string& out) {
  out = json_read::as_string(v, path);
}

void read(const json& v, const std::string& path, std::vector<float>& out) {
  out = json_read::as_floats(v, path, "number out of float range");
}

// Integers are checked by json_read, because nlohmann's get<int>() silently truncates 2.5 and
// converts booleans, which would hide corrupt data.
void read(const json& v, const std::string& path, int& out) {
  out = json_read::as_integer<int>(v, path);
}
void read(const json& v, const std::string& path, std::int64_t& out) {
  out = json_read::as_integer<std::int64_t>(v, path);
}

// A number, never a numeric string (the original stored hours as "2.0") and never a boolean.
void read(const json& v, const std::string& path, double& out) {
  out = json_read::as_number(v, path);
}

void read(const json& v, const std::string& path, bool& out) {
  out = json_read::as_boolean(v, path);
}

template <class Enum>
void read_enum(const json& v, const std::string& path, Enum& out,
               Result<Enum> (*parse)(std::string_view)) {
  auto parsed = parse(json_read::as_string(v, path));
  if (!parsed) fail(Fault::bad_value, path, parsed.error().message);
  out = *parsed;
}

void read(const json& v, const std::string& path, Depth& out) {
  read_enum(v, path, out, parse_depth);
}
void read(const json& v, const std::string& path, Pace& out) {
  read_enum(v, path, out, parse_pace);
}
void read(const json& v, const std::string& path, CourseStatus& out) {
  read_enum(v, path, out, parse_course_status);
}
void read(const json& v, const std::string& path, SectionStatus& out) {
  read_enum(v, path, out, parse_section_status);
}
void read(const json& v, const std::string& path, Phase& out) {
  read_enum(v, path, out, parse_phase);
}

void read(const json& v, const std::string& path, Error& out) {
  const Fields f(v, path);
  f.required("code", out.code);
  f.required("message", out.message);
}

// Preferences come from requests: a missing or null key keeps the default of models.h.
void read(const json& v, const std::string& path, Preferences& out) {
  const Fields f(v, path);
  f.optional("depth", out.depth);
  f.optional("presentation_style", out.presentation_style);
  f.optional("pace", out.pace);
  f.optional("additional_notes", out.additional_notes);
}

void read(const json& v, const std::string& path, ReadingRef& out) {
  const Fields f(v, path);
  f.required("book_id", out.book_id);
  f.required("chapter_number", out.chapter_number);
  f.optional("section_title", out.section_title);
}

void read(const json& v, const std::string& path, SectionSource& out) {
  const Fields f(v, path);
  f.required("book_id", out.book_id);
  f.required("book_title", out.book_title);
  f.required("chapter_number", out.chapter_number);
  f.required("chapter_title", out.chapter_title);
  f.optional("section_title", out.section_title);
}

void read(const json& v, const std::string& path, CourseNote& out) {
  const Fields f(v, path);
  f.required("kind", out.kind);
  f.optional("topic", out.topic);
  f.required("message", out.message);
}

void read(const json& v, const std::string& path, Course& out) {
  const Fields f(v, path);
  f.required("course_id", out.course_id);
  f.required("user_id", out.user_id);
  f.required("title", out.title);
  f.required("original_query", out.original_query);
  f.required("estimated_hours", out.estimated_hours);
  f.required("created_at", out.created_at);
  f.required("last_modified", out.last_modified);
  f.required("preferences", out.preferences);
  f.required("status", out.status);
  f.optional("notes", out.notes);  // absent in courses stored before notes existed
}

void read(const json& v, const std::string& path, CourseSection& out) {
  const Fields f(v, path);
  f.required("section_id", out.section_id);
  f.required("course_id", out.course_id);
  f.optional("parent_section_id", out.parent_section_id);
  f.required("order_index", out.order_index);
  f.required("title", out.title);
  f.required("learning_objectives", out.learning_objectives);
  f.optional("content_summary", out.content_summary);
  f.required("estimated_minutes", out.estimated_minutes);
  f.required("chunk_ids", out.chunk_ids);
  f.required("status", out.status);
  f.optional("completed_at", out.completed_at);
  f.required("can_standalone", out.can_standalone);
  f.required("prerequisites", out.prerequisites);
  f.optional("sources", out.sources);  // absent in rows stored before sources existed
  f.required("created_at", out.created_at);
}

void read(const json& v, const std::string& path, PartPlan& out) {
  const Fields f(v, path);
  f.required("title", out.title);
  f.required("minutes", out.minutes);
}

void read(const json& v, const std::string& path, SectionDraft& out) {
  const Fields f(v, path);
  f.required("title", out.title);
  f.required("minutes", out.minutes);
  f.required("objectives", out.objectives);
  f.optional("reads", out.reads);  // absent in states saved before reads existed
}

void read(const json& v, const std::string& path, PartDraft& out) {
  const Fields f(v, path);
  f.required("title", out.title);
  f.required("minutes", out.minutes);
  f.required("sections", out.sections);
}

void read(const json& v, const std::string& path, Outline& out) {
  const Fields f(v, path);
  f.required("parts", out.parts);
}

// Usage arrives from providers and cassettes: missing counters are zero.
void read(const json& v, const std::string& path, TokenUsage& out) {
  const Fields f(v, path);
  f.optional("input_tokens", out.input_tokens);
  f.optional("output_tokens", out.output_tokens);
  f.optional("calls", out.calls);
}

// Book summaries are read structurally here (types checked, missing keys defaulted as domain.md §7
// allows); the content rules (non-empty titles, unique chapter numbers) are parse_book_summary's,
// so that a default-constructed summary inside a BookMatch still round-trips.
void read(const json& v, const std::string& path, SectionSummary& out) {
  const Fields f(v, path);
  f.optional("section_title", out.section_title);
  f.optional("topics", out.topics);
  f.optional("key_concepts", out.key_concepts);
  f.optional("page_range", out.page_range);
  f.optional("words", out.words);
  f.optional("subsections", out.subsections);
}

void read(const json& v, const std::string& path, ChapterSummary& out) {
  const Fields f(v, path);
  f.required("chapter_number", out.chapter_number);
  f.optional("chapter_title", out.chapter_title);
  f.optional("summary", out.summary);
  f.optional("sections", out.sections);
  f.optional("words", out.words);
  f.optional("kind", out.kind);
}

void read(const json& v, const std::string& path, BookSummary& out) {
  const Fields f(v, path);
  f.optional("source_title", out.source_title);
  f.optional("author", out.author);
  f.optional("source_summary", out.source_summary);
  f.optional("chapters", out.chapters);
  out.total_chapters = static_cast<int>(out.chapters.size());
  f.optional("total_chapters", out.total_chapters);
}

void read(const json& v, const std::string& path, ChapterScore& out) {
  const Fields f(v, path);
  f.required("chapter_number", out.chapter_number);
  f.required("similarity", out.similarity);
  f.optional("matched_terms", out.matched_terms);
}

void read(const json& v, const std::string& path, SectionScore& out) {
  const Fields f(v, path);
  f.required("chapter_number", out.chapter_number);
  f.required("section_index", out.section_index);
  f.required("similarity", out.similarity);
}

// domain.md §2 names book_id, title and similarity; the rest is optional detail.
void read(const json& v, const std::string& path, BookMatch& out) {
  const Fields f(v, path);
  f.required("book_id", out.book_id);
  f.required("title", out.title);
  f.optional("author", out.author);
  f.required("similarity", out.similarity);
  f.optional("chapter_scores", out.chapter_scores);
  f.optional("section_scores", out.section_scores);
  f.optional("matched_terms", out.matched_terms);
  f.optional("topics", out.topics);
  f.optional("summary", out.summary);
}

// Every field written is required back (a missing one means corrupt or foreign data), except the
// optionals, for which missing and null both mean absent.
void read(const json& v, const std::string& path, DocumentParagraph& out) {
  const Fields f(v, path);
  f.required("text", out.text);
  f.optional("page", out.page);
  f.optional("code", out.code);
}

void read(const json& v, const std::string& path, DocumentSection& out) {
  const Fields f(v, path);
  f.required("title", out.title);
  f.required("paragraphs", out.paragraphs);
  f.optional("subheadings", out.subheadings);
}

void read(const json& v, const std::string& path, DocumentChapter& out) {
  const Fields f(v, path);
  f.required("title", out.title);
  f.required("kind", out.kind);
  f.required("sections", out.sections);
}

void read(const json& v, const std::string& path, DocumentOutline& out) {
  const Fields f(v, path);
  f.required("title", out.title);
  f.required("author", out.author);
  f.required("chapters", out.chapters);
}

void read(const json& v, const std::string& path, IngestState& out) {
  const Fields f(v, path);
  f.required("path", out.path);
  f.required("file_name", out.file_name);
  f.required("requested_book_id", out.requested_book_id);
  f.required("title", out.title);
  f.required("author", out.author);
  f.required("summarizer", out.summarizer);
  f.required("owned", out.owned);
  f.required("parsed", out.parsed);
  f.required("book_id", out.book_id);
  f.required("source_path", out.source_path);
  f.required("format", out.format);
  f.required("sha256", out.sha256);
  f.required("pages", out.pages);
  f.required("words", out.words);
  f.required("unchanged", out.unchanged);
  f.required("previous", out.previous);
  f.optional("stored_chunks", out.stored_chunks);
  f.optional("part_tokens", out.part_tokens);
  f.required("outline", out.outline);
  f.required("offline", out.offline);
  f.required("chapters", out.chapters);
  f.required("part_summaries", out.part_summaries);
  f.required("source_summary", out.source_summary);
}

void read(const json& v, const std::string& path, BookList& out) {
  std::vector<BookMatch> books;
  read(v, path, books);
  out = std::move(books);
}

void read(const json& v, const std::string& path, RunState& out) {
  const Fields f(v, path);
  f.optional("ingest", out.ingest);  // ingestion runs only (issue 14)
  f.required("course_id", out.course_id);
  f.required("user_id", out.user_id);
  f.required("query", out.query);
  f.required("hours", out.hours);
  f.required("preferences", out.preferences);
  f.required("phase", out.phase);
  f.required("last_seq", out.last_seq);
  f.optional("embedding", out.embedding);  // absent when none is pending (and before it existed)
  f.required("books", out.books);
  f.optional("course_title", out.course_title);
  f.required("parts", out.parts);
  f.optional("notes", out.notes);  // absent in states saved before notes existed
  f.required("next_part_index", out.next_part_index);
  f.required("outline", out.outline);
  f.required("review_rounds", out.review_rounds);
  f.required("repairs", out.repairs);
  f.optional("course_stored", out.course_stored);  // absent in states saved before it existed
  f.optional("last_error", out.last_error);
  f.required("usage", out.usage);
  // Revisions (issue 17): absent in states of the original generation saved before they existed.
  f.optional("revision", out.revision);
  f.optional("revision_request", out.revision_request);
  f.optional("base_course", out.base_course);
  f.optional("base_sections", out.base_sections);
  f.required("created_at_ms", out.created_at_ms);
  f.required("updated_at_ms", out.updated_at_ms);
  f.required("expires_at_ms", out.expires_at_ms);
}

// The exception types are nlohmann's, as the header promises: a missing key is out_of_range 403
// ("key not found"), a wrong JSON type type_error 302 ("type must be ..."), and a value outside the
// accepted set (an unknown enum name, an integer too large for its field) out_of_range 406
// (json_read::throw_as_json_exception).
template <class T>
void from_json_checked(const json& j, T& out) {
  try {
    T value{};
    read(j, "$", value);
    out = std::move(value);
  } catch (const json_read::Problem& p) {
    json_read::throw_as_json_exception(p);
  }
}

template <class T>
json optional_json(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

// Empty strings that mean "none" (a whole-chapter reference, a note on no single topic) as null.
json empty_as_null(const std::string& v) {
  return v.empty() ? json(nullptr) : json(v);
}


}  // namespace

void to_json(json& j, const Error& v) {
  j = json{{"code", v.code}, {"message", v.message}};
}
void from_json(const json& j, Error& v) {
  from_json_checked(j, v);
}

void to_json(json& j, const Depth& v) {
  j = std::string(to_string(v));
}
void from_json(const json& j, Depth& v) {
  from_json_checked(j, v);
}
void to_json(json& j, const Pace& v) {
  j = std::string(to_string(v));
}
void from_json(const json& j, Pace& v) {
  from_json_checked(j, v);
}
void to_json(json& j, const CourseStatus& v) {
  j = std::string(to_string(v));
}
void from_json(const json& j, CourseStatus& v) {
  from_json_checked(j, v);
}
void to_json(json& j, const SectionStatus& v) {
  j = std::string(to_string(v));
}
void from_json(const json& j, SectionStatus& v) {
  from_json_checked(j, v);
}
void to_json(json& j, const Phase& v) {
  j = std::string(to_string(v));
}
void from_json(const json& j, Phase& v) {
  from_json_checked(j, v);
}

void to_json(json& j, const Preferences& v) {
  j = json{{"depth", v.depth},
           {"presentation_style", v.presentation_style},
           {"pace", v.pace},
           {"additional_notes", v.additional_notes}};
}
void from_json(const json& j, Preferences& v) {
  from_json_checked(j, v);
}

void to_json(json& j, const ReadingRef& v) {
  j = json{{"book_id", v.book_id},
           {"chapter_number", v.chapter_number},
           {"section_title", empty_as_null(v.section_title)}};
}
void from_json(const json& j, ReadingRef& v) {
  from_json_checked(j, v);
}

void to_json(json& j, const SectionSource& v) {
  j = json{{"book_id", v.book_id},
           {"book_title", v.book_title},
           {"chapter_number", v.chapter_number},
           {"chapter_title", v.chapter_title},
           {"section_title", optional_json(v.section_title)}};
}
void from_json(const json& j, SectionSource& v) {
  from_json_checked(j, v);
}

void to_json(json& j, const CourseNote& v) {
  j = json{{"kind", v.kind}, {"topic", empty_as_null(v.topic)}, {"message", v.message}};
}
void from_json(const json& j, CourseNote& v) {
  from_json_checked(j, v);
}

void to_json(json& j, const Course& v) {
  j = json{{"course_id", v.course_id},
           {"user_id", v.user_id},
           {"title", v.title},
           {"original_query", v.original_query},
           {"estimated_hours", v.estimated_hours},
           {"created_at", v.created_at},
           {"last_modified", v.last_modified},
           {"preferences", v.preferences},
           {"status", v.status},
           {"notes", v.notes}};
}
void from_json(const json& j, Course& v) {
  from_json_checked(j, v);
}

void to_json(json& j, const CourseSection& v) {
  j = json{{"section_id", v.section_id},
           {"course_id", v.course_id},
           {"parent_section_id", optional_json(v.parent_section_id)},
           {"order_index", v.order_index},
           {"title", v.title},
           {"learning_objectives", v.learning_objectives},
           {"content_summary", optional_json(v.content_summary)},
           {"estimated_minutes", v.estimated_minutes},
           {"chunk_ids", v.chunk_ids},
           {"status", v.status},
           {"completed_at", optional_json(v.completed_at)},
           {"can_standalone", v.can_standalone},
           {"prerequisites", v.prerequisites},
           {"sources", v.sources},
           {"created_at", v.created_at}};
}
void from_json(const json& j, CourseSection& v) {
  from_json_checked(j, v);
}

void to_json(json& j, const PartPlan& v) {
  j = json{{"title", v.title}, {"minutes", v.minutes}};
}
void from_json(const json& j, PartPlan& v) {
  from_json_checked(j, v);
}

void to_json(json& j, const SectionDraft& v) {
  j = json{{"title", v.title}, {"minutes", v.minutes}, {"objectives", v.objectives}, {"reads", v.reads}};
}
void from_json(const json& j, SectionDraft& v) {
  from_json_checked(j, v);
}

void to_json(json& j, const PartDraft& v) {
  j = json{{"title", v.title}, {"minutes", v.minutes}, {"sections", v.sections}};
}
void from_json(const json& j, PartDraft& v) {
  from_json_checked(j, v);
}

void to_json(json& j, const Outline& v) {
  j = json::object();
  j["parts"] = v.parts;
}
void from_json(const json& j, Outline& v) {
  from_json_checked(j, v);
}

void to_json(json& j, const TokenUsage& v) {
  j = json{
      {"input_tokens", v.input_tokens}, {"output_tokens", v.output_tokens}, {"calls", v.calls}};
}
void from_json(const json& j, TokenUsage& v) {
  from_json_checked(j, v);
}

void to_json(json& j, const SectionSummary& v) {
  j = json{{"section_title", v.section_title},
           {"topics", v.topics},
           {"key_concepts", v.key_concepts},
           {"page_range", v.page_range}};
  if (v.words > 0) j["words"] = v.words;
  if (!v.subsections.empty()) j["subsections"] = v.subsections;
}
void from_json(const json& j, SectionSummary& v) {
  from_json_checked(j, v);
}

void to_json(json& j, const ChapterSummary& v) {
  j = json{{"chapter_number", v.chapter_number},
           {"chapter_title", v.chapter_title},
           {"summary", v.summary},
           {"sections", v.sections}};
  if (v.words > 0) j["words"] = v.words;
  if (v.kind != "chapter") j["kind"] = v.kind;
}
void from_json(const json& j, ChapterSummary& v) {
  from_json_checked(j, v);
}

void to_json(json& j, const BookSummary& v) {
  j = json{{"source_title", v.source_title},
           {"author", v.author},
           {"total_chapters", v.total_chapters},
           {"source_summary", v.source_summary},
           {"chapters", v.chapters}};
}
void from_json(const json& j, BookSummary& v) {
  from_json_checked(j, v);
}

void to_json(json& j, const ChapterScore& v) {
  j = json{{"chapter_number", v.chapter_number}, {"similarity", v.similarity}};
  if (!v.matched_terms.empty()) j["matched_terms"] = v.matched_terms;
}
void from_json(const json& j, ChapterScore& v) {
  from_json_checked(j, v);
}

void to_json(json& j, const SectionScore& v) {
  j = json{{"chapter_number", v.chapter_number},
           {"section_index", v.section_index},
           {"similarity", v.similarity}};
}
void from_json(const json& j, SectionScore& v) {
  from_json_checked(j, v);
}

void to_json(json& j, const BookMatch& v) {
  j = json{{"book_id", v.book_id},
           {"title", v.title},
           {"author", v.author},
           {"similarity", v.similarity},
           {"chapter_scores", v.chapter_scores},
           {"summary", v.summary}};
  if (!v.section_scores.empty()) j["section_scores"] = v.section_scores;
  if (!v.matched_terms.empty()) j["matched_terms"] = v.matched_terms;
  if (!v.topics.empty()) j["topics"] = v.topics;
}
void from_json(const json& j, BookMatch& v) {
  from_json_checked(j, v);
}

void to_json(json& j, const DocumentParagraph& v) {
  j = json{{"text", v.text}};
  if (v.page != 0) j["page"] = v.page;
  if (v.code) j["code"] = true;
}
void from_json(const json& j, DocumentParagraph& v) { from_json_checked(j, v); }

void to_json(json& j, const DocumentSection& v) {
  j = json{{"title", v.title}, {"paragraphs", v.paragraphs}};
  if (!v.subheadings.empty()) j["subheadings"] = v.subheadings;
}
void from_json(const json& j, DocumentSection& v) { from_json_checked(j, v); }

void to_json(json& j, const DocumentChapter& v) {
  j = json{{"title", v.title}, {"kind", v.kind}, {"sections", v.sections}};
}
void from_json(const json& j, DocumentChapter& v) { from_json_checked(j, v); }

void to_json(json& j, const DocumentOutline& v) {
  j = json{{"title", v.title}, {"author", v.author}, {"chapters", v.chapters}};
}
void from_json(const json& j, DocumentOutline& v) { from_json_checked(j, v); }

void to_json(json& j, const IngestState& v) {
  j = json{{"path", v.path},
           {"file_name", v.file_name},
           {"requested_book_id", v.requested_book_id},
           {"title", v.title},
           {"author", v.author},
           {"summarizer", v.summarizer},
           {"owned", v.owned},
           {"parsed", v.parsed},
           {"book_id", v.book_id},
           {"source_path", v.source_path},
           {"format", v.format},
           {"sha256", v.sha256},
           {"pages", v.pages},
           {"words", v.words},
           {"unchanged", v.unchanged},
           {"previous", v.previous},
           {"stored_chunks", v.stored_chunks},
           {"part_tokens", v.part_tokens},
           {"outline", v.outline},
           {"offline", v.offline},
           {"chapters", v.chapters},
           {"part_summaries", v.part_summaries},
           {"source_summary", v.source_summary}};
}
void from_json(const json& j, IngestState& v) { from_json_checked(j, v); }

void to_json(json& j, const BookList& v) { j = v.get(); }
void from_json(const json& j, BookList& v) { from_json_checked(j, v); }

void to_json(json& j, const RunState& v) {
  to_json_without_books(j, v);
  j["books"] = v.books;
}

void to_json_without_books(json& j, const RunState& v) {
  j = json{{"course_id", v.course_id},
           {"user_id", v.user_id},
           {"query", v.query},
           {"hours", v.hours},
           {"preferences", v.preferences},
           {"phase", v.phase},
           {"last_seq", v.last_seq},
           {"books", json::array()},
           {"course_title", optional_json(v.course_title)},
           {"parts", v.parts},
           {"notes", v.notes},
           {"next_part_index", v.next_part_index},
           {"outline", v.outline},
           {"review_rounds", v.review_rounds},
           {"repairs", v.repairs},
           {"course_stored", v.course_stored},
           {"last_error", optional_json(v.last_error)},
           {"usage", v.usage},
           {"created_at_ms", v.created_at_ms},
           {"updated_at_ms", v.updated_at_ms},
           {"expires_at_ms", v.expires_at_ms}};
  if (!v.embedding.empty()) j["embedding"] = v.embedding;
  if (v.ingest) j["ingest"] = *v.ingest;
  if (v.revision != 0) {
    j["revision"] = v.revision;
    j["revision_request"] = v.revision_request;
    j["base_course"] = optional_json(v.base_course);
    j["base_sections"] = v.base_sections;
  }
}
void from_json(const json& j, RunState& v) {
  from_json_checked(j, v);
}

}  // namespace docprof::domain
