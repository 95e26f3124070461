// End to end: bringing one's own books. `books ingest` reads several files in one call (one bad
// file is reported, the others are stored, exit 2), prints the JSON report, is a no-op for the
// same bytes; `books show` prints the structure; `search` finds passages with their locations;
// `books remove` removes a book with its corpus; a course planned from an ingested book has sections
// carrying the ids of the chunks they are read from, which `course show --passages` prints.
#include <gtest/gtest.h>

#include "e2e_support.h"

namespace docprof::e2e {
namespace {

const fs::path kIngest = fs::path(DOCPROF_FIXTURES_DIR) / "ingest";

TEST(IngestCliTest, IngestShowSearchAndRemove) {
  DocprofCli cli;
  const std::string guide = (kIngest / "field-guide.md").string();
  const std::string tea = (kIngest / "single-page.html").string();
  const std::string manual = (kIngest / "manual").string();
  {
    std::ofstream bad(cli.file("table.xyz"));
    bad << "a,b\n";
  }
  const ProcessResult first = cli.run({"books", "ingest", guide, cli.file("table.xyz"), tea, manual, "--json"});
  EXPECT_EQ(first.exit_code, 2) << describe(first);
  const json report = json::parse(first.out);
  ASSERT_TRUE(report.is_array());
  ASSERT_EQ(report.size(), 4u) << report.dump(2);
  EXPECT_EQ(report[0]["file"], guide);
  EXPECT_EQ(report[0]["status"], "ingested");
  EXPECT_EQ(report[0]["title"], "A Field Guide to Version Control");
  EXPECT_EQ(report[0]["chapters"], 7);
  EXPECT_GT(report[0]["words"].get<int>(), 1000);
  EXPECT_GT(report[0]["chunks"].get<int>(), 7);
  EXPECT_EQ(report[1]["status"], "error");
  EXPECT_NE(report[1]["error"].get<std::string>().find("table.xyz"), std::string::npos) << report[1].dump();
  EXPECT_NE(report[1]["error"].get<std::string>().find("unknown format"), std::string::npos) << report[1].dump();
  EXPECT_FALSE(report[1].contains("book_id"));
  EXPECT_EQ(report[2]["status"], "ingested");
  EXPECT_EQ(report[3]["status"], "ingested");
  EXPECT_EQ(report[3]["title"], "The Lantern Keeper's Manual");
  EXPECT_NE(first.err.find("table.xyz"), std::string::npos) << first.err;
  const std::string book_id = report[0]["book_id"];

  // The same bytes again: unchanged, nothing rewritten, exit 0.
  const json again = cli.run_json({"books", "ingest", guide, "--json"});
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0]["status"], "unchanged");
  EXPECT_EQ(again[0]["book_id"], book_id);
  EXPECT_EQ(again[0]["chunks"], report[0]["chunks"]);
  EXPECT_EQ(cli.run_json({"books", "list", "--json"}).size(), 3u);

