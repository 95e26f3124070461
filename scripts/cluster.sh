#!/usr/bin/env bash
# A distributed docprof on one machine, for a try-out (docs/deploy.md): a throwaway PostgreSQL 15
# and a nats-server -js, both on loopback with their data in one folder; the schema migrated; the
# sample library imported; `docprof serve --no-workers` (the API and web page) and N `docprof
# worker` processes, all on storage.backend = postgres and bus.backend = nats. Ctrl-C stops
# everything (the folder stays, with every process's log, unless --clean).
#
#   scripts/cluster.sh                    # 3 workers, API on http://127.0.0.1:8080/ (auth none)
#   scripts/cluster.sh --workers 5 --port 9090 --dir /tmp/my-cluster --llm replay:answers.jsonl
#
# Then, in another shell:  export $(cat DIR/env) && build/src/docprof course create "…" --hours 3
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
workers=3
port=8080
dir=""
llm=""
clean=false
usage() { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; }
while (($#)); do
  case "$1" in
    --workers) workers=${2:?--workers needs a number}; shift 2 ;;
    --port) port=${2:?--port needs a number}; shift 2 ;;
    --dir) dir=${2:?--dir needs a folder}; shift 2 ;;
    --llm) llm=${2:?--llm needs a spec}; shift 2 ;;
    --clean) clean=true; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "cluster.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ $workers =~ ^[0-9]+$ && $workers -ge 1 ]] || { echo "cluster.sh: --workers takes a number ≥ 1" >&2; exit 2; }
[[ $port =~ ^[0-9]+$ ]] || { echo "cluster.sh: --port takes a number" >&2; exit 2; }

"$root/scripts/install-deps.sh" >&2
if [[ ! -x "$root/build/src/docprof" ]]; then
  generator=()
  command -v ninja >/dev/null && generator=(-G Ninja)
  [[ -f "$root/build/CMakeCache.txt" ]] || cmake -S "$root" -B "$root/build" "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo >&2
fi
cmake --build "$root/build" --target docprof -j "${JOBS:-$(nproc)}" >&2
docprof_bin="$root/build/src/docprof"

dir=${dir:-$(mktemp -d "${TMPDIR:-/tmp}/docprof-cluster.XXXXXX")}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
pg_port=$(free_port)
nats_port=$(free_port)
pg_bin=/usr/lib/postgresql/15/bin
as_postgres=()
if [[ $(id -u) -eq 0 ]]; then
  chown postgres: "$dir"
  as_postgres=(runuser -u postgres --)
fi

pids=()
stop_all() {
  echo "cluster.sh: stopping" >&2
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  "${as_postgres[@]}" "$pg_bin/pg_ctl" -D "$dir/pg" -m fast -w stop >/dev/null 2>&1 || true
  if $clean; then rm -rf "$dir"; else echo "cluster.sh: logs and data stay in $dir" >&2; fi
}
trap stop_all EXIT
trap 'exit 130' INT TERM

echo "== PostgreSQL 15 on 127.0.0.1:$pg_port ($dir/pg)" >&2
"${as_postgres[@]}" "$pg_bin/initdb" -D "$dir/pg" -U postgres -A trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1
"${as_postgres[@]}" "$pg_bin/pg_ctl" -D "$dir/pg" -l "$dir/postgres.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $dir" start >/dev/null
echo "== nats-server -js on 127.0.0.1:$nats_port ($dir/nats)" >&2
nats-server -js -a 127.0.0.1 -p "$nats_port" -sd "$dir/nats" -l "$dir/nats.log" &
pids+=($!)

cat >"$dir/env" <<EOF
DOCPROF_STORAGE_BACKEND=postgres
DOCPROF_STORAGE_URL=postgresql://postgres@127.0.0.1:$pg_port/postgres
DOCPROF_BUS_BACKEND=nats
DOCPROF_BUS_URL=nats://127.0.0.1:$nats_port
EOF
set -a; source "$dir/env"; set +a
for _ in $(seq 100); do "$docprof_bin" migrate >/dev/null 2>&1 && break; sleep 0.1; done
"$docprof_bin" migrate >&2
echo "== importing the sample library (examples/library)" >&2
"$docprof_bin" books import "$root/examples/library" >&2

llm_args=()
[[ -n $llm ]] && llm_args=(--llm "$llm")
echo "== docprof serve --no-workers on http://127.0.0.1:$port/ (auth none)" >&2
"$docprof_bin" serve --no-workers --auth none --listen "127.0.0.1:$port" >"$dir/serve.log" 2>&1 &
pids+=($!)
for i in $(seq "$workers"); do
  "$docprof_bin" worker "${llm_args[@]}" >"$dir/worker-$i.log" 2>&1 &
  pids+=($!)
done
echo "== $workers worker(s) running; logs in $dir. In another shell:" >&2
echo "   export \$(cat $dir/env) && $docprof_bin course create \"I want to learn how to value a company\" --hours 3 --no-wait" >&2
echo "   open http://127.0.0.1:$port/   — Ctrl-C here stops the cluster" >&2
while true; do
  for pid in "${pids[@]}"; do
    if ! kill -0 "$pid" 2>/dev/null; then echo "cluster.sh: process $pid exited (see $dir/*.log)" >&2; exit 1; fi
  done
  sleep 1
done
