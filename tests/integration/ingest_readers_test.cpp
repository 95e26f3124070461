// The readers of source documents (adapters/ingest) on real files: Markdown, plain text, an HTML
// page and a multi-page HTML manual (fixtures in tests/fixtures/ingest), EPUB 3 and EPUB 2 written
// by pandoc from the Markdown fixture, PDFs drawn with cairo (with and without an outline) — each
// checked for its chapter titles and order (the source's own table of contents), word counts
// within 10 % and page locations — and every kind of bad input, each refused with a message that
// names the file.
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <tuple>

#include "adapters/ingest/file_document_reader.h"
#include "domain/document_outline.h"
#include "integration/ingest_fixtures.h"
#include "integration/temp_dir.h"
#include "util/digest.h"

namespace {

using namespace docprof;
using adapters::ingest::FileDocumentReader;
using adapters::ingest::ReaderLimits;
using test_support::kIngestFixtures;
using test_support::TempDir;

// The chapter titles of the book the Markdown fixture is, in its order.
const std::vector<std::string> kFieldGuideChapters = {"Preface",           "1. Getting Started",
                                                      "2. Commits and History", "3. Undoing Changes",
                                                      "4. Branches and Merging", "Appendix A: Command Summary",
                                                      "Index"};

domain::DocumentOutline outline_of(const ports::ReadDocument& document) {
  return domain::build_outline(document.blocks, {document.title, document.author, document.file_stem});
}

ports::ReadDocument read_ok(const std::string& path, const ReaderLimits& limits = {}) {
  FileDocumentReader reader(limits);
  auto read = reader.read(path);
  if (!read) throw std::runtime_error("reading " + path + " failed: " + read.error().message);
  return std::move(read).value();
}

std::vector<std::string> titles(const domain::DocumentOutline& outline) {
  std::vector<std::string> out;
  for (const auto& c : outline.chapters) out.push_back(c.title);
  return out;
}

std::vector<std::string> kinds(const domain::DocumentOutline& outline) {
  std::vector<std::string> out;
  for (const auto& c : outline.chapters) out.push_back(c.kind);
  return out;
}

const domain::DocumentChapter& chapter_named(const domain::DocumentOutline& outline, const std::string& title) {
  for (const auto& c : outline.chapters) {
    if (c.title == title) return c;
  }
  throw std::runtime_error("no chapter " + title);
}

// Words of the Markdown fixture's prose as a person would count them: every line that is not
// front matter, a heading marker or a code fence, split on white space, with the '#' marks and
// list of the front matter left out.
int markdown_source_words() {
  std::istringstream in(test_support::read_file(kIngestFixtures / "field-guide.md"));
  std::string line;
  int words = 0;
  int fences = 0;
  int front_matter = 0;
  while (std::getline(in, line)) {
    if (line == "---" && front_matter < 2) {
      ++front_matter;
      continue;
    }
    if (front_matter < 2) continue;
    if (line.starts_with("```")) {
      ++fences;
      continue;
    }
    std::istringstream tokens(line);
    std::string token;
    while (tokens >> token) {
      if (token.find_first_not_of('#') == std::string::npos) continue;
      ++words;
    }
  }
  return words;
}

void expect_within_ten_percent(int actual, int expected, const std::string& what) {
  EXPECT_LE(std::abs(actual - expected), expected / 10) << what << ": " << actual << " words, expected ~" << expected;
}

TEST(IngestReaders, MarkdownChaptersSectionsKindsAndWords) {
  const auto document = read_ok((kIngestFixtures / "field-guide.md").string());
  EXPECT_EQ(document.format, "markdown");
  EXPECT_EQ(document.title, "A Field Guide to Version Control");  // front matter
  EXPECT_EQ(document.author, "Ada Example");
  EXPECT_EQ(document.sha256.size(), 64u);
  const auto outline = outline_of(document);
  EXPECT_EQ(titles(outline), kFieldGuideChapters);
  EXPECT_EQ(kinds(outline), (std::vector<std::string>{"front_matter", "chapter", "chapter", "chapter", "chapter",
                                                      "appendix", "index"}));
  const auto& undoing = chapter_named(outline, "3. Undoing Changes");
  std::vector<std::string> sections;
  for (const auto& s : undoing.sections) sections.push_back(s.title);
  EXPECT_EQ(sections, (std::vector<std::string>{"3. Undoing Changes", "Amending the Last Commit", "Reverting a Commit",
                                                "Resetting a Branch"}));
  expect_within_ten_percent(domain::document_words(outline), markdown_source_words(), "markdown");
  // The code block is kept, as code.
  const auto& getting_started = chapter_named(outline, "1. Getting Started");
  const auto& installing = getting_started.sections[1].paragraphs;
  EXPECT_TRUE(std::any_of(installing.begin(), installing.end(), [](const domain::DocumentParagraph& p) {
    return p.code && p.text.find("sudo apt-get install git") != std::string::npos;
  }));
}

TEST(IngestReaders, PlainTextHeadingsAndTitle) {
  const auto document = read_ok((kIngestFixtures / "notes.txt").string());
  EXPECT_EQ(document.format, "text");
  const auto outline = outline_of(document);
  EXPECT_EQ(outline.title, "Field Notes on Bread");
  EXPECT_EQ(titles(outline), (std::vector<std::string>{"Chapter 1. Flour", "Chapter 2. Yeast", "Chapter 3. Baking"}));
  ASSERT_EQ(outline.chapters[1].sections.size(), 2u);
  EXPECT_EQ(outline.chapters[1].sections[1].title, "2.1 Fresh and dried yeast");
  // 130 words of prose below the title and the three chapter headings.
  expect_within_ten_percent(domain::document_words(outline), 130, "text");
}

TEST(IngestReaders, HtmlPageLeavesOutNavigationScriptsAndFooters) {
  const auto document = read_ok((kIngestFixtures / "single-page.html").string());
  EXPECT_EQ(document.format, "html");
  EXPECT_EQ(document.author, "Tea Working Group");
  const auto outline = outline_of(document);
  EXPECT_EQ(outline.title, "Brewing Tea");
  EXPECT_EQ(titles(outline), (std::vector<std::string>{"Introduction", "1. Water", "2. Leaves", "3. Steeping"}));
  EXPECT_EQ(outline.chapters[0].kind, "front_matter");
  EXPECT_EQ(outline.chapters[1].sections.size(), 3u);
  std::string all;
  for (const auto& b : document.blocks) all += b.text + "\n";
  EXPECT_EQ(all.find("tracking"), std::string::npos) << "script text leaked";
  EXPECT_EQ(all.find("Copyright the Tea Working Group"), std::string::npos) << "footer leaked";
  EXPECT_EQ(all.find("Water | Leaves"), std::string::npos) << "navigation leaked";
  EXPECT_NE(all.find("docprof\u2019s HTML reader"), std::string::npos) << "entity not decoded";
  EXPECT_NE(all.find("steep(black) = 4 min"), std::string::npos) << "pre text lost";
}

TEST(IngestReaders, HtmlManualFollowsItsNextChainInsideItsFolder) {
  const auto document = read_ok((kIngestFixtures / "manual").string());
  EXPECT_EQ(document.files, 4);
  const auto outline = outline_of(document);
  EXPECT_EQ(outline.title, "The Lantern Keeper's Manual");
  EXPECT_EQ(titles(outline), (std::vector<std::string>{"Introduction", "1. Lighting the Lantern",
                                                       "2. Caring for the Wick", "A. Spare Parts"}));
  EXPECT_EQ(outline.chapters.back().kind, "appendix");
  EXPECT_EQ(outline.chapters[2].sections.size(), 3u);
  std::string all;
  for (const auto& b : document.blocks) all += b.text + "\n";
  EXPECT_EQ(all.find("Prev"), std::string::npos) << "navigation bars leaked";
  EXPECT_EQ(all.find("Table of Contents"), std::string::npos) << "the index page's TOC leaked";
  // The same manual from its first page gives the same book; the SHA-256 covers every page.
  const auto from_page = read_ok((kIngestFixtures / "manual" / "index.html").string());
  EXPECT_EQ(from_page.sha256, document.sha256);
  EXPECT_EQ(titles(outline_of(from_page)), titles(outline));
}

TEST(IngestReaders, EpubThreeAndTwoFromTheirTablesOfContents) {
  TempDir dir("docprof-ingest");
  const std::string md = (kIngestFixtures / "field-guide.md").string();
  test_support::run_tool("pandoc '" + md + "' -o '" + dir.file("guide3.epub") + "'");
  test_support::run_tool("pandoc -t epub2 '" + md + "' -o '" + dir.file("guide2.epub") + "'");
  for (const char* name : {"guide3.epub", "guide2.epub"}) {
    SCOPED_TRACE(name);
    const auto document = read_ok(dir.file(name));
    EXPECT_EQ(document.format, "epub");
    EXPECT_EQ(document.title, "A Field Guide to Version Control");
    EXPECT_EQ(document.author, "Ada Example");
    const auto outline = outline_of(document);
    EXPECT_EQ(titles(outline), kFieldGuideChapters);
    const auto& undoing = chapter_named(outline, "3. Undoing Changes");
    ASSERT_EQ(undoing.sections.size(), 4u);
    EXPECT_EQ(undoing.sections[2].title, "Reverting a Commit");
    expect_within_ten_percent(domain::document_words(outline), markdown_source_words(), name);
  }
}

// Sentences that differ from paragraph to paragraph, as a book's do (no line repeats on every page).
std::string pdf_sentence(int c, int p, int s) {
  static const std::vector<std::string> subjects = {"The keeper", "A storm", "The lamp", "Every ship", "The log",
                                                    "A gull", "The tide"};
  static const std::vector<std::string> verbs = {"watches", "reaches", "outlasts", "follows", "records", "circles",
                                                 "turns"};
  static const std::vector<std::string> objects = {"the northern rocks", "the harbour wall", "a bright beam",
                                                   "the evening weather", "the winding stairs", "the brass lens"};
  const auto pick = [](const std::vector<std::string>& from, int n) { return from[static_cast<std::size_t>(n) % from.size()]; };
  return pick(subjects, c + p + s) + " " + pick(verbs, 2 * c + p + 3 * s) + " " + pick(objects, c + 5 * p + s) +
         " in season " + std::to_string(c * 100 + p * 10 + s) + " while the light burns on. ";
}

TEST(IngestReaders, PandocFormatsDocxOdtRstDocbookLatex) {
  TempDir dir("docprof-ingest");
  const std::string md = (kIngestFixtures / "field-guide.md").string();
  for (const auto& [name, to] : std::vector<std::pair<std::string, std::string>>{
           {"guide.docx", "docx"}, {"guide.odt", "odt"}, {"guide.rst", "rst"}, {"guide.dbk", "docbook5"},
           {"guide.tex", "latex"}}) {
    SCOPED_TRACE(name);
    test_support::run_tool("pandoc -s -t " + to + " '" + md + "' -o '" + dir.file(name) + "'");
    const auto document = read_ok(dir.file(name));
    const auto outline = outline_of(document);
    EXPECT_EQ(titles(outline), kFieldGuideChapters);
    EXPECT_EQ(chapter_named(outline, "3. Undoing Changes").sections.size(), 4u);
    expect_within_ten_percent(domain::document_words(outline), markdown_source_words(), name);
  }
  EXPECT_EQ(read_ok(dir.file("guide.docx")).format, "docx");
  EXPECT_EQ(read_ok(dir.file("guide.docx")).title, "A Field Guide to Version Control");
  EXPECT_EQ(read_ok(dir.file("guide.tex")).format, "latex");
  test_support::write_file(dir.file("broken.docx"), "PK\x03\x04 not really a document");
  FileDocumentReader reader;
  const auto broken = reader.read(dir.file("broken.docx"));
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.error().message.find("pandoc could not read it as docx"), std::string::npos)
      << broken.error().message;
}

