// build_outline: headings to chapters and sections, titles, introductions, dropped dividers,
// chapter kinds; word counts and page ranges.
#include <gtest/gtest.h>

#include "domain/document_outline.h"

namespace {

using namespace docprof::domain;

DocumentBlock h(int level, std::string text) { return {BlockKind::heading, level, std::move(text), 0}; }
DocumentBlock p(std::string text, int page = 0) { return {BlockKind::paragraph, 0, std::move(text), page}; }

std::vector<std::string> chapter_titles(const DocumentOutline& outline) {
  std::vector<std::string> titles;
  for (const auto& c : outline.chapters) titles.push_back(c.title);
  return titles;
}

TEST(DocumentOutline, SingleTopHeadingIsTheTitleAndTheNextLevelGivesChapters) {
  const auto outline = build_outline({h(1, "The Book"),
                                      p("Opening words here, enough of them to be an introduction rather than a byline."),
                                      h(2, "Preface"), p("Why."),
                                      h(2, "1. Basics"), p("Intro text of basics."), h(3, "Variables"),
                                      p("Variables hold values."), h(4, "Deep"), p("Deep text."), h(2, "Index"),
                                      p("a, b, c")},
                                     {});
  EXPECT_EQ(outline.title, "The Book");
  EXPECT_EQ(chapter_titles(outline), (std::vector<std::string>{"Introduction", "Preface", "1. Basics", "Index"}));
  EXPECT_EQ(outline.chapters[0].kind, "front_matter");
  EXPECT_EQ(outline.chapters[1].kind, "front_matter");
  EXPECT_EQ(outline.chapters[2].kind, "chapter");
  EXPECT_EQ(outline.chapters[3].kind, "index");
  const auto& basics = outline.chapters[2];
  ASSERT_EQ(basics.sections.size(), 2u);
  EXPECT_EQ(basics.sections[0].title, "1. Basics");  // text before the first section
  EXPECT_EQ(basics.sections[1].title, "Variables");
  // A deeper heading stays in the text of its section.
  ASSERT_EQ(basics.sections[1].paragraphs.size(), 3u);
  EXPECT_EQ(basics.sections[1].paragraphs[1].text, "Deep");
}

TEST(DocumentOutline, AFewWordsBeforeTheFirstChapterAreATitleBlock) {
  const auto outline = build_outline({p("A Field Guide"), p("Ada Example, 2026"), h(1, "One"), p("alpha beta"),
                                      h(1, "Two"), p("gamma")},
                                     {});
  EXPECT_EQ(chapter_titles(outline), (std::vector<std::string>{"One", "Two"}));
}

TEST(DocumentOutline, SeveralTopHeadingsAreChaptersAndHintsWin) {
  const auto outline =
      build_outline({h(1, "One"), p("alpha beta"), h(1, "Two"), p("gamma")}, {"Given Title", "Ann Author", "file"});
  EXPECT_EQ(outline.title, "Given Title");
  EXPECT_EQ(outline.author, "Ann Author");
  EXPECT_EQ(chapter_titles(outline), (std::vector<std::string>{"One", "Two"}));
}

TEST(DocumentOutline, NoHeadingsIsOneChapterNamedAfterTheDocument) {
  const auto outline = build_outline({p("first paragraph"), p("second one")}, {"", "", "notes"});
  EXPECT_EQ(outline.title, "notes");
  ASSERT_EQ(outline.chapters.size(), 1u);
  EXPECT_EQ(outline.chapters[0].title, "notes");
  EXPECT_EQ(outline.chapters[0].kind, "chapter");
  EXPECT_EQ(chapter_words(outline.chapters[0]), 4);
}

TEST(DocumentOutline, ChaptersWithoutTextAreDropped) {
  const auto outline = build_outline({h(1, "Part I"), h(1, "Chapter 1"), p("text"), h(1, "  "), p("more")}, {});
  EXPECT_EQ(chapter_titles(outline), (std::vector<std::string>{"Chapter 1"}));
  EXPECT_EQ(document_words(outline), 2);
}

TEST(DocumentOutline, WordsAndPages) {
  EXPECT_EQ(count_words("  one two\tthree\nfour  "), 4);
  EXPECT_EQ(count_words(""), 0);
  const auto outline = build_outline({h(1, "A"), p("x y", 3), h(2, "S"), p("z", 4), p("w", 6), h(1, "B"), p("q")}, {});
  ASSERT_EQ(outline.chapters.size(), 2u);
  EXPECT_EQ(chapter_pages(outline.chapters[0]), (PageRange{3, 6}));
  EXPECT_EQ(section_pages(outline.chapters[0].sections[1]), (PageRange{4, 6}));
  EXPECT_EQ(chapter_pages(outline.chapters[1]), (PageRange{0, 0}));
}

TEST(DocumentOutline, AFirstEntryNamedLikeTheBookIsItsTitlePage) {
  const auto outline = build_outline({h(1, "An Introduction to R"), p("Copyright and permission notice."),
                                      h(1, "Preface"), p("Why this manual."), h(1, "Vectors"), p("c(1, 2)")},
                                     {"An Introduction to R", "", "R-intro"});
  ASSERT_EQ(outline.chapters.size(), 3u);
  EXPECT_EQ(outline.chapters[0].kind, "front_matter");
  EXPECT_EQ(outline.chapters[2].kind, "chapter");
}

}  // namespace
