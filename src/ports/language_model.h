// LanguageModel: the port through which a step makes its one logical model request.
//
// An adapter may retry transient errors inside a call, re-ask once with more max_tokens after a
// truncated answer, or switch to a fallback model: all of that is one call here. A truncated answer
// that more tokens did not fix comes back as a ModelOutcome with finish_reason "length".
//
// Thread safety: implementations must allow concurrent complete() calls from many worker threads.
#pragma once

#include <string>
#include <variant>

#include "domain/commands.h"
#include "ports/provider_error.h"

namespace docprof::ports {

// What the call is for, so that recording adapters can tag what they write.
struct CallContext {
  std::string course_id;
};

using LlmResult = std::variant<domain::ModelOutcome, ProviderError>;

class LanguageModel {
 public:
  virtual ~LanguageModel() = default;
  virtual LlmResult complete(const domain::LlmRequest& request, const CallContext& context) = 0;
  // "extractive", "replay:<path>", "openai:<model>", …: shown in logs and run history.
  virtual std::string name() const = 0;
};

}  // namespace docprof::ports
