#!/usr/bin/env bash
# Benchmark: camaudit's TCP connect sweep against nmap -sT, same addresses and ports, one run.
# Starts listeners on pseudo-random addresses of a loopback /16 (loopback only), then runs
#   camaudit scan 127.90.0.0/16 --sweep-only ...   and   nmap -n -Pn -sT ...
# and prints both rates (connects per second), the ratio, peak memory, and whether each found
# exactly the listeners. Usage: bench/sweep-vs-nmap.sh [PREFIX(127.90)] [LISTENERS(500)]
set -euo pipefail
cd "$(dirname "$0")/.."
prefix=${1:-127.90}
listeners=${2:-500}
ports=80,554,8000,8080,37777
nports=5
case "$prefix" in 127.*) ;; *) echo "loopback prefixes only" >&2; exit 2 ;; esac
out=bench/out; mkdir -p "$out"; rm -rf "$out/data"

if ! command -v nmap >/dev/null; then
  echo "installing nmap (Debian package)..." >&2
  apt-get install -y -qq nmap >/dev/null
fi
./camaudit --version >/dev/null  # builds the jar on first use
jdk=$(CAMAUDIT_WHICH_JDK=1 ./camaudit)

"$jdk/bin/java" bench/Listeners.java "$prefix" "$listeners" "$ports" 42 "$out/expected.txt" \
  > "$out/listeners.log" 2>&1 &
lpid=$!
trap 'kill $lpid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do grep -q ready "$out/listeners.log" 2>/dev/null && break; sleep 0.2; done
grep -q ready "$out/listeners.log" || { cat "$out/listeners.log"; exit 4; }
addresses=65536
probes=$((addresses * nports))
echo "target: $prefix.0.0/16 x $nports ports ($ports) = $probes connects; $listeners listeners"

# camaudit: rate cap raised so it does not limit the sweep; default concurrency.
/usr/bin/time -f "%e %M" -o "$out/camaudit.time" ./camaudit scan "$prefix.0.0/16" --ports "$ports" \
  --sweep-only --rate 1000000 --quiet --data-dir "$out/data" \
  --authorized-by "benchmark on loopback" > "$out/camaudit.txt"
./camaudit observations --data-dir "$out/data" \
  | sed -n 's/.*"address":"\([^"]*\)".*"port":\([0-9]*\).*"protocol":"tcp".*/\1:\2/p' | sort > "$out/camaudit.found"

# nmap: connect scan, no ping, no DNS, aggressive timing (its fastest sensible template).
/usr/bin/time -f "%e %M" -o "$out/nmap.time" nmap -n -Pn -sT -T4 --max-retries 1 -p "$ports" \
  -oG "$out/nmap.gnmap" "$prefix.0.0/16" > /dev/null
grep -o 'Ports: .*' "$out/nmap.gnmap" >/dev/null || true
awk '/Ports:/ { split($0, a, "Ports: "); n = split(a[2], p, ", "); for (i = 1; i <= n; i++) { split(p[i], f, "/"); if (f[2] == "open") print $2 ":" f[1] } }' \
  "$out/nmap.gnmap" | sort > "$out/nmap.found"

read -r ct cm < "$out/camaudit.time"
read -r nt nm < "$out/nmap.time"
sort "$out/expected.txt" > "$out/expected.sorted"
check() { if cmp -s "$1" "$out/expected.sorted"; then echo "exact"; else echo "MISMATCH ($(wc -l < "$1") found)"; fi; }
printf '%-10s %10s %14s %12s  %s\n' tool seconds connects/s peak_MiB "open ports vs listeners"
printf '%-10s %10.2f %14.0f %12.1f  %s\n' camaudit "$ct" "$(echo "$probes / $ct" | bc -l)" "$(echo "$cm / 1024" | bc -l)" "$(check "$out/camaudit.found")"
printf '%-10s %10.2f %14.0f %12.1f  %s\n' nmap "$nt" "$(echo "$probes / $nt" | bc -l)" "$(echo "$nm / 1024" | bc -l)" "$(check "$out/nmap.found")"
printf 'ratio (camaudit rate / nmap rate): %.2f\n' "$(echo "$nt / $ct" | bc -l)"
