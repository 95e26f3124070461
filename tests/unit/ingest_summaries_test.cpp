// The summaries of an ingestion run (issue 14): chapters cut into parts that fit a request, the
// prompts' variables and tasks, the tolerant reading of the model's JSON answers (fences, prose,
// strings for lists, missing sections), and how an answer is merged into the document's structure.
#include <gtest/gtest.h>

#include "domain/ingest_summaries.h"
#include "domain/prompts.h"

namespace {

using namespace docprof::domain;

DocumentChapter chapter_of(int paragraphs, int words_each) {
  DocumentChapter chapter;
  chapter.title = "Undoing Changes";
  DocumentSection reset{"Reset", {}, {}};
  DocumentSection revert{"Revert", {}, {}};
  for (int p = 0; p < paragraphs; ++p) {
    std::string text;
    for (int w = 0; w < words_each; ++w) text += "word" + std::to_string(p) + " ";
    text += "ends here.";
    (p % 2 == 0 ? reset : revert).paragraphs.push_back(DocumentParagraph{text, 0, false});
  }
  reset.paragraphs.push_back(DocumentParagraph{"git reset --hard HEAD", 0, true});
  chapter.sections = {reset, revert};
  return chapter;
}

IngestState two_chapter_state() {
  IngestState ingest;
  ingest.parsed = true;
  ingest.book_id = "book-1";
  ingest.outline.title = "A Field Guide";
  ingest.outline.chapters = {chapter_of(4, 20), chapter_of(2, 10)};
  ingest.offline.source_title = "A Field Guide";
  ingest.offline.author = "Ann Author";
  for (int c = 0; c < 2; ++c) {
    ChapterSummary chapter;
    chapter.chapter_number = c + 1;
    chapter.chapter_title = "Undoing Changes";
    chapter.summary = "Offline summary.";
    chapter.sections = {SectionSummary{"Reset", {"reset"}, {"Reset moves a branch."}, "", 40},
                        SectionSummary{"Revert", {"revert"}, {"Revert adds a commit."}, "", 40}};
    ingest.offline.chapters.push_back(chapter);
  }
  ingest.offline.source_summary = "An offline book summary.";
  return ingest;
}

TEST(ChapterParts, AChapterThatFitsIsOnePartWithoutItsCodeListings) {
  const auto parts = chapter_parts(chapter_of(4, 20), 6000);
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_NE(parts[0].find("## Reset"), std::string::npos);
  EXPECT_NE(parts[0].find("## Revert"), std::string::npos);
  EXPECT_EQ(parts[0].find("git reset --hard"), std::string::npos);
}

TEST(ChapterParts, ALongChapterIsCutIntoPartsWithinTheBudgetKeepingEveryWord) {
  const DocumentChapter chapter = chapter_of(40, 200);  // ~40 × 1.4 KB
  const auto parts = chapter_parts(chapter, 500);          // 2,000 bytes a part
  ASSERT_GT(parts.size(), 10u);
  std::string joined;
  for (const auto& part : parts) {
    EXPECT_LE(part.size(), 2000u);
    joined += part + "\n";
  }
  for (int p = 0; p < 40; ++p) EXPECT_NE(joined.find("word" + std::to_string(p) + " "), std::string::npos) << p;
}

TEST(ChapterParts, AParagraphLongerThanAPartIsCutAtWords) {
  DocumentChapter chapter;
  chapter.title = "One long paragraph";
  std::string text;
  for (int w = 0; w < 3000; ++w) text += "lorem ";
  chapter.sections = {DocumentSection{"Only", {DocumentParagraph{text, 0, false}}, {}}};
  const auto parts = chapter_parts(chapter, 250);  // 1,000 bytes
  ASSERT_GT(parts.size(), 15u);
  for (const auto& part : parts) {
    EXPECT_LE(part.size(), 1000u);
    EXPECT_EQ(part.find("lore "), std::string::npos) << "a word was cut";
  }
}

TEST(SummarizeChapterRequest, AWholeChapterNamesTheBookChapterAndSectionsUnderItsTask) {
  const IngestState ingest = two_chapter_state();
  auto request = summarize_chapter_request(ingest, 1, 0, 6000);
  ASSERT_TRUE(request) << request.error().message;
  EXPECT_EQ(request->prompt_id, kSummarizeChapterPrompt);
  EXPECT_EQ(request->task, "summarize_chapter_1");
  EXPECT_EQ(request->variables.at("chapter_number"), "2");
  EXPECT_EQ(request->variables.at("section_titles"), "- Reset\n- Revert");
  EXPECT_EQ(request->variables.at("part_note"), "");
  EXPECT_NE(request->rendered.find("A Field Guide"), std::string::npos);
  EXPECT_NE(request->rendered.find("\"summary\""), std::string::npos);
}

TEST(SummarizeChapterRequest, PartsHaveTasksOfTheirOwnAndTheMergeQuotesThePartSummaries) {
  IngestState ingest = two_chapter_state();
  ingest.outline.chapters[0] = chapter_of(40, 200);
  const int count = static_cast<int>(chapter_parts(ingest.outline.chapters[0], 500).size());
  auto part = summarize_chapter_request(ingest, 0, 1, 500);
  ASSERT_TRUE(part);
  EXPECT_EQ(part->task, "summarize_chapter_0_part_1");
  EXPECT_NE(part->variables.at("part_note").find("part 2 of " + std::to_string(count)), std::string::npos);
  for (int j = 0; j < count; ++j) {
    ingest.part_summaries.push_back(R"({"summary": "Part )" + std::to_string(j + 1) + R"( says things."})");
  }
  auto merge = summarize_chapter_request(ingest, 0, count, 500);
  ASSERT_TRUE(merge);
  EXPECT_EQ(merge->task, "summarize_chapter_0");
  EXPECT_NE(merge->variables.at("chapter_text").find("Part 1: Part 1 says things."), std::string::npos);
  EXPECT_NE(merge->variables.at("part_note").find("Merge"), std::string::npos);
  EXPECT_FALSE(summarize_chapter_request(ingest, 0, count + 1, 500));
  EXPECT_FALSE(summarize_chapter_request(ingest, 2, 0, 500));
}

TEST(SummarizeBookRequest, ListsTheChapterSummariesUnderItsTask) {
  IngestState ingest = two_chapter_state();
  ingest.chapters = ingest.offline.chapters;
  ingest.chapters[1].summary = "How to take back a change.";
  auto request = summarize_book_request(ingest, 6000);
  ASSERT_TRUE(request);
  EXPECT_EQ(request->task, "summarize_book");
  EXPECT_NE(request->variables.at("chapter_summaries").find("Chapter 2: Undoing Changes — How to take back a change."),
            std::string::npos);
  EXPECT_EQ(request->variables.at("author"), "Ann Author");
}

TEST(ParseChapterAnswer, ReadsFencedJsonWithProseAroundIt) {
  auto answer = parse_chapter_answer(
      "Here is the summary:\n```json\n{\"summary\": \"  Undoing work safely. \", \"sections\": ["
      "{\"section_title\": \"Reset\", \"topics\": [\"git reset\", \"\", \"staging\"], \"key_concepts\": "
      "\"Reset moves HEAD; it can drop work\"}, {\"title\": \"Revert\", \"topics\": \"revert, undo commit\"}]}\n```\n");
  ASSERT_TRUE(answer) << answer.error().message;
  EXPECT_EQ(answer->summary, "Undoing work safely.");
  ASSERT_EQ(answer->sections.size(), 2u);
  EXPECT_EQ(answer->sections[0].topics, (std::vector<std::string>{"git reset", "staging"}));
  EXPECT_EQ(answer->sections[0].key_concepts, (std::vector<std::string>{"Reset moves HEAD", "it can drop work"}));
  EXPECT_EQ(answer->sections[1].section_title, "Revert");
  EXPECT_EQ(answer->sections[1].topics, (std::vector<std::string>{"revert", "undo commit"}));
}

TEST(ParseChapterAnswer, SaysWhatIsWrongWithAnUnusableAnswer) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"I cannot summarize this chapter.", "no JSON object"},
      {"{\"summary\": \"cut off", "no JSON object"},
      {"{\"summary\": \"a\", }", "not valid JSON"},
      {"{\"topics\": []}", "no \"summary\""},
      {"{\"summary\": 42}", "not a string"},
      {"{\"summary\": \"   \"}", "empty"},
      {"{\"summary\": \"ok\", \"sections\": {}}", "not an array"},
      {"{\"summary\": \"ok\", \"sections\": [\"Reset\"]}", "not an object"},
  };
  for (const auto& [text, why] : cases) {
    auto answer = parse_chapter_answer(text);
    ASSERT_FALSE(answer) << text;
    EXPECT_EQ(answer.error().code, "unparseable_output");
    EXPECT_NE(answer.error().message.find(why), std::string::npos) << text << " -> " << answer.error().message;
  }
}

