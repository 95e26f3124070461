// The corpus of realistic model answers (tests/fixtures/llm): every <name>.txt is parsed with the
// parser its <name>.expected.json names and compared field by field with what that file expects.
// One test per fixture, so ctest reports each answer on its own.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "domain/outline_parser.h"

namespace docprof::domain {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const fs::path kDir = fs::path(DOCPROF_FIXTURES_DIR) / "llm";

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Fixture names (file stems of the .txt answers), sorted so test names are stable.
std::vector<std::string> fixture_names() {
  std::vector<std::string> names;
  if (!fs::is_directory(kDir)) return names;
  for (const auto& entry : fs::directory_iterator(kDir)) {
    if (entry.path().extension() == ".txt") names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// An optional expected field: absent = not checked; null = must be empty.
template <class T>
void expect_optional(const json& expected, const char* key, const std::optional<T>& actual) {
  if (!expected.contains(key)) return;
  if (expected[key].is_null()) {
    EXPECT_FALSE(actual.has_value()) << key;
  } else {
    ASSERT_TRUE(actual.has_value()) << key;
    EXPECT_EQ(*actual, expected[key].get<T>()) << key;
  }
}

void expect_sections(const json& expected, const std::vector<SectionDraft>& actual) {
  ASSERT_EQ(actual.size(), expected.size()) << "number of sections";
  for (std::size_t i = 0; i < actual.size(); ++i) {
    SCOPED_TRACE("section " + std::to_string(i + 1));
    EXPECT_EQ(actual[i].title, expected[i].at("title").get<std::string>());
    EXPECT_EQ(actual[i].minutes, expected[i].at("minutes").get<int>());
    EXPECT_EQ(actual[i].objectives, expected[i].at("objectives").get<std::vector<std::string>>());
    // "reads": [{book_id, chapter_number, section_title}] when the fixture names them; else none.
    const json reads = expected[i].value("reads", json::array());
    ASSERT_EQ(actual[i].reads.size(), reads.size()) << "number of reads";
    for (std::size_t r = 0; r < reads.size(); ++r) {
      EXPECT_EQ(actual[i].reads[r],
                (ReadingRef{reads[r].at("book_id").get<std::string>(), reads[r].at("chapter_number").get<int>(),
                            reads[r].value("section_title", std::string())}));
    }
  }
}

template <class T>
bool expect_outcome(const Result<T>& result, const json& expected) {
  if (!expected.at("ok").get<bool>()) {
    EXPECT_FALSE(result.ok()) << "the answer should not parse";
    if (result.ok()) return false;
    EXPECT_EQ(result.error().code, "unparseable_output");
    if (expected.contains("error_contains")) {
      const auto needle = expected["error_contains"].get<std::string>();
      EXPECT_NE(result.error().message.find(needle), std::string::npos)
          << "message: " << result.error().message << "\nexpected to contain: " << needle;
    }
    return false;
  }
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().message);
  return result.ok();
}

void check_parts(const std::string& text, const json& expected) {
  const auto result = parse_parts(text);
  if (!expect_outcome(result, expected)) return;
  const PartsParse& parsed = result.value();
  expect_optional<std::string>(expected, "course_title", parsed.course_title);
  expect_optional<int>(expected, "stated_total", parsed.stated_total);
  const json& parts = expected.at("parts");
  ASSERT_EQ(parsed.parts.size(), parts.size()) << "number of parts";
  for (std::size_t i = 0; i < parts.size(); ++i) {
    SCOPED_TRACE("part " + std::to_string(i + 1));
    EXPECT_EQ(parsed.parts[i].title, parts[i].at("title").get<std::string>());
    EXPECT_EQ(parsed.parts[i].minutes, parts[i].at("minutes").get<int>());
  }
  // "notes": [{kind, topic, message}] when the fixture names them; else none.
  const json notes = expected.value("notes", json::array());
  ASSERT_EQ(parsed.notes.size(), notes.size()) << "number of notes";
  for (std::size_t i = 0; i < notes.size(); ++i) {
    EXPECT_EQ(parsed.notes[i], (CourseNote{notes[i].at("kind").get<std::string>(),
                                           notes[i].value("topic", std::string()),
                                           notes[i].at("message").get<std::string>()}));
  }
  if (expected.contains("check_parts_warnings")) {
    EXPECT_EQ(docprof::domain::check_parts(parsed.parts).size(),
              expected["check_parts_warnings"].get<std::size_t>());
  }
}

void check_sections(const std::string& text, const json& expected) {
  const auto result = parse_sections(text);
  if (!expect_outcome(result, expected)) return;
  SectionsParse parsed = result.value();
  expect_optional<std::string>(expected, "part_title", parsed.part_title);
  expect_optional<int>(expected, "stated_total", parsed.stated_total);
  expect_sections(expected.at("sections"), parsed.sections);
  if (expected.contains("normalize_warnings")) {
    EXPECT_EQ(normalize_sections(parsed.sections).size(),
              expected["normalize_warnings"].get<std::size_t>());
    for (const auto& section : parsed.sections) EXPECT_GT(section.minutes, 0);
  }
}

void check_outline(const std::string& text, const json& expected) {
  const auto result = parse_outline(text);
  if (!expect_outcome(result, expected)) return;
  const Outline& parsed = result.value();
  const json& parts = expected.at("parts");
  ASSERT_EQ(parsed.parts.size(), parts.size()) << "number of parts";
  for (std::size_t i = 0; i < parts.size(); ++i) {
    SCOPED_TRACE("part " + std::to_string(i + 1));
    EXPECT_EQ(parsed.parts[i].title, parts[i].at("title").get<std::string>());
    if (parts[i].contains("minutes")) {
      EXPECT_EQ(parsed.parts[i].minutes, parts[i]["minutes"].get<int>());
    }
    expect_sections(parts[i].at("sections"), parsed.parts[i].sections);
  }
}

class LlmFixture : public ::testing::TestWithParam<std::string> {};

TEST_P(LlmFixture, ParsesAsExpected) {
  const fs::path txt = kDir / (GetParam() + ".txt");
  const fs::path spec = kDir / (GetParam() + ".expected.json");
  ASSERT_TRUE(fs::exists(spec)) << spec << " is missing";
  const std::string text = read_file(txt);
  const json expected = json::parse(read_file(spec));
  const auto parser = expected.at("parser").get<std::string>();
  if (parser == "parts") {
    check_parts(text, expected);
  } else if (parser == "sections") {
    check_sections(text, expected);
  } else if (parser == "outline") {
    check_outline(text, expected);
  } else {
    FAIL() << "unknown parser '" << parser << "' in " << spec;
  }
}

INSTANTIATE_TEST_SUITE_P(Corpus, LlmFixture, ::testing::ValuesIn(fixture_names()),
                         [](const ::testing::TestParamInfo<std::string>& fixture) {
                           return fixture.param;
                         });

TEST(LlmCorpus, HasAtLeastFortyFixtures) {
  EXPECT_GE(fixture_names().size(), 40U) << kDir;
}

TEST(LlmCorpus, EveryExpectationHasAnAnswer) {
  for (const auto& entry : fs::directory_iterator(kDir)) {
    const std::string name = entry.path().filename().string();
    const std::string suffix = ".expected.json";
    if (name.size() <= suffix.size() ||
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
      continue;
    EXPECT_TRUE(fs::exists(kDir / (name.substr(0, name.size() - suffix.size()) + ".txt"))) << name;
  }
}

TEST(LlmCorpus, CrlfFixturesReallyUseCrlf) {
  int crlf = 0;
  for (const auto& name : fixture_names()) {
    if (name.find("crlf") == std::string::npos) continue;
    ++crlf;
    const std::string text = read_file(kDir / (name + ".txt"));
    EXPECT_NE(text.find("\r\n"), std::string::npos) << name;
    EXPECT_EQ(text.find_first_of('\n'), text.find("\r\n") + 1) << name << ": a bare \\n line end";
  }
  EXPECT_GE(crlf, 2);
}

TEST(LlmCorpus, CoversEveryParser) {
  int parts = 0, sections = 0, outlines = 0, errors = 0;
  for (const auto& name : fixture_names()) {
    const json expected = json::parse(read_file(kDir / (name + ".expected.json")));
    const auto parser = expected.at("parser").get<std::string>();
    parts += parser == "parts";
    sections += parser == "sections";
    outlines += parser == "outline";
    errors += !expected.at("ok").get<bool>();
  }
  EXPECT_GE(parts, 10);
  EXPECT_GE(sections, 10);
  EXPECT_GE(outlines, 5);
  EXPECT_GE(errors, 6);
}

}  // namespace
}  // namespace docprof::domain
