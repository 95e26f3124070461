// Where a text stops being well-formed UTF-8, for an error message that says where.
// Thread safety: stateless.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace docprof::adapters::ingest {

// The offset of the first byte that is not part of well-formed UTF-8, or nullopt.
std::optional<std::size_t> first_invalid_utf8(std::string_view text);

}  // namespace docprof::adapters::ingest
