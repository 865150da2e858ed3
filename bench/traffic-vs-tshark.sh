#!/usr/bin/env bash
# Benchmark: camaudit analyze against tshark on the same generated capture, in one run. Both
# extract DNS query names, TLS SNI and HTTP Server headers; prints throughput (MB/s, packets/s),
# the ratio, camaudit's peak memory, and whether both found the same counts.
# Usage: bench/traffic-vs-tshark.sh [SIZE_MB(100)] [--no-tshark]
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-100}
with_tshark=1
[ "${2:-}" = "--no-tshark" ] && with_tshark=0
out=bench/out; mkdir -p "$out"
cap="$out/traffic-${size}MB.pcap"

if [ "$with_tshark" = 1 ] && ! command -v tshark >/dev/null; then
  echo "installing tshark (Debian package)..." >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tshark >/dev/null
fi
./camaudit --version >/dev/null  # builds the jar on first use
jdk=$(CAMAUDIT_WHICH_JDK=1 ./camaudit)

if [ ! -f "$cap" ]; then
  echo "generating $cap ..." >&2
  "$jdk/bin/java" bench/TrafficCapture.java "$cap" "$size" > "$cap.facts"
fi
bytes=$(stat -c %s "$cap")
read -r _ rounds _ _ _ _ _ _ _ _ < "$cap.facts"
packets=$((rounds * 27))
echo "capture: $cap, $bytes bytes, $packets packets; expected facts per kind: $rounds"

sync; cat "$cap" > /dev/null  # both runs read from the page cache

t0=$(date +%s.%N)
/usr/bin/time -f %M -o "$out/camaudit.mem" ./camaudit analyze --facts-only --count "$cap" \
  > "$out/camaudit.txt"
t1=$(date +%s.%N)
c_secs=$(echo "$t1 - $t0" | bc -l)
c_mem=$(cat "$out/camaudit.mem")
c_dns=$(sed -n 's/.*dns.query \([0-9,]*\).*/\1/p' "$out/camaudit.txt" | tr -d ,)
c_sni=$(sed -n 's/.*tls.sni \([0-9,]*\).*/\1/p' "$out/camaudit.txt" | tr -d ,)
c_http=$(sed -n 's/.*http.server \([0-9,]*\).*/\1/p' "$out/camaudit.txt" | tr -d ,)
printf 'camaudit: %.2f s, %.0f MB/s, %.0f packets/s, peak RSS %d MB; dns %s sni %s http.server %s\n' \
  "$c_secs" "$(echo "$bytes / 1000000 / $c_secs" | bc -l)" "$(echo "$packets / $c_secs" | bc -l)" \
  $((c_mem / 1024)) "$c_dns" "$c_sni" "$c_http"

ok=1
[ "$c_dns" = "$rounds" ] && [ "$c_sni" = "$rounds" ] && [ "$c_http" = "$rounds" ] || ok=0
if [ "$with_tshark" = 1 ]; then
  t0=$(date +%s.%N)
  /usr/bin/time -f %M -o "$out/tshark.mem" tshark -n -r "$cap" -T fields -e dns.qry.name \
    -e tls.handshake.extensions_server_name -e http.server > "$out/tshark.txt" 2>/dev/null
  t1=$(date +%s.%N)
  t_secs=$(echo "$t1 - $t0" | bc -l)
  t_dns=$(awk -F'\t' '$1!=""' "$out/tshark.txt" | wc -l)
  t_sni=$(awk -F'\t' '$2!=""' "$out/tshark.txt" | wc -l)
  t_http=$(awk -F'\t' '$3!=""' "$out/tshark.txt" | wc -l)
  printf 'tshark:   %.2f s, %.0f MB/s, %.0f packets/s, peak RSS %d MB; dns %s sni %s http.server %s\n' \
    "$t_secs" "$(echo "$bytes / 1000000 / $t_secs" | bc -l)" "$(echo "$packets / $t_secs" | bc -l)" \
    $(($(cat "$out/tshark.mem") / 1024)) "$t_dns" "$t_sni" "$t_http"
  printf 'ratio: camaudit is %.1fx tshark\n' "$(echo "$t_secs / $c_secs" | bc -l)"
  [ "$t_dns" = "$c_dns" ] && [ "$t_sni" = "$c_sni" ] && [ "$t_http" = "$c_http" ] || ok=0
fi
if [ "$ok" = 1 ]; then echo "same counts: yes"; else echo "same counts: NO"; exit 1; fi