TEST(ParseChapterAnswer, CutsWhatIsTooLong) {
  std::string topics;
  for (int i = 0; i < 30; ++i) topics += std::string(i ? "," : "") + "\"topic " + std::to_string(i) + "\"";
  auto answer = parse_chapter_answer("{\"summary\": \"" + std::string(10000, 'x') +
                                     "\", \"sections\": [{\"section_title\": \"Reset\", \"topics\": [" + topics + "]}]}");
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->summary.size(), 3000u);
  EXPECT_EQ(answer->sections[0].topics.size(), 8u);
}

TEST(ParseBookAnswer, NeedsASummary) {
  EXPECT_EQ(parse_book_answer("{\"summary\": \"A book about undoing.\"}").value(), "A book about undoing.");
  EXPECT_FALSE(parse_book_answer("{\"chapters\": []}"));
  EXPECT_FALSE(parse_book_answer(""));
}

TEST(MergeChapterAnswer, SectionsMatchByTitleAndKeepOfflineTextWhereTheAnswerIsSilent) {
  const IngestState ingest = two_chapter_state();
  ChapterAnswer answer{"Model summary.", {SectionAnswer{"revert!", {"git revert"}, {}}}};
  const ChapterSummary merged = merge_chapter_answer(ingest.offline.chapters[0], answer);
  EXPECT_EQ(merged.summary, "Model summary.");
  EXPECT_EQ(merged.sections[0].topics, (std::vector<std::string>{"reset"}));  // not in the answer
  EXPECT_EQ(merged.sections[1].topics, (std::vector<std::string>{"git revert"}));
  EXPECT_EQ(merged.sections[1].key_concepts, (std::vector<std::string>{"Revert adds a commit."}));
  EXPECT_EQ(merged.sections[1].words, 40);  // the structure is the document's
}