std::vector<test_support::PdfChapter> pdf_book() {
  std::vector<test_support::PdfChapter> chapters;
  chapters.push_back({"Preface", {"This book was drawn with cairo for the tests of docprof's PDF reader."}, true});
  for (int c = 1; c <= 3; ++c) {
    test_support::PdfChapter chapter{std::to_string(c) + " Keeping Light " + std::to_string(c), {}, c != 3};
    for (int p = 0; p < 6; ++p) {
      std::string paragraph;
      for (int s = 0; s < 4; ++s) paragraph += pdf_sentence(c, p, s);
      paragraph += "Chapter " + std::to_string(c) + " paragraph " + std::to_string(p + 1) + " ends here.";
      chapter.paragraphs.push_back(paragraph);
    }
    chapters.push_back(chapter);
  }
  return chapters;
}

int pdf_book_words() {
  int words = 0;
  for (const auto& c : pdf_book()) {
    for (const auto& p : c.paragraphs) words += domain::count_words(p);
  }
  return words;
}

TEST(IngestReaders, PdfChaptersFromTheOutlineWithPages) {
  TempDir dir("docprof-ingest");
  const int pages = test_support::make_pdf(dir.file("book.pdf"), "Keeping Light", "Ann Keeper", pdf_book(), true);
  const auto document = read_ok(dir.file("book.pdf"));
  EXPECT_EQ(document.format, "pdf");
  EXPECT_EQ(document.pages, pages);
  EXPECT_EQ(document.title, "Keeping Light");
  EXPECT_EQ(document.author, "Ann Keeper");
  const auto outline = outline_of(document);
  EXPECT_EQ(titles(outline), (std::vector<std::string>{"Preface", "1 Keeping Light 1", "2 Keeping Light 2",
                                                       "3 Keeping Light 3"}));
  EXPECT_EQ(outline.chapters[0].kind, "front_matter");
  expect_within_ten_percent(domain::document_words(outline), pdf_book_words(), "pdf");
  // Chapter 1 starts on page 2; chapter 3 starts mid-page, below the end of chapter 2.
  EXPECT_EQ(domain::chapter_pages(outline.chapters[1]).first, 2);
  const auto two = domain::chapter_pages(outline.chapters[2]);
  const auto three = domain::chapter_pages(outline.chapters[3]);
  EXPECT_EQ(three.first, two.last);
  EXPECT_EQ(three.last, pages);
  // Page numbers at the foot of the pages are not text.
  for (const auto& b : document.blocks) EXPECT_FALSE(b.text == "2" || b.text == "3") << b.text;
  // Paragraphs are rebuilt from the lines: each ends with its own last sentence.
  const auto& first_section = outline.chapters[1].sections[0];
  ASSERT_FALSE(first_section.paragraphs.empty());
  EXPECT_TRUE(first_section.paragraphs[0].text.ends_with("Chapter 1 paragraph 1 ends here."))
      << first_section.paragraphs[0].text;
}

