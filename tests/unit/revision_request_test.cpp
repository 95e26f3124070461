// Reading a revision request in plain words (domain/revision_request.h): the three kinds of
// clause the offline planner can do, several joined in one request, and the refusal of anything
// else as unsupported_revision — never a silent no-op.
#include "domain/revision_request.h"

#include <gtest/gtest.h>

namespace {

using namespace docprof::domain;

RevisionAction only_action(std::string_view request) {
  auto reading = read_revision_request(request);
  EXPECT_TRUE(reading.ok()) << request << ": " << (reading.ok() ? "" : reading.error().message);
  if (!reading.ok()) return {};
  EXPECT_EQ(reading->actions.size(), 1u) << request;
  return reading->actions.front();
}

TEST(RevisionRequest, AddsASectionOnATopic) {
  const auto action = only_action("Add a section on tax implications");
  EXPECT_EQ(action.kind, RevisionActionKind::add);
  EXPECT_EQ(action.scope, RevisionScope::section);
  EXPECT_EQ(action.topic, "tax implications");
  EXPECT_EQ(action.clause, "add a section on tax implications");
}

TEST(RevisionRequest, AddsAPartOrATopicInOtherWords) {
  auto part = only_action("please add a part about options pricing too");
  EXPECT_EQ(part.kind, RevisionActionKind::add);
  EXPECT_EQ(part.scope, RevisionScope::part);
  EXPECT_EQ(part.topic, "options pricing");
  auto topic = only_action("Include mergers and acquisitions");
  EXPECT_EQ(topic.kind, RevisionActionKind::add);
  EXPECT_EQ(topic.scope, RevisionScope::any);
  EXPECT_EQ(topic.topic, "mergers and acquisitions");  // "and" not followed by a verb joins words
  auto cover = only_action("also cover real options.");
  EXPECT_EQ(cover.kind, RevisionActionKind::add);
  EXPECT_EQ(cover.topic, "real options");
}

TEST(RevisionRequest, DropsAPartOrASection) {
  auto part = only_action("Drop the history part");
  EXPECT_EQ(part.kind, RevisionActionKind::drop);
  EXPECT_EQ(part.scope, RevisionScope::part);
  EXPECT_EQ(part.topic, "history");
  auto section = only_action("remove the section about dividends");
  EXPECT_EQ(section.kind, RevisionActionKind::drop);
  EXPECT_EQ(section.scope, RevisionScope::section);
  EXPECT_EQ(section.topic, "dividends");
  auto skip = only_action("leave out behavioural finance");
  EXPECT_EQ(skip.kind, RevisionActionKind::drop);
  EXPECT_EQ(skip.scope, RevisionScope::any);
  EXPECT_EQ(skip.topic, "behavioural finance");
}

TEST(RevisionRequest, ChangesTheLength) {
  auto hours = only_action("Make it 3 hours");
  EXPECT_EQ(hours.kind, RevisionActionKind::resize);
  EXPECT_EQ(hours.minutes, 180);
  EXPECT_FALSE(hours.relative);
  EXPECT_EQ(only_action("shorten the course to 90 minutes").minutes, 90);
  EXPECT_EQ(only_action("make the whole course about 1.5 hours long").minutes, 90);
  EXPECT_EQ(only_action("cut it to 2 hours").minutes, 120);
  EXPECT_EQ(only_action("make it an hour").minutes, 60);
  auto longer = only_action("make it 30 minutes longer");
  EXPECT_TRUE(longer.relative);
  EXPECT_EQ(longer.minutes, 30);
  auto shorter = only_action("shorten it by half an hour");
  EXPECT_TRUE(shorter.relative);
  EXPECT_EQ(shorter.minutes, -30);
}

TEST(RevisionRequest, ReadsSeveralClausesInOrder) {
  auto reading = read_revision_request(
      "Add a section on tax implications and drop the history part. Then make it 3 hours");
  ASSERT_TRUE(reading.ok()) << reading.error().message;
  ASSERT_EQ(reading->actions.size(), 3u);
  EXPECT_EQ(reading->actions[0].kind, RevisionActionKind::add);
  EXPECT_EQ(reading->actions[1].kind, RevisionActionKind::drop);
  EXPECT_EQ(reading->actions[1].topic, "history");
  EXPECT_EQ(reading->actions[2].kind, RevisionActionKind::resize);
  EXPECT_EQ(reading->actions[2].minutes, 180);
  auto commas = read_revision_request("drop dividends, add a part on real options; make it 4 hours");
  ASSERT_TRUE(commas.ok()) << commas.error().message;
  EXPECT_EQ(commas->actions.size(), 3u);
}

TEST(RevisionRequest, AVerbThatIsANounStaysInTheTopic) {
  auto joined = only_action("add a section on risk and change management");
  EXPECT_EQ(joined.kind, RevisionActionKind::add);
  EXPECT_EQ(joined.topic, "risk and change management");
  EXPECT_EQ(joined.clause, "add a section on risk and change management");
  auto sets = only_action("include logic and set theory");
  EXPECT_EQ(sets.topic, "logic and set theory");
  // A real second clause with such a verb is still one.
  auto two = read_revision_request("drop the history part and cut it to 2 hours");
  ASSERT_TRUE(two.ok()) << two.error().message;
  ASSERT_EQ(two->actions.size(), 2u);
  EXPECT_EQ(two->actions[1].kind, RevisionActionKind::resize);
}

TEST(RevisionRequest, RefusesWhatThePlannerCannotDo) {
  for (const char* request : {"make it more practical", "translate it into French",
                              "Make it 3 hours and more fun", "shorten it", "I don't like it",
                              "add a section on taxes and make the examples harder"}) {
    auto reading = read_revision_request(request);
    ASSERT_FALSE(reading.ok()) << request;
    EXPECT_EQ(reading.error().code, "unsupported_revision") << request;
    EXPECT_NE(reading.error().message.find("make it 3 hours"), std::string::npos) << request;
  }
  auto empty = read_revision_request("   ");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().code, "invalid_request");
}

}  // namespace
