// Lexicon: the words the quality checker accepts in learning objectives, and the books it knows.
// A lower-case word is known when it is an English word of the system dictionary
// (/usr/share/dict/words, Debian package wamerican) or a word of the titles and topics of a book
// the section reads from ("rustc", "stdin", "git" come from the books; "teh" from nowhere); which
// books those are is the checker's call (objective_rules.cpp).
// Words match by Snowball stem too, so "repositories" is known when a topic says "repository".
// Each book is known by its library file stem (what labels name), docprof's book id (what an
// outline's sources name) and its title.
//
// Thread safety: build on one thread, then read-only.
#pragma once

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace docprof::quality {

// The system word list (Debian package wamerican).
inline constexpr const char* kSystemWordList = "/usr/share/dict/words";

struct LexiconBook {
  std::string file_stem;  // "mckinsey-valuation-7e"
  std::string book_id;    // docprof's id of the imported book
  std::string title;
  std::set<std::string> words;   // lower-case words of its titles, topics and key concepts
  std::set<std::string> stems;
  std::set<std::string> phrases;  // its topics and chapter/section titles, lower-case: noun phrases
};

class Lexicon {
 public:
  void add_dictionary_word(std::string_view word);
  // Reads a word list (one word a line: letters, or contractions such as "don't"; possessives and
  // other lines are skipped); throws
  // std::runtime_error naming the file when it cannot be read.
  void load_dictionary(const std::filesystem::path& file);
  // load_dictionary(kSystemWordList) plus the general computing words it lacks
  // (technical_words.h): the dictionary the course quality checks use.
  void load_system_dictionary();

  // Adds a book: `phrases` are its topics and chapter/section titles (noun phrases), `statements`
  // its key concepts (one-line statements); the words of both are the book's words.
  void add_book(const std::string& file_stem, const std::string& book_id, const std::string& title,
                const std::vector<std::string>& phrases,
                const std::vector<std::string>& statements = {});
  // Adds a book from its summary_json (domain.md §7).
  void add_book_summary(const std::string& file_stem, const std::string& book_id,
                        const nlohmann::json& summary);

  bool in_dictionary(std::string_view lower_case_word) const;
  // True when the word is a word (or has the stem of one) of any of the books with these ids.
  bool in_books(std::string_view lower_case_word, const std::set<std::string>& book_ids) const;
  bool known(std::string_view lower_case_word, const std::set<std::string>& book_ids) const {
    return in_dictionary(lower_case_word) || in_books(lower_case_word, book_ids);
  }
  // True when `text` is, case-insensitively, a topic or chapter/section title of one of the books.
  bool is_book_phrase(std::string_view text, const std::set<std::string>& book_ids) const;

  // docprof ids of the books with these file stems; stems of unknown books go to `unknown`.
  std::set<std::string> book_ids(const std::vector<std::string>& file_stems,
                                 std::vector<std::string>* unknown = nullptr) const;
  std::set<std::string> all_book_ids() const;
  // The title of the book with this id ("" when unknown).
  std::string title_of(const std::string& book_id) const;
  std::size_t dictionary_size() const { return dictionary_.size(); }

 private:
  std::set<std::string, std::less<>> dictionary_;
  std::set<std::string, std::less<>> dictionary_stems_;
  std::map<std::string, LexiconBook, std::less<>> books_;  // by book id
};

}  // namespace docprof::quality
