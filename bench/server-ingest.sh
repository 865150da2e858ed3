#!/usr/bin/env bash
# Benchmark: central-store ingest (issue 13, item 6). Builds the jar if needed, then runs
# bench/ServerIngest.java against it: a throwaway PostgreSQL on 127.0.0.1 (Debian's postgresql;
# run as root, it runs the cluster as the postgres user), the HTTPS server, 100 sites with their
# own enrolled agents and generated SQLite logs, pushed by several agents at once. Prints the
# ingest rate next to a server-side PostgreSQL COPY of the same rows into the same table, the
# ratio, and p50/p95 of the main queries through the API.
# Usage: bench/server-ingest.sh [--scale S(1)] [--agents N(4)] [--scans-per-site K(4)] [--queries Q(40)]
#   --scale 1 is 10,000 devices and 10,000,000 observations; --scale 0.01 runs in seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
./camaudit --version >/dev/null  # builds the jar on first use
jdk=$(CAMAUDIT_WHICH_JDK=1 ./camaudit)
jar=cli/target/camaudit.jar
echo "java: $("$jdk/bin/java" -version 2>&1 | head -1); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
cmd=("$jdk/bin/java" -Xmx2g -cp "$jar" bench/ServerIngest.java "$@")
if [ -x /usr/bin/time ]; then
  /usr/bin/time -f "peak RSS of the benchmark JVM: %M KB, wall %e s" "${cmd[@]}"
else
  "${cmd[@]}"
fi
