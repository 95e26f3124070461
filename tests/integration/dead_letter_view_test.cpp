// The dead-letter view (views::dead_letter_json, shown by `dlq list --json` and the API): a letter
// names its run by kind and id (issue 14), and keeps course_id for the readers of the older shape.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "contract/contract_samples.h"
#include "views/course_views.h"

namespace {

using namespace docprof;

ports::DeadLetter letter_of(const domain::Envelope& event) {
  auto letter = contract::sample_dead_letter(event);
  letter.id = "7";
  return letter;
}

TEST(DeadLetterView, AnIngestionRunsLetterNamesItsKindAndRun) {
  const auto view = views::dead_letter_json(letter_of(contract::ingest_requested("i1")));
  EXPECT_EQ(view.at("kind"), "ingest");
  EXPECT_EQ(view.at("run_id"), "i1");
  EXPECT_EQ(view.at("course_id"), "i1");
  EXPECT_EQ(view.at("event_type"), "IngestRequested");
  EXPECT_EQ(view.at("id"), "7");
}

TEST(DeadLetterView, ACourseRunsLetterIsOfKindCourse) {
  const auto view = views::dead_letter_json(letter_of(contract::requested("c1")));
  EXPECT_EQ(view.at("kind"), "course");
  EXPECT_EQ(view.at("run_id"), "c1");
  EXPECT_EQ(view.at("course_id"), "c1");
}

}  // namespace
