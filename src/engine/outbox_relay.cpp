#include "engine/outbox_relay.h"

#include <spdlog/spdlog.h>

#include "domain/saturating.h"

namespace docprof::engine {

void publish_outbox(ports::RunStore& runs, ports::EventQueue& queue, const domain::Envelope& event,
                    std::int64_t now_ms) {
  try {
    queue.publish(event, now_ms);
    runs.clear_outbox(event.course_id, event.event_id);
  } catch (const std::exception& e) {
    spdlog::warn("publishing {} of {} failed ({}); a worker's relay pass will", domain::to_string(event.type()),
                 event.course_id, e.what());
  }
}

int relay_outbox(ports::RunStore& runs, ports::EventQueue& queue, std::int64_t now_ms, std::int64_t min_age_ms) {
  if (runs.hands_off_events()) return 0;
  int published = 0;
  for (const auto& event : runs.unpublished(domain::saturating_add(now_ms, -min_age_ms))) {
    queue.publish(event, now_ms);
    runs.clear_outbox(event.course_id, event.event_id);
    ++published;
  }
  return published;
}

}  // namespace docprof::engine
