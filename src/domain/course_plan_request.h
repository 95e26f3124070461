// What a learner's request asks of the offline planner beyond its words (course_plan.h): the
// topics it names ("free cash flow, the cost of capital and terminal value"; "from natural
// selection to genes and speciation"; "the basics, then pointers, then a small project"), whether
// they come in a stated order ("then"), what the learner says they already know ("I already know
// some statistics", "I know some Python", "for a Java programmer"), and whether a project or
// capstone is asked for.
//
// Plain text processing of English requests; other languages give no topics (the planner then
// plans from relevance alone). Thread safety: stateless pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace docprof::domain {

struct RequestReading {
  std::vector<std::string> topics;  // named topics, in the request's order, as written (trimmed)
  bool ordered = false;             // "first …, then …": the topics' order is the learning order
  // The topics only stand side by side ("probability and statistics", "Python"): they are the
  // course's subject rather than parts of it, so sections and parts need not name them.
  bool topics_name_subject = false;
  std::vector<std::string> prior_knowledge;  // subjects the learner already knows
  bool wants_project = false;       // "a small project", "a capstone", "build a …"
  std::string project;              // the request's words for it ("small project"), if it names one
};

RequestReading read_request(std::string_view query);

// "the basics", "fundamentals", "getting started": a topic naming the beginning of the subject,
// not a phrase to look up.
bool is_basics_topic(std::string_view topic);

// The request as text to search the library with: the words that ask rather than name what to
// learn left out ("I want", "teach me", "write", "run"), phrasal verbs the books name as one noun
// joined ("back up and restore" -> "backup and restore", "set up" -> "setup"); the request
// unchanged when nothing else is left.
std::string search_text(std::string_view query);

}  // namespace docprof::domain
