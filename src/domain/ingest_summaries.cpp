#include "domain/ingest_summaries.h"

#include <algorithm>
#include <cctype>

#include <nlohmann/json.hpp>

#include "domain/prompts.h"
#include "domain/source_context.h"
#include "domain/text.h"
#include "domain/text_chunker.h"

namespace docprof::domain {
namespace {

using nlohmann::json;

// What one answer may hold: a model that rambles is cut, not stored whole.
constexpr std::size_t kMaxSummaryCodePoints = 3000;
constexpr std::size_t kMaxItemCodePoints = 300;
constexpr std::size_t kMaxTopics = 8;
constexpr std::size_t kMaxKeyConcepts = 5;

Error unparseable(const std::string& what) { return Error{"unparseable_output", what}; }

// Cuts `text` into pieces of at most max_bytes, at a sentence, else a space, else a code point.
void cut_long(std::string_view text, std::size_t max_bytes, std::vector<std::string>& pieces) {
  std::string piece;
  const auto flush = [&] {
    if (!piece.empty()) pieces.push_back(std::move(piece));
    piece.clear();
  };
  for (std::string_view sentence : split_sentences(text)) {
    while (sentence.size() > max_bytes) {
      flush();
      std::size_t cut = sentence.rfind(' ', max_bytes);
      if (cut == std::string_view::npos || cut == 0) {
        cut = utf8_prefix(sentence.substr(0, max_bytes), max_bytes).size();
        while (cut > 0 && (static_cast<unsigned char>(sentence[cut]) & 0xC0) == 0x80) --cut;
        if (cut == 0) cut = max_bytes;
      }
      pieces.emplace_back(sentence.substr(0, cut));
      sentence.remove_prefix(cut);
      while (!sentence.empty() && sentence.front() == ' ') sentence.remove_prefix(1);
    }
    if (!piece.empty() && piece.size() + 1 + sentence.size() > max_bytes) flush();
    if (!piece.empty()) piece += ' ';
    piece += sentence;
  }
  flush();
}

// The JSON object in an answer: code fences and prose around it are ignored.
Result<json> answer_object(std::string_view text) {
  const auto open = text.find('{');
  const auto close = text.rfind('}');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open) {
    return unparseable("the answer holds no JSON object (expected {\"summary\": …})");
  }
  try {
    json object = json::parse(text.substr(open, close - open + 1));
    if (!object.is_object()) return unparseable("the answer is not a JSON object");
    return object;
  } catch (const json::exception& e) {
    return unparseable(std::string("the answer is not valid JSON: ") + e.what());
  }
}

Result<std::string> summary_of(const json& object) {
  const auto it = object.find("summary");
  if (it == object.end()) return unparseable("the answer has no \"summary\"");
  if (!it->is_string()) return unparseable("\"summary\" is not a string");
  std::string summary = trim(it->get<std::string>());
  if (summary.empty()) return unparseable("\"summary\" is empty");
  return utf8_prefix(summary, kMaxSummaryCodePoints);
}

// A list of strings: an array of them, or one string split at commas and semicolons.
std::vector<std::string> strings_of(const json& object, const char* key, std::size_t max_items) {
  std::vector<std::string> out;
  const auto it = object.find(key);
  if (it == object.end()) return out;
  const auto add = [&](std::string_view item) {
    std::string text = trim(item);
    if (!text.empty() && out.size() < max_items) out.push_back(utf8_prefix(text, kMaxItemCodePoints));
  };
  if (it->is_string()) {
    const std::string joined = it->get<std::string>();
    std::size_t start = 0;
    for (std::size_t i = 0; i <= joined.size(); ++i) {
      if (i == joined.size() || joined[i] == ',' || joined[i] == ';') {
        add(std::string_view(joined).substr(start, i - start));
        start = i + 1;
      }
    }
  } else if (it->is_array()) {
    for (const auto& item : *it) {
      if (item.is_string()) add(item.get<std::string>());
    }
  }
  return out;
}

// Titles compared without case, punctuation or spacing differences.
std::string title_key(std::string_view title) {
  std::string key;
  for (const char c : ascii_lower(title)) {
    if (std::isalnum(static_cast<unsigned char>(c)) != 0 || (static_cast<unsigned char>(c) & 0x80) != 0) key += c;
  }
  return key;
}

std::string section_titles_text(const DocumentChapter& chapter) {
  std::string text;
  for (const auto& section : chapter.sections) text += "- " + section.title + "\n";
  if (!text.empty()) text.pop_back();
  return text.empty() ? "(none)" : text;
}

// Part summaries as the merge request shows them.
std::string part_summaries_text(const std::vector<std::string>& parts) {
  std::string text;
  for (std::size_t j = 0; j < parts.size(); ++j) {
    auto answer = parse_chapter_answer(parts[j]);
    text += "Part " + std::to_string(j + 1) + ": " + (answer ? answer->summary : std::string("(no summary)")) + "\n";
    if (!answer) continue;
    for (const auto& section : answer->sections) {
      std::string topics;
      for (const auto& topic : section.topics) topics += (topics.empty() ? "" : ", ") + topic;
      text += "  " + section.section_title + ": " + topics + "\n";
      for (const auto& concept_text : section.key_concepts) text += "    - " + concept_text + "\n";
    }
  }
  return text;
}

}  // namespace

