#!/usr/bin/env bash
# Benchmark: identification throughput on generated observations (no network).
# Builds the jar if needed, then runs bench/IdentifyThroughput.java against it and prints
# observations/second and peak memory (JVM heap peak, and the process's peak RSS when
# /usr/bin/time is available). Usage: bench/identify-throughput.sh [OBSERVATIONS(1000000)]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}
./camaudit --version >/dev/null  # builds the jar on first use
jdk=$(CAMAUDIT_WHICH_JDK=1 ./camaudit)
jar=cli/target/camaudit.jar
cmd=("$jdk/bin/java" -Xmx1g -cp "$jar" bench/IdentifyThroughput.java "$n")
echo "cores: $(nproc)  java: $("$jdk/bin/java" -version 2>&1 | head -1)"
if [ -x /usr/bin/time ]; then
  /usr/bin/time -f "peak RSS: %M KB, wall %e s" "${cmd[@]}"
else
  "${cmd[@]}"
fi
