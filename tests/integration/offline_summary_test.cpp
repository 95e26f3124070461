// Offline summaries (domain/offline_summary.h) of real documents with the real analyzer: the
// summary_json shape the course workflow reads (it validates and round-trips), words and kinds,
// topics that are words of the section (no numbers, markup or URL debris), key concepts and
// chapter summaries that are sentences of their own section or chapter, code left out.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "adapters/embed/stemming_analyzer.h"
#include "adapters/ingest/file_document_reader.h"
#include "domain/models_json.h"
#include "domain/offline_summary.h"
#include "domain/text.h"
#include "integration/ingest_fixtures.h"

namespace {

using namespace docprof;
using test_support::kIngestFixtures;

domain::DocumentOutline outline_of(const std::string& path) {
  adapters::ingest::FileDocumentReader reader;
  auto read = reader.read(path);
  if (!read) throw std::runtime_error(read.error().message);
  return domain::build_outline(read->blocks, {read->title, read->author, read->file_stem});
}

std::string chapter_text(const domain::DocumentChapter& chapter) {
  std::string text;
  for (const auto& s : chapter.sections) {
    for (const auto& p : s.paragraphs) text += p.text + "\n";
  }
  return text;
}

std::string section_text(const domain::DocumentSection& section) {
  std::string text;
  for (const auto& p : section.paragraphs) text += p.text + "\n";
  return text;
}

bool is_clean_topic(const std::string& topic) {
  for (const char ch : topic) {
    const auto c = static_cast<unsigned char>(ch);
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80 || c == ' ' || c == '-' ||
                    c == '\'' || c == '+' || c == '#';
    if (!ok) return false;
  }
  return topic.size() >= 3;
}

TEST(OfflineSummary, FieldGuideHasTheWorkflowsShapeWithWordsKindsTopicsAndSentences) {
  const auto outline = outline_of((kIngestFixtures / "field-guide.md").string());
  const auto summary = domain::summarize_document(outline, adapters::embed::default_analyzer());
  EXPECT_EQ(summary.source_title, "A Field Guide to Version Control");
  EXPECT_EQ(summary.author, "Ada Example");
  EXPECT_EQ(summary.total_chapters, 7);
  ASSERT_EQ(summary.chapters.size(), outline.chapters.size());

  // The summary_json round-trips and passes the import's validation.
  const nlohmann::json document = summary;
  const auto parsed = domain::parse_book_summary(document);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed.value(), summary);
  // models_json writes kind when it is not "chapter" (the default), and words when known.
  EXPECT_EQ(document["chapters"][3].value("kind", "chapter"), "chapter");
  EXPECT_EQ(document["chapters"][6].value("kind", ""), "index");
  EXPECT_EQ(document["chapters"][0].value("kind", ""), "front_matter");
  EXPECT_GT(document["chapters"][3].value("words", 0), 200);

  EXPECT_FALSE(summary.source_summary.empty());
  for (std::size_t c = 0; c < summary.chapters.size(); ++c) {
    const auto& chapter = summary.chapters[c];
    SCOPED_TRACE(chapter.chapter_title);
    EXPECT_EQ(chapter.chapter_number, static_cast<int>(c) + 1);
    EXPECT_EQ(chapter.words, domain::chapter_words(outline.chapters[c]));
    ASSERT_FALSE(chapter.summary.empty());
    // Summary sentences are the chapter's own (the first 40 characters of each are in its text).
    const std::string text = chapter_text(outline.chapters[c]);
    EXPECT_NE(text.find(chapter.summary.substr(0, 40)), std::string::npos) << chapter.summary;
    for (std::size_t s = 0; s < chapter.sections.size(); ++s) {
      const auto& section = chapter.sections[s];
      EXPECT_EQ(section.words, domain::section_words(outline.chapters[c].sections[s]));
      EXPECT_TRUE(section.page_range.empty());  // Markdown has no pages
      const std::string own = domain::ascii_lower(section_text(outline.chapters[c].sections[s]));
      for (const auto& topic : section.topics) {
        EXPECT_TRUE(is_clean_topic(topic)) << topic;
        EXPECT_NE(own.find(domain::ascii_lower(topic)), std::string::npos) << topic << " is not in " << section.section_title;
      }
      for (const auto& key_concept : section.key_concepts) {
        EXPECT_NE(section_text(outline.chapters[c].sections[s]).find(key_concept), std::string::npos) << key_concept;
        EXPECT_EQ(key_concept.find("sudo apt-get"), std::string::npos) << "code in a key key_concept";
      }
      if (section.words >= 80) {
        EXPECT_GE(section.topics.size(), 3u) << section.section_title;
        EXPECT_GE(section.key_concepts.size(), 1u) << section.section_title;
      }
    }
  }
  // Topics say what a section is about.
  const auto& reverting = summary.chapters[3].sections[2];
  ASSERT_EQ(reverting.section_title, "Reverting a Commit");
  std::string topics;
  for (const auto& t : reverting.topics) topics += t + "; ";
  EXPECT_NE(topics.find("revert"), std::string::npos) << topics;
}

