#!/usr/bin/env bash
# Sets up everything and runs docprof's whole test suite on a Debian 12 machine:
#   1. installs the Debian packages it needs (scripts/install-deps.sh, idempotent),
#   2. configures and builds with -Wall -Wextra -Werror (reusing an existing build in build/),
#   3. runs every test with ctest (the course quality test among them: label `quality`),
#   4. builds again under AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/) and runs the
#      unit and integration suites there too (the end-to-end suite runs in step 3 only).
# Environment: JOBS (parallel jobs, default: number of cores), SKIP_ASAN=1 to skip step 4.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
jobs=${JOBS:-$(nproc)}

"$root/scripts/install-deps.sh"
[[ tests/npm-providers/node_modules/.package-lock.json -nt tests/npm-providers/package-lock.json ]] ||
  npm ci --prefix tests/npm-providers --no-audit --no-fund  # mock-llm, for tests/e2e/cli_mock_llm_test.cpp

generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
# CI starts from a clean machine: a compiler cache there only costs disk (two builds' objects).
[[ ${CI:-} == true ]] && export CCACHE_DISABLE=1

configure() {  # dir, extra cmake args...
  local dir=$1; shift
  if [[ ! -f $dir/CMakeCache.txt ]]; then
    cmake -S "$root" -B "$dir" "${generator[@]}" "$@"
  else
    cmake -S "$root" -B "$dir" "$@" >/dev/null
  fi
}

echo "== build (warnings are errors)"
# DOCPROF_COMPACT_BUILD: shared layer libraries and line-table debug info, so the ~100 test
# executables do not each carry a copy of every layer (CMakeLists.txt says why).
configure build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDOCPROF_WERROR=ON -DDOCPROF_COMPACT_BUILD=ON
cmake --build build -j "$jobs"

echo "== tests"
[[ tests/browser/node_modules/.package-lock.json -nt tests/browser/package-lock.json ]] || npm ci --prefix tests/browser --no-audit --no-fund  # playwright-core, for the browser test
ctest --test-dir build --output-on-failure -j "$jobs" --no-tests=error

if [[ ${SKIP_ASAN:-0} != 1 ]]; then
  echo "== sanitizers: ASan + UBSan build of the unit and integration suites"
  configure build-asan -DCMAKE_BUILD_TYPE=Debug -DDOCPROF_WERROR=ON -DDOCPROF_SANITIZE=ON -DDOCPROF_BUILD_BENCH=OFF \
    -DDOCPROF_COMPACT_BUILD=ON
  cmake --build build-asan -j "$jobs"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  LSAN_OPTIONS="suppressions=$root/tests/sanitizers/lsan.supp:print_suppressions=0" \
    ctest --test-dir build-asan --output-on-failure -j "$jobs" --no-tests=error -L "unit|integration"
fi
echo "== disk used by the builds"
du -sh build build-asan 2>/dev/null || true
