#!/usr/bin/env bash
# Try docprof in one command on a Debian 12 machine: installs what it needs (scripts/install-deps.sh),
# builds the binary (reusing build/), imports the bundled sample library into a fresh database and
# generates a course with the offline planner, printing the progress and the outline.
#
#   scripts/demo.sh                                   # the default request
#   scripts/demo.sh "Teach me the C programming language" 3   # your own request and hours
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
request=${1:-"I want to learn how to value a company"}
hours=${2:-6}

"$root/scripts/install-deps.sh" >&2

generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
if [[ ! -f build/CMakeCache.txt ]]; then
  cmake -S "$root" -B build "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo >&2
fi
echo "== building docprof (reused when up to date)" >&2
cmake --build build --target docprof -j "${JOBS:-$(nproc)}" >&2

work=$(mktemp -d "${TMPDIR:-/tmp}/docprof-demo.XXXXXX")
db="$work/demo.db"
docprof() { "$root/build/src/docprof" --db "$db" "$@"; }

echo "== importing the sample library (examples/library) into $db" >&2
docprof books import examples/library
echo >&2
echo "== docprof course create \"$request\" --hours $hours" >&2
docprof course create "$request" --hours "$hours"
echo >&2
echo "The database stays in $db: try" >&2
echo "  build/src/docprof --db $db course list" >&2
echo "  build/src/docprof --db $db events <course id>" >&2
echo "  build/src/docprof --db $db serve --auth none     # then open http://127.0.0.1:8080/" >&2