TEST(MergeChapterAnswer, RenamedSectionsOfTheSameNumberAreReadByPosition) {
  const IngestState ingest = two_chapter_state();
  ChapterAnswer answer{"S.", {SectionAnswer{"One", {"a"}, {}}, SectionAnswer{"Two", {"b"}, {}}}};
  const ChapterSummary merged = merge_chapter_answer(ingest.offline.chapters[0], answer);
  EXPECT_EQ(merged.sections[0].section_title, "Reset");
  EXPECT_EQ(merged.sections[0].topics, (std::vector<std::string>{"a"}));
  EXPECT_EQ(merged.sections[1].topics, (std::vector<std::string>{"b"}));
}

TEST(ExtractiveAnswers, AreReadBackAsTheOfflineSummary) {
  const IngestState ingest = two_chapter_state();
  auto answer = parse_chapter_answer(chapter_answer_text(ingest.offline.chapters[0]));
  ASSERT_TRUE(answer);
  EXPECT_EQ(merge_chapter_answer(ingest.offline.chapters[0], *answer), ingest.offline.chapters[0]);
  EXPECT_EQ(parse_book_answer(book_answer_text("An offline book summary.")).value(), "An offline book summary.");
}

TEST(IngestedSummary, IsTheOfflineStructureWithTheWrittenSummaries) {
  IngestState ingest = two_chapter_state();
  ingest.chapters = ingest.offline.chapters;
  ingest.chapters[0].summary = "Written.";
  ingest.source_summary = "The book, written.";
  const BookSummary summary = ingested_summary(ingest);
  EXPECT_EQ(summary.total_chapters, 2);
  EXPECT_EQ(summary.source_summary, "The book, written.");
  EXPECT_EQ(summary.chapters[0].summary, "Written.");
  EXPECT_EQ(summary.chapters[1].summary, "Offline summary.");
}

}  // namespace
