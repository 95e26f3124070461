// The SQLite adapters' conversions: the stored-value codec all backends share
// (ports/stored_codec.h: JSON text, enum names, row ids), and the deletion of a run's rows (used by
// both the run store and the course repository).
// Thread safety: stateless functions.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "ports/stored_codec.h"

namespace docprof::adapters::sqlite {

class Session;

// The stored-value codec every backend shares (ports/stored_codec.h), by its plain names here.
using namespace ports::stored;  // NOLINT(google-build-using-namespace)

// Deletes a run's record (of either kind), history, books, queued events and dead letters; true
// when the record existed.
// Call inside a write transaction.
bool delete_run_rows(Session& session, const std::string& course_id);

}  // namespace docprof::adapters::sqlite