std::string summarize_chapter_task(int chapter_index) { return "summarize_chapter_" + std::to_string(chapter_index); }

std::string summarize_chapter_part_task(int chapter_index, int part_index) {
  return summarize_chapter_task(chapter_index) + "_part_" + std::to_string(part_index);
}

std::vector<std::string> chapter_parts(const DocumentChapter& chapter, int max_part_tokens) {
  const std::size_t max_bytes = static_cast<std::size_t>(std::max(max_part_tokens, 64)) * 4;
  std::vector<std::string> parts;
  std::string part;
  const auto append = [&](std::string_view paragraph) {
    if (!part.empty() && part.size() + 2 + paragraph.size() > max_bytes) {
      parts.push_back(std::move(part));
      part.clear();
    }
    if (!part.empty()) part += "\n\n";
    part += paragraph;
  };
  for (const auto& section : chapter.sections) {
    append("## " + section.title);
    for (const auto& paragraph : section.paragraphs) {
      if (paragraph.code) continue;  // listings say little a summary can use
      if (paragraph.text.size() <= max_bytes) {
        append(paragraph.text);
        continue;
      }
      std::vector<std::string> pieces;
      cut_long(paragraph.text, max_bytes, pieces);
      for (const auto& piece : pieces) append(piece);
    }
  }
  parts.push_back(std::move(part));
  return parts;
}

Result<LlmRequest> summarize_chapter_request(const IngestState& ingest, int chapter_index, int part_index,
                                             int max_part_tokens) {
  if (chapter_index < 0 || chapter_index >= static_cast<int>(ingest.outline.chapters.size())) {
    return Error{"prompt_error", "no chapter " + std::to_string(chapter_index) + " in the document"};
  }
  const DocumentChapter& chapter = ingest.outline.chapters[static_cast<std::size_t>(chapter_index)];
  const std::vector<std::string> parts = chapter_parts(chapter, max_part_tokens);
  const int count = static_cast<int>(parts.size());
  if (part_index < 0 || part_index > count || (part_index == count && count == 1)) {
    return Error{"prompt_error", "no part " + std::to_string(part_index) + " in chapter " +
                                     std::to_string(chapter_index + 1)};
  }
  PromptVariables variables{
      {"book_title", ingest.offline.source_title},
      {"chapter_number", std::to_string(chapter_index + 1)},
      {"chapter_title", chapter.title},
      {"section_titles", section_titles_text(chapter)},
  };
  std::string task = summarize_chapter_task(chapter_index);
  if (count == 1) {
    variables["part_note"] = "";
    variables["chapter_text"] = parts.front();
  } else if (part_index < count) {
    variables["part_note"] = "The chapter is long: this is part " + std::to_string(part_index + 1) + " of " +
                             std::to_string(count) + " of its text. Summarize this part.";
    variables["chapter_text"] = parts[static_cast<std::size_t>(part_index)];
    task = summarize_chapter_part_task(chapter_index, part_index);
  } else {
    variables["part_note"] = "The chapter was too long for one request: below are the summaries of its " +
                             std::to_string(count) + " parts, in order. Merge them into one summary of the whole chapter.";
    variables["chapter_text"] = part_summaries_text(ingest.part_summaries);
  }
  return make_prompt_request(kSummarizeChapterPrompt, std::move(task), std::move(variables),
                             prompt_spec(kSummarizeChapterPrompt).max_tokens);
}

