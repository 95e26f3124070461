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

domain::Result<domain::ParseOutcome> IngestService::parse(const domain::ParseDocument& command,
                                                         const IngestProgress& progress) {
  if (!command.book_id.empty()) {
    if (auto problem = check_book_id(command.book_id)) return Error{"invalid_request", *problem};
  }
  // A single file whose bytes are already in the library is not read at all.
  if (const auto fingerprint = reader_.fingerprint(command.path)) {
    const std::string book_id = command.book_id.empty() ? book_id_for_source(fingerprint->source_path) : command.book_id;
    if (auto unchanged = unchanged_book(book_id, fingerprint->sha256)) {
      domain::ParseOutcome outcome;
      outcome.book_id = book_id;
      outcome.source_path = fingerprint->source_path;
      outcome.format = unchanged->format;
      outcome.sha256 = fingerprint->sha256;
      outcome.pages = unchanged->pages;
      outcome.words = unchanged->words;
      outcome.offline.source_title = unchanged->title;
      outcome.offline.author = unchanged->author;
      outcome.offline.total_chapters = unchanged->chapters;
      outcome.unchanged = true;
      outcome.stored_chunks = unchanged->chunks;
      return outcome;
    }
  }
  if (progress) progress(IngestStage{"reading", 0, 0, ""});
  auto read = reader_.read(command.path, [&](int done, int total, std::string_view unit) {
    if (progress) progress(IngestStage{"reading", done, total, std::string(unit)});
  });
  if (!read) return read.error();
  const ports::ReadDocument& document = read.value();

  domain::ParseOutcome outcome;
  outcome.book_id = command.book_id.empty() ? book_id_for_source(document.source_path) : command.book_id;
  outcome.source_path = document.source_path;
  outcome.format = document.format;
  outcome.sha256 = document.sha256;
  outcome.pages = document.pages;
  outcome.replaces = corpus_.find_source(outcome.book_id).has_value();
  if (auto unchanged = unchanged_book(outcome.book_id, document.sha256)) {
    outcome.words = unchanged->words;
    outcome.offline.source_title = unchanged->title;
    outcome.offline.author = unchanged->author;
    outcome.offline.total_chapters = unchanged->chapters;
    outcome.unchanged = true;
    outcome.stored_chunks = unchanged->chunks;
    return outcome;
  }
  if (progress) progress(IngestStage{"summarising", 0, 0, ""});
  const domain::OutlineHints hints{command.title.empty() ? document.title : command.title,
                                   command.author.empty() ? document.author : command.author, document.file_stem};
  outcome.outline = domain::build_outline(document.blocks, hints);
  outcome.words = domain::document_words(outcome.outline);
  if (outcome.words == 0) return Error{"invalid_document", command.path + ": no text found in the document"};
  outcome.offline = domain::summarize_document(outcome.outline, analyzer_);
  return outcome;
}

domain::Result<domain::BookStoreOutcome> IngestService::store(const domain::StoreBook& command,
                                                              const IngestProgress& progress) {
  const auto report = [&](const char* stage, int done, int total) {
    if (progress) progress(IngestStage{stage, done, total, total > 0 ? "chunks" : ""});
  };
  const std::vector<domain::TextChunk> chunks = domain::chunk_document(command.outline);
  auto vectors = embed_book_vectors(embedder_, command.summary);
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
          domain::derived_uuid("docprof-chunks", command.book_id + "\n" + command.sha256 + "\n" + std::to_string(i)),
          i, chunk.chapter_number, chunk.section_index, chunk.page, chunk.words, chunk.text,
          std::move(embedded.value()[static_cast<std::size_t>(i - start)])});
    }
  }
  report("embedding", total, total);

  const bool replaces = corpus_.find_source(command.book_id).has_value();
  ports::IngestedBook book;
  book.info.book_id = command.book_id;
  book.info.title = command.summary.source_title;
  book.info.author = command.summary.author;
  book.info.chapters = static_cast<int>(command.summary.chapters.size());
  book.info.embedding_model = embedder_.model();
  book.info.created_at_ms = clock_.now_ms();
  book.summary = command.summary;
  book.vectors = std::move(vectors.value());
  book.source = ports::SourceRecord{command.source_path, command.format, command.sha256, command.words, command.pages,
                                    book.info.created_at_ms, kIngestVersion};
  book.chapters = stored_chapters(command.outline);
  book.chunks = std::move(stored_chunks);
  report("storing", 0, 0);
  corpus_.put_ingested_book(book);
  return domain::BookStoreOutcome{replaces ? "replaced" : "ingested", static_cast<int>(book.chunks.size())};
}

domain::Result<IngestOutcome> IngestService::ingest(const std::string& path, const IngestOptions& options,
                                                    const IngestProgress& progress) {
  auto parsed = parse(domain::ParseDocument{path, options.id, options.title, options.author}, progress);
  if (!parsed) return parsed.error();
  const domain::ParseOutcome& document = parsed.value();
  IngestOutcome outcome;
  outcome.book_id = document.book_id;
  outcome.title = document.offline.source_title;
  outcome.author = document.offline.author;
  outcome.format = document.format;
  outcome.pages = document.pages;
  outcome.words = document.words;
  if (document.unchanged) {
    outcome.status = IngestStatus::unchanged;
    outcome.chapters = document.offline.total_chapters;
    outcome.chunks = document.stored_chunks;
    return outcome;
  }
  auto stored = store(domain::StoreBook{document.book_id, document.offline, document.outline, document.source_path,
                                        document.format, document.sha256, document.pages, document.words},
                      progress);
  if (!stored) return stored.error();
  outcome.status = document.replaces ? IngestStatus::replaced : IngestStatus::ingested;
  outcome.chapters = static_cast<int>(document.offline.chapters.size());
  outcome.chunks = stored->chunks;
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
