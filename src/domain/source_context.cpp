#include "domain/source_context.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "domain/text.h"

namespace docprof::domain {
namespace {

// Caps per line keep one verbose book from crowding out the others: the budget is shared, and a
// cut line is worth more than a missing book.
constexpr std::size_t kMaxTitleBytes = 200;
constexpr std::size_t kMaxBookSummaryBytes = 600;
constexpr std::size_t kMaxChapterSummaryBytes = 360;
constexpr std::size_t kMaxTermBytes = 80;
constexpr std::size_t kMaxTermsPerList = 8;

constexpr std::string_view kEllipsis = "\u2026";

bool is_continuation_byte(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

// Summaries may hold newlines; the digest is line-oriented, so each entry is folded onto one line.
std::string one_line(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  for (const char c : text) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\v' || c == '\f') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += c;
  }
  return trim(out);
}

// At most max_bytes, cut at a word boundary when one is near, never inside a UTF-8 sequence.
std::string clip(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  std::size_t cut = max_bytes > kEllipsis.size() ? max_bytes - kEllipsis.size() : 0;
  while (cut > 0 && is_continuation_byte(text[cut])) --cut;
  const std::size_t space = text.substr(0, cut).rfind(' ');
  if (space != std::string_view::npos && space > cut / 2) cut = space;
  std::string out(text.substr(0, cut));
  while (!out.empty() && (out.back() == ' ' || out.back() == ',' || out.back() == ';'))
    out.pop_back();
  return out + std::string(kEllipsis);
}

std::string format_similarity(double similarity) {
  char buffer[64];
  const auto result =
      std::to_chars(buffer, buffer + sizeof buffer, similarity, std::chars_format::fixed, 2);
  return std::string(buffer, result.ptr);
}

// Distinct terms (case-insensitive) in first-seen order, at most kMaxTermsPerList.
void add_terms(const std::vector<std::string>& terms, std::vector<std::string>& out,
               std::set<std::string>& seen) {
  for (const auto& term : terms) {
    if (out.size() >= kMaxTermsPerList) return;
    std::string clean = clip(one_line(term), kMaxTermBytes);
    if (clean.empty() || !seen.insert(ascii_lower(clean)).second) continue;
    out.push_back(std::move(clean));
  }
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

std::string title_line(const BookMatch& book, std::size_t index) {
  std::string title = one_line(book.title);
  if (title.empty()) title = one_line(book.summary.source_title);
  if (title.empty()) title = one_line(book.book_id);
  if (title.empty()) title = "Untitled";
  std::string author = one_line(book.author);
  if (author.empty()) author = one_line(book.summary.author);

  std::string line = "Book " + std::to_string(index + 1) + ": " + clip(title, kMaxTitleBytes);
  if (!author.empty()) line += " by " + clip(author, kMaxTitleBytes);
  line += " (relevance " + format_similarity(book.similarity) + ")";
  // The id a "Read: <book_id> ch <n>" line cites (chapters are named "Ch <n>: …" below).
  const std::string id = one_line(book.book_id);
  if (!id.empty()) line += " [book_id: " + clip(id, kMaxTitleBytes) + "]";
  return line;
}

std::string chapter_entry(const ChapterSummary& chapter) {
  std::string entry = "Ch " + std::to_string(chapter.chapter_number) + ": " +
                      clip(one_line(chapter.chapter_title), kMaxTitleBytes);
  const std::string summary = one_line(chapter.summary);
  if (!summary.empty()) entry += " \u2014 " + clip(summary, kMaxChapterSummaryBytes);

  std::vector<std::string> topics;
  std::vector<std::string> concepts;
  std::set<std::string> seen_topics;
  std::set<std::string> seen_concepts;
  for (const auto& section : chapter.sections) {
    add_terms(section.topics, topics, seen_topics);
    add_terms(section.key_concepts, concepts, seen_concepts);
  }
  std::string details;
  if (!topics.empty()) details += "Topics: " + join(topics);
  if (!concepts.empty())
    details += std::string(details.empty() ? "" : "; ") + "Key concepts: " + join(concepts);
  if (!details.empty()) entry += "\n  " + details;
  return entry;
}

struct RankedChapter {
  std::size_t index;            // into the book's chapters
  std::optional<double> score;  // its similarity, when the search gave one
};

// Chapters of a book, most relevant first: by chapter_scores (best first, each chapter once), then
// the unscored chapters in book order. A NaN score counts as no score, to keep the sort
// well-defined.
std::vector<RankedChapter> ranked_chapters(const BookMatch& book) {
  std::vector<ChapterScore> scores;
  for (const auto& s : book.chapter_scores) {
    if (!std::isnan(s.similarity)) scores.push_back(s);
  }
  std::stable_sort(scores.begin(), scores.end(), [](const ChapterScore& a, const ChapterScore& b) {
    return a.similarity > b.similarity;
  });
  const auto& chapters = book.summary.chapters;
  std::vector<bool> used(chapters.size(), false);
  std::vector<RankedChapter> order;
  for (const auto& score : scores) {
    for (std::size_t i = 0; i < chapters.size(); ++i) {
      if (!used[i] && chapters[i].chapter_number == score.chapter_number) {
        used[i] = true;
        order.push_back({i, score.similarity});
        break;
      }
    }
  }
  for (std::size_t i = 0; i < chapters.size(); ++i) {
    if (!used[i]) order.push_back({i, std::nullopt});
  }
  return order;
}

// A book's entries. Its chapters' entries are written when admission comes to them: a library's
// books have far more chapters than a budget admits, and admission stops at the first that does
// not fit.
struct BookDigest {
  double similarity = 0.0;  // of the book; NaN read as "least relevant"
  std::string title;
  std::string summary;  // "Summary: …", or empty
  std::vector<const ChapterSummary*> sources;         // the chapters, most relevant first
  std::vector<std::optional<double>> chapter_scores;  // parallel to sources
  mutable std::vector<std::string> chapters;          // parallel to sources: the entry, once written

  const std::string& chapter(std::size_t rank) const {
    if (chapters[rank].empty()) chapters[rank] = chapter_entry(*sources[rank]);  // never empty once written
    return chapters[rank];
  }
};

BookDigest digest_of(const BookMatch& book, std::size_t index) {
  BookDigest digest;
  digest.similarity = std::isnan(book.similarity) ? -1e300 : book.similarity;
  digest.title = title_line(book, index);
  const std::string summary = one_line(book.summary.source_summary);
  if (!summary.empty()) digest.summary = "Summary: " + clip(summary, kMaxBookSummaryBytes);
  for (const RankedChapter& ranked : ranked_chapters(book)) {
    digest.sources.push_back(&book.summary.chapters[ranked.index]);
    digest.chapter_scores.push_back(ranked.score);
  }
  digest.chapters.resize(digest.sources.size());
  return digest;
}

// One candidate entry of the digest, in the order entries are admitted under the budget.
struct Candidate {
  int tier;          // 0 title lines, 1 summaries and scored chapters, 2 unscored chapters
  double priority;   // tier 1: the similarity of the book (summary) or of the chapter
  int kind;          // 0 title, 1 book summary, 2 chapter
  std::size_t book;  // index of the book, best first
  std::size_t rank;  // position of a chapter within its book's ranking
};

// Admission order: first every book's title line (so each book is at least named); then book
// summaries and scored chapters together by similarity (book similarity is the best of its
// vectors, chapter scores are on the same cosine scale), a book's summary before its chapters on a
// tie; last the unscored chapters, round-robin across books so that none is starved. Within one
// book chapters are admitted in their ranking order, so what is kept of a book is its best part.
std::vector<Candidate> admission_order(const std::vector<BookDigest>& digests) {
  std::vector<Candidate> order;
  for (std::size_t b = 0; b < digests.size(); ++b) {
    const BookDigest& d = digests[b];
    order.push_back({0, 0.0, 0, b, 0});
    if (!d.summary.empty()) order.push_back({1, d.similarity, 1, b, 0});
    for (std::size_t r = 0; r < d.sources.size(); ++r) {
      const auto& score = d.chapter_scores[r];
      order.push_back(score ? Candidate{1, *score, 2, b, r} : Candidate{2, 0.0, 2, b, r});
    }
  }
  std::stable_sort(order.begin(), order.end(), [](const Candidate& x, const Candidate& y) {
    if (x.tier != y.tier) return x.tier < y.tier;
    if (x.tier == 1) {
      if (x.priority != y.priority) return x.priority > y.priority;
      if (x.kind != y.kind) return x.kind < y.kind;
    }
    if (x.rank != y.rank) return x.rank < y.rank;
    return x.book < y.book;
  });
  return order;
}

const std::string& text_of(const std::vector<BookDigest>& digests, const Candidate& c) {
  const BookDigest& d = digests[c.book];
  if (c.kind == 0) return d.title;
  if (c.kind == 1) return d.summary;
  return d.chapter(c.rank);
}

}  // namespace

int estimate_tokens(std::string_view text) {
  return static_cast<int>((text.size() + 3) / 4);
}

std::string build_source_context(const std::vector<BookMatch>& books, int budget_tokens) {
  if (books.empty()) return std::string(kNoSourceMaterial);
  if (budget_tokens <= 0) return {};
  const std::size_t max_bytes = static_cast<std::size_t>(budget_tokens) * 4;

  std::vector<BookDigest> digests;
  digests.reserve(books.size());
  for (std::size_t i = 0; i < books.size(); ++i) digests.push_back(digest_of(books[i], i));

  // Admit entries in priority order until the first one that does not fit. Each entry is charged
  // its bytes plus a line break, a title also the blank line that separates books; the rendered
  // text has neither before its first line, so its size is exactly the charge minus 2.
  std::vector<std::vector<bool>> chapter_in(digests.size());
  std::vector<bool> title_in(digests.size(), false);
  std::vector<bool> summary_in(digests.size(), false);
  for (std::size_t b = 0; b < digests.size(); ++b)
    chapter_in[b].assign(digests[b].sources.size(), false);
  constexpr std::size_t kLeadingSeparators = 2;
  std::size_t used = 0;
  for (const Candidate& c : admission_order(digests)) {
    const std::size_t cost = text_of(digests, c).size() + 1 + (c.kind == 0 ? 1 : 0);
    if (used + cost > max_bytes + kLeadingSeparators) break;
    used += cost;
    if (c.kind == 0) title_in[c.book] = true;
    if (c.kind == 1) summary_in[c.book] = true;
    if (c.kind == 2) chapter_in[c.book][c.rank] = true;
  }

  std::string out;
  for (std::size_t b = 0; b < digests.size(); ++b) {
    if (!title_in[b]) continue;
    if (!out.empty()) out += "\n\n";
    out += digests[b].title;
    if (summary_in[b]) out += "\n" + digests[b].summary;
    for (std::size_t r = 0; r < digests[b].sources.size(); ++r) {
      if (chapter_in[b][r]) out += "\n" + digests[b].chapter(r);
    }
  }
  if (out.size() > max_bytes)
    return {};  // unreachable by the accounting above; the bound is a promise
  return out;
}

}  // namespace docprof::domain
