// SqliteCourseRepository against a real database file: round trips of every field, upserts that
// never double rows, removal of stale sections, listing, removal and learners' section status.
#include <algorithm>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "adapters/sqlite/migrations.h"
#include "adapters/sqlite/sqlite_course_repository.h"
#include "adapters/sqlite/sqlite_event_queue.h"
#include "adapters/sqlite/sqlite_run_store.h"
#include "domain/time_format.h"
#include "integration/sqlite_old_schema.h"
#include "integration/temp_dir.h"

namespace {

using namespace docprof;
using adapters::sqlite::Session;
using adapters::sqlite::SqliteCourseRepository;
using adapters::sqlite::SqliteDatabase;
using adapters::sqlite::SqliteRunStore;
using test_support::TempDir;

constexpr std::int64_t kT0 = 1'800'000'000'123;

domain::Course course(const std::string& id, const std::string& user = "user-1",
                      std::int64_t created = kT0) {
  domain::Course c;
  c.course_id = id;
  c.user_id = user;
  c.title = "Corporate Valuation";
  c.original_query = "learn corporate valuation in 6 hours";
  c.estimated_hours = 6.0;
  c.created_at = domain::format_iso8601(created);
  c.last_modified = domain::format_iso8601(created);
  c.preferences.depth = domain::Depth::expert;
  c.preferences.presentation_style = "socratic";
  c.status = domain::CourseStatus::active;
  return c;
}

domain::CourseSection section(const std::string& course_id, const std::string& id, int order,
                              std::optional<std::string> parent = std::nullopt) {
  domain::CourseSection s;
  s.section_id = id;
  s.course_id = course_id;
  s.parent_section_id = std::move(parent);
  s.order_index = order;
  s.title = "Section " + id;
  if (s.parent_section_id) s.learning_objectives = {"explain " + id, "apply " + id};
  s.estimated_minutes = 15 * order;
  s.created_at = domain::format_iso8601(kT0);
  return s;
}

// Part <c>-p1 with sections <c>-s1, <c>-s2; part <c>-p2 with <c>-s3.
std::vector<domain::CourseSection> outline(const std::string& course_id) {
  const auto id = [&](const char* name) { return course_id + "-" + name; };
  return {section(course_id, id("p1"), 1), section(course_id, id("s1"), 2, id("p1")),
          section(course_id, id("s2"), 3, id("p1")), section(course_id, id("p2"), 4),
          section(course_id, id("s3"), 5, id("p2"))};
}

class SqliteCourseRepositoryTest : public ::testing::Test {
 protected:
  SqliteCourseRepositoryTest()
      : db_(SqliteDatabase::open_and_migrate(dir_.file("docprof.db"))), repository_(db_) {}

  std::int64_t section_rows() {
    return db_->read([](Session& s) {
      auto row = s.query("SELECT count(*) FROM course_sections");
      row.step();
      return row.int64(0);
    });
  }

  TempDir dir_;
  std::shared_ptr<SqliteDatabase> db_;
  SqliteCourseRepository repository_;
};

TEST_F(SqliteCourseRepositoryTest, StoreThenGetRoundTripsEveryField) {
  auto sections = outline("c1");
  sections[1].content_summary = "what DCF is";
  sections[1].chunk_ids = {"chunk-1", "chunk-2"};
  sections[1].prerequisites = {"s0"};
  sections[1].can_standalone = true;
  sections[1].status = domain::SectionStatus::completed;
  sections[1].completed_at = domain::format_iso8601(kT0 + 5000);
  sections[2].title = "Cost-Benefit \"Analysis\" — ünïcode";
  const auto c = course("c1");
  repository_.store(c, sections);
  const auto stored = repository_.get("c1");
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->course, c);
  EXPECT_EQ(stored->sections, sections);
}

