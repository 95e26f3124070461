// The multipart/form-data reader of uploads (api/multipart_parser.h, api/upload_form.h): browser
// shaped bodies read whole and in every split, and hostile ones — truncated, without a closing
// boundary, with huge header lines, with the boundary inside a part's bytes, too many parts.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "api/multipart_parser.h"
#include "api/upload_form.h"

namespace {

using docprof::api::MultipartParser;
using docprof::api::PartHead;

const std::string kBoundary = "----WebKitFormBoundary7MA4YWxkTrZu0gW";

struct Part {
  PartHead head;
  std::string bytes;
  bool ended = false;
};

// Collects what the parser reports.
struct Collected {
  std::vector<Part> parts;
  MultipartParser::Sink sink() {
    return {[this](const PartHead& h) {
              parts.push_back({h, "", false});
              return std::optional<docprof::domain::Error>();
            },
            [this](std::string_view b) {
              parts.back().bytes.append(b);
              return std::optional<docprof::domain::Error>();
            },
            [this] {
              parts.back().ended = true;
              return std::optional<docprof::domain::Error>();
            }};
  }
};

std::string field(const std::string& name, const std::string& value) {
  return "--" + kBoundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n";
}

std::string file_part(const std::string& name, const std::string& filename, const std::string& bytes) {
  return "--" + kBoundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename +
         "\"\r\nContent-Type: application/pdf\r\n\r\n" + bytes + "\r\n";
}

std::string closing() { return "--" + kBoundary + "--\r\n"; }

// Bytes a document may hold that look like parts of the delimiter without being one.
std::string tricky_bytes() {
  std::string bytes = "%PDF-1.7\r\n--" + kBoundary.substr(0, 10) + "\r\n";
  bytes += "mid-line --" + kBoundary + " is content\r\n";
  bytes += "\r\n-" + kBoundary + "\r\n";  // one dash short
  bytes += std::string("\0\x01\xff\r\n\r\n", 7);
  for (int i = 0; i < 3000; ++i) bytes += static_cast<char>(i * 7919 % 256);
  bytes += "\r\n";  // a document may end with a line break of its own
  return bytes;
}

struct Outcome {
  bool ok = false;
  std::string error;
  std::vector<Part> parts;
};

Outcome parse(const std::string& body, std::size_t piece = 0, MultipartParser::Limits limits = {}) {
  Collected c;
  MultipartParser parser(kBoundary, c.sink(), limits);
  bool ok = true;
  if (piece == 0) {
    ok = parser.feed(body);
  } else {
    for (std::size_t at = 0; ok && at < body.size(); at += piece) ok = parser.feed(std::string_view(body).substr(at, piece));
  }
  ok = ok && parser.finish();
  return {ok, ok ? "" : parser.error().message, c.parts};
}

TEST(MultipartParser, ReadsABrowserForm) {
  const std::string doc = tricky_bytes();
  const std::string body =
      "preamble to ignore\r\n" + field("title", "Field Guide") + file_part("file", "guide.pdf", doc) + closing() + "epilogue";
  const Outcome whole = parse(body);
  ASSERT_TRUE(whole.ok) << whole.error;
  ASSERT_EQ(whole.parts.size(), 2u);
  EXPECT_EQ(whole.parts[0].head.name, "title");
  EXPECT_FALSE(whole.parts[0].head.filename);
  EXPECT_EQ(whole.parts[0].bytes, "Field Guide");
  EXPECT_EQ(whole.parts[1].head.name, "file");
  EXPECT_EQ(whole.parts[1].head.filename, "guide.pdf");
  EXPECT_EQ(whole.parts[1].head.content_type, "application/pdf");
  EXPECT_EQ(whole.parts[1].bytes, doc);
  EXPECT_TRUE(whole.parts[1].ended);
}

TEST(MultipartParser, TheSameInPiecesOfEverySize) {
  const std::string body = field("title", "T") + file_part("file", "a.epub", tricky_bytes()) + closing();
  const Outcome whole = parse(body);
  ASSERT_TRUE(whole.ok);
  for (std::size_t piece : {1, 2, 3, 5, 37, 38, 39, 40, 41, 64, 4096}) {
    const Outcome split = parse(body, piece);
    ASSERT_TRUE(split.ok) << piece << ": " << split.error;
    ASSERT_EQ(split.parts.size(), whole.parts.size()) << piece;
    for (std::size_t i = 0; i < split.parts.size(); ++i) EXPECT_EQ(split.parts[i].bytes, whole.parts[i].bytes) << piece;
  }
}

TEST(MultipartParser, AcceptsDelimiterPaddingAndPartsWithoutHeadersAreRefused) {
  const std::string padded = "--" + kBoundary + "  \t\r\nContent-Disposition: form-data; name=x\r\n\r\nv\r\n" + closing();
  const Outcome ok = parse(padded);
  ASSERT_TRUE(ok.ok) << ok.error;
  EXPECT_EQ(ok.parts[0].head.name, "x");
  EXPECT_EQ(ok.parts[0].bytes, "v");

  const Outcome bare = parse("--" + kBoundary + "\r\n\r\nno head\r\n" + closing());
  EXPECT_FALSE(bare.ok);
  EXPECT_NE(bare.error.find("Content-Disposition"), std::string::npos) << bare.error;
}

TEST(MultipartParser, RefusesATruncatedBody) {
  const std::string body = field("title", "T") + file_part("file", "a.pdf", "%PDF-1.7 half a docu");
  const std::string cut = body.substr(0, body.size() - 10);
  for (const std::string& b : {cut, body}) {
    const Outcome o = parse(b);
    EXPECT_FALSE(o.ok);
    EXPECT_NE(o.error.find("truncated"), std::string::npos) << o.error;
  }
}

TEST(MultipartParser, RefusesABodyWithoutTheBoundary) {
  const Outcome o = parse("just some bytes, --other-boundary\r\n");
  EXPECT_FALSE(o.ok);
  EXPECT_NE(o.error.find("no part"), std::string::npos) << o.error;
  EXPECT_FALSE(parse("").ok);
}

TEST(MultipartParser, RefusesTheBoundaryFollowedByOtherBytes) {
  // The boundary at the start of a line inside a part: the sender broke RFC 2046's rule.
  const std::string body = file_part("file", "a.txt", "line\r\n--" + kBoundary + "X and more") + closing();
  const Outcome o = parse(body);
  EXPECT_FALSE(o.ok);
  EXPECT_NE(o.error.find("CRLF"), std::string::npos) << o.error;
}

TEST(MultipartParser, RefusesHugeHeaderLinesWithinTheLimit) {
  MultipartParser::Limits limits;
  limits.max_head_bytes = 1024;
  const std::string head = "--" + kBoundary + "\r\nContent-Disposition: form-data; name=\"" + std::string(1 << 20, 'a');
  Collected c;
  MultipartParser parser(kBoundary, c.sink(), limits);
  bool ok = true;
  std::size_t fed = 0;
  for (std::size_t at = 0; ok && at < head.size(); at += 512, fed = at) ok = parser.feed(std::string_view(head).substr(at, 512));
  EXPECT_FALSE(ok);
  EXPECT_LT(fed, 4096u) << "the parser read on far beyond its head limit";
  EXPECT_NE(parser.error().message.find("longer than 1024"), std::string::npos) << parser.error().message;
}

TEST(MultipartParser, RefusesMalformedHeadsAndTooManyParts) {
  EXPECT_FALSE(parse("--" + kBoundary + "\r\nno colon here\r\n\r\nx\r\n" + closing()).ok);
  EXPECT_FALSE(parse("--" + kBoundary + "\r\nContent-Disposition: form-data\r\n\r\nx\r\n" + closing()).ok);
  EXPECT_FALSE(parse("--" + kBoundary + "\r\nContent-Disposition: attachment; name=a\r\n\r\nx\r\n" + closing()).ok);
  MultipartParser::Limits limits;
  limits.max_parts = 3;
  std::string many;
  for (int i = 0; i < 4; ++i) many += field("f" + std::to_string(i), "v");
  const Outcome o = parse(many + closing(), 0, limits);
  EXPECT_FALSE(o.ok);
  EXPECT_NE(o.error.find("more than 3 parts"), std::string::npos) << o.error;
}

TEST(MultipartParser, ReadsFoldedHeadersAndExtendedFileNames) {
  const std::string body = "--" + kBoundary +
                           "\r\ncontent-disposition: form-data;\r\n name=\"file\"; filename=\"plain.pdf\";"
                           " filename*=UTF-8''Caf%C3%A9%20guide.pdf\r\n\r\nbytes\r\n" +
                           closing();
  const Outcome o = parse(body);
  ASSERT_TRUE(o.ok) << o.error;
  EXPECT_EQ(o.parts[0].head.name, "file");
  EXPECT_EQ(o.parts[0].head.filename, "Caf\xc3\xa9 guide.pdf");
}

TEST(MultipartParser, StopsAtTheSinksError) {
  MultipartParser parser(kBoundary, MultipartParser::Sink{
                                        [](const PartHead&) { return std::optional<docprof::domain::Error>(); },
                                        [](std::string_view) {
                                          return std::optional(docprof::domain::Error{"io_error", "disk full"});
                                        },
                                        [] { return std::optional<docprof::domain::Error>(); },
                                    });
  EXPECT_FALSE(parser.feed(file_part("file", "a.pdf", std::string(5000, 'x')) + closing()));
  EXPECT_EQ(parser.error().code, "io_error");
  EXPECT_FALSE(parser.finish());
}

TEST(MultipartBoundary, FromTheContentType) {
  EXPECT_EQ(docprof::api::multipart_boundary("multipart/form-data; boundary=" + kBoundary).value(), kBoundary);
  EXPECT_EQ(docprof::api::multipart_boundary("Multipart/Form-Data;boundary=\"a b:c\"; charset=utf-8").value(), "a b:c");
  EXPECT_FALSE(docprof::api::multipart_boundary("multipart/form-data"));
  EXPECT_FALSE(docprof::api::multipart_boundary("multipart/form-data; boundary="));
  EXPECT_FALSE(docprof::api::multipart_boundary("multipart/form-data; boundary=" + std::string(71, 'a')));
  EXPECT_FALSE(docprof::api::multipart_boundary("multipart/form-data; boundary=a\x01"));
  EXPECT_FALSE(docprof::api::multipart_boundary("application/json; boundary=x"));
}

// ---- The upload form, from a spooled body on disk.

class UploadFormTest : public ::testing::Test {
 protected:
  UploadFormTest() {
    std::random_device rd;
    dir_ = std::filesystem::temp_directory_path() / ("docprof-upload-form-" + std::to_string(rd()));
    std::filesystem::create_directories(dir_);
  }
  ~UploadFormTest() override { std::filesystem::remove_all(dir_); }