// The test book's paragraphs run over page breaks: each comes back whole, on the page it starts on.
TEST(IngestReaders, PdfParagraphsGoOnAcrossPageBreaks) {
  TempDir dir("docprof-ingest");
  test_support::make_pdf(dir.file("book.pdf"), "Keeping Light", "Ann Keeper", pdf_book(), true);
  const auto outline = outline_of(read_ok(dir.file("book.pdf")));
  ASSERT_EQ(outline.chapters.size(), 4u);
  int pages_crossed = 0;
  for (int c = 1; c <= 3; ++c) {
    std::vector<domain::DocumentParagraph> paragraphs;
    for (const auto& section : outline.chapters[static_cast<std::size_t>(c)].sections) {
      paragraphs.insert(paragraphs.end(), section.paragraphs.begin(), section.paragraphs.end());
    }
    ASSERT_EQ(paragraphs.size(), 6u) << "chapter " << c;
    for (int p = 0; p < 6; ++p) {
      const auto& text = paragraphs[static_cast<std::size_t>(p)].text;
      const std::string first = pdf_sentence(c, p, 0);
      EXPECT_TRUE(text.starts_with(first.substr(0, first.size() / 2))) << text;
      EXPECT_TRUE(text.ends_with("Chapter " + std::to_string(c) + " paragraph " + std::to_string(p + 1) + " ends here."))
          << text;
      if (p > 0 && paragraphs[static_cast<std::size_t>(p)].page > paragraphs[static_cast<std::size_t>(p) - 1].page) {
        ++pages_crossed;
      }
    }
  }
  EXPECT_GT(pages_crossed, 0) << "the book's chapters span pages";
}