TEST_F(SqliteCourseRepositoryTest, SourcesAndNotesRoundTripAndAreUpdatedByAnUpsert) {
  auto sections = outline("c1");
  sections[1].sources = {
      domain::SectionSource{"book-1", "Valuation — 7th edition", 3, "Fundamental Principles", std::string("The core principle")},
      domain::SectionSource{"book-2", "Risk", 4, "Cost of Capital", std::nullopt}};
  auto c = course("c1");
  c.notes = {domain::CourseNote{"uncovered_topic", "real options", "No book covers them"},
             domain::CourseNote{"note", "", "Assumes basic algebra"}};
  repository_.store(c, sections);
  auto stored = repository_.get("c1");
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->course.notes, c.notes);
  EXPECT_EQ(stored->sections, sections);
  EXPECT_EQ(repository_.list_for_user("user-1").at(0).notes, c.notes);
  // The columns hold JSON arrays; an upsert replaces them.
  const std::string column = db_->read([](Session& s) {
    auto row = s.query("SELECT sources FROM course_sections WHERE section_id = 'c1-s1'");
    row.step();
    return row.text(0);
  });
  EXPECT_EQ(nlohmann::json::parse(column).at(1).at("section_title"), nullptr);
  sections[1].sources.pop_back();
  c.notes.clear();
  repository_.store(c, sections);
  stored = repository_.get("c1");
  ASSERT_TRUE(stored.has_value());
  EXPECT_TRUE(stored->course.notes.empty());
  EXPECT_EQ(stored->sections[1].sources.size(), 1U);
  EXPECT_TRUE(stored->sections[2].sources.empty());
}

TEST(SqliteCourseRepositoryMigration, RowsStoredBeforeVersion5ReadWithNoSourcesAndNoNotes) {
  TempDir dir;
  auto db = SqliteDatabase::open(dir.file("docprof.db"));
  // The schema as a docprof before migration 5 left it, with a course stored by it.
  db->write([](Session& s) {
    test_support::apply_migrations_before(s, 5);
    s.exec(
        "INSERT INTO courses (course_id, user_id, title, original_query, estimated_hours, status, created_at, "
        "last_modified, preferences) VALUES ('old', 'user-1', 'Old', 'q', 2.0, 'active', 0, 0, '{}');"
        "INSERT INTO course_sections (section_id, course_id, parent_section_id, order_index, title, "
        "estimated_minutes, status, completed_at, can_standalone, created_at, content_summary, "
        "learning_objectives, chunk_ids, prerequisites) VALUES "
        "('p', 'old', NULL, 1, 'Part', 30, 'not_started', NULL, 0, 0, NULL, '[]', '[]', '[]'),"
        "('s', 'old', 'p', 2, 'Section', 30, 'not_started', NULL, 0, 0, NULL, '[\"a\"]', '[]', '[]');");
  });
  EXPECT_EQ(adapters::sqlite::schema_version(*db), 4);
  const auto report = adapters::sqlite::migrate(*db);
  EXPECT_EQ(report.from_version, 4);
  EXPECT_EQ(report.applied, adapters::sqlite::latest_schema_version() - 4);
  SqliteCourseRepository repository(db);
  const auto stored = repository.get("old");
  ASSERT_TRUE(stored.has_value());
  EXPECT_TRUE(stored->course.notes.empty());
  ASSERT_EQ(stored->sections.size(), 2U);
  EXPECT_TRUE(stored->sections[1].sources.empty());
  EXPECT_EQ(stored->sections[1].learning_objectives, std::vector<std::string>{"a"});
}

TEST_F(SqliteCourseRepositoryTest, GetOfAnUnknownCourseIsEmpty) {
  EXPECT_FALSE(repository_.get("missing").has_value());
}

TEST_F(SqliteCourseRepositoryTest, SectionsComeBackByOrderIndex) {
  auto sections = outline("c1");
  std::reverse(sections.begin(), sections.end());
  repository_.store(course("c1"), sections);
  const auto stored = repository_.get("c1");
  ASSERT_EQ(stored->sections.size(), 5u);
  for (std::size_t i = 0; i < stored->sections.size(); ++i) {
    EXPECT_EQ(stored->sections[i].order_index, static_cast<int>(i) + 1);
  }
}

