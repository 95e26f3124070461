#include "ports/stored_codec.h"

#include <charconv>

namespace docprof::ports::stored {
namespace {

[[noreturn]] void unknown_name(std::string_view what, std::string_view name,
                               std::string_view context) {
  throw std::runtime_error(std::string(context) + ": unknown " + std::string(what) + " '" +
                           std::string(name) + "'");
}

template <class T>
T checked(const domain::Result<T>& result, std::string_view context) {
  if (!result) throw std::runtime_error(std::string(context) + ": " + result.error().message);
  return *result;
}

}  // namespace

std::string envelope_to_text(const domain::Envelope& event) { return to_json_text(event); }

domain::Envelope envelope_from_text(const std::string& text, std::string_view context) {
  nlohmann::json document;
  try {
    document = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& error) {
    throw std::runtime_error(std::string(context) + ": unreadable event JSON: " + error.what());
  }
  return checked(domain::envelope_from_json(document), context);
}

ports::RunStatus parse_run_status(std::string_view name, std::string_view context) {
  for (auto status :
       {ports::RunStatus::processing, ports::RunStatus::complete, ports::RunStatus::error}) {
    if (ports::to_string(status) == name) return status;
  }
  unknown_name("run status", name, context);
}

ports::HistoryKind parse_history_kind(std::string_view name, std::string_view context) {
  for (auto kind : {ports::HistoryKind::step, ports::HistoryKind::note,
                    ports::HistoryKind::complete, ports::HistoryKind::error}) {
    if (ports::to_string(kind) == name) return kind;
  }
  unknown_name("history kind", name, context);
}

domain::Phase phase_from_name(std::string_view name, std::string_view context) {
  return checked(domain::parse_phase(name), context);
}

domain::SectionStatus section_status_from_name(std::string_view name, std::string_view context) {
  return checked(domain::parse_section_status(name), context);
}

domain::CourseStatus course_status_from_name(std::string_view name, std::string_view context) {
  return checked(domain::parse_course_status(name), context);
}

std::string_view to_string(ports::VectorKind kind) {
  switch (kind) {
    case ports::VectorKind::book:
      return "book";
    case ports::VectorKind::chapter:
      return "chapter";
    case ports::VectorKind::section:
      return "section";
  }
  return "book";
}

std::optional<std::int64_t> parse_row_id(std::string_view text) {
  std::int64_t id = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return id;
}

}  // namespace docprof::ports::stored