TEST(IngestReaders, PdfWithoutOutlineTellsHeadingsByFontSize) {
  TempDir dir("docprof-ingest");
  auto chapters = pdf_book();
  chapters[1].title = "Keeping the Light";  // unnumbered titles, set larger than the text
  chapters[2].title = "Storms and Ships";
  chapters[3].title = "The Last Watch";
  test_support::make_pdf(dir.file("sized.pdf"), "Keeping Light", "", chapters, false, 16);
  const auto document = read_ok(dir.file("sized.pdf"));
  const auto outline = outline_of(document);
  EXPECT_EQ(titles(outline),
            (std::vector<std::string>{"Preface", "Keeping the Light", "Storms and Ships", "The Last Watch"}));
  EXPECT_EQ(outline.chapters[0].kind, "front_matter");
  expect_within_ten_percent(domain::document_words(outline), pdf_book_words(), "pdf by font size");
  EXPECT_TRUE(outline.chapters[1].sections[0].paragraphs[0].text.ends_with("Chapter 1 paragraph 1 ends here."))
      << outline.chapters[1].sections[0].paragraphs[0].text;
}

TEST(IngestReaders, LongReadsReportTheirProgress) {
  TempDir dir("docprof-ingest");
  const int pages = test_support::make_pdf(dir.file("book.pdf"), "T", "A", pdf_book(), true);
  FileDocumentReader reader;
  std::vector<std::tuple<int, int, std::string>> calls;
  const auto record = [&](int done, int total, std::string_view unit) { calls.emplace_back(done, total, unit); };
  ASSERT_TRUE(reader.read(dir.file("book.pdf"), record).ok());
  ASSERT_FALSE(calls.empty());
  EXPECT_EQ(calls.back(), std::make_tuple(pages, pages, std::string("pages")));
  calls.clear();
  ASSERT_TRUE(reader.read((kIngestFixtures / "manual").string(), record).ok());
  ASSERT_EQ(calls.size(), 4u);
  EXPECT_EQ(calls.back(), std::make_tuple(4, 0, std::string("pages")));  // a manual's length is not known ahead
}

