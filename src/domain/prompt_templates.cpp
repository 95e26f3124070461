#include "domain/prompt_templates.h"

#include <algorithm>
#include <array>
#include <set>

#include "domain/prompts.h"

namespace docprof::domain {
namespace {

// ---- Output grammars (what outline_parser.h reads; outline_text.h renders the same shapes). ----

constexpr std::string_view kPartsFormat =
    "Course title: <course title>\n"
    "Part 1: <part title> - <minutes> minutes\n"
    "Part 2: <part title> - <minutes> minutes\n"
    "...\n"
    "Total: <minutes> minutes\n"
    "Note (uncovered_topic: <topic>): <one sentence>";

constexpr std::string_view kPartSectionsFormat =
    "## Part <n>: <part title>\n"
    "\n"
    "### Section 1: <section title> - <minutes> minutes\n"
    "Learning objectives:\n"
    "- <objective>\n"
    "- <objective>\n"
    "Read: <book_id> ch <chapter number> \u00A7 <section title in the book>\n"
    "\n"
    "### Section 2: <section title> - <minutes> minutes\n"
    "Learning objectives:\n"
    "- <objective>\n"
    "- <objective>\n"
    "Read: <book_id> ch <chapter number>\n"
    "\n"
    "Total for this part: <minutes> minutes";

constexpr std::string_view kOutlineFormat =
    "## Part 1: <part title>\n"
    "\n"
    "### Section 1: <section title> - <minutes> minutes\n"
    "Learning objectives:\n"
    "- <objective>\n"
    "- <objective>\n"
    "\n"
    "Total for this part: <minutes> minutes\n"
    "\n"
    "## Part 2: <part title>\n"
    "...\n"
    "\n"
    "Total: <minutes> minutes";

// The summaries of an ingested book (issue 14): JSON, read by ingest_summaries.h.
constexpr std::string_view kChapterSummaryFormat =
    "{\"summary\": \"<3 to 5 sentences: what the chapter teaches and why it matters>\",\n"
    " \"sections\": [{\"section_title\": \"<a section title from the list above>\",\n"
    "               \"topics\": [\"<topic>\", \"<topic>\"],\n"
    "               \"key_concepts\": [\"<one sentence stating a key idea>\"]}]}";

constexpr std::string_view kBookSummaryFormat =
    "{\"summary\": \"<4 to 6 sentences: what the book covers, for whom, and in what order>\"}";

// The repair prompt quotes the original prompt's grammar through its format_spec variable.
constexpr std::string_view kRepairFormat = "(the format of the original prompt)";

// ---- Template texts. Placeholders are {name}; everything else is sent as written. ----
// A course prompt is its instructions followed by the grammar of the answer it asks for
// (with_format, in templates()); the repair prompt quotes the original prompt's grammar through its
// format_spec variable instead.

constexpr std::string_view kGeneratePartsInstructions =
    "You are an experienced instructional designer planning a self-study course.\n"
    "\n"
    "The learner asked: {query}\n"
    "Time available: {hours} h, which is {target_minutes} minutes.\n"
    "\n"
    "{preferences}\n"
    "\n"
    "Source material found for this request (most relevant first):\n"
    "{summaries_context}\n"
    "\n"
    "Your task: divide the course into its major parts.\n"
    "- {parts_guidance} Plan {parts_count_guidance}.\n"
    "- A part normally lasts 30 to 120 minutes; no part may be longer than 120 minutes.\n"
    "- Put foundational material first and build towards the advanced topics.\n"
    "- Cover the source material that is relevant to the request and leave out the rest.\n"
    "- Name each part after its topic, not after a book or a chapter.\n"
    "- The minutes of all parts must add up to exactly {target_minutes}.\n"
    "- When the learner asks for a topic the source material does not cover, add a line "
    "\"Note (uncovered_topic: <topic>): <one sentence>\" after the Total line, one per topic; "
    "likewise \"Note (prior_knowledge): <one sentence>\" when you leave out what the learner "
    "already knows.\n"
    "\n"
    "Reply with the plan only, in exactly this format (the \"Course title\" and \"Note\" lines "
    "are optional; write no other text):\n";

constexpr std::string_view kExpandPartInstructions =
    "You are an experienced instructional designer writing the sections of one part of a "
    "self-study course.\n"
    "\n"
    "The learner asked: {query}\n"
    "\n"
    "{preferences}\n"
    "\n"
    "Source material found for this request (most relevant first):\n"
    "{book_summaries_context}\n"
    "\n"
    "The course plan, followed by the sections already written for earlier parts:\n"
    "{existing_outline}\n"
    "\n"
    "Parts that come after this one:\n"
    "{remaining_text}\n"
    "\n"
    "Write the sections of Part {part_index}, \"{part_title}\", which lasts {part_minutes} "
    "minutes.\n"
    "- Give every section 2 to 6 specific, measurable learning objectives, each starting with an "
    "action verb.\n"
    "- Size each section by its complexity:\n"
    "  - simple topic: 10-25 minutes, 2-3 objectives\n"
    "  - moderate topic: 25-45 minutes, 3-4 objectives\n"
    "  - complex topic: 45-90 minutes, 4-6 objectives\n"
    "- The section minutes must add up to exactly {part_minutes}.\n"
    "- Do not repeat what earlier parts cover, and leave the later parts' topics to them.\n"
    "- Name sections after their topics, never after a book or a chapter.\n"
    "- After a section's objectives, name what to read for it, one optional line per reading: "
    "\"Read: <book_id> ch <chapter number>\" for a whole chapter, or \"Read: <book_id> ch "
    "<chapter number> \u00A7 <section title>\" for one section of it, with the book_id, chapter number and section title exactly as "
    "the source material above gives them. Cite only material listed there; leave the Read lines "
    "out when none fits.\n"
    "\n"
    "Reply with this part only, in exactly this format, where <n> is {part_index} and <part title> "
    "is \"{part_title}\" (write no other text):\n";

constexpr std::string_view kReviewOutlineInstructions =
    "You are an experienced instructional designer reviewing a course outline whose total time is "
    "off target.\n"
    "\n"
    "The learner asked: {query}\n"
    "Time available: {hours} h, so the course should total {target_total} minutes.\n"
    "The outline below totals {current_total} minutes, {variance_percent}% away from the target.\n"
    "An acceptable total is between {min_acceptable} and {max_acceptable} minutes.\n"
    "\n"
    "{preferences}\n"
    "\n"
    "Source material found for this request (most relevant first):\n"
    "{book_summaries_context}\n"
    "\n"
    "The outline:\n"
    "{outline_text}\n"
    "\n"
    "Adjust the outline so that its total lands in the acceptable range, as close to "
    "{target_total} minutes as you can:\n"
    "- lengthen or shorten sections, add a section for an important missing topic, merge thin "
    "sections or remove marginal ones, and move time between parts where that helps;\n"
    "- keep the quality of the learning objectives and the flow from foundations to advanced "
    "topics;\n"
    "- keep each part's \"Total for this part\" line equal to the sum of its section minutes;\n"
    "- keep each section's \"Read:\" lines with it.\n"
    "\n"
    "Reply with the whole adjusted outline, every part and every section, in exactly this format "
    "(write no other text):\n";

constexpr std::string_view kReviseOutlineInstructions =
    "You are an experienced instructional designer revising a course a learner is already "
    "taking.\n"
    "\n"
    "The course was asked for as: {query}\n"
    "Its length: {hours} h, so it totals {target_total} minutes; an acceptable total is between "
    "{min_acceptable} and {max_acceptable} minutes.\n"
    "\n"
    "{preferences}\n"
    "\n"
    "Source material in the library (most relevant first):\n"
    "{book_summaries_context}\n"
    "\n"
    "The course as it stands. Sections whose title starts with \"[completed]\" have been taken "
    "already ({completed_minutes} minutes in all):\n"
    "{outline_text}\n"
    "\n"
    "The learner asks: {revision_request}\n"
    "\n"
    "Revise the outline as the learner asks:\n"
    "- copy every \"[completed]\" section exactly as it is (title with its marker, minutes, "
    "objectives) and keep it in its part; change only the other sections;\n"
    "- add, drop, rewrite, reorder or resize the other sections and parts as the request needs, "
    "keeping the flow from foundations to advanced topics;\n"
    "- keep the total in the acceptable range; when the learner asks for another length, use that "
    "length instead and start your answer with the line \"Course length: <minutes> minutes\";\n"
    "- give new sections 2 to 6 specific, measurable learning objectives and, where the source "
    "material has them, \"Read:\" lines as in \"Read: <book_id> ch <chapter number> \u00A7 "
    "<section title>\"; keep each section's \"Read:\" lines with it.\n"
    "\n"
    "Reply with the whole revised outline, every part and every section, in exactly this format "
    "(write no other text):\n";

constexpr std::string_view kRepairText =
    "Your previous answer (to prompt {original_prompt_id}) could not be read: {parse_error}\n"
    "\n"
    "This is how your previous answer began:\n"
    "<<<\n"
    "{previous_answer}\n"
    ">>>\n"
    "\n"
    "Write your answer again in exactly this format, keeping its content where you can, with no "
    "other text and no code fences:\n"
    "{format_spec}";

constexpr std::string_view kSummarizeChapterInstructions =
    "You are summarizing a book for a library that plans self-study courses from it.\n"
    "\n"
    "Book: {book_title}\n"
    "Chapter {chapter_number}: {chapter_title}\n"
    "{part_note}\n"
    "Its sections:\n"
    "{section_titles}\n"
    "\n"
    "Text:\n"
    "<<<\n"
    "{chapter_text}\n"
    ">>>\n"
    "\n"
    "Write the chapter's summary for a teacher choosing what a learner should read. Name the "
    "chapter's own subjects in its own terms; no praise, no filler. For each section listed, give "
    "up to 6 topics (short noun phrases a learner could search for) and up to 3 key concepts (one "
    "sentence each). Answer with JSON only, no code fences, in exactly this shape:\n";

constexpr std::string_view kSummarizeBookInstructions =
    "You are summarizing a book for a library that plans self-study courses from it.\n"
    "\n"
    "Book: {book_title}\n"
    "Author: {author}\n"
    "\n"
    "Its chapters, summarized:\n"
    "{chapter_summaries}\n"
    "\n"
    "Write the book's summary: what it covers, for whom, and in what order. Answer with JSON only, "
    "no code fences, in exactly this shape:\n";

// A course prompt: its instructions followed by the grammar of the answer they ask for.
std::string with_format(std::string_view instructions, std::string_view format) {
  return std::string(instructions) + std::string(format);
}

const std::array<PromptTemplate, 7>& templates() {
  static const std::string generate_parts = with_format(kGeneratePartsInstructions, kPartsFormat);
  static const std::string revise_outline = with_format(kReviseOutlineInstructions, kOutlineFormat);
  static const std::string expand_part = with_format(kExpandPartInstructions, kPartSectionsFormat);
  static const std::string review_outline = with_format(kReviewOutlineInstructions, kOutlineFormat);
  static const std::string summarize_chapter = with_format(kSummarizeChapterInstructions, kChapterSummaryFormat);
  static const std::string summarize_book = with_format(kSummarizeBookInstructions, kBookSummaryFormat);
  static const std::array<PromptTemplate, 7> all{{
      {kGeneratePartsPrompt, generate_parts, kPartsFormat},
      {kExpandPartPrompt, expand_part, kPartSectionsFormat},
      {kReviewOutlinePrompt, review_outline, kOutlineFormat},
      {kReviseOutlinePrompt, revise_outline, kOutlineFormat},
      {kRepairPrompt, kRepairText, kRepairFormat},
      {kSummarizeChapterPrompt, summarize_chapter, kChapterSummaryFormat},
      {kSummarizeBookPrompt, summarize_book, kBookSummaryFormat},
  }};
  return all;
}

bool is_name_start(char c) {
  return (c >= 'a' && c <= 'z') || c == '_';
}
bool is_name_char(char c) {
  return is_name_start(c) || (c >= '0' && c <= '9');
}

// The placeholder starting at text[pos] == '{': its name, or empty when the braces are literal.
std::string_view placeholder_at(std::string_view text, std::size_t pos) {
  std::size_t end = pos + 1;
  if (end >= text.size() || !is_name_start(text[end])) return {};
  while (end < text.size() && is_name_char(text[end])) ++end;
  if (end >= text.size() || text[end] != '}') return {};
  return text.substr(pos + 1, end - pos - 1);
}

}  // namespace

const PromptTemplate* find_prompt_template(std::string_view prompt_id) {
  for (const auto& t : templates()) {
    if (t.id == prompt_id) return &t;
  }
  return nullptr;
}

std::vector<std::string> placeholders_of(std::string_view template_text) {
  std::set<std::string> names;
  for (std::size_t pos = 0; pos < template_text.size(); ++pos) {
    if (template_text[pos] != '{') continue;
    const std::string_view name = placeholder_at(template_text, pos);
    if (!name.empty()) names.emplace(name);
  }
  return {names.begin(), names.end()};
}

Substitution substitute(std::string_view template_text,
                        const std::map<std::string, std::string>& values) {
  Substitution result;
  std::set<std::string> seen;
  std::set<std::string> missing;
  std::size_t copied = 0;
  for (std::size_t pos = 0; pos < template_text.size(); ++pos) {
    if (template_text[pos] != '{') continue;
    const std::string_view name = placeholder_at(template_text, pos);
    if (name.empty()) continue;
    result.text.append(template_text.substr(copied, pos - copied));
    const std::string key(name);
    seen.insert(key);
    const auto it = values.find(key);
    if (it == values.end()) {
      missing.insert(key);
    } else {
      result.text += it->second;
    }
    pos += name.size() + 1;  // onto the closing brace; the loop steps past it
    copied = pos + 1;
  }
  result.text.append(template_text.substr(std::min(copied, template_text.size())));
  result.missing.assign(missing.begin(), missing.end());
  for (const auto& [name, value] : values) {
    if (seen.count(name) == 0) result.unused.push_back(name);
  }
  return result;
}

}  // namespace docprof::domain
