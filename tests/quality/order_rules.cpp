// Learning-order rules of the course quality checker (see course_checker.h).
#include <map>
#include <regex>
#include <utility>

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
  std::vector<std::pair<const OutlinePart*, const OutlineSection*>> sections;
  for (const auto& part : scope.outline.parts) {
    for (const auto& section : part.sections) sections.emplace_back(&part, &section);
  }
  std::string previous;
  std::size_t previous_at = 0;
  for (const auto& topic : scope.label.topics) {
    std::size_t at = 0;
    while (at < sections.size() && !covers_in_part(*sections[at].first, *sections[at].second, topic)) ++at;
    if (at == sections.size()) continue;  // not covered: the topic rules report it
    if (!previous.empty() && at < previous_at) {
      out.push_back({"order.topics", "topic " + in_quotes(topic) + " first appears in section " +
                                         in_quotes(sections[at].second->title) + ", before topic " +
                                         in_quotes(previous) + " (section " +
                                         in_quotes(sections[previous_at].second->title) +
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

// An objective or part title about the course's project: "capstone" or "final project" ("erode
// a project" is about software projects in general).
bool about_final_project(const std::string& text) {
  const std::string t = lower(text);
  return t.find("capstone") != std::string::npos || t.find("final project") != std::string::npos;
}

// The project a request asks for: "capstone", or "a (small|final|own …) project" — not "the
// project" (Debian's). `stems` are the content words that follow it ("a small project: a
// multithreaded web server" -> multithread, web, server), up to the next , ; or full stop.
struct ProjectRequest {
  bool requested = false;
  std::set<std::string> stems;
};

ProjectRequest requested_project(const std::string& query) {
  static const std::regex keyword(R"(\b(capstone|projects?)\b)", std::regex::icase);
  static const std::set<std::string, std::less<>> markers = {"a",   "an",   "final", "small",
                                                             "mini", "own", "capstone", "little"};
  ProjectRequest out;
  std::smatch m;
  if (!std::regex_search(query, m, keyword)) return out;
  const auto at = static_cast<std::size_t>(m.position(0));
  std::vector<std::string> before = plain_words(query.substr(0, at));
  const std::size_t from = before.size() > 3 ? before.size() - 3 : 0;
  for (std::size_t i = from; i < before.size(); ++i)
    out.requested = out.requested || markers.count(lower(before[i])) != 0;
  out.requested = out.requested || lower(m.str(0)) == "capstone";
  if (!out.requested) return out;
  std::string after = query.substr(at + static_cast<std::size_t>(m.length(0)));
  after = after.substr(0, after.find_first_of(",;.\n"));
  out.stems = content_stems(after);
  return out;
}

// True when `text` holds at least two thirds of the project's words.
bool names_project(const std::set<std::string>& text, const std::set<std::string>& project) {
  if (project.empty()) return false;
  std::size_t found = 0;
  for (const auto& stem : project) found += text.count(stem);
  return found * 3 >= project.size() * 2;
}

// A project the request asks for comes in the last part: nothing about it earlier, and the last
// part is about it.
void check_project_last(const CheckScope& scope, Findings& out) {
  const auto& parts = scope.outline.parts;
  const ProjectRequest project = requested_project(scope.outline.query);
  if (!project.requested || parts.empty()) return;
  for (std::size_t p = 0; p + 1 < parts.size(); ++p) {
    if (about_final_project(parts[p].title))
      out.push_back({"order.project", "part " + in_quotes(parts[p].title) + " (part " +
                                          std::to_string(p + 1) +
                                          ") is the requested project but is not the last part"});
    for (const auto& section : parts[p].sections) {
      // "Setting Up a New Project" in a Rust course's first part is about Cargo, not about the
      // multithreaded web server asked for at the end: a section title is about the requested
      // project when it names what the project builds too (any project, when the request names
      // nothing).
      bool about = mentions_project(section.title) &&
                   (project.stems.empty() || names_project(content_stems(section.title), project.stems));
      for (const auto& objective : section.objectives) about = about || about_final_project(objective);
      if (about)
        out.push_back({"order.project", "section " + in_quotes(section.title) + " (part " +
                                            std::to_string(p + 1) +
                                            ") is about the requested project but is not in "
                                            "the last part"});
    }
  }
  // A project the library has no material for is reported, not built from something else.
  for (const auto& note : scope.outline.notes) {
    if (note.kind == "uncovered_topic" && (mentions_project(note.topic) || mentions_project(note.message))) return;
  }
  const OutlinePart& last = parts.back();
  bool about = mentions_project(last.title);
  std::set<std::string> stems = content_stems(last.title);
  for (const auto& section : last.sections) {
    about = about || mentions_project(section.title);
    for (const auto& objective : section.objectives) about = about || mentions_project(objective);
    stems.merge(content_stems(section.title));
  }
  if (!about && !names_project(stems, project.stems))
    out.push_back({"order.project", "the request asks for a project, but the last part " +
                                        in_quotes(last.title) + " is not about it"});
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
