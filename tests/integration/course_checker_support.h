// What the course checker tests share: hand-written outlines built in a few lines (OutlineBuilder),
// a lexicon of the system dictionary plus a handful of small books (Git, Rust, valuation and the
// off-topic ones a bad Rust course drew on), a good Git course to spoil one defect at a time, and
// helpers to look for findings of one rule.
//
// Thread safety: used from the test's main thread only.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "quality/course_checker.h"

namespace docprof::quality::testing {

inline const Lexicon& test_lexicon() {
  static const Lexicon lexicon = [] {
    Lexicon l;
    l.load_system_dictionary();
    l.add_book("pro-git", "id-git", "Pro Git",
               {"Getting Started", "Git Basics", "Git Branching", "recording changes to the repository",
                "branches", "commits", "git config", "git add", "remote repositories", "rebasing"});
    l.add_book("rust-book", "id-rust", "The Rust Programming Language",
               {"Getting Started", "installing rustc and cargo", "ownership", "borrowing",
                "reading from stdin", "enums and pattern matching", "lifetimes", "traits"});
    l.add_book("valuation", "id-val", "Valuation: Measuring and Managing the Value of Companies",
               {"free cash flow", "income statement", "balance sheet", "cost of capital", "WACC",
                "excess cash", "continuing value"});
    l.add_book("c-sql", "id-sql", "Embedded SQL in C", {"host variables", "cursors"});
    l.add_book("octave", "id-octave", "GNU Octave", {"matrices", "plotting"});
    l.add_book("vim", "id-vim", "Learning the Vi and Vim Editors", {"modes", "motions"});
    return l;
  }();
  return lexicon;
}

inline OutlineSource source(const std::string& book_id, int chapter,
                            const std::string& chapter_title = "") {
  return {book_id, test_lexicon().title_of(book_id), chapter, chapter_title, std::nullopt};
}

// Builds an outline part by part: part("Title") then section(...) calls add to the last part.
class OutlineBuilder {
 public:
  OutlineBuilder(std::string title, std::string query) {
    outline_.title = std::move(title);
    outline_.query = std::move(query);
  }
  OutlineBuilder& part(const std::string& title) {
    outline_.parts.push_back({title, 0, {}});
    return *this;
  }
  OutlineBuilder& section(const std::string& title, int minutes,
                          std::vector<std::string> objectives,
                          std::vector<OutlineSource> sources) {
    if (outline_.parts.empty()) part("Part");
    outline_.parts.back().sections.push_back(
        {title, minutes, std::move(objectives), std::move(sources)});
    outline_.parts.back().minutes += minutes;
    return *this;
  }
  OutlineBuilder& note(const std::string& kind, const std::string& topic,
                       const std::string& message = "") {
    outline_.notes.push_back({kind, topic, message});
    return *this;
  }
  CourseOutline build() const { return outline_; }

 private:
  CourseOutline outline_;
};

inline RelevanceLabel label(std::vector<std::string> books, std::string depth = "balanced") {
  RelevanceLabel l;
  l.id = "test";
  l.books = std::move(books);
  l.depth = std::move(depth);
  return l;
}

inline std::vector<Finding> of_rule(const CheckReport& report, const std::string& rule) {
  std::vector<Finding> out;
  std::copy_if(report.findings.begin(), report.findings.end(), std::back_inserter(out),
               [&](const Finding& f) { return f.rule == rule; });
  return out;
}

// True when some finding of `rule` names `text` in its message.
inline bool has_finding(const CheckReport& report, const std::string& rule, const std::string& text) {
  const auto found = of_rule(report, rule);
  return std::any_of(found.begin(), found.end(), [&](const Finding& f) {
    return f.message.find(text) != std::string::npos;
  });
}

inline CheckReport check(const CourseOutline& outline, const RelevanceLabel& l) {
  return check_course(outline, l, test_lexicon());
}

inline OutlineBuilder good_git_course() {
  OutlineBuilder b("Version Control with Git", "I want to learn git basics and branching");
  b.part("Git Foundations")
      .section("Setting Up Git", 30,
               {"Configure Git's user name and email",
                "Use git add and git commit to record changes to a repository"},
               {source("id-git", 1, "Getting Started")})
      .section("Recording Changes", 40,
               {"Explain how the staging area separates edits from commits",
                "Compare a commit with the working tree using git diff"},
               {source("id-git", 2, "Git Basics")})
      .part("Working with Branches")
      .section("Branches and Merging", 50,
               {"Explain how a branch records a line of development",
                "Apply a three-way merge to combine two branches",
                "Distinguish a fast-forward merge from a merge commit"},
               {source("id-git", 3, "Git Branching")});
  return b;
}

inline RelevanceLabel git_label() {
  RelevanceLabel l = label({"pro-git"});
  l.topics = {"branching", "commits"};
  return l;
}

// A one-section course whose section has these objectives (and reads the Git book).
inline CourseOutline with_objectives(std::vector<std::string> objectives,
                              const std::string& book = "id-git") {
  return OutlineBuilder("Version Control with Git", "git")
      .part("Git Foundations")
      .section("Recording Changes", 30, std::move(objectives), {source(book, 2, "Git Basics")})
      .build();
}

}  // namespace docprof::quality::testing
