// End to end: `docprof course create` with replay cassettes built from the fixture corpus of model
// answers yields exactly the outline those answers describe — in the JSON it prints and in the
// course it stored — through a clean run, a timing review that fixes the outline, one that misses
// (rescaled exactly to the target), an unusable or truncated review (the pre-review outline,
// rescaled), repairs of the parts plan and of a part's sections, a permanent parse failure, and
// requests no book is relevant to.
#include <gtest/gtest.h>

#include <cmath>

#include "e2e_support.h"

namespace docprof::e2e {
namespace {

class CourseOutlineTest : public ::testing::Test {
 protected:
  void SetUp() override { cli.import_library(); }

  // `course create QUERY --hours H --llm CASSETTE --json`, expected to succeed: the printed
  // outline, after checking it equals what `course show --json` reads back from the database.
  json create_ok(const std::string& query, const std::string& hours, const std::string& llm) {
    const ProcessResult r =
        cli.run({"course", "create", query, "--hours", hours, "--llm", llm, "--json"});
    EXPECT_EQ(r.exit_code, 0) << describe(r);
    json printed;
    try {
      printed = json::parse(r.out);
    } catch (const json::parse_error&) {
      ADD_FAILURE() << "stdout is not JSON\n" << describe(r);
      return json::object();
    }
    const std::string id = printed.value("course_id", "");
    const json stored = cli.run_json({"course", "show", id, "--json"});
    EXPECT_EQ(stored.value("parts", json()), printed.value("parts", json()))
        << "show differs from create";
    EXPECT_EQ(stored.value("sections", json()), printed.value("sections", json()));
    EXPECT_EQ(cli.status(id).value("status", ""), "complete");
    return stored;
  }

  DocprofCli cli;
};

TEST_F(CourseOutlineTest, CleanRunStoresTheOutlineOfTheAnswers) {
  const std::string llm = python_cassette().write(cli.file("clean.jsonl"));
  const json outline = create_ok(kPythonQuery, "2", llm);
  expect_outline(outline, kPythonTitle, python_parts());
  EXPECT_EQ(outline.value("total_minutes", 0), 120);
  EXPECT_EQ(outline.value("original_query", ""), kPythonQuery);
  EXPECT_DOUBLE_EQ(outline.value("estimated_hours", 0.0), 2.0);

  const json events = cli.events(outline.value("course_id", ""));
  EXPECT_EQ(count_entries(events, "no review needed"), 1) << messages(events);
  EXPECT_EQ(count_entries(events, "", "complete"), 1) << messages(events);
  EXPECT_EQ(count_entries(events, "rescaled"), 0) << messages(events);
}

// Read: and Note: lines of a model's answers reach every face: the outline JSON of `course show`
// (nested and flat sections) and `course export`, and the Markdown of `course show`.
TEST_F(CourseOutlineTest, ReadingReferencesAndNotesReachTheOutline) {
  std::string book_id;
  for (const auto& book : cli.run_json({"books", "list", "--json"})) {
    if (book.value("title", "").rfind("Corporate Valuation", 0) == 0) book_id = book.value("book_id", "");
  }
  ASSERT_FALSE(book_id.empty());
  Cassette cassette;
  cassette
      .text("generate_course_parts",
            "Course title: Valuation Basics\nPart 1: Cash Flow and the Cost of Capital - 60 minutes\n"
            "Total: 60 minutes\n\nNote (uncovered_topic: real options): The library has no material on real "
            "options\nNote: Assumes basic accounting\n")
      .text("generate_part_sections_0",
            "## Part 1: Cash Flow and the Cost of Capital\n\n### Section 1: Free Cash Flow - 30 minutes\n"
            "Learning objectives:\n- Compute NOPAT\n- Derive free cash flow\n- Read: " +
                book_id + " ch 2 \u00A7 free cash flow\nRead: no-such-book ch 1\n\n"
                "### Section 2: Estimating the Cost of Capital - 30 minutes\nLearning objectives:\n"
                "- Estimate the cost of equity with the CAPM\n- Compute the cost of debt\n\n"
                "Total for this part: 60 minutes");
  const json outline = create_ok("I want to learn corporate valuation", "1", cassette.write(cli.file("refs.jsonl")));
  EXPECT_EQ(outline.at("notes"),
            json::parse(R"([{"kind": "uncovered_topic", "topic": "real options",
                             "message": "The library has no material on real options"},
                            {"kind": "note", "topic": null, "message": "Assumes basic accounting"}])"));
  const json& sections = outline.at("parts").at(0).at("sections");
  ASSERT_EQ(sections.size(), 2U);
  const json& first = sections[0].at("sources");
  ASSERT_EQ(first.size(), 1U) << first.dump();  // the unknown book is dropped
  EXPECT_EQ(first[0].at("book_id"), book_id);
  EXPECT_EQ(first[0].at("book_title"), "Corporate Valuation: Cash Flows, Multiples and the Cost of Capital");
  EXPECT_EQ(first[0].at("chapter_number"), 2);
  EXPECT_EQ(first[0].at("chapter_title"), "Reorganizing the Financial Statements");
  EXPECT_EQ(first[0].at("section_title"), "Free Cash Flow");  // the summary's spelling
  const json& second = sections[1].at("sources");  // no Read line: matched by its words
  ASSERT_EQ(second.size(), 1U) << second.dump();
  EXPECT_EQ(second[0].at("book_id"), book_id);
  EXPECT_EQ(second[0].at("chapter_number"), 4);
  // The flat list has the same sources; the part row has none.
  const json& flat = outline.at("sections");
  ASSERT_EQ(flat.size(), 3U);
  EXPECT_EQ(flat[0].at("sources"), json::array());
  EXPECT_EQ(flat[1].at("sources"), first);

