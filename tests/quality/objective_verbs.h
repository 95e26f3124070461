// The measurable verbs a learning objective may start with: one list per course depth (what the
// depth asks of the learner) and their union with other observable, assessable verbs. Verbs such
// as "understand", "learn", "know" or "appreciate" are not measurable and are in no list.
//
// Thread safety: immutable tables.
#pragma once

#include <set>
#include <string>
#include <string_view>

namespace docprof::quality {

// The verbs that fit a depth (overview | balanced | technical | expert; anything else reads as
// balanced).
const std::set<std::string, std::less<>>& depth_verbs(std::string_view depth);

// True for a lower-case measurable verb of any depth or of the wider list.
bool is_measurable_verb(std::string_view lower_case_word);

}  // namespace docprof::quality
