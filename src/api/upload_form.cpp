#include "api/upload_form.h"

#include <array>
#include <cctype>
#include <fstream>
#include <optional>

#include "api/multipart_parser.h"

namespace docprof::api {
namespace {

constexpr std::size_t kReadPiece = 64 * 1024;
constexpr std::size_t kMaxFileName = 255;

domain::Error invalid(std::string message) { return domain::Error{"invalid_multipart", std::move(message)}; }

// The last path component (browsers on some systems send a whole path), without control characters.
std::string clean_file_name(std::string_view sent) {
  const auto slash = sent.find_last_of("/\\");
  if (slash != std::string_view::npos) sent.remove_prefix(slash + 1);
  std::string out;
  for (const char c : sent) {
    if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f) out += c;
  }
  if (out.size() > kMaxFileName) out.resize(kMaxFileName);
  return out;
}

// What the parser's parts become: the document's bytes into its file, the known fields into memory.
class FormCollector {
 public:
  explicit FormCollector(std::string directory) : directory_(std::move(directory)) {}

  std::optional<domain::Error> begin(const PartHead& head) {
    current_ = Part::skipped;
    if (head.name == "file") {
      if (saw_file_) return invalid("the form has more than one part named `file`");
      saw_file_ = true;
      if (!head.filename || head.filename->empty()) {
        return invalid("the part `file` carries no file (no file name): choose a document to upload");
      }
      form_.file_name = clean_file_name(*head.filename);
      auto file = SpoolFile::create(directory_, "upload-", upload_extension(form_.file_name));
      if (!file) return file.error();
      form_.document = std::move(file).value();
      out_.open(form_.document.path(), std::ios::binary | std::ios::trunc);
      if (!out_) return domain::Error{"io_error", "cannot write " + form_.document.path()};
      current_ = Part::document;
    } else if (!head.filename && (head.name == "id" || head.name == "title" || head.name == "author")) {
      field_ = &form_.fields[head.name];
      field_->clear();
      field_name_ = head.name;
      current_ = Part::field;
    }
    return std::nullopt;
  }

  std::optional<domain::Error> data(std::string_view bytes) {
    if (current_ == Part::document) {
      out_.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
      if (!out_) return domain::Error{"io_error", "cannot write " + form_.document.path() + " (disk full?)"};
      document_bytes_ += bytes.size();
    } else if (current_ == Part::field) {
      if (field_->size() + bytes.size() > kMaxFieldBytes) {
        return invalid("the field `" + field_name_ + "` is longer than " + std::to_string(kMaxFieldBytes) + " bytes");
      }
      field_->append(bytes);
    }
    return std::nullopt;
  }

  std::optional<domain::Error> end() {
    if (current_ == Part::document) {
      out_.close();
      if (!out_) return domain::Error{"io_error", "cannot write " + form_.document.path()};
      if (document_bytes_ == 0) return invalid("the uploaded document `" + form_.file_name + "` is empty");
    }
    current_ = Part::skipped;
    return std::nullopt;
  }

  domain::Result<UploadForm> take() {
    if (!saw_file_) return invalid("the form has no part named `file` (the document to ingest)");
    return std::move(form_);
  }

 private:
  enum class Part { skipped, document, field };
  std::string directory_;
  UploadForm form_;
  bool saw_file_ = false;
  Part current_ = Part::skipped;
  std::ofstream out_;
  std::size_t document_bytes_ = 0;
  std::string* field_ = nullptr;
  std::string field_name_;
};

}  // namespace

std::string upload_extension(std::string_view file_name) {
  const auto dot = file_name.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return "";
  const std::string_view ext = file_name.substr(dot + 1);
  if (ext.empty() || ext.size() > 10) return "";
  std::string out = ".";
  for (const char c : ext) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0) return "";
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

domain::Result<UploadForm> read_upload_form(std::string_view content_type, const std::string& body_path,
                                            const std::string& directory) {
  auto boundary = multipart_boundary(content_type);
  if (!boundary) return boundary.error();
  FormCollector collector(directory);
  MultipartParser parser(boundary.value(), MultipartParser::Sink{
                                               [&](const PartHead& h) { return collector.begin(h); },
                                               [&](std::string_view b) { return collector.data(b); },
                                               [&] { return collector.end(); },
                                           });
  std::ifstream in(body_path, std::ios::binary);
  if (!in) return domain::Error{"io_error", "cannot read the spooled upload " + body_path};
  std::array<char, kReadPiece> piece{};
  while (in) {
    in.read(piece.data(), static_cast<std::streamsize>(piece.size()));
    const auto got = static_cast<std::size_t>(in.gcount());
    if (got > 0 && !parser.feed(std::string_view(piece.data(), got))) return parser.error();
  }
  if (in.bad()) return domain::Error{"io_error", "cannot read the spooled upload " + body_path};
  if (!parser.finish()) return parser.error();
  return collector.take();
}

}  // namespace docprof::api
