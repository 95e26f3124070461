// Headings that name a task or a question, read as objectives: the subsection titles of manuals
// and textbooks ("Fixing a mistake with a new commit", "How to undo a merge", "Why bisecting merge
// commits can be harder") are what a teacher would have the learner do or explain. Used by the
// offline planner's objective writer (course_plan_objectives.h).
//
// Thread safety: stateless pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace docprof::domain {

// What a heading asks of a learner.
struct HeadingTask {
  enum class Kind {
    task,      // "Fixing a mistake with a new commit", "How to undo a merge": something to do
    question,  // "How Git stores objects", "Why … can be harder", "What to do when …": to explain
  };
  Kind kind = Kind::task;
  // task: the imperative, capitalised ("Fix a mistake with a new commit"); question: the clause
  // after "Explain", its first word lower-cased ("how Git stores objects efficiently").
  std::string text;
  // task: the heading as a gerund phrase, first word lower-cased ("fixing a mistake with a new
  // commit"), for wordings such as "Evaluate approaches to …"; question: empty.
  std::string gerund = {};
};

// The task or question a heading names, or nullopt when it names a thing ("Metatables and
// Metamethods", "Logging configuration", "Padding"). A task opens with a gerund followed by an
// object ("Fixing mistakes", "Setting up a shared repository"; gerunds joined by "or"/"and" are
// read together) — not an -ing word used as a modifier ("Training data", "Working directory") nor
// one qualifying a category noun ("Debugging techniques") — or with "How to", "How do I", "How can
// I"; a question opens with how, why or what and a clause. The heading's asides after a
// colon are dropped; the words keep their capitals (names).
std::optional<HeadingTask> heading_task(std::string_view heading);

// The base form of an English -ing form, lower case: "rewriting" → "rewrite", "setting" → "set",
// "fixing" → "fix", "configuring" → "configure". By rules of English spelling with a short list of
// exceptions; a word without "ing" is returned lower-cased as it is.
std::string base_of_gerund(std::string_view word);

}  // namespace docprof::domain
