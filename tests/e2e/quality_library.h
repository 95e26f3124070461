// A library as the course quality test sees it: its folder of summary_json files imported into a
// fresh docprof database (once, shared by all the library's requests), and a Lexicon that knows
// the system dictionary and every book — by file stem (what relevance labels name), by the
// book_id docprof gave it (matched by title against `docprof books list --json`) and by the words
// of its titles and topics.
//
// Thread safety: used from the test's main thread only.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "e2e_support.h"
#include "quality/lexicon.h"

namespace docprof::e2e {

class QualityLibrary {
 public:
  // Imports `folder` into the cli's database and builds the lexicon; on a problem, returns with
  // error() saying what went wrong (the test fails with it).
  QualityLibrary(const DocprofCli& cli, const fs::path& folder) {
    if (!fs::is_directory(folder)) {
      error_ = "the library folder " + folder.string() + " does not exist";
      return;
    }
    try {
      lexicon_.load_system_dictionary();
    } catch (const std::exception& e) {
      error_ = e.what();
      return;
    }
    const ProcessResult imported = cli.run({"books", "import", folder.string()});
    if (imported.exit_code != 0) {
      error_ = "importing " + folder.string() + " failed: " + describe(imported);
      return;
    }
    const ProcessResult listed = cli.run({"books", "list", "--json"});
    if (listed.exit_code != 0) {
      error_ = "books list failed: " + describe(listed);
      return;
    }
    std::map<std::string, std::vector<std::string>> ids_by_title;
    for (const auto& book : json::parse(listed.out))
      ids_by_title[book.at("title").get<std::string>()].push_back(book.at("book_id").get<std::string>());
    add_books(folder, ids_by_title);
  }

  const std::string& error() const { return error_; }
  const quality::Lexicon& lexicon() const { return lexicon_; }
  std::size_t books() const { return books_; }

 private:
  void add_books(const fs::path& folder,
                 const std::map<std::string, std::vector<std::string>>& ids_by_title) {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(folder)) {
      if (entry.is_regular_file() && entry.path().extension() == ".json") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      const json summary = json::parse(read_text(file));
      const std::string title = summary.value("source_title", "");
      const auto it = ids_by_title.find(title);
      if (it == ids_by_title.end() || it->second.size() != 1) {
        error_ += file.filename().string() + ": its source_title " + quoted(title) +
                  (it == ids_by_title.end() ? " is not a title `books list` shows"
                                            : " is shared by several imported books") +
                  "\n";
        continue;
      }
      lexicon_.add_book_summary(file.stem().string(), it->second.front(), summary);
      ++books_;
    }
  }
  static std::string quoted(const std::string& text) { return "\"" + text + "\""; }

  quality::Lexicon lexicon_;
  std::size_t books_ = 0;
  std::string error_;
};

}  // namespace docprof::e2e