  const json shown = cli.run_json({"books", "show", book_id, "--json"});
  EXPECT_EQ(shown["book_id"], book_id);
  EXPECT_EQ(shown["author"], "Ada Example");
  EXPECT_EQ(shown["format"], "markdown");
  EXPECT_EQ(shown["words"], report[0]["words"]);
  EXPECT_EQ(shown["chunks"], report[0]["chunks"]);
  ASSERT_EQ(shown["chapters"].size(), 7u);
  const json& undoing = shown["chapters"][3];
  EXPECT_EQ(undoing["chapter_number"], 4);
  EXPECT_EQ(undoing["kind"], "chapter");
  EXPECT_EQ(undoing["title"], "3. Undoing Changes");
  EXPECT_FALSE(undoing.contains("page_range"));  // not a paged format
  ASSERT_EQ(undoing["sections"].size(), 4u);
  EXPECT_EQ(undoing["sections"][2]["title"], "Reverting a Commit");
  EXPECT_GT(undoing["sections"][2]["words"].get<int>(), 50);
  EXPECT_EQ(shown["chapters"][6]["kind"], "index");
  const ProcessResult text = cli.run({"books", "show", book_id});
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find("Appendix A: Command Summary [appendix]"), std::string::npos) << text.out;

  const json found = cli.run_json({"search", "how do I undo a commit", "--json"});
  ASSERT_FALSE(found.empty());
  for (const char* key : {"chunk_id", "book_id", "book_title", "chapter_number", "chapter_title", "section_title",
                          "page", "score", "text"}) {
    EXPECT_TRUE(found[0].contains(key)) << key << " missing: " << found[0].dump();
  }
  EXPECT_EQ(found[0]["book_id"], book_id);
  EXPECT_EQ(found[0]["chapter_title"], "3. Undoing Changes");
  EXPECT_TRUE(found[0]["page"].is_null());
  EXPECT_TRUE(found[0]["section_title"].is_string());
  EXPECT_GT(found[0]["score"].get<double>(), 0.0);

  const std::string tea_id = report[2]["book_id"];
  const json only_tea = cli.run_json({"search", "water temperature", "--book", tea_id, "--top-k", "2", "--json"});
  ASSERT_FALSE(only_tea.empty());
  EXPECT_LE(only_tea.size(), 2u);
  for (const auto& m : only_tea) EXPECT_EQ(m["book_id"], tea_id);

  EXPECT_EQ(cli.run({"search", "  "}).exit_code, 2);
  EXPECT_EQ(cli.run({"books", "ingest", guide, tea, "--id", "both"}).exit_code, 2);
  EXPECT_EQ(cli.run({"books", "ingest", guide, "--id", "has space"}).exit_code, 2);

  ASSERT_EQ(cli.run({"books", "remove", book_id}).exit_code, 0);
  EXPECT_EQ(cli.run({"books", "show", book_id}).exit_code, 2);
  for (const auto& m : cli.run_json({"search", "how do I undo a commit", "--json"})) EXPECT_NE(m["book_id"], book_id);
}

TEST(IngestCliTest, CourseSectionsCarryTheChunksTheyAreReadFrom) {
  DocprofCli cli;
  const json report = cli.run_json({"books", "ingest", (kIngest / "field-guide.md").string(), "--json"});
  ASSERT_EQ(report.size(), 1u);
  const std::string book_id = report[0]["book_id"];
  const ProcessResult created =
      cli.run({"course", "create", "I want to learn how to undo a commit and resolve merge conflicts in git",
               "--hours", "1", "--json"});
  ASSERT_EQ(created.exit_code, 0) << describe(created);
  const json outline = json::parse(created.out);
  const std::string course_id = outline["course_id"];
  int grounded = 0;
  std::vector<std::string> chunk_ids;
  for (const auto& section : outline["sections"]) {
    if (section["parent_section_id"].is_null()) continue;
    ASSERT_TRUE(section.contains("chunk_ids")) << section.dump();
    for (const auto& source : section["sources"]) EXPECT_EQ(source["book_id"], book_id);
    if (!section["chunk_ids"].empty()) ++grounded;
    for (const auto& id : section["chunk_ids"]) chunk_ids.push_back(id);
  }
  EXPECT_GT(grounded, 0) << outline.dump(2);
  // Every chunk id names a passage of the book, and `course show --passages` prints them.
  const ProcessResult shown = cli.run({"course", "show", course_id, "--passages"});
  ASSERT_EQ(shown.exit_code, 0) << describe(shown);
  for (const auto& id : chunk_ids) EXPECT_NE(shown.out.find("[" + id + "]"), std::string::npos) << id << "\n" << shown.out;
  EXPECT_NE(shown.out.find("\n> "), std::string::npos) << shown.out;
  const std::string plain = cli.run({"course", "show", course_id}).out;  // passages only with --passages
  for (const auto& id : chunk_ids) EXPECT_EQ(plain.find(id), std::string::npos) << id;
}

TEST(IngestCliTest, AllBadFilesExitTwoAndStoreNothing) {
  DocprofCli cli;
  {
    std::ofstream latin1(cli.file("latin1.txt"), std::ios::binary);
    latin1 << "caf\xe9\n";
  }
  const ProcessResult r = cli.run({"books", "ingest", cli.file("latin1.txt"), cli.file("missing.pdf"), "--json"});
  EXPECT_EQ(r.exit_code, 2) << describe(r);
  const json report = json::parse(r.out);
  ASSERT_EQ(report.size(), 2u);
  EXPECT_NE(report[0]["error"].get<std::string>().find("not UTF-8"), std::string::npos) << report.dump();
  EXPECT_NE(report[1]["error"].get<std::string>().find("missing.pdf"), std::string::npos) << report.dump();
  EXPECT_TRUE(cli.run_json({"books", "list", "--json"}).empty());
}

}  // namespace
}  // namespace docprof::e2e
