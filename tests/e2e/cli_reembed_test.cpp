// End to end: changing the embedder. A library embedded with one model is refused — by
// `books search` and by a course run — with a message that says how to fix it, and
// `books reembed` rebuilds the vectors so that both work again.
#include <gtest/gtest.h>

#include "e2e_support.h"

namespace docprof::e2e {
namespace {

const Environment kOtherEmbedder = {{"DOCPROF_EMBEDDING_DIMENSIONS", "512"}};

TEST(ReembedTest, ASearchWithAnotherEmbedderIsRefusedUntilTheLibraryIsReembedded) {
  DocprofCli cli;
  cli.import_library();
  const std::size_t books = cli.run_json({"books", "list", "--json"}).size();
  ASSERT_GT(books, 0u);
  const std::string topic = "discounted cash flow valuation";

  const ProcessResult refused = cli.run({"books", "search", topic}, kOtherEmbedder);
  EXPECT_EQ(refused.exit_code, 2) << describe(refused);
  EXPECT_NE(refused.err.find("hashing-v2/1024"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("hashing-v2/512"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("docprof books reembed"), std::string::npos) << refused.err;

  // A course run with the other embedder fails at its search step with the same explanation,
  // instead of reporting that no book is relevant.
  const ProcessResult run = cli.run({"course", "create", "I want to learn how to value a company", "--hours", "2"},
                                    kOtherEmbedder);
  EXPECT_NE(run.exit_code, 0) << describe(run);
  EXPECT_NE((run.out + run.err).find("docprof books reembed"), std::string::npos) << describe(run);

  const ProcessResult rebuilt = cli.run({"books", "reembed"}, kOtherEmbedder);
  ASSERT_EQ(rebuilt.exit_code, 0) << describe(rebuilt);
  EXPECT_NE(rebuilt.err.find(std::to_string(books) + " book(s) rebuilt, 0 already up to date"), std::string::npos)
      << rebuilt.err;
  for (const auto& book : cli.run_json({"books", "list", "--json"})) {
    EXPECT_EQ(book.value("embedding_model", ""), "hashing-v2/512") << book.dump();
  }
  const ProcessResult again = cli.run({"books", "reembed"}, kOtherEmbedder);
  EXPECT_NE(again.err.find("0 book(s) rebuilt, " + std::to_string(books) + " already up to date"), std::string::npos)
      << again.err;

  const json found = cli.run_json({"books", "search", topic, "--json"}, kOtherEmbedder);
  ASSERT_FALSE(found.empty());
  EXPECT_NE(found[0].value("title", "").find("Corporate Valuation"), std::string::npos) << found.dump(2);
  // Now the default embedder is the one refused.
  EXPECT_EQ(cli.run({"books", "search", topic}).exit_code, 2);

  const ProcessResult course = cli.run(
      {"course", "create", "I want to learn how to value a company", "--hours", "2", "--json"}, kOtherEmbedder);
  ASSERT_EQ(course.exit_code, 0) << describe(course);
}

}  // namespace
}  // namespace docprof::e2e