TEST_F(SqliteCourseRepositoryTest, StoringTwiceKeepsOneSetOfRows) {
  repository_.store(course("c1"), outline("c1"));
  repository_.store(course("c1"), outline("c1"));
  EXPECT_EQ(section_rows(), 5);
  EXPECT_EQ(repository_.list_for_user("user-1").size(), 1u);
  EXPECT_EQ(repository_.get("c1")->sections, outline("c1"));
}

TEST_F(SqliteCourseRepositoryTest, AChangedOutlineLeavesNoStaleRows) {
  repository_.store(course("c1"), outline("c1"));
  repository_.store(course("c2"), outline("c2"));  // another course's rows must survive
  std::vector<domain::CourseSection> changed = {section("c1", "c1-p1", 1),
                                                section("c1", "c1-s1", 2, "c1-p1"),
                                                section("c1", "c1-s9", 3, "c1-p1")};
  changed[1].title = "Renamed";
  repository_.store(course("c1"), changed);
  const auto stored = repository_.get("c1");
  EXPECT_EQ(stored->sections, changed);
  EXPECT_EQ(section_rows(), 3 + 5);
}

TEST_F(SqliteCourseRepositoryTest, AnUpsertKeepsTheOriginalCreationTime) {
  repository_.store(course("c1"), outline("c1"));
  auto later = course("c1", "user-1", kT0 + 60'000);
  later.title = "New title";
  repository_.store(later, outline("c1"));
  const auto stored = repository_.get("c1");
  EXPECT_EQ(stored->course.created_at, domain::format_iso8601(kT0));
  EXPECT_EQ(stored->course.last_modified, domain::format_iso8601(kT0 + 60'000));
  EXPECT_EQ(stored->course.title, "New title");
}

TEST_F(SqliteCourseRepositoryTest, AnUnreadableTimeIsRejectedAndNothingIsStored) {
  auto bad = course("c1");
  bad.created_at = "yesterday-ish";
  EXPECT_THROW(repository_.store(bad, outline("c1")), std::invalid_argument);
  EXPECT_FALSE(repository_.get("c1").has_value());
  EXPECT_EQ(section_rows(), 0);
}

TEST_F(SqliteCourseRepositoryTest, ASectionOfAnotherCourseIsRejected) {
  auto sections = outline("c1");
  sections[2].course_id = "other";
  EXPECT_THROW(repository_.store(course("c1"), sections), std::invalid_argument);
  EXPECT_FALSE(repository_.get("c1").has_value());
}

TEST_F(SqliteCourseRepositoryTest, ListForUserIsNewestFirstAndOnlyTheirs) {
  repository_.store(course("old", "u", kT0), {});
  repository_.store(course("new", "u", kT0 + 10'000), {});
  repository_.store(course("mid", "u", kT0 + 5'000), {});
  repository_.store(course("theirs", "v", kT0 + 20'000), {});
  const auto courses = repository_.list_for_user("u");
  ASSERT_EQ(courses.size(), 3u);
  EXPECT_EQ(courses[0].course_id, "new");
  EXPECT_EQ(courses[1].course_id, "mid");
  EXPECT_EQ(courses[2].course_id, "old");
  EXPECT_TRUE(repository_.list_for_user("nobody").empty());
}

TEST_F(SqliteCourseRepositoryTest, RemoveDeletesTheCourseItsSectionsAndItsRun) {
  SqliteRunStore runs(db_);
  ports::RunRecord record;
  record.course_id = "c1";
  record.user_id = "user-1";
  domain::Envelope first;
  first.event_id = "e0";
  first.course_id = "c1";
  first.payload = domain::CourseRequested{"q", 1.0, {}, "user-1"};
  ASSERT_TRUE(runs.create(record, first, ports::HistoryEntry{}));
  repository_.store(course("c1"), outline("c1"));
  repository_.store(course("c2"), outline("c2"));
  EXPECT_TRUE(repository_.remove("c1"));
  EXPECT_FALSE(repository_.get("c1").has_value());
  EXPECT_FALSE(runs.load("c1").has_value());
  EXPECT_TRUE(runs.history("c1", 0).empty());
  EXPECT_EQ(section_rows(), 5);  // c2's
  EXPECT_FALSE(repository_.remove("c1"));
}

TEST_F(SqliteCourseRepositoryTest, CompletingASectionSetsCompletedAtAndBumpsLastModified) {
  repository_.store(course("c1"), outline("c1"));
  ASSERT_TRUE(
      repository_.set_section_status("c1", "c1-s2", domain::SectionStatus::completed, kT0 + 777));
  const auto stored = repository_.get("c1");
  EXPECT_EQ(stored->sections[2].status, domain::SectionStatus::completed);
  EXPECT_EQ(stored->sections[2].completed_at, domain::format_iso8601(kT0 + 777));
  EXPECT_EQ(stored->course.last_modified, domain::format_iso8601(kT0 + 777));
  EXPECT_FALSE(stored->sections[1].completed_at.has_value());
}

TEST_F(SqliteCourseRepositoryTest, CompletingAgainKeepsTheFirstCompletionTime) {
  repository_.store(course("c1"), outline("c1"));
  ASSERT_TRUE(
      repository_.set_section_status("c1", "c1-s1", domain::SectionStatus::completed, kT0 + 1));
  ASSERT_TRUE(
      repository_.set_section_status("c1", "c1-s1", domain::SectionStatus::completed, kT0 + 2));
  const auto stored = repository_.get("c1");
  EXPECT_EQ(stored->sections[1].completed_at, domain::format_iso8601(kT0 + 1));
  EXPECT_EQ(stored->course.last_modified, domain::format_iso8601(kT0 + 2));
}

TEST_F(SqliteCourseRepositoryTest, ReopeningASectionClearsCompletedAt) {
  repository_.store(course("c1"), outline("c1"));
  ASSERT_TRUE(
      repository_.set_section_status("c1", "c1-s1", domain::SectionStatus::completed, kT0 + 1));
  ASSERT_TRUE(
      repository_.set_section_status("c1", "c1-s1", domain::SectionStatus::in_progress, kT0 + 2));
  const auto stored = repository_.get("c1");
  EXPECT_EQ(stored->sections[1].status, domain::SectionStatus::in_progress);
  EXPECT_FALSE(stored->sections[1].completed_at.has_value());
}

TEST_F(SqliteCourseRepositoryTest, StatusOfAnUnknownSectionOrAnotherCoursesSectionIsFalse) {
  repository_.store(course("c1"), outline("c1"));
  repository_.store(course("c2"), outline("c2"));
  EXPECT_FALSE(repository_.set_section_status("c1", "nope", domain::SectionStatus::completed, kT0));
  EXPECT_FALSE(
      repository_.set_section_status("c1", "c2-s1", domain::SectionStatus::completed, kT0));
  EXPECT_EQ(repository_.get("c1")->course.last_modified, domain::format_iso8601(kT0));
  EXPECT_EQ(repository_.get("c2")->sections[1].status, domain::SectionStatus::not_started);
}

TEST_F(SqliteCourseRepositoryTest, TimesRoundTripToTheMillisecond) {
  for (const std::int64_t ms :
       {std::int64_t{0}, std::int64_t{1}, std::int64_t{999}, std::int64_t{1'700'000'000'001},
        std::int64_t{1'800'000'000'999}, std::int64_t{4'102'444'799'999}}) {
    const auto c = course("t" + std::to_string(ms), "user-1", ms);
    repository_.store(c, {});
    EXPECT_EQ(repository_.get(c.course_id)->course.created_at, domain::format_iso8601(ms));
  }
}

}  // namespace
