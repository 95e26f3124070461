// CommandExecutor: carries out a decision's effectful command against the ports — one embedding,
// search or model call. CreateCourse + CreateSections are not run here: the run store writes the
// course in the step's commit (see StepCommit::course); they yield a StoreOutcome.
//
// Failures come back as a ProviderError: the provider's own classification for model and embedding
// calls; library read errors (a locked or unreachable database) are transient.
// Thread safety: as thread-safe as the ports it holds (all ports are required to be).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/commands.h"
#include "ports/embedder.h"
#include "ports/language_model.h"
#include "ports/library.h"

namespace docprof::engine {

struct ExecutionResult {
  std::optional<domain::CommandOutcome> outcome;  // absent when there was nothing to run, or on error
  std::optional<ports::ProviderError> error;
};

class CommandExecutor {
 public:
  CommandExecutor(ports::LanguageModel& model, ports::Embedder& embedder, ports::Library& library);

  ExecutionResult execute(const std::vector<domain::Command>& commands, const std::string& course_id);

 private:
  ports::LanguageModel& model_;
  ports::Embedder& embedder_;
  ports::Library& library_;
};

}  // namespace docprof::engine
