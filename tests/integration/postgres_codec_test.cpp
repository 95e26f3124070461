// The PostgreSQL adapters' ISO 8601 reader (adapters/postgres/pg_codec.h): the instants the domain
// writes round trip to the millisecond, zones and the forms SQLite's date functions read are
// accepted, and anything else is refused.
#include <gtest/gtest.h>

#include "adapters/postgres/pg_codec.h"
#include "domain/time_format.h"

namespace docprof::adapters::postgres {
namespace {

TEST(PostgresCodec, ReadsBackEveryInstantTheDomainWrites) {
  for (const std::int64_t ms : {std::int64_t{0}, std::int64_t{1'800'000'000'123}, std::int64_t{951'782'400'999},
                                std::int64_t{-86'400'001}}) {
    EXPECT_EQ(parse_iso8601_ms(domain::format_iso8601(ms)), ms) << domain::format_iso8601(ms);
  }
}

TEST(PostgresCodec, ReadsZonesAndShorterForms) {
  EXPECT_EQ(parse_iso8601_ms("1970-01-02"), 86'400'000);
  EXPECT_EQ(parse_iso8601_ms("1970-01-01 00:01"), 60'000);
  EXPECT_EQ(parse_iso8601_ms("1970-01-01T01:00:00+01:00"), 0);
  EXPECT_EQ(parse_iso8601_ms("1970-01-01T00:00:00.5-0030"), 1'800'500);
  EXPECT_EQ(parse_iso8601_ms("1970-01-01T00:00:00.123456Z"), 123);
}

TEST(PostgresCodec, RefusesWhatIsNotAnInstant) {
  for (const char* text : {"", "yesterday", "2026-02-30", "2026-13-01", "2026-01-01T24:00", "2026-01-01T10:00:00.Z",
                           "2026-01-01T10:00:00Zjunk", "2026-01-01T10:00+25:00", "26-01-01"}) {
    EXPECT_FALSE(parse_iso8601_ms(text).has_value()) << text;
  }
}

}  // namespace
}  // namespace docprof::adapters::postgres
