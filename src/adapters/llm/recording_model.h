// RecordingModel: wraps any LanguageModel and appends each call's result to a cassette file
// (cassette.h): the answer with its usage and finish_reason, or the ProviderError, tagged with the
// task and the CallContext's course_id. `--record PATH` on any provider thus yields a cassette that
// ReplayModel plays back. The wrapped model's answer is returned unchanged; a failed write is
// logged, never turned into a failed call.
//
// Thread safety: complete() may be called concurrently; lines are written whole under a mutex and
// flushed one by one, so a crash loses at most the line being written.
#pragma once

#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <string>

#include "ports/language_model.h"

namespace docprof::adapters::llm {

class RecordingModel final : public ports::LanguageModel {
 public:
  // Opens (creating, with its parent folders, or appending to) the cassette; throws
  // std::invalid_argument for a null model and std::runtime_error when the file cannot be opened.
  RecordingModel(std::shared_ptr<ports::LanguageModel> inner, std::filesystem::path cassette);

  ports::LlmResult complete(const domain::LlmRequest& request,
                            const ports::CallContext& context) override;
  std::string name() const override;  // the wrapped model's name: recording changes no answer

 private:
  std::shared_ptr<ports::LanguageModel> inner_;
  std::filesystem::path path_;
  std::mutex mutex_;
  std::ofstream out_;
};

}  // namespace docprof::adapters::llm