TEST(OfflineSummary, MarkupAndNumbersNeverBecomeTopics) {
  const std::string debris =
      "See http://www.example.com/docs/index.html and https://example.org/page.htm for more. "
      "The value 12345 appears with 0x1f and &nbsp; entities, div span img src href tokens and "
      "more http www com html nbsp debris. ";
  std::vector<domain::DocumentBlock> blocks;
  blocks.push_back({domain::BlockKind::heading, 1, "Lighthouses", 0});
  for (int i = 0; i < 4; ++i) {
    blocks.push_back({domain::BlockKind::paragraph, 0,
                      debris + "A lighthouse guides ships past dangerous rocks at night. The lighthouse keeper "
                               "tends the lamp, and the lamp turns all night.",
                      0});
  }
  blocks.push_back({domain::BlockKind::heading, 1, "Harbours", 0});
  blocks.push_back({domain::BlockKind::paragraph, 0, "A harbour shelters ships from the storm. Harbours have walls.", 0});
  const auto summary =
      domain::summarize_document(domain::build_outline(blocks, {"Coasts", "", ""}), adapters::embed::default_analyzer());
  ASSERT_EQ(summary.chapters.size(), 2u);
  const auto& topics = summary.chapters[0].sections[0].topics;
  ASSERT_FALSE(topics.empty());
  for (const auto& topic : topics) {
    EXPECT_TRUE(is_clean_topic(topic)) << topic;
    for (const char* noise : {"http", "www", "com", "html", "nbsp", "href", "src", "div", "span", "img", "12345"}) {
      EXPECT_NE(topic, noise);
    }
  }
  std::string all;
  for (const auto& t : topics) all += t + ";";
  EXPECT_NE(all.find("lighthouse"), std::string::npos) << all;
  EXPECT_EQ(all.find("example"), std::string::npos) << "a word of a URL became a topic: " << all;
  // The debris sentence is no key key_concept: it is full of URLs.
  for (const auto& key_concept : summary.chapters[0].sections[0].key_concepts) {
    EXPECT_EQ(key_concept.find("://"), std::string::npos) << key_concept;
  }
}

}  // namespace

namespace {

// Topics a learner could study: no vague word ("something"), no weak first word ("another
// variable", "first word"), no verb and its object ("implement copy": "to implement" elsewhere,
// and never "the implement copy"); a noun phrase whose first word is also a verb stays when the
// book says it as a noun ("the change function").
TEST(OfflineSummary, TopicsAreNounPhrasesNotVagueOrVerbPhrases) {
  const std::string text =
      "You can implement copy for a type. We implement copy when bits suffice. To implement copy you "
      "write a derive. Implement copy again, and implement copy once more. Another variable holds the "
      "heap data. Another variable gets the heap data too. The first word is returned. The first word "
      "ends at a space. Modify something here, then modify something there. The change function "
      "takes a reference. The change function returns nothing. You want to change values. Try to "
      "change them. The heap data lives on the heap; heap data is freed when the owner goes out of scope.";
  std::vector<domain::DocumentBlock> blocks;
  blocks.push_back({domain::BlockKind::heading, 1, "Ownership", 0});
  for (int i = 0; i < 3; ++i) blocks.push_back({domain::BlockKind::paragraph, 0, text, 0});
  blocks.push_back({domain::BlockKind::heading, 1, "Structs", 0});
  blocks.push_back({domain::BlockKind::paragraph, 0, "A struct groups fields. Fields have names and types.", 0});
  domain::SummaryOptions options;
  options.max_topics = 8;
  options.min_topics = 8;
  const auto summary = domain::summarize_document(domain::build_outline(blocks, {"Rust", "", ""}),
                                                  adapters::embed::default_analyzer(), options);
  std::string all;
  for (const auto& t : summary.chapters.at(0).sections.at(0).topics) all += domain::ascii_lower(t) + ";";
  for (const char* bad : {"implement copy", "another variable", "first word", "modify something", "something"}) {
    EXPECT_EQ(all.find(bad), std::string::npos) << bad << " is a topic: " << all;
  }
  EXPECT_NE(all.find("heap data"), std::string::npos) << all;
  EXPECT_NE(all.find("change function"), std::string::npos) << all;
}

}  // namespace
