#include "domain/library_index.h"

#include <map>

namespace docprof::domain {
namespace {

// Field weights: titles name what a unit is about; topics list it; summaries and key concepts
// mention much in passing. A pair of adjacent terms counts half of a single term: it rewards a
// phrase match on top of its words' own matches.
constexpr double kTitle = 3.0;
constexpr double kSubTitle = 2.0;
constexpr double kTopic = 1.5;
constexpr double kText = 1.0;
constexpr double kConcept = 0.75;
constexpr double kContext = 0.5;
constexpr double kPairShare = 0.5;

class DocBuilder {
 public:
  DocBuilder(const TermAnalyzer& analyzer, IndexedDoc doc) : analyzer_(analyzer), doc_(std::move(doc)) {}

  void add(std::string_view text, double weight) {
    if (text.empty() || weight <= 0.0) return;
    for (const auto& [term, count] : term_counts(analyzer_.words(text), true)) {
      const bool pair = term.find(' ') != std::string::npos;
      const double w = count * weight * (pair ? kPairShare : 1.0);
      weights_[term] += w;
      if (!pair) doc_.length += w;
    }
  }
  void add_all(const std::vector<std::string>& texts, double weight) {
    for (const auto& text : texts) add(text, weight);
  }
  IndexedDoc take() && {
    doc_.terms.assign(weights_.begin(), weights_.end());
    return std::move(doc_);
  }

 private:
  const TermAnalyzer& analyzer_;
  IndexedDoc doc_;
  std::map<std::string, double> weights_;
};

// Front matter, indexes and the like are indexed with their titles only: a licence or an index
// mentions every subject of the book without teaching it.
bool is_teaching(const ChapterSummary& chapter) {
  return chapter.kind == "chapter" || chapter.kind == "appendix";
}

}  // namespace

std::vector<IndexedDoc> index_book(const BookSummary& book, const TermAnalyzer& analyzer) {
  std::vector<IndexedDoc> docs;
  {
    DocBuilder digest(analyzer, IndexedDoc{BookVectorKind::book, "", 0, 0, 0.0, {}});
    digest.add(book.source_title, kTitle);
    digest.add(book.source_summary, kText);
    for (const auto& chapter : book.chapters) {
      if (is_teaching(chapter)) digest.add(chapter.chapter_title, kText);
    }
    docs.push_back(std::move(digest).take());
  }
  for (const auto& chapter : book.chapters) {
    const std::string ref = std::to_string(chapter.chapter_number);
    const bool teaching = is_teaching(chapter);
    DocBuilder doc(analyzer, IndexedDoc{BookVectorKind::chapter, ref, chapter.chapter_number, 0, 0.0, {}});
    doc.add(chapter.chapter_title, kTitle);
    if (teaching) {
      doc.add(chapter.summary, kText);
      for (const auto& section : chapter.sections) {
        doc.add(section.section_title, kSubTitle);
        doc.add_all(section.topics, kTopic);
        doc.add_all(section.key_concepts, kConcept);
      }
    }
    docs.push_back(std::move(doc).take());
    for (std::size_t s = 0; s < chapter.sections.size(); ++s) {
      const auto& section = chapter.sections[s];
      const int index = static_cast<int>(s) + 1;
      DocBuilder sdoc(analyzer, IndexedDoc{BookVectorKind::section, ref + "." + std::to_string(index),
                                           chapter.chapter_number, index, 0.0, {}});
      sdoc.add(section.section_title, kTitle);
      if (teaching) {
        sdoc.add_all(section.topics, kSubTitle);
        sdoc.add_all(section.key_concepts, kText);
      }
      sdoc.add(chapter.chapter_title, kContext);
      docs.push_back(std::move(sdoc).take());
    }
  }
  return docs;
}

}  // namespace docprof::domain