  docprof::domain::Result<docprof::api::UploadForm> read(const std::string& body) {
    const auto spooled = dir_ / "body.part";
    std::ofstream(spooled, std::ios::binary) << body;
    return docprof::api::read_upload_form("multipart/form-data; boundary=" + kBoundary, spooled.string(),
                                          (dir_ / "docs").string());
  }
  std::size_t documents() const {
    if (!std::filesystem::exists(dir_ / "docs")) return 0;
    return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator(dir_ / "docs"), {}));
  }

  std::filesystem::path dir_;
};

TEST_F(UploadFormTest, SavesTheDocumentWithItsExtensionAndKeepsTheFields) {
  const std::string doc = tricky_bytes();
  auto form = read(field("title", "Guide") + field("author", "Ann") + field("ignored", "x") +
                   file_part("file", "C:\\Users\\ann\\Field Guide.PDF", doc) + closing());
  ASSERT_TRUE(form.ok()) << form.error().message;
  EXPECT_EQ(form->file_name, "Field Guide.PDF");
  EXPECT_EQ(std::filesystem::path(form->document.path()).extension(), ".pdf");
  std::ifstream in(form->document.path(), std::ios::binary);
  std::stringstream saved;
  saved << in.rdbuf();
  EXPECT_EQ(saved.str(), doc);
  EXPECT_EQ(form->fields.at("title"), "Guide");
  EXPECT_EQ(form->fields.at("author"), "Ann");
  EXPECT_EQ(form->fields.count("ignored"), 0u);
  const std::string path = form->document.path();
  { auto gone = std::move(form).value(); }
  EXPECT_FALSE(std::filesystem::exists(path)) << "a form dropped without release() keeps its document";
}

