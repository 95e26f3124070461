// CommandExecutor: carries out a decision's effectful command against the ports — one embedding,
// search or model call. CreateCourse + CreateSections are not run here: the run store writes the
// course in the step's commit (see StepCommit::course); they yield a StoreOutcome. An ingestion
// run's ParseDocument and StoreBook go to the IngestService: a document that cannot be read is a
// permanent invalid_document; a failed embedding or store is worth another attempt.
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

class IngestService;

class CommandExecutor {
 public:
  // `ingest` carries out an ingestion run's ParseDocument and StoreBook (issue 14); without it they
  // fail as not configured.
  CommandExecutor(ports::LanguageModel& model, ports::Embedder& embedder, ports::Library& library,
                  IngestService* ingest = nullptr);

  ExecutionResult execute(const std::vector<domain::Command>& commands, const std::string& course_id);

 private:
  ports::LanguageModel& model_;
  ports::Embedder& embedder_;
  ports::Library& library_;
  IngestService* ingest_;
};

}  // namespace docprof::engine
