#include "engine/system_clock.h"

#include <uuid/uuid.h>

#include <chrono>

namespace docprof::engine {

std::int64_t SystemClock::now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string UuidSource::new_id() {
  uuid_t id;
  uuid_generate_random(id);
  char text[37];
  uuid_unparse_lower(id, text);
  return std::string(text);
}

}  // namespace docprof::engine
