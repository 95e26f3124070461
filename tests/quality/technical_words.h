// General computing words the system word list lacks ("filesystem", "runtime", "json"), added to
// the quality checker's dictionary so that an objective using them is not called noisy when its
// books happen not to name them. Names of particular tools and streams ("git", "rustc", "stdin")
// are left to the books' own topics.
//
// Thread safety: an immutable table.
#pragma once

#include <string_view>
#include <vector>

namespace docprof::quality {

const std::vector<std::string_view>& technical_words();

}  // namespace docprof::quality
