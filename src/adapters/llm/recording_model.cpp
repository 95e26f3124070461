#include "adapters/llm/recording_model.h"

#include <stdexcept>
#include <system_error>
#include <utility>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "adapters/llm/cassette.h"

namespace docprof::adapters::llm {

RecordingModel::RecordingModel(std::shared_ptr<ports::LanguageModel> inner,
                               std::filesystem::path cassette)
    : inner_(std::move(inner)), path_(std::move(cassette)) {
  if (!inner_) throw std::invalid_argument("recording: no model to wrap");
  if (path_.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(path_.parent_path(), ec);  // opening reports failures
  }
  out_.open(path_, std::ios::binary | std::ios::app);
  if (!out_) throw std::runtime_error(path_.string() + ": cannot open cassette for recording");
}

std::string RecordingModel::name() const {
  return inner_->name();
}

ports::LlmResult RecordingModel::complete(const domain::LlmRequest& request,
                                          const ports::CallContext& context) {
  ports::LlmResult result = inner_->complete(request, context);
  const std::string line =
      cassette_entry_to_json(cassette_entry_from_result(request.task, context.course_id, result))
          .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::lock_guard lock(mutex_);
  out_ << line << '\n';
  out_.flush();
  if (!out_) {
    spdlog::error("recording to {} failed; task {} not recorded", path_.string(), request.task);
    out_.clear();
  }
  return result;
}

}  // namespace docprof::adapters::llm
