// How the stores write the workflow's values into columns, and read them back: JSON text (via
// domain/models_json.h and events_json.h) and the names of enums (run status, history kind, phase,
// section and course status, vector kind), and row ids written as text. One codec for every
// backend (SQLite, PostgreSQL), so that both hold the same documents and names.
//
// A column that cannot be read back (corrupt JSON, an unknown name) is std::runtime_error naming the
// table and key given as `context`: the database was changed behind docprof's back.
// For the adapters only (it brings nlohmann/json): the engine and the faces never include it.
// Thread safety: stateless functions.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "domain/events.h"
#include "domain/events_json.h"
#include "domain/models_json.h"
#include "ports/library.h"
#include "ports/run_store.h"

namespace docprof::ports::stored {

// Model output may carry invalid UTF-8; it is stored with U+FFFD in its place rather than failing
// the step that saves it (PostgreSQL refuses invalid UTF-8 in TEXT anyway).
template <class T>
std::string to_json_text(const T& value) {
  return nlohmann::json(value).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

template <class T>
T from_json_text(const std::string& text, std::string_view context) {
  try {
    return nlohmann::json::parse(text).get<T>();
  } catch (const nlohmann::json::exception& error) {
    throw std::runtime_error(std::string(context) + ": unreadable JSON: " + error.what());
  }
}

std::string envelope_to_text(const domain::Envelope& event);
domain::Envelope envelope_from_text(const std::string& text, std::string_view context);

ports::RunStatus parse_run_status(std::string_view name, std::string_view context);
ports::HistoryKind parse_history_kind(std::string_view name, std::string_view context);
domain::Phase phase_from_name(std::string_view name, std::string_view context);
domain::SectionStatus section_status_from_name(std::string_view name, std::string_view context);
domain::CourseStatus course_status_from_name(std::string_view name, std::string_view context);
std::string_view to_string(ports::VectorKind kind);

// A row id written as a decimal string (delivery and dead-letter ids); nullopt for anything else.
std::optional<std::int64_t> parse_row_id(std::string_view text);

}  // namespace docprof::ports::stored
