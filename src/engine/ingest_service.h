// IngestService: brings a user's own documents into the library (issue 13). For one source it
// reads the document (ports::DocumentReader), structures it (domain::build_outline), writes its
// offline summary (domain::summarize_document), cuts its chunks (domain::chunk_document), embeds
// the book's digest, chapters, sections and chunks with the configured embedder, and stores all of
// it in one transaction (ports::Corpus).
//
// Identity: a book is the `--id` given, else its source path (book_id derived from the absolute
// path). The SHA-256 of the source decides: the same bytes again (read by the same kIngestVersion)
// are "unchanged" and nothing is written; other bytes "replace" the book's chapters, chunks and
// vectors, keeping its book_id.
// Chunk ids are derived from the book, its source's SHA-256 and the chunk's position, so a chunk id
// always names the same text. A single file already in the library is recognised by its bytes
// before it is read (DocumentReader::fingerprint): an unchanged 1,000-page PDF is not parsed again.
//
// Thread safety: safe for concurrent use when the ports are; the analyzer must outlive the service.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/commands.h"
#include "domain/result.h"
#include "domain/term_analyzer.h"
#include "ports/clock.h"
#include "ports/corpus.h"
#include "ports/document_reader.h"
#include "ports/embedder.h"

namespace docprof::engine {

struct IngestOptions {
  std::string id;      // the book's id; "" = derived from the source path
  std::string title;   // overrides the document's own; "" = the document's
  std::string author;
};

enum class IngestStatus { ingested, unchanged, replaced };
std::string_view to_string(IngestStatus status);  // "ingested" | "unchanged" | "replaced"

struct IngestOutcome {
  IngestStatus status = IngestStatus::ingested;
  std::string book_id;
  std::string title;
  std::string author;
  std::string format;
  int chapters = 0;
  int words = 0;
  int chunks = 0;
  int pages = 0;  // 0 = not a paged format
};

// Told what the ingest is doing: "reading" (done of total `unit`s: pages, documents; total 0 =
// unknown), "summarising", "embedding" (done of total chunks), "storing".
struct IngestStage {
  std::string stage;
  int done = 0;
  int total = 0;
  std::string unit;  // "pages", "documents", "chunks", or "" for a stage without steps
};
using IngestProgress = std::function<void(const IngestStage&)>;

class IngestService {
 public:
  IngestService(ports::DocumentReader& reader, ports::Corpus& corpus, ports::Embedder& embedder, ports::Clock& clock,
                const domain::TermAnalyzer& analyzer);

  // Errors: invalid_document (the file cannot be read as a book: the message names it),
  // invalid_request (a bad --id), provider_error (embedding failed). Nothing is stored on error.
  // parse + store with the offline summary, in one call (an ingestion run does the same in steps,
  // with the summaries in between: docs/ingestion-runs.md).
  domain::Result<IngestOutcome> ingest(const std::string& path, const IngestOptions& options,
                                       const IngestProgress& progress = {});

  // An ingestion run's first step: reads and structures the document and writes its offline
  // summary — or finds the library has these bytes already (ParseOutcome::unchanged; a single
  // file is then not read at all). Errors as ingest()'s; nothing is stored.
  domain::Result<domain::ParseOutcome> parse(const domain::ParseDocument& command, const IngestProgress& progress = {});
  // An ingestion run's store step: cuts the chunks, embeds the book and its chunks, stores it all
  // in one transaction (replacing the book of the same id). Error provider_error (embedding).
  domain::Result<domain::BookStoreOutcome> store(const domain::StoreBook& command, const IngestProgress& progress = {});

  // The structure of an ingested book, or nullopt.
  std::optional<ports::BookStructure> structure(const std::string& book_id);

  // The chunks best matching a free text, best first. Errors: invalid_request (top_k out of
  // 1..1000), provider_error (embedding the query failed).
  domain::Result<std::vector<ports::ChunkMatch>> search(const std::string& text,
                                                        const std::optional<std::string>& book_id, int top_k);

  // Re-embeds the chunks of every ingested book whose chunk vectors are not of the configured
  // embedder (every book's when `all`), one transaction per book, so an interrupted run keeps what
  // it finished. Returns the books rebuilt; `on_book(book_id, chunks)` is told about each.
  // Errors: provider_error (embedding failed; the message names the book).
  domain::Result<int> reembed_chunks(bool all, const std::function<void(const std::string&, int)>& on_book);

  // The book_id of a source identified by its absolute path.
  static std::string book_id_for_source(const std::string& source_path);
  // A --id must be 1–128 characters of letters, digits and . _ : - (it appears in commands and URLs).
  static std::optional<std::string> check_book_id(const std::string& id);

  static constexpr int kEmbedBatch = 64;
  // The version of what turns a source into a book (readers, structure, summaries, chunks): a
  // source ingested by another version is read again even when its bytes are the same. Raise it
  // with every change that changes what an ingest stores.
  // 2: chunks index their headings' words on their own; PDF paragraphs go on across page breaks;
  // topics are noun phrases; a first entry named like the book is front matter.
  // 3: section summaries list their subsections; no subject-and-verb pairs as topics.
  static constexpr int kIngestVersion = 3;

 private:
  // The stored book, when its source has these bytes and was read by this kIngestVersion.
  std::optional<IngestOutcome> unchanged_book(const std::string& book_id, const std::string& sha256);

  ports::DocumentReader& reader_;
  ports::Corpus& corpus_;
  ports::Embedder& embedder_;
  ports::Clock& clock_;
  const domain::TermAnalyzer& analyzer_;
};

}  // namespace docprof::engine
