#!/usr/bin/env bash
# Benchmark: identification throughput on generated observations (no network).
# Builds the jar if needed, then runs bench/IdentifyThroughput.java against it and prints
# observations/second (wall and the engine thread's CPU time) and peak memory (JVM heap peak, and
# the process's peak RSS when /usr/bin/time is available), for four engines, each in its own JVM:
#   1. the shipped rules, compiled matcher (what camaudit runs)
#   2. the shipped rules, plain loop (every rule of a key tried on each value, as before)
#   3. the shipped rules plus generated SYNTHETIC rules up to MULTIPLE x the shipped count, compiled
#   4. the same SYNTHETIC engine, plain loop
# The load average is printed before each run: the figures are only comparable at similar load.
# Each JVM repeats the measured run REPEATS times and prints the best last.
# Usage: bench/identify-throughput.sh [OBSERVATIONS(1000000)] [MULTIPLE(4)] [REPEATS(3)]
# ONLY=compiled or ONLY=plain runs one matcher; MULTIPLE=1 skips the synthetic engines.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}
multiple=${2:-4}
repeats=${3:-3}
only=${ONLY:-}
./camaudit --version >/dev/null  # builds the jar on first use
jdk=$(CAMAUDIT_WHICH_JDK=1 ./camaudit)
jar=cli/target/camaudit.jar
echo "cores: $(nproc)  java: $("$jdk/bin/java" -version 2>&1 | head -1)"
run() { # $1 = rule multiple, $2 = plain loop (true/false)
  local cmd=("$jdk/bin/java" -Xmx1g -Dcamaudit.identify.plainLoop="$2" -cp "$jar"
    bench/IdentifyThroughput.java "$n" "$1" "$repeats")
  echo "--- load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f "peak RSS: %M KB, wall %e s" "${cmd[@]}"
  else
    "${cmd[@]}"
  fi
}
multiples=(1)
[ "$multiple" -gt 1 ] && multiples+=("$multiple")
for m in "${multiples[@]}"; do
  [ "$only" = plain ] || run "$m" false
  [ "$only" = compiled ] || run "$m" true
done