Result<LlmRequest> summarize_book_request(const IngestState& ingest, int budget_tokens) {
  std::string text;
  const std::size_t max_bytes = static_cast<std::size_t>(std::max(budget_tokens, 256)) * 4;
  for (const auto& chapter : ingest.chapters) {
    std::string line = "Chapter " + std::to_string(chapter.chapter_number) + ": " + chapter.chapter_title;
    if (chapter.kind != "chapter") line += " (" + chapter.kind + ")";
    // Past the budget only titles go on: the book's shape matters more than one chapter's detail.
    if (text.size() + line.size() + chapter.summary.size() < max_bytes) line += " — " + chapter.summary;
    text += line + "\n";
  }
  PromptVariables variables{{"book_title", ingest.offline.source_title},
                            {"author", ingest.offline.author.empty() ? "unknown" : ingest.offline.author},
                            {"chapter_summaries", text.empty() ? "(none)" : text}};
  return make_prompt_request(kSummarizeBookPrompt, std::string(kSummarizeBookTask), std::move(variables),
                             prompt_spec(kSummarizeBookPrompt).max_tokens);
}

Result<ChapterAnswer> parse_chapter_answer(std::string_view text) {
  auto object = answer_object(text);
  if (!object) return object.error();
  auto summary = summary_of(object.value());
  if (!summary) return summary.error();
  ChapterAnswer answer;
  answer.summary = std::move(summary).value();
  const auto sections = object->find("sections");
  if (sections != object->end() && !sections->is_null()) {
    if (!sections->is_array()) return unparseable("\"sections\" is not an array");
    for (const auto& item : *sections) {
      if (!item.is_object()) return unparseable("an entry of \"sections\" is not an object");
      SectionAnswer section;
      for (const char* key : {"section_title", "title"}) {
        const auto title = item.find(key);
        if (title != item.end() && title->is_string()) {
          section.section_title = trim(title->get<std::string>());
          break;
        }
      }
      section.topics = strings_of(item, "topics", kMaxTopics);
      section.key_concepts = strings_of(item, "key_concepts", kMaxKeyConcepts);
      answer.sections.push_back(std::move(section));
    }
  }
  return answer;
}

Result<std::string> parse_book_answer(std::string_view text) {
  auto object = answer_object(text);
  if (!object) return object.error();
  return summary_of(object.value());
}

std::string chapter_answer_text(const ChapterSummary& offline) {
  json sections = json::array();
  for (const auto& section : offline.sections) {
    sections.push_back(json{{"section_title", section.section_title},
                            {"topics", section.topics},
                            {"key_concepts", section.key_concepts}});
  }
  // A chapter the offline summarizer found no sentence in still gets a summary: its title.
  const std::string summary = trim(offline.summary).empty() ? offline.chapter_title : offline.summary;
  return json{{"summary", summary}, {"sections", std::move(sections)}}.dump();
}

std::string book_answer_text(const std::string& summary) { return json{{"summary", summary}}.dump(); }

ChapterSummary merge_chapter_answer(const ChapterSummary& offline, const ChapterAnswer& answer) {
  ChapterSummary merged = offline;
  merged.summary = answer.summary;
  std::vector<bool> used(answer.sections.size(), false);
  const auto apply = [&](SectionSummary& section, std::size_t a) {
    used[a] = true;
    const SectionAnswer& given = answer.sections[a];
    if (!given.topics.empty()) section.topics = given.topics;
    if (!given.key_concepts.empty()) section.key_concepts = given.key_concepts;
  };
  for (std::size_t s = 0; s < merged.sections.size(); ++s) {
    const std::string key = title_key(merged.sections[s].section_title);
    for (std::size_t a = 0; a < answer.sections.size(); ++a) {
      if (!used[a] && !key.empty() && title_key(answer.sections[a].section_title) == key) {
        apply(merged.sections[s], a);
        break;
      }
    }
  }
  // An answer that renamed the sections but kept their number and order is read by position.
  if (answer.sections.size() == merged.sections.size() && std::none_of(used.begin(), used.end(), [](bool u) { return u; })) {
    for (std::size_t s = 0; s < merged.sections.size(); ++s) apply(merged.sections[s], s);
  }
  return merged;
}

BookSummary ingested_summary(const IngestState& ingest) {
  BookSummary summary = ingest.offline;
  if (!ingest.source_summary.empty()) summary.source_summary = ingest.source_summary;
  for (std::size_t c = 0; c < ingest.chapters.size() && c < summary.chapters.size(); ++c) {
    summary.chapters[c] = ingest.chapters[c];
  }
  summary.total_chapters = static_cast<int>(summary.chapters.size());
  return summary;
}

}  // namespace docprof::domain
