#include "domain/chapter_kind.h"

#include <array>
#include <cctype>

#include "domain/text.h"

namespace docprof::domain {
namespace {

bool is_letter(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }
bool is_digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

// "Chapter 3: Preface" -> "preface"; "12. Index" -> "index"; "A. Glossary" stays "a. glossary"
// (a letter prefix is the appendix signal, read separately). Lower-cased, numbering removed.
std::string bare_title(std::string_view title) {
  std::string text = ascii_lower(trim(title));
  std::string_view view = text;
  for (std::string_view word : {"chapter ", "part ", "section "}) {
    if (view.starts_with(word)) {
      view.remove_prefix(word.size());
      break;
    }
  }
  // Roman or Arabic numbering: "3", "3.1", "iv", followed by '.', ':', ')' or a space.
  std::size_t i = 0;
  while (i < view.size() && (is_digit(view[i]) || view[i] == '.')) ++i;
  if (i == 0) {
    while (i < view.size() && (view[i] == 'i' || view[i] == 'v' || view[i] == 'x')) ++i;
    if (i > 0 && i < view.size() && view[i] != '.' && view[i] != ':' && view[i] != ' ') i = 0;
    if (i == view.size()) i = 0;  // the whole title, e.g. "xi" is no numbering of something
  }
  if (i > 0) {
    view.remove_prefix(i);
    while (!view.empty() && (view.front() == '.' || view.front() == ':' || view.front() == ')' ||
                             view.front() == ' ' || view.front() == '-'))
      view.remove_prefix(1);
  }
  return std::string(view);
}

bool starts_with_any(std::string_view text, std::initializer_list<std::string_view> prefixes) {
  for (const auto prefix : prefixes) {
    if (text.starts_with(prefix)) {
      // whole words only: "index" must not match "indexing"
      if (text.size() == prefix.size() || !is_letter(text[prefix.size()])) return true;
    }
  }
  return false;
}

// "A. Git Quick Reference", "B: Configuration files" (DocBook's appendix numbering).
bool is_letter_numbered(std::string_view title) {
  const std::string t = trim(title);
  if (t.size() < 3 || t[0] < 'A' || t[0] > 'Z') return false;
  return (t[1] == '.' || t[1] == ':') && t[2] == ' ';
}

}  // namespace

bool is_numbered_book(const std::vector<std::string>& titles) {
  int numbered = 0;
  for (const auto& t : titles) {
    const std::string trimmed = trim(t);
    if (!trimmed.empty() && is_digit(trimmed.front())) ++numbered;
  }
  return numbered >= 3 && numbered * 2 >= static_cast<int>(titles.size());
}

std::string classify_chapter_kind(std::string_view title, int index, int count, bool numbered_book) {
  const std::string trimmed_title = trim(title);
  // texinfo's appendix numbering: "B Test Functions", "G GNU General Public License".
  if (numbered_book && index * 2 >= count && trimmed_title.size() > 2 && trimmed_title[0] >= 'A' &&
      trimmed_title[0] <= 'Z' && trimmed_title[1] == ' ' && trimmed_title[2] >= 'A' && trimmed_title[2] <= 'Z') {
    const std::string rest = classify_chapter_kind(std::string_view(trimmed_title).substr(2), index, count, false);
    return rest == "chapter" ? "appendix" : rest;
  }
  const std::string bare = bare_title(title);
  const bool early = count <= 1 || index * 2 < count;
  // A numbered entry is never the index ("11. Indexes" is a chapter about them).
  const std::string trimmed = trim(title);
  const bool numbered = !trimmed.empty() && is_digit(trimmed.front());
  if (!numbered && (starts_with_any(bare, {"index", "indexes", "indices", "general index", "subject index", "concept index",
                             "function index", "variable index", "command index", "keyword index",
                             "index of"}) ||
      bare.ends_with(" index") || bare.ends_with(" indices"))) {
    return "index";
  }
  if (starts_with_any(bare, {"appendix", "appendices", "annex"}) || is_letter_numbered(title)) return "appendix";
  if (starts_with_any(bare, {"preface", "foreword", "forward", "contents", "table of contents", "acknowledgements",
                             "acknowledgments", "acknowledgement", "acknowledgment", "copyright", "dedication",
                             "title page", "half title", "list of figures", "list of tables", "list of examples",
                             "about this book", "about this manual", "about this document", "how to use this book",
                             "how to read this book", "conventions", "typographical conventions", "prologue",
                             "legal notice", "abstract", "frontmatter", "front matter", "cover"})) {
    return "front_matter";
  }
  if (starts_with_any(bare, {"bibliography", "references", "further reading", "suggested reading", "glossary",
                             "colophon", "notes", "endnotes", "afterword", "epilogue", "about the author",
                             "about the authors", "also by", "backmatter", "back matter", "errata",
                             "works cited", "sources"})) {
    return "back_matter";
  }
  if (starts_with_any(bare, {"license", "licence", "gnu free documentation license", "gnu general public license",
                             "credits", "authors", "contributors", "copying", "about", "what's new",
                             "release notes", "changelog", "change log", "history of this document"})) {
    return early ? "front_matter" : "back_matter";
  }
  return "chapter";
}

}  // namespace docprof::domain
