#include "domain/document_outline.h"

#include <algorithm>
#include <optional>
#include <set>

#include "domain/chapter_kind.h"
#include "domain/text.h"

namespace docprof::domain {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// The heading levels that structure the document: {title level or none, chapter level, section level}.
struct Levels {
  std::optional<std::size_t> title_block;  // the block that is the document's title
  int chapter = 0;                         // 0 = no chapter headings
  int section = 0;                         // 0 = no section headings
};

Levels levels_of(const std::vector<DocumentBlock>& blocks) {
  Levels levels;
  std::set<int> used;
  std::optional<std::size_t> first_heading;
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    if (blocks[i].kind != BlockKind::heading || trim(blocks[i].text).empty()) continue;
    used.insert(blocks[i].level);
    if (!first_heading) first_heading = i;
  }
  if (used.empty()) return levels;
  const int top = *used.begin();
  const auto at_top = std::count_if(blocks.begin(), blocks.end(), [&](const DocumentBlock& b) {
    return b.kind == BlockKind::heading && b.level == top && !trim(b.text).empty();
  });
  if (at_top == 1 && blocks[*first_heading].level == top) {
    levels.title_block = first_heading;
    used.erase(top);
    if (used.empty()) return levels;  // only a title: one chapter
  }
  // A level with one or two headings over a level with many (a texinfo manual's title and top
  // node over its chapters) does not divide the book: the level below gives the chapters, and the
  // few above still start chapters of their own.
  const auto count_at = [&](int level) {
    return std::count_if(blocks.begin(), blocks.end(), [&](const DocumentBlock& b) {
      return b.kind == BlockKind::heading && b.level == level && !trim(b.text).empty();
    });
  };
  auto it = used.begin();
  while (std::next(it) != used.end() && count_at(*it) <= 2 && count_at(*std::next(it)) >= 3) ++it;
  levels.chapter = *it;
  if (++it != used.end()) levels.section = *it;
  return levels;
}

constexpr int kTitleBlockWords = 12;

class OutlineBuilder {
 public:
  // `fallback_chapter` names the chapter of text before any chapter heading; `fallback_is_front`
  // says it is an introduction before chapters (front matter) rather than the document's only chapter.
  OutlineBuilder(std::string fallback_chapter, bool fallback_is_front)
      : fallback_chapter_(std::move(fallback_chapter)), fallback_is_front_(fallback_is_front) {}

  void chapter(std::string title) {
    chapters_.push_back(DocumentChapter{std::move(title), "chapter", {}});
    forced_kind_.push_back(false);
  }
  void section(std::string title) {
    ensure_chapter();
    chapters_.back().sections.push_back(DocumentSection{std::move(title), {}});
  }
  void paragraph(std::string text, int page, bool code) {
    ensure_chapter();
    auto& chapter = chapters_.back();
    if (chapter.sections.empty()) chapter.sections.push_back(DocumentSection{chapter.title, {}});
    chapter.sections.back().paragraphs.push_back(DocumentParagraph{std::move(text), page, code});
  }
  // A heading below the section level: kept in the text, and named as a subsection.
  void subheading(std::string text, int page) {
    std::string title = text;
    paragraph(std::move(text), page, false);
    chapters_.back().sections.back().subheadings.push_back(std::move(title));
  }

  std::vector<DocumentChapter> finish() {
    // A few words before the first chapter heading are a title block (title, author, date), not an
    // introduction.
    if (chapters_.size() > 1 && fallback_is_front_ && forced_kind_.front() &&
        chapter_words(chapters_.front()) < kTitleBlockWords) {
      chapters_.erase(chapters_.begin());
      forced_kind_.erase(forced_kind_.begin());
    }
    std::vector<DocumentChapter> kept;
    std::vector<bool> forced;
    for (std::size_t i = 0; i < chapters_.size(); ++i) {
      auto& chapter = chapters_[i];
      std::erase_if(chapter.sections, [](const DocumentSection& s) { return section_words(s) == 0; });
      if (chapter.sections.empty()) continue;
      kept.push_back(std::move(chapter));
      forced.push_back(forced_kind_[i]);
    }
    const int count = static_cast<int>(kept.size());
    std::vector<std::string> titles;
    for (const auto& c : kept) titles.push_back(c.title);
    const bool numbered = is_numbered_book(titles);
    for (int i = 0; i < count; ++i) {
      auto& chapter = kept[static_cast<std::size_t>(i)];
      if (!forced[static_cast<std::size_t>(i)]) chapter.kind = classify_chapter_kind(chapter.title, i, count, numbered);
    }
    return kept;
  }

