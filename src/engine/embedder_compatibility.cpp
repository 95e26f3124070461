#include "engine/embedder_compatibility.h"

namespace docprof::engine {

std::optional<std::string> embedder_mismatch(const std::map<std::string, int>& books_per_model,
                                             const std::string& model) {
  int total = 0;
  int others = 0;
  std::string other_models;
  for (const auto& [name, count] : books_per_model) {
    total += count;
    if (name == model) continue;
    others += count;
    other_models += (other_models.empty() ? "" : ", ") + name + " (" + std::to_string(count) + " book" +
                    (count == 1 ? "" : "s") + ")";
  }
  if (others == 0) return std::nullopt;
  const std::string which =
      others == total ? "the library's vectors were made with "
                      : std::to_string(others) + " of " + std::to_string(total) + " books have vectors made with ";
  return which + other_models + ", not with the configured embedder " + model +
         ", so a search would miss them: run `docprof books reembed` to rebuild the vectors with " + model +
         ", or configure the embedder they were made with";
}

}  // namespace docprof::engine
