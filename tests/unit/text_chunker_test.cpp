// chunk_document: chunks of a few hundred words on paragraph boundaries with exact locations;
// long paragraphs cut between sentences; small remainders merged. split_sentences.
#include <gtest/gtest.h>

#include "domain/text_chunker.h"

namespace {

using namespace docprof::domain;

// A paragraph of `n` words made of sentences of ten words.
std::string paragraph(int n, const std::string& word = "word") {
  std::string text;
  for (int i = 0; i < n; ++i) {
    if (!text.empty()) text += ' ';
    text += (i % 10 == 0) ? "Start" : word;
    if (i % 10 == 9) text += '.';
  }
  return text;
}

DocumentOutline two_chapters() {
  DocumentOutline outline;
  outline.title = "T";
  DocumentChapter one{"One", "chapter", {}};
  DocumentSection s1{"S1", {}};
  for (int i = 0; i < 10; ++i) s1.paragraphs.push_back({paragraph(90), 10 + i});  // 900 words
  one.sections.push_back(s1);
  one.sections.push_back(DocumentSection{"S2", {{paragraph(50), 25}}});
  DocumentChapter two{"Two", "chapter", {}};
  two.sections.push_back(DocumentSection{"Long", {{paragraph(1000), 30}}});
  outline.chapters = {one, two};
  return outline;
}

TEST(TextChunker, ChunksStayWithinLimitsAndKeepEveryWord) {
  const auto outline = two_chapters();
  const auto chunks = chunk_document(outline);
  int total = 0;
  for (const auto& c : chunks) {
    EXPECT_LE(c.words, 500) << c.chapter_number << "." << c.section_index;
    EXPECT_EQ(c.words, count_words(c.text));
    total += c.words;
  }
  EXPECT_EQ(total, document_words(outline));
}

TEST(TextChunker, LocationsAndParagraphBoundaries) {
  const auto chunks = chunk_document(two_chapters());
  ASSERT_GE(chunks.size(), 6u);
  // Chapter 1 section 1: 900 words in paragraphs of 90 -> chunks of 300-400 words, each starting
  // on a paragraph's page.
  EXPECT_EQ(chunks[0].chapter_number, 1);
  EXPECT_EQ(chunks[0].section_index, 1);
  EXPECT_EQ(chunks[0].page, 10);
  EXPECT_EQ(chunks[0].words, 360);  // four paragraphs reach the 300-word target
  EXPECT_EQ(chunks[1].page, 14);
  // The section of 50 words is a chunk of its own: chunks never span sections.
  const auto s2 = std::find_if(chunks.begin(), chunks.end(), [](const TextChunk& c) {
    return c.chapter_number == 1 && c.section_index == 2;
  });
  ASSERT_NE(s2, chunks.end());
  EXPECT_EQ(s2->words, 50);
  EXPECT_EQ(s2->page, 25);
  // Chapter 2's single 1000-word paragraph is cut between sentences.
  for (const auto& c : chunks) {
    if (c.chapter_number != 2) continue;
    EXPECT_EQ(c.page, 30);
    EXPECT_EQ(c.text.back(), '.');
  }
}

TEST(TextChunker, SmallRemainderJoinsThePreviousChunk) {
  DocumentOutline outline;
  DocumentChapter chapter{"C", "chapter", {}};
  chapter.sections.push_back(DocumentSection{"S", {{paragraph(300)}, {paragraph(20)}}});
  outline.chapters.push_back(chapter);
  const auto chunks = chunk_document(outline);
  ASSERT_EQ(chunks.size(), 1u);
  EXPECT_EQ(chunks[0].words, 320);
  EXPECT_NE(chunks[0].text.find("\n\n"), std::string::npos);
}

TEST(TextChunker, Sentences) {
  const auto s = split_sentences("Git is fast. It uses e.g. hashes! Does it? \"Yes.\" Dr. Who said 3.5 is fine.");
  ASSERT_EQ(s.size(), 5u);
  EXPECT_EQ(s[0], "Git is fast.");
  EXPECT_EQ(s[1], "It uses e.g. hashes!");
  EXPECT_EQ(s[2], "Does it?");
  EXPECT_EQ(s[3], "\"Yes.\"");
  EXPECT_EQ(s[4], "Dr. Who said 3.5 is fine.");
}

}  // namespace
