// classify_chapter_kind: front matter, index, appendix, back matter and chapters by title and position.
#include <gtest/gtest.h>

#include "domain/chapter_kind.h"

namespace {

using docprof::domain::classify_chapter_kind;

TEST(ChapterKind, FrontMatter) {
  for (const char* title : {"Preface", "Foreword", "Table of Contents", "Contents", "Acknowledgements",
                            "Acknowledgments", "Copyright", "Dedication", "About This Book", "Preface to the Second Edition"}) {
    EXPECT_EQ(classify_chapter_kind(title, 0, 10), "front_matter") << title;
  }
}

TEST(ChapterKind, IndexesButNotChaptersAboutIndexing) {
  EXPECT_EQ(classify_chapter_kind("Index", 9, 10), "index");
  EXPECT_EQ(classify_chapter_kind("Concept Index", 9, 10), "index");
  EXPECT_EQ(classify_chapter_kind("Appendix D Function and Variable Index", 9, 10), "index");
  EXPECT_EQ(classify_chapter_kind("11. Indexes", 5, 10), "chapter");  // numbered: a chapter about indexes
  EXPECT_EQ(classify_chapter_kind("Indexing and Performance", 5, 10), "chapter");
  EXPECT_EQ(classify_chapter_kind("7. Index Types", 5, 10), "chapter");
}

TEST(ChapterKind, Appendices) {
  EXPECT_EQ(classify_chapter_kind("Appendix A: Installing", 8, 10), "appendix");
  EXPECT_EQ(classify_chapter_kind("A. Git Quick Reference", 8, 10), "appendix");
  EXPECT_EQ(classify_chapter_kind("A Tour of Git", 1, 10), "chapter");
}

TEST(ChapterKind, TexinfoLetterAppendicesInANumberedBook) {
  EXPECT_TRUE(docprof::domain::is_numbered_book({"Preface", "1 Intro", "2 Types", "3 Strings", "A Tests"}));
  EXPECT_FALSE(docprof::domain::is_numbered_book({"Preface", "Intro", "1 Types", "Strings"}));
  EXPECT_EQ(classify_chapter_kind("B Test Functions", 8, 10, true), "appendix");
  EXPECT_EQ(classify_chapter_kind("G GNU General Public License", 9, 10, true), "back_matter");
  EXPECT_EQ(classify_chapter_kind("B Test Functions", 8, 10, false), "chapter");
  EXPECT_EQ(classify_chapter_kind("A Tour of Git", 1, 10, true), "chapter");  // first half
}

TEST(ChapterKind, BackMatterAndPositionalOnes) {
  for (const char* title : {"Bibliography", "Glossary", "Colophon", "Notes", "Further Reading", "About the Author"}) {
    EXPECT_EQ(classify_chapter_kind(title, 9, 10), "back_matter") << title;
  }
  EXPECT_EQ(classify_chapter_kind("License", 0, 10), "front_matter");
  EXPECT_EQ(classify_chapter_kind("GNU Free Documentation License", 9, 10), "back_matter");
  EXPECT_EQ(classify_chapter_kind("Credits", 8, 10), "back_matter");
}

TEST(ChapterKind, NumberedChapters) {
  EXPECT_EQ(classify_chapter_kind("1. Repositories and Branches", 1, 10), "chapter");
  EXPECT_EQ(classify_chapter_kind("Chapter 3: Ownership", 3, 10), "chapter");
  EXPECT_EQ(classify_chapter_kind("Introduction", 0, 10), "chapter");
  EXPECT_EQ(classify_chapter_kind("Chapter 2. Preface", 0, 10), "front_matter");
}

}  // namespace