TEST_F(UploadFormTest, RefusesFormsWithoutOneDocument) {
  struct Case {
    std::string body;
    std::string says;
  };
  const std::vector<Case> cases = {
      {field("title", "T") + closing(), "no part named `file`"},
      {file_part("file", "a.pdf", "1") + file_part("file", "b.pdf", "2") + closing(), "more than one"},
      {file_part("file", "", "") + closing(), "no file name"},
      {file_part("file", "a.pdf", "") + closing(), "is empty"},
      {field("title", std::string(docprof::api::kMaxFieldBytes + 1, 't')) + file_part("file", "a.pdf", "1") + closing(),
       "longer than"},
      {file_part("file", "a.pdf", "half"), "truncated"},
  };
  for (const auto& c : cases) {
    auto form = read(c.body);
    ASSERT_FALSE(form.ok()) << c.says;
    EXPECT_EQ(form.error().code, "invalid_multipart");
    EXPECT_NE(form.error().message.find(c.says), std::string::npos) << form.error().message;
    EXPECT_EQ(documents(), 0u) << "a refused form left its document behind: " << c.says;
  }
  auto no_boundary = docprof::api::read_upload_form("multipart/form-data", (dir_ / "none").string(), dir_.string());
  ASSERT_FALSE(no_boundary.ok());
  EXPECT_NE(no_boundary.error().message.find("boundary"), std::string::npos);
}

TEST(UploadExtension, KeepsShortAlphanumericOnes) {
  EXPECT_EQ(docprof::api::upload_extension("a.PDF"), ".pdf");
  EXPECT_EQ(docprof::api::upload_extension("book.tar.epub"), ".epub");
  EXPECT_EQ(docprof::api::upload_extension("notes"), "");
  EXPECT_EQ(docprof::api::upload_extension(".bashrc"), "");
  EXPECT_EQ(docprof::api::upload_extension("x.p/df"), "");
  EXPECT_EQ(docprof::api::upload_extension("x.abcdefghijk"), "");
}

}  // namespace
