#!/usr/bin/env bash
# Installs, idempotently, every Debian 12 package docprof needs to build and test.
# Runs as root (or through sudo). Prints what it installs; installs nothing already present.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config ccache git
  nlohmann-json3-dev libspdlog-dev libfmt-dev libcli11-dev libtomlplusplus-dev
  libsqlite3-dev sqlite3 libcurl4-openssl-dev libssl-dev uuid-dev libstemmer-dev
  libboost1.81-dev  # the HTTP server (Boost.Beast/Asio, header-only); never libboost-dev (1.74): they conflict
  libcpp-httplib-dev  # the HTTP client of the API tests and the server of the providers' test doubles
  libgtest-dev libgmock-dev libbenchmark-dev
  # Ingestion (docprof books ingest): Markdown, HTML/XML, EPUB (zip), PDF text and outline
  libcmark-dev libxml2-dev libzip-dev libpoppler-cpp-dev libpoppler-glib-dev
  libcairo2-dev pandoc qpdf  # the ingestion tests draw PDFs (cairo), write EPUBs (pandoc), encrypt PDFs (qpdf)
  wamerican  # /usr/share/dict/words: the course quality checker's dictionary (tests/quality)
  chromium  # the browser test of the web page (tests/browser), run headless at /usr/bin/chromium
  # Distributed mode's stores: libpq to build, a PostgreSQL 15 server the tests start on loopback
  libpq-dev postgresql-15
  # Distributed mode's event bus: cnats to build, a nats-server (JetStream) the tests start on loopback
  libnats-dev nats-server
)
command -v npm >/dev/null || packages+=(nodejs npm)  # npm ci of tests/npm-providers (mock-llm)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages already installed"
  exit 0
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  SUDO=sudo
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "install-deps: done"