  const std::string id = outline.value("course_id", "");
  const std::string markdown = cli.run({"course", "show", id}).out;
  EXPECT_NE(markdown.find("Note (uncovered topic: real options): The library has no material on real options\n"), std::string::npos)
      << markdown;
  EXPECT_NE(markdown.find("Note: Assumes basic accounting\n"), std::string::npos) << markdown;
  EXPECT_NE(markdown.find("- Derive free cash flow\nRead: Corporate Valuation: Cash Flows, Multiples and the Cost "
                          "of Capital, ch. 2 \"Reorganizing the Financial Statements\" \u00A7 Free Cash Flow\n"),
            std::string::npos)
      << markdown;
  EXPECT_LT(markdown.find("Note: Assumes"), markdown.find("## Part 1"));
  const std::string exported = cli.file("refs.json");
  ASSERT_EQ(cli.run({"course", "export", id, "--format", "json", "-o", exported}).exit_code, 0);
  const json file = json::parse(read_text(exported));
  EXPECT_EQ(file.at("notes"), outline.at("notes"));
  EXPECT_EQ(file.at("sections"), flat);
}

TEST_F(CourseOutlineTest, ReviewThatFixesTheTimingIsStoredAsReviewed) {
  // 3 parts of 45 + 60 + 75 = 180 minutes for a 4-hour (240-minute) request: 25 % off, so the
  // review runs; its answer totals 240.
  const std::string llm =
      Cassette()
          .answer("generate_course_parts", "parts_course_title_line")
          .answer("generate_part_sections_0", "sections_numbered_objectives")
          .answer("generate_part_sections_1", "sections_other_lists_not_objectives")
          .answer("generate_part_sections_2", "sections_bold_paren_minutes")
          .answer("review_and_adjust_outline", "outline_review_multi_part_bold_headers")
          .write(cli.file("review.jsonl"));
  const json outline =
      create_ok("I want to learn practical statistics for data analysis", "4", llm);
  expect_outline(outline, "Practical Statistics for Data Analysts",
                 parts_from_outline("outline_review_multi_part_bold_headers"));
  EXPECT_EQ(outline.value("total_minutes", 0), 240);

  const json events = cli.events(outline.value("course_id", ""));
  EXPECT_EQ(count_entries(events, "asking for a review"), 1) << messages(events);
  EXPECT_EQ(count_entries(events, "Review applied: 180 minutes -> 240 minutes"), 1)
      << messages(events);
  EXPECT_EQ(count_entries(events, "rescaled"), 0) << messages(events);
}

TEST_F(CourseOutlineTest, ReviewThatMissesTheTargetIsRescaledExactly) {
  // 120 minutes planned for 3 hours; the review answers another 120-minute outline (2 parts), so
  // its section minutes are rescaled proportionally to exactly 180: 20/20/40/40 -> 30/30/60/60.
  Cassette cassette;
  cassette.answer("generate_course_parts", "parts_bold_title_and_parts");
  add_python_parts(cassette).answer("review_and_adjust_outline",
                                    "outline_review_part_durations_ignored");
  const json outline = create_ok(kPythonQuery, "3", cassette.write(cli.file("miss.jsonl")));

  std::vector<ExpectedPart> parts = parts_from_outline("outline_review_part_durations_ignored");
  ASSERT_EQ(parts.size(), 2u);
  for (auto& part : parts) {
    for (auto& section : part.sections) section.minutes = section.minutes * 3 / 2;
  }
  expect_outline(outline, kPythonTitle, parts);
  EXPECT_EQ(outline.value("total_minutes", 0), 180);

  const json events = cli.events(outline.value("course_id", ""));
  EXPECT_EQ(count_entries(events, "Section minutes rescaled proportionally from 120 to 180 minutes",
                          "note"),
            1)
      << messages(events);
}

TEST_F(CourseOutlineTest, RefusalIsRepairedWithTheSecondAnswer) {
  Cassette cassette;
  cassette.answer("generate_course_parts", "parts_refusal")
      .answer("generate_course_parts", "parts_bold_title_and_parts");
  add_python_parts(cassette);
  const json outline = create_ok(kPythonQuery, "2", cassette.write(cli.file("repair.jsonl")));
  expect_outline(outline, kPythonTitle, python_parts());

  const json events = cli.events(outline.value("course_id", ""));
  EXPECT_EQ(count_entries(events, "asking the model to repair it (repair 1 of 2)", "note"), 1)
      << messages(events);
  const json status = cli.status(outline.value("course_id", ""));
  // The refusal, its repair and three part expansions: five model calls.
  EXPECT_EQ(status.at("usage").value("calls", 0), 5) << status.dump(2);
}

TEST_F(CourseOutlineTest, UnparseablePartExpansionIsRepairedWithTheSameTask) {
  const std::string llm = Cassette()
                              .answer("generate_course_parts", "parts_bold_title_and_parts")
                              .answer("generate_part_sections_0", "sections_bold_headers")
                              .answer("generate_part_sections_1", "sections_refusal")
                              .answer("generate_part_sections_1", "sections_empty")
                              .answer("generate_part_sections_1", "sections_part_header_plain")
                              .answer("generate_part_sections_2", "sections_no_objectives_header")
                              .write(cli.file("repair_sections.jsonl"));
  const json outline = create_ok(kPythonQuery, "2", llm);
  expect_outline(outline, kPythonTitle, python_parts());
  const json events = cli.events(outline.value("course_id", ""));
  EXPECT_EQ(count_entries(events, "the sections of part 2 could not be parsed"), 2)
      << messages(events);
  EXPECT_EQ(count_entries(events, "repair 2 of 2"), 1) << messages(events);
}

// The sections' minutes after a rescale to `target`: the exact total, every section kept, each
// within one rounding step of its proportional share.
void expect_rescaled(const json& outline, const std::vector<ExpectedPart>& before, int target,
                     int step) {
  expect_outline_shape(outline);
  EXPECT_EQ(outline.value("total_minutes", 0), target);
  const json& parts = outline.at("parts");
  ASSERT_EQ(parts.size(), before.size());
  int old_total = 0;
  for (const auto& part : before) {
    for (const auto& section : part.sections) old_total += section.minutes;
  }
  for (std::size_t p = 0; p < before.size(); ++p) {
    EXPECT_EQ(parts[p].value("title", ""), before[p].title);
    const json& sections = parts[p].at("sections");
    ASSERT_EQ(sections.size(), before[p].sections.size());
    for (std::size_t i = 0; i < sections.size(); ++i) {
      const ExpectedSection& was = before[p].sections[i];
      const int minutes = sections[i].value("estimated_minutes", 0);
      const double share = static_cast<double>(was.minutes) * target / old_total;
      EXPECT_EQ(sections[i].value("title", ""), was.title);
      EXPECT_EQ(sections[i].at("learning_objectives").get<std::vector<std::string>>(),
                was.objectives);
      EXPECT_EQ(minutes % step, 0) << was.title;
      EXPECT_LT(std::abs(minutes - share), step)
          << was.title << ": " << minutes << " for a share of " << share;
    }
  }
}

TEST_F(CourseOutlineTest, UnusableReviewKeepsThePreReviewOutlineRescaled) {
  // 4.1 hours is 246 minutes (not 245); the review refuses three times, so the pre-review outline
  // (120 minutes) is kept and rescaled in 1-minute steps (246 is no multiple of 5).
  Cassette cassette;
  cassette.answer("generate_course_parts", "parts_bold_title_and_parts");
  add_python_parts(cassette).answer("review_and_adjust_outline", "outline_review_refusal");
  const json outline =
      create_ok(kPythonQuery, "4.1", cassette.write(cli.file("refused_review.jsonl")));
  EXPECT_EQ(outline.value("title", ""), kPythonTitle);
  expect_rescaled(outline, python_parts(), 246, 1);

  const json events = cli.events(outline.value("course_id", ""));
  EXPECT_EQ(count_entries(events, "keeping the pre-review outline", "note"), 1) << messages(events);
  EXPECT_EQ(count_entries(events, "rescaled proportionally from 120 to 246 minutes", "note"), 1)
      << messages(events);
}

TEST_F(CourseOutlineTest, TruncatedReviewKeepsThePreReviewOutlineRescaled) {
  Cassette cassette;
  cassette.answer("generate_course_parts", "parts_bold_title_and_parts");
  add_python_parts(cassette).truncated("review_and_adjust_outline", "outline_review_truncated");
  const json outline =
      create_ok(kPythonQuery, "3", cassette.write(cli.file("truncated_review.jsonl")));
  expect_rescaled(outline, python_parts(), 180, 5);
  const json events = cli.events(outline.value("course_id", ""));
  EXPECT_EQ(count_entries(events, "The review's answer was truncated"), 1) << messages(events);
}

TEST_F(CourseOutlineTest, AnswersUnparseableAfterTwoRepairsFailTheRun) {
  Cassette cassette;
  cassette.answer("generate_course_parts", "parts_refusal")
      .answer("generate_course_parts", "parts_only_total")
      .answer("generate_course_parts", "parts_empty");
  add_python_parts(cassette);
  const ProcessResult r = cli.run({"course", "create", kPythonQuery, "--hours", "2", "--llm",
                                   cassette.write(cli.file("bad.jsonl")), "--json"});
  ASSERT_EQ(r.exit_code, 3) << describe(r);
  const json error = json::parse(r.out);
  EXPECT_EQ(error.value("status", ""), "error");
  EXPECT_EQ(error.value("error_code", ""), "unparseable_output");
  EXPECT_NE(error.value("error", "").find("could not be parsed after 2 repair(s)"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.err.find("unparseable_output"), std::string::npos) << r.err;
  const std::string id = error.value("course_id", "");

  const json status = cli.status(id);
  EXPECT_EQ(status.value("status", ""), "error");
  EXPECT_EQ(status.value("phase", ""), "error");
  EXPECT_EQ(status.value("error_code", ""), "unparseable_output");

  const json dead = cli.dead_letters();
  ASSERT_EQ(dead.size(), 1u) << dead.dump(2);
  EXPECT_EQ(dead[0].value("course_id", ""), id);
  EXPECT_EQ(dead[0].value("error_code", ""), "unparseable_output");
  EXPECT_EQ(dead[0].value("event_type", ""), "PartsGenerated");

  const json events = cli.events(id);
  EXPECT_EQ(count_entries(events, "repair 2 of 2"), 1) << messages(events);
  EXPECT_EQ(count_entries(events, "Unparseable answer kept for inspection"), 1) << messages(events);

  // No course was stored: `course show --json` reports the failure with an empty outline.
  const ProcessResult show = cli.run({"course", "show", id, "--json"});
  EXPECT_EQ(show.exit_code, 3) << describe(show);
  const json shown = json::parse(show.out);
  EXPECT_TRUE(shown.at("sections").empty());
  EXPECT_EQ(shown.at("notes"), json::array());
  EXPECT_EQ(shown.at("generation_status").value("error_code", ""), "unparseable_output");
}

TEST_F(CourseOutlineTest, OffTopicRequestFindsNoRelevantBooks) {
  const std::string llm = python_cassette().write(cli.file("any.jsonl"));
  const ProcessResult r = cli.run(
      {"course", "create", "how to bake sourdough bread", "--hours", "2", "--llm", llm, "--json"});
  ASSERT_EQ(r.exit_code, 3) << describe(r);
  const json error = json::parse(r.out);
  EXPECT_EQ(error.value("error_code", ""), "no_relevant_books");
  EXPECT_NE(error.value("error", "").find("no book in the library is relevant"), std::string::npos)
      << r.out;
  const json status = cli.status(error.value("course_id", ""));
  EXPECT_EQ(status.value("status", ""), "error");
  EXPECT_EQ(status.at("usage").value("calls", -1), 0) << "no model call without books";
}

TEST(CourseOutlineEmptyLibraryTest, EmptyLibraryFindsNoRelevantBooks) {
  DocprofCli cli;
  const std::string llm = python_cassette().write(cli.file("any.jsonl"));
  const ProcessResult r =
      cli.run({"course", "create", kPythonQuery, "--hours", "2", "--llm", llm, "--json"});
  ASSERT_EQ(r.exit_code, 3) << describe(r);
  const json error = json::parse(r.out);
  EXPECT_EQ(error.value("status", ""), "error");
  EXPECT_EQ(error.value("error_code", ""), "no_relevant_books");
  const json dead = cli.dead_letters();
  ASSERT_EQ(dead.size(), 1u) << dead.dump(2);
  EXPECT_EQ(dead[0].value("error_code", ""), "no_relevant_books");
}

}  // namespace
}  // namespace docprof::e2e
