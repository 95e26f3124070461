// The off-topic rule of the course quality checker (see course_checker.h): the share of the
// course's minutes spent reading the label's books.
#include <cmath>

#include "quality/checker_rules.h"

namespace docprof::quality {

namespace {

constexpr std::size_t kListed = 5;  // off-topic sections named in the message

// The part of a section's minutes read from the label's books (by its share of such sources).
double on_topic_minutes(const OutlineSection& section, const std::set<std::string>& picked) {
  if (section.sources.empty()) return 0;
  std::size_t on = 0;
  for (const auto& source : section.sources) on += picked.count(source.book_id);
  return section.minutes * static_cast<double>(on) / static_cast<double>(section.sources.size());
}

std::string percent(double share) { return std::to_string(std::lround(share * 100)) + " %"; }

}  // namespace

double on_topic_share(const CheckScope& scope) {
  const int total = scope.outline.total_minutes();
  if (total <= 0) return 0;
  double on = 0;
  for (const auto& part : scope.outline.parts) {
    for (const auto& section : part.sections) on += on_topic_minutes(section, scope.picked_book_ids);
  }
  return on / total;
}

void check_off_topic(const CheckScope& scope, Findings& out) {
  const double share = on_topic_share(scope);
  if (share >= kMinOnTopicShare) return;
  int unsourced = 0;
  std::vector<std::string> off;
  for (const auto& part : scope.outline.parts) {
    for (const auto& section : part.sections) {
      if (section.sources.empty()) {
        unsourced += section.minutes;
        continue;
      }
      std::string books;
      for (const auto& source : section.sources) {
        if (scope.picked_book_ids.count(source.book_id) != 0) continue;
        books += (books.empty() ? "" : ", ") +
                 in_quotes(source.book_title.empty() ? source.book_id : source.book_title);
      }
      if (!books.empty() && off.size() < kListed)
        off.push_back(in_quotes(section.title) + " reads " + books);
    }
  }
  std::string message = "only " + percent(share) + " of the " +
                        std::to_string(scope.outline.total_minutes()) +
                        " minutes read from the label's books (want >= " +
                        percent(kMinOnTopicShare) + ")";
  for (const auto& item : off) message += "; " + item;
  if (unsourced > 0)
    message += "; " + std::to_string(unsourced) + " minutes are in sections with no sources";
  out.push_back({"offtopic.share", message});
}

}  // namespace docprof::quality
