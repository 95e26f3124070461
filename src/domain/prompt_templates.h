// The texts of the course prompts (domain.md §3): one template per prompt id, with {name}
// placeholders, and the output grammar each prompt asks for (quoted again by repair prompts).
// prompts.h holds the specs and the rendering; this header only exposes the texts, so tests can
// check a spec's variables against the placeholders actually written in its template.
//
// Thread safety: immutable texts, built once on first use.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace docprof::domain {

struct PromptTemplate {
  std::string_view id;
  std::string_view text;         // with {name} placeholders
  std::string_view format_spec;  // the requested output grammar, without placeholders
};

// The template of a known prompt id, or nullptr.
const PromptTemplate* find_prompt_template(std::string_view prompt_id);

// The distinct placeholder names of a template text ({name}, name = [a-z_][a-z0-9_]*), sorted.
// Anything else in braces is literal text.
std::vector<std::string> placeholders_of(std::string_view template_text);

// One pass of substitution: each placeholder is replaced by its value, and values are never scanned
// again (a value holding "{query}" stays as it is). Names without a value and values without a
// placeholder are reported, sorted, for the caller to turn into an error.
struct Substitution {
  std::string text;
  std::vector<std::string> missing;  // placeholders with no value
  std::vector<std::string> unused;   // values with no placeholder
};
Substitution substitute(std::string_view template_text,
                        const std::map<std::string, std::string>& values);

}  // namespace docprof::domain
