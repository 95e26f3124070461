// Deterministic identifiers: the rows of a stored course get ids derived from the course id and the
// row's position, so replaying a store upserts the same rows instead of adding new ones.
// Thread safety: stateless.
#pragma once

#include <string>
#include <string_view>

namespace docprof::domain {

// A UUID (RFC 9562 version 8, name-based with a non-cryptographic 128-bit hash) of (namespace, name):
// the same inputs always give the same id, different inputs practically never the same.
std::string derived_uuid(std::string_view namespace_id, std::string_view name);

}  // namespace docprof::domain