TEST(IngestReaders, PdfWithoutOutlineUsesNumberedHeadings) {
  TempDir dir("docprof-ingest");
  auto chapters = pdf_book();
  chapters.erase(chapters.begin());  // no preface
  test_support::make_pdf(dir.file("plain.pdf"), "Keeping Light", "", chapters, false);
  const auto outline = outline_of(read_ok(dir.file("plain.pdf")));
  EXPECT_EQ(titles(outline), (std::vector<std::string>{"1 Keeping Light 1", "2 Keeping Light 2", "3 Keeping Light 3"}));
}

void expect_refused(const std::string& path, const std::string& says, const ReaderLimits& limits = {}) {
  FileDocumentReader reader(limits);
  const auto read = reader.read(path);
  ASSERT_FALSE(read.ok()) << path << " was read";
  EXPECT_EQ(read.error().code, "invalid_document");
  EXPECT_NE(read.error().message.find(path), std::string::npos) << read.error().message;
  EXPECT_NE(read.error().message.find(says), std::string::npos) << read.error().message;
}

TEST(IngestReaders, BadInputsAreRefusedNamingTheFile) {
  TempDir dir("docprof-ingest");
  test_support::write_file(dir.file("latin1.txt"), "caf\xe9 au lait\n");
  expect_refused(dir.file("latin1.txt"), "not UTF-8");
  test_support::write_file(dir.file("latin1.md"), "# Caf\xe9\n\ntext\n");
  expect_refused(dir.file("latin1.md"), "not UTF-8");
  test_support::write_file(dir.file("sheet.xyz"), "a,b\n");
  expect_refused(dir.file("sheet.xyz"), "unknown format");
  expect_refused(dir.file("missing.md"), "no such file");
  test_support::write_file(dir.file("fake.pdf"), "this is no PDF at all");
  expect_refused(dir.file("fake.pdf"), "not a PDF");

  // A truncated EPUB is a corrupt archive; a zip that is no EPUB is said to be one.
  test_support::run_tool("pandoc '" + (kIngestFixtures / "field-guide.md").string() + "' -o '" +
                         dir.file("whole.epub") + "'");
  const std::string epub = test_support::read_file(dir.file("whole.epub"));
  test_support::write_file(dir.file("truncated.epub"), epub.substr(0, epub.size() / 2));
  expect_refused(dir.file("truncated.epub"), "corrupt EPUB");
  test_support::write_file(dir.file("plain.zip"), "PK\x03\x04" + std::string(40, 'x'));
  expect_refused(dir.file("plain.zip"), "not an EPUB");

  // An entry that inflates beyond the bound is refused before it is inflated in full.
  test_support::make_inflating_epub(dir.file("bomb.epub"), 8u << 20);
  ReaderLimits small;
  small.max_entry_bytes = 1u << 20;
  expect_refused(dir.file("bomb.epub"), "zip bomb", small);

  // Encrypted with a user password, and without any text layer.
  test_support::make_pdf(dir.file("open.pdf"), "T", "A", pdf_book(), true);
  test_support::run_tool("qpdf --encrypt secret owner 256 -- '" + dir.file("open.pdf") + "' '" +
                         dir.file("locked.pdf") + "'");
  expect_refused(dir.file("locked.pdf"), "encrypted");
  test_support::make_image_only_pdf(dir.file("scan.pdf"));
  expect_refused(dir.file("scan.pdf"), "no text layer");
}

