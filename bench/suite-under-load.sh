#!/usr/bin/env bash
# Runs the whole test suite N times while every core is kept busy by stress-ng, and prints one
# line per run (pass/fail, wall clock, the tests that failed). A test that only passes on an idle
# machine is racy; this is how such tests are found.
#
#   bench/suite-under-load.sh [N] [--snapshot] [-- extra mvn arguments]
#
#   N            runs (default 5)
#   --snapshot   run in a fresh clone of HEAD (under bench/out/), so that edits in the work tree
#                during the runs do not change what is tested; node_modules are linked in
#   SUITE_LOCK   a file to hold with flock(1) around each run (e.g. /tmp/camaudit-net.lock on a
#                machine whose network tests are shared); unset: no lock
#   LOAD_WORKERS stress-ng CPU workers (default: one per core)
#
# Logs of every run go to bench/out/suite-under-load/run-<i>.log. Exit 0 when every run passed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs=5
snapshot=0
mvn_extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --snapshot) snapshot=1 ;;
    --) shift; mvn_extra=("$@"); break ;;
    [0-9]*) runs=$1 ;;
    *) echo "usage: $0 [N] [--snapshot] [-- mvn args]" >&2; exit 2 ;;
  esac
  shift
done

if ! command -v stress-ng >/dev/null 2>&1; then
  echo "suite-under-load: installing stress-ng (Debian package)" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends stress-ng >/dev/null
fi

# the suite's own tools, as CI has them: with CI set a test fails rather than skips without one
"$root/.ci/install-tools"
# and its npm packages, as .ci/run installs them (the geo database test fails without them)
[ -d "$root/knowledge/geo/node_modules" ] && [ -d "$root/testbed/src/test/node/node_modules" ] \
  || "$root/.ci/install-node-modules"

out="$root/bench/out/suite-under-load"
mkdir -p "$out"
dir="$root"
if [ "$snapshot" = 1 ]; then
  dir="$out/tree"
  rm -rf "$dir"
  git clone -q "$root" "$dir"
  for m in testbed/src/test/node/node_modules knowledge/geo/node_modules; do
    [ -d "$root/$m" ] && ln -s "$root/$m" "$dir/$m"
  done
  echo "suite-under-load: testing $(git -C "$dir" log -1 --format='%h %s' | cut -c1-70)" >&2
fi
workers=${LOAD_WORKERS:-$(nproc)}

one_run() { # $1: log file; runs mvn verify under load, returns mvn's status
  local log=$1 load status
  stress-ng --cpu "$workers" --cpu-method all --timeout 0 --quiet &
  load=$!
  set +e
  (cd "$dir" && mvn -o -B verify "${mvn_extra[@]}") >"$log" 2>&1
  status=$?
  set -e
  kill "$load" 2>/dev/null || true
  wait "$load" 2>/dev/null || true
  return "$status"
}

passed=0
for i in $(seq 1 "$runs"); do
  log="$out/run-$i.log"
  start=$(date +%s)
  if [ -n "${SUITE_LOCK:-}" ]; then
    export -f one_run
    export dir workers
    export mvn_extra_s="${mvn_extra[*]:-}"
    set +e
    flock "$SUITE_LOCK" bash -c 'mvn_extra=($mvn_extra_s); one_run "$0"' "$log"
    status=$?
    set -e
  else
    set +e
    one_run "$log"
    status=$?
    set -e
  fi
  secs=$(( $(date +%s) - start ))
  tests=$(grep -E '^\[(INFO|WARNING|ERROR)\] Tests run: [0-9]+, Failures' "$log" | tail -n 1 \
    | sed -E 's/^\[[A-Z]+\] //' || true)
  if [ "$status" = 0 ]; then
    passed=$((passed + 1))
    echo "run $i/$runs: PASS in ${secs}s ($(date -u +%H:%M) UTC) ${tests}"
  else
    failed=$(grep -E '<<< (FAILURE|ERROR)!' "$log" | grep -vE 'Tests run:' \
      | sed -E 's/^\[ERROR\] *//; s/ +(Time elapsed|<<<).*//' | sort -u | tr '\n' ' ' || true)
    echo "run $i/$runs: FAIL (mvn exit $status) in ${secs}s ($(date -u +%H:%M) UTC) ${tests}"
    echo "    failed: ${failed:-see $log}"
  fi
done
echo "suite-under-load: $passed of $runs runs passed under $workers stress-ng CPU workers on $(nproc) cores"
[ "$passed" = "$runs" ]