 private:
  // Text before any chapter heading: an introduction (front matter) when chapters follow, or the
  // document's one chapter when none does (named by fallback_chapter_, a chapter).
  void ensure_chapter() {
    if (!chapters_.empty()) return;
    chapters_.push_back(DocumentChapter{fallback_chapter_, fallback_is_front_ ? "front_matter" : "chapter", {}});
    forced_kind_.push_back(true);  // an introduction, or the whole document: never reclassified
  }

  std::string fallback_chapter_;
  bool fallback_is_front_ = false;
  std::vector<DocumentChapter> chapters_;
  std::vector<bool> forced_kind_;
};

}  // namespace

int count_words(std::string_view text) {
  int words = 0;
  bool in_word = false;
  for (const char c : text) {
    if (is_space(c)) {
      in_word = false;
    } else if (!in_word) {
      in_word = true;
      ++words;
    }
  }
  return words;
}

int section_words(const DocumentSection& section) {
  int words = 0;
  for (const auto& p : section.paragraphs) words += count_words(p.text);
  return words;
}

int chapter_words(const DocumentChapter& chapter) {
  int words = 0;
  for (const auto& s : chapter.sections) words += section_words(s);
  return words;
}

int document_words(const DocumentOutline& outline) {
  int words = 0;
  for (const auto& c : outline.chapters) words += chapter_words(c);
  return words;
}

PageRange section_pages(const DocumentSection& section) {
  PageRange range;
  for (const auto& p : section.paragraphs) {
    if (p.page <= 0) continue;
    if (range.first == 0 || p.page < range.first) range.first = p.page;
    range.last = std::max(range.last, p.page);
  }
  return range;
}

PageRange chapter_pages(const DocumentChapter& chapter) {
  PageRange range;
  for (const auto& s : chapter.sections) {
    const PageRange r = section_pages(s);
    if (r.first == 0) continue;
    if (range.first == 0 || r.first < range.first) range.first = r.first;
    range.last = std::max(range.last, r.last);
  }
  return range;
}

DocumentOutline build_outline(const std::vector<DocumentBlock>& blocks, const OutlineHints& hints) {
  const Levels levels = levels_of(blocks);
  DocumentOutline outline;
  outline.author = trim(hints.author);
  std::string heading_title = levels.title_block ? trim(blocks[*levels.title_block].text) : std::string();
  outline.title = !trim(hints.title).empty() ? trim(hints.title)
                  : !heading_title.empty()   ? heading_title
                                             : trim(hints.fallback_title);
  if (outline.title.empty()) outline.title = "Untitled";

  OutlineBuilder builder(levels.chapter == 0 ? outline.title : std::string("Introduction"), levels.chapter != 0);
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    const DocumentBlock& block = blocks[i];
    std::string text = trim(block.text);
    if (text.empty() || (levels.title_block && i == *levels.title_block)) continue;
    if (block.kind == BlockKind::heading && levels.chapter != 0 && block.level <= levels.chapter) {
      builder.chapter(std::move(text));
    } else if (block.kind == BlockKind::heading && levels.section != 0 && block.level == levels.section) {
      builder.section(std::move(text));
    } else if (block.kind == BlockKind::heading && levels.section != 0) {
      builder.subheading(std::move(text), block.page);  // deeper headings stay in the text
    } else {
      builder.paragraph(std::move(text), block.page, block.code);
    }
  }
  outline.chapters = builder.finish();
  // A first entry named like the book is its title page (a manual's cover, copyright and licence
  // notices), not a chapter to learn from.
  if (outline.chapters.size() > 1 && ascii_lower(outline.chapters.front().title) == ascii_lower(outline.title) &&
      outline.chapters.front().kind == "chapter") {
    outline.chapters.front().kind = "front_matter";
  }
  return outline;
}

}  // namespace docprof::domain