// PDFs and EPUBs are read from their files by poppler and libzip, never held whole in memory: a
// bound on what a reader may load (max_file_bytes) far below their size does not stop them, and
// their SHA-256 (read a block at a time) is that of their bytes. Text formats are read whole, so
// that bound refuses them; the bound on streamed files refuses absurd inputs.
TEST(IngestReaders, PdfAndEpubAreReadFromTheirFilesNotHeldInMemory) {
  TempDir dir("docprof-ingest");
  test_support::make_pdf(dir.file("book.pdf"), "Keeping Light", "Ann Keeper", pdf_book(), true);
  test_support::run_tool("pandoc '" + (kIngestFixtures / "field-guide.md").string() + "' -o '" +
                         dir.file("guide.epub") + "'");
  ReaderLimits tiny;
  tiny.max_file_bytes = 256;
  for (const auto& [file, chapters] : std::vector<std::pair<std::string, std::size_t>>{
           {dir.file("book.pdf"), 4}, {dir.file("guide.epub"), kFieldGuideChapters.size()}}) {
    ASSERT_GT(std::filesystem::file_size(file), 4 * tiny.max_file_bytes) << file;
    const auto document = read_ok(file, tiny);
    EXPECT_EQ(outline_of(document).chapters.size(), chapters) << file;
    EXPECT_EQ(document.sha256, util::sha256_hex(test_support::read_file(file))) << file;
    FileDocumentReader reader(tiny);
    const auto fingerprint = reader.fingerprint(file);
    ASSERT_TRUE(fingerprint) << file;
    EXPECT_EQ(fingerprint->sha256, document.sha256) << file;
  }
  expect_refused((kIngestFixtures / "field-guide.md").string(), "more than the 256", tiny);
  ReaderLimits bounded;
  bounded.max_streamed_file_bytes = 1024;
  expect_refused(dir.file("book.pdf"), "more than the 1024", bounded);
  expect_refused(dir.file("guide.epub"), "more than the 1024", bounded);
}

}  // namespace
