// JSON form of commands (for logs, the run history and cassettes): {"command": "<Name>", ...fields}.
// Thread safety: stateless.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "domain/commands.h"

namespace docprof::domain {

void to_json(nlohmann::json&, const LlmRequest&);
void from_json(const nlohmann::json&, LlmRequest&);
nlohmann::json command_to_json(const Command&);
Result<Command> command_from_json(const nlohmann::json&);

}  // namespace docprof::domain
