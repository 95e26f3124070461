#include "engine/command_executor.h"

#include <exception>
#include <utility>

#include "engine/embedder_compatibility.h"
#include "engine/ingest_service.h"

namespace docprof::engine {

using domain::Command;

CommandExecutor::CommandExecutor(ports::LanguageModel& model, ports::Embedder& embedder, ports::Library& library,
                                 IngestService* ingest)
    : model_(model), embedder_(embedder), library_(library), ingest_(ingest) {}

namespace {

// A library that cannot be read (a locked or unreachable database) is worth another attempt.
ports::ProviderError storage_error(const std::exception& e) {
  return ports::ProviderError{"storage_error", e.what(), true, 0, std::nullopt};
}

ExecutionResult not_configured() {
  ExecutionResult result;
  result.error = ports::ProviderError{"not_configured", "this worker cannot ingest documents (no ingest service)",
                                      false, 0, std::nullopt};
  return result;
}

}  // namespace

ExecutionResult CommandExecutor::execute(const std::vector<Command>& commands, const std::string& course_id) {
  ExecutionResult result;
  const domain::CreateCourse* create_course = nullptr;
  bool store_revision = false;

  for (const Command& command : commands) {
    if (const auto* embed = std::get_if<domain::Embed>(&command)) {
      auto embedded = embedder_.embed(embed->texts);
      if (auto* error = std::get_if<ports::ProviderError>(&embedded)) {
        result.error = *error;
        return result;
      }
      auto& vectors = std::get<std::vector<ports::Embedding>>(embedded);
      domain::EmbedOutcome outcome;
      if (!vectors.empty()) outcome.embedding = std::move(vectors.front());
      outcome.model = embedder_.model();
      result.outcome = std::move(outcome);
    } else if (const auto* search = std::get_if<domain::SearchBookSummaries>(&command)) {
      try {
        if (auto refusal = embedder_mismatch(library_.books_per_embedding_model(), search->embedding_model)) {
          result.error = ports::ProviderError{kEmbedderMismatch, *refusal, false, 0, std::nullopt};
          return result;
        }
        result.outcome =
            domain::SearchOutcome{library_.search(ports::LibrarySearch{
                search->query, search->embedding, search->embedding_model, search->top_k, search->min_similarity})};
      } catch (const std::exception& e) {
        result.error = storage_error(e);
        return result;
      }
    } else if (const auto* call = std::get_if<domain::CallModel>(&command)) {
      auto answer = model_.complete(call->request, ports::CallContext{course_id});
      if (auto* error = std::get_if<ports::ProviderError>(&answer)) {
        result.error = *error;
        return result;
      }
      result.outcome = std::get<domain::ModelOutcome>(std::move(answer));
    } else if (const auto* course = std::get_if<domain::CreateCourse>(&command)) {
      create_course = course;
    } else if (std::holds_alternative<domain::StoreRevision>(command)) {
      store_revision = true;
    } else if (const auto* parse = std::get_if<domain::ParseDocument>(&command)) {
      if (ingest_ == nullptr) return not_configured();
      try {
        auto parsed = ingest_->parse(*parse);
        if (!parsed) {
          // A document that cannot be read stays unreadable: no retry (the message names it).
          result.error = ports::ProviderError{parsed.error().code, parsed.error().message, false, 0, std::nullopt};
          return result;
        }
        result.outcome = std::move(parsed).value();
      } catch (const std::exception& e) {
        result.error = storage_error(e);
        return result;
      }
    } else if (const auto* store = std::get_if<domain::StoreBook>(&command)) {
      if (ingest_ == nullptr) return not_configured();
      try {
        auto stored = ingest_->store(*store);
        if (!stored) {
          result.error = ports::ProviderError{stored.error().code, stored.error().message, true, 0, std::nullopt};
          return result;
        }
        result.outcome = std::move(stored).value();
      } catch (const std::exception& e) {
        result.error = storage_error(e);
        return result;
      }
    }
  }

  // The course itself (or its revision) is written by the run store's commit, atomically with the
  // run record.
  if (create_course != nullptr || store_revision) result.outcome = domain::StoreOutcome{};
  return result;
}

}  // namespace docprof::engine
