// The PostgreSQL adapters' conversions: the stored-value codec all backends share
// (ports/stored_codec.h: JSON text, enum names, row ids — the same text as the SQLite adapters
// write), and ISO 8601 timestamps read as SQLite's date functions read them.
// Thread safety: stateless functions.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "ports/stored_codec.h"

namespace docprof::adapters::postgres {

// The stored-value codec every backend shares (ports/stored_codec.h), by its plain names here.
using namespace ports::stored;  // NOLINT(google-build-using-namespace)

// A PostgreSQL array literal of text values ({"a","b"}: each quoted, backslashes and quotes
// escaped), for a parameter read as `$n::text[]`. Membership tests use `= ANY($n::text[])`, which
// the planner estimates by the array's length and answers from an index, where
// `IN (SELECT jsonb_array_elements_text(...))` is planned for 100 values and scans the table.
std::string text_array(const std::vector<std::string>& values);

// ISO 8601 -> epoch milliseconds: "YYYY-MM-DD", optionally followed by 'T' (or a space) and
// "HH:MM[:SS[.fraction]]" and a zone ("Z", "+HH:MM", "-HHMM"; none is UTC) — what SQLite's date
// functions read for the SQLite adapters. nullopt for anything else, or an impossible date.
std::optional<std::int64_t> parse_iso8601_ms(std::string_view text);

}  // namespace docprof::adapters::postgres
