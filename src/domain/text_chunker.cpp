#include "domain/text_chunker.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "domain/text.h"

namespace docprof::domain {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

bool is_abbreviation(std::string_view before_dot) {
  std::size_t start = before_dot.size();
  while (start > 0 && !is_space(before_dot[start - 1])) --start;
  const std::string word = ascii_lower(before_dot.substr(start));
  static constexpr std::array<std::string_view, 20> kAbbreviations = {
      "e.g", "i.e", "mr", "mrs", "ms", "dr", "prof", "etc", "vs", "fig", "cf", "al", "no", "vol", "st",
      "approx", "ch", "sec", "eq", "p"};
  if (std::find(kAbbreviations.begin(), kAbbreviations.end(), word) != kAbbreviations.end()) return true;
  return word.size() == 1 && std::isalpha(static_cast<unsigned char>(word[0]));  // initials: "J. Smith"
}

// A piece of a paragraph no longer than max_words: sentences, or runs of words for a longer sentence.
struct Piece {
  std::string text;
  int words = 0;
};

void append_words(std::string_view sentence, int max_words, std::vector<Piece>& pieces) {
  Piece current;
  std::size_t i = 0;
  while (i < sentence.size()) {
    while (i < sentence.size() && is_space(sentence[i])) ++i;
    std::size_t end = i;
    while (end < sentence.size() && !is_space(sentence[end])) ++end;
    if (end == i) break;
    if (current.words == max_words) {
      pieces.push_back(std::move(current));
      current = {};
    }
    if (!current.text.empty()) current.text += ' ';
    current.text.append(sentence.substr(i, end - i));
    ++current.words;
    i = end;
  }
  if (current.words > 0) pieces.push_back(std::move(current));
}

// A paragraph as pieces that each fit max_words, cut between sentences where it can be.
std::vector<Piece> pieces_of(const std::string& paragraph, int words, const ChunkOptions& options) {
  if (words <= options.max_words) return {Piece{paragraph, words}};
  std::vector<Piece> pieces;
  Piece current;
  for (const std::string_view sentence : split_sentences(paragraph)) {
    const int n = count_words(sentence);
    if (n > options.max_words) {
      if (current.words > 0) pieces.push_back(std::move(current));
      current = {};
      append_words(sentence, options.max_words, pieces);
      continue;
    }
    if (current.words > 0 && current.words + n > options.target_words) {
      pieces.push_back(std::move(current));
      current = {};
    }
    if (!current.text.empty()) current.text += ' ';
    current.text.append(sentence);
    current.words += n;
  }
  if (current.words > 0) pieces.push_back(std::move(current));
  return pieces;
}

}  // namespace

std::vector<std::string_view> split_sentences(std::string_view paragraph) {
  std::vector<std::string_view> sentences;
  std::size_t start = 0;
  const auto push = [&](std::size_t end) {
    std::string_view s = paragraph.substr(start, end - start);
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    if (!s.empty()) sentences.push_back(s);
  };
  for (std::size_t i = 0; i < paragraph.size(); ++i) {
    const char c = paragraph[i];
    if (c != '.' && c != '!' && c != '?') continue;
    std::size_t end = i + 1;
    while (end < paragraph.size() && (paragraph[end] == '"' || paragraph[end] == '\'' || paragraph[end] == ')' ||
                                      paragraph[end] == ']'))
      ++end;
    if (end >= paragraph.size()) break;
    if (!is_space(paragraph[end])) continue;
    std::size_t next = end;
    while (next < paragraph.size() && is_space(paragraph[next])) ++next;
    if (next >= paragraph.size()) break;
    const unsigned char n = static_cast<unsigned char>(paragraph[next]);
    const bool opens = std::isupper(n) || std::isdigit(n) || n == '"' || n == '\'' || n == '(' || n >= 0x80;
    if (!opens) continue;
    if (c == '.' && is_abbreviation(paragraph.substr(start, i - start))) continue;
    push(end);
    start = next;
    i = next - 1;
  }
  push(paragraph.size());
  return sentences;
}

std::vector<TextChunk> chunk_document(const DocumentOutline& outline, const ChunkOptions& options) {
  std::vector<TextChunk> chunks;
  for (std::size_t c = 0; c < outline.chapters.size(); ++c) {
    const auto& chapter = outline.chapters[c];
    for (std::size_t s = 0; s < chapter.sections.size(); ++s) {
      const std::size_t first_of_section = chunks.size();
      TextChunk current;
      const auto close = [&] {
        if (current.words > 0) chunks.push_back(std::move(current));
        current = TextChunk{};
      };
      for (const auto& paragraph : chapter.sections[s].paragraphs) {
        const int words = count_words(paragraph.text);
        if (words == 0) continue;
        for (auto& piece : pieces_of(paragraph.text, words, options)) {
          if (current.words > 0 && current.words + piece.words > options.max_words) close();
          if (current.words == 0) {
            current.chapter_number = static_cast<int>(c) + 1;
            current.section_index = static_cast<int>(s) + 1;
            current.page = paragraph.page;
          } else {
            current.text += "\n\n";
          }
          current.text += piece.text;
          current.words += piece.words;
          if (current.words >= options.target_words) close();
        }
      }
      close();
      // A small remainder joins the chunk before it (of the same section) when that stays near max.
      if (chunks.size() >= first_of_section + 2) {
        TextChunk& last = chunks.back();
        TextChunk& before = chunks[chunks.size() - 2];
        if (last.words * 4 < options.target_words && before.words + last.words <= options.max_words * 5 / 4) {
          before.text += "\n\n" + last.text;
          before.words += last.words;
          chunks.pop_back();
        }
      }
    }
  }
  return chunks;
}

}  // namespace docprof::domain
