#!/usr/bin/env bash
# Benchmark: camaudit's identification against nmap -sV on the same replayed corpus records.
# Each record of knowledge/corpus with HTTP, RTSP or telnet answers becomes a loopback device
# (bench/corpus_replay.py, one 127.77.x.y address per record, loopback only) that answers with
# the record's own strings. Then
#   camaudit scan <those addresses> --ports 21,23,80,554   (its own probes, then identify)
#   nmap -n -Pn -sV -p 21,23,80,554 <the same addresses>
# and camaudit identify on nmap's XML; prints each tool's accuracy (the record's maker named) side
# by side, then the per-record answers. Usage: bench/identify-vs-nmap.sh [PREFIX(127.77)]
# Binds loopback ports: run it under the shared lock (flock /tmp/camaudit-net.lock ...).
set -euo pipefail
cd "$(dirname "$0")/.."
prefix=${1:-127.77}
case "$prefix" in 127.*) ;; *) echo "loopback prefixes only" >&2; exit 2 ;; esac
out=bench/out/identify-vs-nmap; rm -rf "$out"; mkdir -p "$out"
ports=21,23,80,554

if ! command -v nmap >/dev/null; then
  echo "installing nmap (Debian package)..." >&2
  apt-get install -y -qq nmap >/dev/null
fi
./camaudit --version >/dev/null  # builds the jar on first use

python3 bench/corpus_replay.py knowledge/corpus "$prefix" "$out/plan.jsonl" > "$out/replay.log" 2>&1 &
rpid=$!
trap 'kill $rpid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do grep -q ready "$out/replay.log" 2>/dev/null && break; sleep 0.1; done
grep -q ready "$out/replay.log" || { cat "$out/replay.log"; exit 4; }
sed -n 's/.*"address": "\([^"]*\)".*/\1/p' "$out/plan.jsonl" > "$out/targets.txt"
echo "replaying $(wc -l < "$out/targets.txt") records on $prefix.0.0/16 (ports $ports)"

# camaudit: its own sweep and probes of the same addresses and ports, then its identification.
start=$(date +%s.%N)
./camaudit scan $(paste -sd' ' "$out/targets.txt") --ports "$ports" --quiet --data-dir "$out/data" \
  --authorized-by "benchmark on loopback" > "$out/camaudit-scan.txt"
./camaudit observations --data-dir "$out/data" > "$out/observations.jsonl"
./camaudit identify --input "$out/observations.jsonl" --out "$out/camaudit.jsonl"
ct=$(python3 -c "import sys; print(float(sys.argv[1]) - float(sys.argv[2]))" "$(date +%s.%N)" "$start")

# nmap: version detection, no ping, no DNS, default intensity.
start=$(date +%s.%N)
nmap -n -Pn -sV -p "$ports" -iL "$out/targets.txt" -oX "$out/nmap.xml" > /dev/null
nt=$(python3 -c "import sys; print(float(sys.argv[1]) - float(sys.argv[2]))" "$(date +%s.%N)" "$start")
./camaudit identify --input "$out/nmap.xml" --format nmap --out "$out/camaudit-on-nmap.jsonl"

printf 'wall clock: camaudit scan+identify %.1f s, nmap -sV %.1f s (%s)\n' "$ct" "$nt" "$(nmap --version | head -1)"
python3 bench/identify_vs_nmap_score.py "$out/plan.jsonl" knowledge/corpus "$out/camaudit.jsonl" \
  "$out/nmap.xml" "$out/camaudit-on-nmap.jsonl"
