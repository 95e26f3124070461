#include "engine/ingest_service.h"

#include <algorithm>

#include "domain/document_outline.h"
#include "domain/ids.h"
#include "domain/offline_summary.h"
#include "domain/text_chunker.h"
#include "engine/book_embedding.h"

namespace docprof::engine {

using domain::Error;

std::string_view to_string(IngestStatus status) {
  switch (status) {
    case IngestStatus::ingested:
      return "ingested";
    case IngestStatus::unchanged:
      return "unchanged";
    case IngestStatus::replaced:
      return "replaced";
  }
  return "ingested";
}

IngestService::IngestService(ports::DocumentReader& reader, ports::Corpus& corpus, ports::Embedder& embedder,
                             ports::Clock& clock, const domain::TermAnalyzer& analyzer)
    : reader_(reader), corpus_(corpus), embedder_(embedder), clock_(clock), analyzer_(analyzer) {}

std::string IngestService::book_id_for_source(const std::string& source_path) {
  return domain::derived_uuid("docprof-ingest", source_path);
}

std::optional<std::string> IngestService::check_book_id(const std::string& id) {
  if (id.empty() || id.size() > 128) return "--id must have 1 to 128 characters";
  for (const char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '_' || c == ':' || c == '-';
    if (!ok) return "--id '" + id + "': only letters, digits and . _ : - are allowed";
  }
  return std::nullopt;
}

namespace {

std::vector<ports::StoredChapter> stored_chapters(const domain::DocumentOutline& outline) {
  std::vector<ports::StoredChapter> chapters;
  for (std::size_t c = 0; c < outline.chapters.size(); ++c) {
    const auto& chapter = outline.chapters[c];
    const auto pages = domain::chapter_pages(chapter);
    ports::StoredChapter stored{static_cast<int>(c) + 1, chapter.kind, chapter.title, domain::chapter_words(chapter),
                                pages.first, pages.last, {}};
    for (std::size_t s = 0; s < chapter.sections.size(); ++s) {
      const auto section_pages = domain::section_pages(chapter.sections[s]);
      stored.sections.push_back(ports::StoredSection{static_cast<int>(s) + 1, chapter.sections[s].title,
                                                     domain::section_words(chapter.sections[s]), section_pages.first,
                                                     section_pages.last});
    }
    chapters.push_back(std::move(stored));
  }
  return chapters;
}

}  // namespace

domain::Result<IngestOutcome> IngestService::ingest(const std::string& path, const IngestOptions& options,
                                                    const IngestProgress& progress) {
  const auto report = [&](const char* stage, int done, int total) {
    if (progress) progress(IngestStage{stage, done, total, total > 0 ? "chunks" : ""});
  };
  if (!options.id.empty()) {
    if (auto problem = check_book_id(options.id)) return Error{"invalid_request", *problem};
  }
  // A single file whose bytes are already in the library is not read at all.
  if (const auto fingerprint = reader_.fingerprint(path)) {
    const std::string book_id = options.id.empty() ? book_id_for_source(fingerprint->source_path) : options.id;
    if (auto unchanged = unchanged_book(book_id, fingerprint->sha256)) return *unchanged;
  }
  report("reading", 0, 0);
  auto read = reader_.read(path, [&](int done, int total, std::string_view unit) {
    if (progress) progress(IngestStage{"reading", done, total, std::string(unit)});
  });
  if (!read) return read.error();
  const ports::ReadDocument& document = read.value();

  IngestOutcome outcome;
  outcome.book_id = options.id.empty() ? book_id_for_source(document.source_path) : options.id;
  outcome.format = document.format;
  outcome.pages = document.pages;
  const auto previous = corpus_.find_source(outcome.book_id);
  if (auto unchanged = unchanged_book(outcome.book_id, document.sha256)) return *unchanged;

  report("summarising", 0, 0);
  const domain::OutlineHints hints{options.title.empty() ? document.title : options.title,
                                   options.author.empty() ? document.author : options.author, document.file_stem};
  const domain::DocumentOutline outline = domain::build_outline(document.blocks, hints);
  const int words = domain::document_words(outline);
  if (words == 0) return Error{"invalid_document", path + ": no text found in the document"};
  const domain::BookSummary summary = domain::summarize_document(outline, analyzer_);
  const std::vector<domain::TextChunk> chunks = domain::chunk_document(outline);

  auto vectors = embed_book_vectors(embedder_, summary);
  if (!vectors) return vectors.error();
  std::vector<ports::StoredChunk> stored_chunks;
  stored_chunks.reserve(chunks.size());
  const int total = static_cast<int>(chunks.size());
  for (int start = 0; start < total; start += kEmbedBatch) {
    report("embedding", start, total);
    const int end = std::min(total, start + kEmbedBatch);
    std::vector<std::string> texts;
    for (int i = start; i < end; ++i) texts.push_back(chunks[static_cast<std::size_t>(i)].text);
    auto embedded = embed_texts(embedder_, texts);
    if (!embedded) return embedded.error();
    for (int i = start; i < end; ++i) {
      const auto& chunk = chunks[static_cast<std::size_t>(i)];
      stored_chunks.push_back(ports::StoredChunk{
          domain::derived_uuid("docprof-chunks", outcome.book_id + "\n" + document.sha256 + "\n" + std::to_string(i)),
          i, chunk.chapter_number, chunk.section_index, chunk.page, chunk.words, chunk.text,
          std::move(embedded.value()[static_cast<std::size_t>(i - start)])});
    }
  }
  report("embedding", total, total);

  ports::IngestedBook book;
  book.info.book_id = outcome.book_id;
  book.info.title = summary.source_title;
  book.info.author = summary.author;
  book.info.chapters = static_cast<int>(summary.chapters.size());
  book.info.embedding_model = embedder_.model();
  book.info.created_at_ms = clock_.now_ms();
  book.summary = summary;
  book.vectors = std::move(vectors.value());
  book.source = ports::SourceRecord{document.source_path, document.format, document.sha256, words, document.pages,
                                    book.info.created_at_ms, kIngestVersion};
  book.chapters = stored_chapters(outline);
  book.chunks = std::move(stored_chunks);
  report("storing", 0, 0);
  corpus_.put_ingested_book(book);

  outcome.status = previous ? IngestStatus::replaced : IngestStatus::ingested;
  outcome.title = book.info.title;
  outcome.author = book.info.author;
  outcome.chapters = book.info.chapters;
  outcome.words = words;
  outcome.chunks = static_cast<int>(book.chunks.size());
  return outcome;
}

domain::Result<int> IngestService::reembed_chunks(bool all,
                                                 const std::function<void(const std::string&, int)>& on_book) {
  int rebuilt = 0;
  for (const auto& book_id : corpus_.books_to_reembed(embedder_.model(), embedder_.dims(), all)) {
    const auto chunks = corpus_.chunk_texts(book_id);
    std::vector<std::pair<std::string, std::vector<float>>> vectors;
    vectors.reserve(chunks.size());
    for (std::size_t start = 0; start < chunks.size(); start += kEmbedBatch) {
      const std::size_t end = std::min(chunks.size(), start + kEmbedBatch);
      std::vector<std::string> texts;
      for (std::size_t i = start; i < end; ++i) texts.push_back(chunks[i].text);
      auto embedded = embed_texts(embedder_, texts);
      if (!embedded) {
        return Error{embedded.error().code, "chunks of book " + book_id + ": " + embedded.error().message + " (" +
                                                std::to_string(rebuilt) +
                                                " book(s) rebuilt before it are kept; run reembed again to go on)"};
      }
      for (std::size_t i = start; i < end; ++i) {
        vectors.emplace_back(chunks[i].chunk_id, std::move(embedded.value()[i - start]));
      }
    }
    corpus_.put_chunk_vectors(book_id, embedder_.model(), embedder_.dims(), vectors);
    ++rebuilt;
    if (on_book) on_book(book_id, static_cast<int>(chunks.size()));
  }
  return rebuilt;
}

std::optional<IngestOutcome> IngestService::unchanged_book(const std::string& book_id, const std::string& sha256) {
  const auto source = corpus_.find_source(book_id);
  if (!source || source->sha256 != sha256 || source->ingest_version != kIngestVersion) return std::nullopt;
  const auto stored = corpus_.book_structure(book_id);
  if (!stored) return std::nullopt;
  IngestOutcome outcome;
  outcome.status = IngestStatus::unchanged;
  outcome.book_id = book_id;
  outcome.title = stored->info.title;
  outcome.author = stored->info.author;
  outcome.format = stored->source.format;
  outcome.chapters = static_cast<int>(stored->chapters.size());
  outcome.words = stored->source.words;
  outcome.chunks = stored->chunks;
  outcome.pages = stored->source.pages;
  return outcome;
}

std::optional<ports::BookStructure> IngestService::structure(const std::string& book_id) {
  return corpus_.book_structure(book_id);
}

domain::Result<std::vector<ports::ChunkMatch>> IngestService::search(const std::string& text,
                                                                     const std::optional<std::string>& book_id,
                                                                     int top_k) {
  if (top_k < 1 || top_k > 1000) return Error{"invalid_request", "top_k must be between 1 and 1000"};
  const std::vector<std::string> inputs{text};
  auto embedded = embed_texts(embedder_, inputs);
  if (!embedded) return embedded.error();
  ports::CorpusSearch search;
  search.text = text;
  search.embedding = embedded.value().front();
  search.embedding_model = embedder_.model();
  search.book_id = book_id;
  search.top_k = top_k;
  search.min_similarity = embedder_.default_min_similarity();
  return corpus_.search_chunks(search);
}

}  // namespace docprof::engine
