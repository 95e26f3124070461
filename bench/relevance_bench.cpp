// How well the library search finds the books a person would pick, over the committed relevance
// set (tests/fixtures/relevance/<library>.json): each library is imported with the default
// embedder into a temporary SQLite file, each labelled request is searched as a course run would
// search it (top_k 10, the embedder's default threshold), and the answer is compared with the
// labels. Prints one line per request and, per split (tune / heldout), the figures:
//
//   P@R      precision of the top R books, R = number of books a person would pick
//   top1     the best book is one a person would pick
//   strays   share of returned books that are neither picked nor acceptable ("also_ok")
//   missed   requests that found none of the picked books (no_relevant_books included)
//
// Usage: relevance_bench [--library examples|debian|all] [--verbose]
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "adapters/embed/hashing_embedder.h"
#include "adapters/embed/stemming_analyzer.h"
#include "adapters/sqlite/sqlite_database.h"
#include "adapters/sqlite/sqlite_library.h"
#include "engine/library_service.h"

namespace {

using namespace docprof;
namespace fs = std::filesystem;

class FixedClock final : public ports::Clock {
 public:
  std::int64_t now_ms() override { return 1'800'000'000'000; }
};

fs::path library_dir(const std::string& name) {
  const fs::path root(DOCPROF_SOURCE_DIR);
  return name == "examples" ? root / "examples/library" : root / "tests/fixtures/library-debian";
}

struct Figures {
  int requests = 0;
  double precision = 0.0;
  int top1 = 0;
  int returned = 0;
  int strays = 0;
  int missed = 0;
};

void print(const std::string& label, const Figures& f) {
  if (f.requests == 0) return;
  std::cout << fmt::format("{:<22} requests {:>3}  P@R {:.3f}  top1 {:.3f}  strays {:.3f}  missed {}\n",
                           label, f.requests, f.precision / f.requests,
                           static_cast<double>(f.top1) / f.requests,
                           f.returned ? static_cast<double>(f.strays) / f.returned : 0.0, f.missed);
}

int run(const std::string& name, bool verbose, std::map<std::string, Figures>& totals) {
  const fs::path dir = library_dir(name);
  const fs::path labels_file = fs::path(DOCPROF_SOURCE_DIR) / "tests/fixtures/relevance" / (name + ".json");
  if (!fs::exists(dir) || !fs::exists(labels_file)) {
    std::cerr << "relevance_bench: no library or labels for '" << name << "'\n";
    return 1;
  }
  const fs::path tmp = fs::temp_directory_path() / fmt::format("docprof-relevance-{}-{}", name, ::getpid());
  fs::create_directories(tmp);
  auto database = adapters::sqlite::SqliteDatabase::open_and_migrate((tmp / "library.db").string());
  adapters::sqlite::SqliteLibrary library(database, adapters::embed::default_analyzer());
  adapters::embed::HashingEmbedder embedder;
  FixedClock clock;
  engine::LibraryService service(library, embedder, clock);

  std::map<std::string, std::string> stem_by_title;  // book title -> file stem (the labels' ids)
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    std::ifstream in(file);
    const auto document = nlohmann::json::parse(in);
    auto imported = service.import_book(document);
    if (!imported) throw std::runtime_error(file.string() + ": " + imported.error().message);
    stem_by_title[imported.value().info.title] = file.stem().string();
  }

  std::ifstream in(labels_file);
  const auto labels = nlohmann::json::parse(in);
  for (const auto& label : labels) {
    const std::string split = label.value("split", "tune");
    std::set<std::string> picked;
    std::set<std::string> acceptable;
    for (const auto& b : label["books"]) picked.insert(b.get<std::string>());
    acceptable = picked;
    for (const auto& b : label.value("also_ok", nlohmann::json::array())) acceptable.insert(b.get<std::string>());

    auto found = service.search(label["query"].get<std::string>(), 10, -1);
    std::vector<std::string> stems;
    if (found) {
      for (const auto& match : found.value()) stems.push_back(stem_by_title[match.title]);
    }
    const std::size_t r = picked.size();
    int hits = 0;
    for (std::size_t i = 0; i < std::min(r, stems.size()); ++i) hits += picked.contains(stems[i]) ? 1 : 0;
    int strays = 0;
    bool any_picked = false;
    for (const auto& s : stems) {
      strays += acceptable.contains(s) ? 0 : 1;
      any_picked = any_picked || picked.contains(s);
    }
    for (const std::string& key : {name + "/" + split, std::string("all/") + split}) {
      Figures& f = totals[key];
      f.requests += 1;
      f.precision += r ? static_cast<double>(hits) / static_cast<double>(r) : 0.0;
      f.top1 += !stems.empty() && picked.contains(stems.front()) ? 1 : 0;
      f.returned += static_cast<int>(stems.size());
      f.strays += strays;
      f.missed += any_picked ? 0 : 1;
    }
    if (verbose) {
      std::string list;
      for (std::size_t i = 0; i < stems.size(); ++i) {
        const bool ok = picked.contains(stems[i]);
        list += fmt::format("{}{}{:.3f}{} ", stems[i], ok ? "*" : (acceptable.contains(stems[i]) ? "~" : ""),
                            found.value()[i].similarity, "");
      }
      std::cout << fmt::format("[{}] {:<26} P@R {}/{}  {}\n", split, label["id"].get<std::string>(), hits, r,
                               found ? list : "error: " + found.error().message);
    }
  }
  std::error_code ignored;
  fs::remove_all(tmp, ignored);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string which = "all";
  bool verbose = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--library" && i + 1 < argc) {
      which = argv[++i];
    } else if (arg == "--verbose") {
      verbose = true;
    } else {
      std::cerr << "usage: relevance_bench [--library examples|debian|all] [--verbose]\n";
      return 2;
    }
  }
  std::map<std::string, Figures> totals;
  int status = 0;
  try {
    for (const std::string& name : {std::string("examples"), std::string("debian")}) {
      if (which == "all" || which == name) status |= run(name, verbose, totals);
    }
  } catch (const std::exception& e) {
    std::cerr << "relevance_bench: " << e.what() << "\n";
    return 1;
  }
  for (const auto& [key, figures] : totals) print(key, figures);
  return status;
}
