// Ingestion throughput and memory (issue 13): a 1,000-page PDF (drawn with cairo at start-up, about
// 290 words a page, an outline entry per chapter of 20 pages) read, structured, summarised,
// chunked, embedded with the hashing embedder and stored in a real SQLite file, as `docprof books
// ingest` does. Counters: words/s and pages/s of the whole ingest, and the process's peak RSS
// (getrusage) after it, which bounds the ingest's peak memory (the PDF's bytes, its text, the
// blocks, the outline, the chunks and their vectors are all held at once).
//
// Benchmarks:
//   Pdf/read      the reader alone (poppler text per page, outline, paragraphs)
//   Pdf/ingest    the whole ingest into a fresh database each iteration
#include <sys/resource.h>

#include <filesystem>
#include <memory>
#include <string>

#include <benchmark/benchmark.h>

#include "adapters/embed/hashing_embedder.h"
#include "adapters/embed/stemming_analyzer.h"
#include "adapters/ingest/file_document_reader.h"
#include "adapters/sqlite/sqlite_corpus.h"
#include "adapters/sqlite/sqlite_library.h"
#include "engine/ingest_service.h"
#include "engine/system_clock.h"
#include "integration/ingest_fixtures.h"
#include "integration/temp_dir.h"

namespace {

using namespace docprof;

constexpr int kChapters = 50;
constexpr int kParagraphsPerChapter = 87;  // 20 pages a chapter

std::string sentence(int c, int p, int s) {
  static const char* subjects[] = {"The parser", "Each record", "A stream", "The index", "Every buffer", "The cache",
                                   "A request"};
  static const char* verbs[] = {"reads", "writes", "checks", "splits", "merges", "flushes", "sorts"};
  static const char* objects[] = {"the header fields", "a block of bytes", "the sorted keys", "the open files",
                                  "the next segment", "a checksum table"};
  return std::string(subjects[(c + p + s) % 7]) + " " + verbs[(2 * c + p + 3 * s) % 7] + " " +
         objects[(c + 5 * p + s) % 6] + " in pass " + std::to_string(c * 1000 + p * 10 + s) +
         " before the loop ends. ";
}

struct Fixture {
  test_support::TempDir dir{"docprof-bench"};
  std::string pdf;
  int pages = 0;

  Fixture() {
    std::vector<test_support::PdfChapter> chapters;
    for (int c = 1; c <= kChapters; ++c) {
      test_support::PdfChapter chapter{std::to_string(c) + " Streams and Records " + std::to_string(c), {}, true};
      for (int p = 0; p < kParagraphsPerChapter; ++p) {
        std::string paragraph;
        for (int s = 0; s < 5; ++s) paragraph += sentence(c, p, s);
        chapter.paragraphs.push_back(paragraph);
      }
      chapters.push_back(std::move(chapter));
    }
    pdf = dir.file("thousand-pages.pdf");
    pages = test_support::make_pdf(pdf, "Streams and Records", "Bench Writer", chapters, true);
  }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // kilobytes on Linux
}

void PdfRead(benchmark::State& state) {
  auto& f = fixture();
  adapters::ingest::FileDocumentReader reader;
  std::size_t words = 0;
  for (auto _ : state) {
    auto read = reader.read(f.pdf);
    if (!read) {
      state.SkipWithError(read.error().message.c_str());
      return;
    }
    words = 0;
    for (const auto& b : read->blocks) words += static_cast<std::size_t>(domain::count_words(b.text));
    benchmark::DoNotOptimize(read);
  }
  state.counters["pages"] = f.pages;
  state.counters["words"] = static_cast<double>(words);
  state.counters["words/s"] = benchmark::Counter(static_cast<double>(words), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["pages/s"] = benchmark::Counter(f.pages, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["peak_rss_MiB"] = peak_rss_mib();
}

void PdfIngest(benchmark::State& state) {
  auto& f = fixture();
  adapters::ingest::FileDocumentReader reader;
  adapters::embed::HashingEmbedder embedder;
  engine::SystemClock clock;
  int words = 0;
  int chunks = 0;
  int iteration = 0;
  for (auto _ : state) {
    state.PauseTiming();
    const std::string db = f.dir.file("ingest-" + std::to_string(iteration++) + ".db");
    auto database = adapters::sqlite::SqliteDatabase::open_and_migrate(db);
    adapters::sqlite::SqliteLibrary library(database, adapters::embed::default_analyzer());
    adapters::sqlite::SqliteCorpus corpus(database, library, adapters::embed::default_analyzer());
    engine::IngestService service(reader, corpus, embedder, clock, adapters::embed::default_analyzer());
    state.ResumeTiming();
    auto outcome = service.ingest(f.pdf, {});
    if (!outcome) {
      state.SkipWithError(outcome.error().message.c_str());
      return;
    }
    words = outcome->words;
    chunks = outcome->chunks;
  }
  state.counters["pages"] = f.pages;
  state.counters["words"] = words;
  state.counters["chunks"] = chunks;
  state.counters["words/s"] = benchmark::Counter(words, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["pages/s"] = benchmark::Counter(f.pages, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["peak_rss_MiB"] = peak_rss_mib();
}

BENCHMARK(PdfRead)->Name("Pdf/read")->Unit(benchmark::kMillisecond)->Iterations(2);
BENCHMARK(PdfIngest)->Name("Pdf/ingest")->Unit(benchmark::kMillisecond)->Iterations(2);

}  // namespace

BENCHMARK_MAIN();
