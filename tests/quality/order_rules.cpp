// Learning-order rules of the course quality checker (see course_checker.h).
#include <map>

#include "quality/checker_rules.h"
#include "quality/topic_match.h"
#include "quality/words.h"

namespace docprof::quality {

namespace {

struct Reading {
  int chapter = 0;
  std::string chapter_title;
  std::string section_title;  // of the course
};

std::string chapter_name(const Reading& r) {
  return "chapter " + std::to_string(r.chapter) +
         (r.chapter_title.empty() ? "" : " " + in_quotes(r.chapter_title));
}

// Within each book, chapter numbers over the course's sections must not go down.
void check_chapter_order(const CheckScope& scope, Findings& out) {
  std::map<std::string, Reading> furthest;  // by book id: the highest chapter read so far
  for (const auto& part : scope.outline.parts) {
    for (const auto& section : part.sections) {
      for (const auto& source : section.sources) {
        if (source.chapter_number <= 0) continue;
        const Reading now{source.chapter_number, source.chapter_title, section.title};
        auto [it, first] = furthest.try_emplace(source.book_id, now);
        if (first) continue;
        if (now.chapter < it->second.chapter) {
          const std::string book = source.book_title.empty() ? source.book_id : source.book_title;
          out.push_back({"order.chapters",
                         "book " + in_quotes(book) + ": " + chapter_name(now) + " (section " +
                             in_quotes(now.section_title) + ") comes after " +
                             chapter_name(it->second) + " (section " +
                             in_quotes(it->second.section_title) + ")"});
        } else {
          it->second = now;
        }
      }
    }
  }
}

// The label's topics must first appear in the order listed.
void check_topic_order(const CheckScope& scope, Findings& out) {
  std::vector<const OutlineSection*> sections;
  for (const auto& part : scope.outline.parts) {
    for (const auto& section : part.sections) sections.push_back(&section);
  }
  std::string previous;
  std::size_t previous_at = 0;
  for (const auto& topic : scope.label.topics) {
    std::size_t at = 0;
    while (at < sections.size() && !section_covers(*sections[at], topic)) ++at;
    if (at == sections.size()) continue;  // not covered: the topic rules report it
    if (!previous.empty() && at < previous_at) {
      out.push_back({"order.topics", "topic " + in_quotes(topic) + " first appears in section " +
                                         in_quotes(sections[at]->title) + ", before topic " +
                                         in_quotes(previous) + " (section " +
                                         in_quotes(sections[previous_at]->title) +
                                         "), against the requested order"});
    }
    previous = topic;
    previous_at = at;
  }
}

bool mentions_project(const std::string& text) {
  for (const auto& word : plain_words(text)) {
    const std::string w = lower(word);
    if (w == "project" || w == "projects" || w == "capstone") return true;
  }
  return false;
}

// An objective about the course's project: "capstone" or "final project" ("erode a project" is
// about software projects in general).
bool objective_about_project(const std::string& objective) {
  const std::string text = lower(objective);
  return text.find("capstone") != std::string::npos ||
         text.find("final project") != std::string::npos;
}

// A project or capstone the request asks for comes in the last part.
void check_project_last(const CheckScope& scope, Findings& out) {
  if (!mentions_project(scope.outline.query) || scope.outline.parts.empty()) return;
  for (std::size_t p = 0; p + 1 < scope.outline.parts.size(); ++p) {
    for (const auto& section : scope.outline.parts[p].sections) {
      bool project = mentions_project(section.title);
      for (const auto& objective : section.objectives)
        project = project || objective_about_project(objective);
      if (project)
        out.push_back({"order.project", "section " + in_quotes(section.title) + " (part " +
                                            std::to_string(p + 1) +
                                            ") is about the requested project but is not in "
                                            "the last part"});
    }
  }
}

}  // namespace

void check_order(const CheckScope& scope, Findings& out) {
  if (scope.label.topic_order) {
    check_topic_order(scope, out);
  } else {
    check_chapter_order(scope, out);
  }
  check_project_last(scope, out);
}

}  // namespace docprof::quality
