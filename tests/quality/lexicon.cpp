#include "quality/lexicon.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <stdexcept>

#include "adapters/embed/english_stemmer.h"
#include "quality/technical_words.h"
#include "quality/words.h"

namespace docprof::quality {

namespace {

using nlohmann::json;

// Letters, and apostrophes inside the word ("don't", "you've"); possessives ("Abel's") are
// dropped, since objectives' words are looked up without their "'s".
bool dictionary_word(std::string_view word) {
  if (word.empty() || word.front() == '\'' || word.back() == '\'') return false;
  if (word.size() > 2 && word.substr(word.size() - 2) == "'s") return false;
  return std::all_of(word.begin(), word.end(), [](char c) {
    return c == '\'' || std::isalpha(static_cast<unsigned char>(c)) != 0;
  });
}

void add_string(std::vector<std::string>& texts, const json& object, const char* key) {
  if (object.contains(key) && object.at(key).is_string())
    texts.push_back(object.at(key).get<std::string>());
}

void add_strings(std::vector<std::string>& texts, const json& object, const char* key) {
  if (!object.contains(key) || !object.at(key).is_array()) return;
  for (const json& item : object.at(key)) {
    if (item.is_string()) texts.push_back(item.get<std::string>());
  }
}

}  // namespace

void Lexicon::add_dictionary_word(std::string_view word) {
  if (!dictionary_word(word)) return;
  const std::string w = lower(word);
  dictionary_stems_.insert(adapters::embed::stem_english(w));
  dictionary_.insert(w);
}

void Lexicon::load_dictionary(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) {
    throw std::runtime_error("cannot read the word list " + file.string() +
                             " (Debian package wamerican; scripts/install-deps.sh installs it)");
  }
  std::string line;
  while (std::getline(in, line)) add_dictionary_word(trim(line));
}

void Lexicon::load_system_dictionary() {
  load_dictionary(kSystemWordList);
  for (const auto word : technical_words()) add_dictionary_word(word);
}

void Lexicon::add_book(const std::string& file_stem, const std::string& book_id,
                       const std::string& title, const std::vector<std::string>& phrases,
                       const std::vector<std::string>& statements) {
  LexiconBook book{file_stem, book_id, title, {}, {}, {}};
  for (const auto& phrase : phrases) book.phrases.insert(lower(trim(phrase)));
  std::vector<std::string> all = phrases;
  all.insert(all.end(), statements.begin(), statements.end());
  all.push_back(title);
  for (const auto& text : all) {
    for (const auto& word : letter_words(text)) {
      const std::string w = lower(word);
      book.stems.insert(adapters::embed::stem_english(w));
      book.words.insert(w);
    }
  }
  books_[book_id] = std::move(book);
}

void Lexicon::add_book_summary(const std::string& file_stem, const std::string& book_id,
                               const json& summary) {
  std::vector<std::string> phrases;
  std::vector<std::string> statements;
  const std::string title = summary.value("source_title", "");
  if (summary.contains("chapters") && summary.at("chapters").is_array()) {
    for (const json& chapter : summary.at("chapters")) {
      add_string(phrases, chapter, "chapter_title");
      if (!chapter.contains("sections") || !chapter.at("sections").is_array()) continue;
      for (const json& section : chapter.at("sections")) {
        add_string(phrases, section, "section_title");
        add_strings(phrases, section, "topics");
        add_strings(statements, section, "key_concepts");
      }
    }
  }
  add_book(file_stem, book_id, title, phrases, statements);
}

bool Lexicon::in_dictionary(std::string_view lower_case_word) const {
  return dictionary_.count(lower_case_word) != 0 ||
         dictionary_stems_.count(adapters::embed::stem_english(lower_case_word)) != 0;
}

bool Lexicon::in_books(std::string_view lower_case_word,
                       const std::set<std::string>& book_ids) const {
  const std::string stem = adapters::embed::stem_english(lower_case_word);
  for (const auto& id : book_ids) {
    const auto it = books_.find(id);
    if (it == books_.end()) continue;
    if (it->second.words.count(std::string(lower_case_word)) != 0 ||
        it->second.stems.count(stem) != 0)
      return true;
  }
  return false;
}

bool Lexicon::is_book_phrase(std::string_view text, const std::set<std::string>& book_ids) const {
  const std::string phrase = lower(trim(text));
  for (const auto& id : book_ids) {
    const auto it = books_.find(id);
    if (it != books_.end() && it->second.phrases.count(phrase) != 0) return true;
  }
  return false;
}

std::set<std::string> Lexicon::book_ids(const std::vector<std::string>& file_stems,
                                        std::vector<std::string>* unknown) const {
  std::set<std::string> ids;
  for (const auto& stem : file_stems) {
    const auto it = std::find_if(books_.begin(), books_.end(),
                                 [&](const auto& entry) { return entry.second.file_stem == stem; });
    if (it != books_.end()) {
      ids.insert(it->first);
    } else if (unknown != nullptr) {
      unknown->push_back(stem);
    }
  }
  return ids;
}

std::set<std::string> Lexicon::all_book_ids() const {
  std::set<std::string> ids;
  for (const auto& entry : books_) ids.insert(entry.first);
  return ids;
}

std::string Lexicon::title_of(const std::string& book_id) const {
  const auto it = books_.find(book_id);
  return it == books_.end() ? "" : it->second.title;
}

}  // namespace docprof::quality
