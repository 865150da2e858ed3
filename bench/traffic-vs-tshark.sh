#!/usr/bin/env bash
# Benchmark: camaudit analyze against tshark on the same generated capture, in one run. Both
# extract DNS query names, TLS SNI and HTTP Server headers; prints throughput (MB/s, packets/s),
# the ratio, peak memory, and whether both found the same counts. Two camaudit runs: the
# counting mode (--facts-only --count) and the full analyze (decode, flows, identification,
# findings, storage to SQLite in a new data directory), each against the same tshark run. The full
# run is checked against what it stored: one dns/tls/http observation per distinct sender and
# value tshark saw, and flow observations whose packets and bytes add up to every frame's.
# Usage: bench/traffic-vs-tshark.sh [SIZE_MB(100)] [--no-tshark]
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-100}
with_tshark=1
[ "${2:-}" = "--no-tshark" ] && with_tshark=0
out=bench/out; mkdir -p "$out"
cap="$out/traffic-${size}MB.pcap"

for tool in tshark sqlite3; do
  [ "$tool" = tshark ] && [ "$with_tshark" = 0 ] && continue
  if ! command -v "$tool" >/dev/null; then
    echo "installing $tool (Debian package)..." >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$tool" >/dev/null
  fi
done
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

# timed MEMFILE CMD...: runs CMD under /usr/bin/time, its wall seconds in $secs, peak KB in MEMFILE
timed() {
  local mem=$1 t0; shift
  t0=$(date +%s.%N)
  /usr/bin/time -f %M -o "$mem" "$@"
  secs=$(echo "$(date +%s.%N) - $t0" | bc -l)
}
# fact FILE PREFIX KEY: the count camaudit printed for KEY after PREFIX on its facts line
fact() { sed -n "s/.*$2$3 \([0-9,]*\).*/\1/p" "$1" | tr -d ,; }

timed "$out/camaudit.mem" ./camaudit analyze --facts-only --count "$cap" > "$out/camaudit.txt"
c_secs=$secs
c_mem=$(cat "$out/camaudit.mem")
c_dns=$(fact "$out/camaudit.txt" "" dns.query)
c_sni=$(fact "$out/camaudit.txt" "" tls.sni)
c_http=$(fact "$out/camaudit.txt" "" http.server)
printf 'camaudit: %.2f s, %.0f MB/s, %.0f packets/s, peak RSS %d MB; dns %s sni %s http.server %s\n' \
  "$c_secs" "$(echo "$bytes / 1000000 / $c_secs" | bc -l)" "$(echo "$packets / $c_secs" | bc -l)" \
  $((c_mem / 1024)) "$c_dns" "$c_sni" "$c_http"

ok=1
[ "$c_dns" = "$rounds" ] && [ "$c_sni" = "$rounds" ] && [ "$c_http" = "$rounds" ] || ok=0

# the full analyze, into a data directory of its own (removed after the checks)
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
timed "$out/full.mem" ./camaudit analyze --quiet "$cap" --data-dir "$data" \
  > "$out/full.txt" 2> "$out/full.err"
f_secs=$secs
f_mem=$(cat "$out/full.mem")
f_dns=$(fact "$out/full.txt" "facts:.*" dns.query)
f_sni=$(fact "$out/full.txt" "facts:.*" tls.sni)
f_http=$(fact "$out/full.txt" "facts:.*" http.server)
q() { sqlite3 "$data/camaudit.db" "$1"; }
s_dns=$(q "select count(*) from observations where protocol = 'dns'")
s_sni=$(q "select count(*) from observations where protocol = 'tls'")
s_http=$(q "select count(*) from observations where protocol = 'http'")
s_all=$(q "select count(*) from observations")
s_flow=$(q "select count(*) || ' ' || sum(json_extract(fields_json, '\$.\"flow.packets\"')) || ' '
  || sum(json_extract(fields_json, '\$.\"flow.bytes\"')) from observations where protocol = 'flow'")
read -r s_flows s_fpackets s_fbytes <<< "$s_flow"
s_found=$(q "select count(*) from findings")
frame_bytes=$((bytes - 24 - 16 * packets))
printf 'camaudit full analyze: %.2f s, %.0f MB/s, %.0f packets/s, peak RSS %d MB; facts dns %s sni %s http.server %s; stored %s observations (dns %s tls %s http %s, %s flows of %s packets, %s bytes), %s findings\n' \
  "$f_secs" "$(echo "$bytes / 1000000 / $f_secs" | bc -l)" "$(echo "$packets / $f_secs" | bc -l)" \
  $((f_mem / 1024)) "$f_dns" "$f_sni" "$f_http" "$s_all" "$s_dns" "$s_sni" "$s_http" \
  "$s_flows" "$s_fpackets" "$s_fbytes" "$s_found"
[ "$f_dns" = "$rounds" ] && [ "$f_sni" = "$rounds" ] && [ "$f_http" = "$rounds" ] || ok=0
# every frame of the capture is in exactly one stored flow
[ "$s_fpackets" = "$packets" ] && [ "$s_fbytes" = "$frame_bytes" ] || ok=0

if [ "$with_tshark" = 1 ]; then
  timed "$out/tshark.mem" tshark -n -r "$cap" -T fields -e dns.qry.name \
    -e tls.handshake.extensions_server_name -e http.server -e ip.src > "$out/tshark.txt" \
    2>/dev/null
  t_secs=$secs
  t_mem=$(($(cat "$out/tshark.mem") / 1024))
  t_dns=$(awk -F'\t' '$1!=""' "$out/tshark.txt" | wc -l)
  t_sni=$(awk -F'\t' '$2!=""' "$out/tshark.txt" | wc -l)
  t_http=$(awk -F'\t' '$3!=""' "$out/tshark.txt" | wc -l)
  # what the store should hold: one observation per distinct sender and value
  u_dns=$(awk -F'\t' '$1!="" {print $4 "\t" $1}' "$out/tshark.txt" | sort -u | wc -l)
  u_sni=$(awk -F'\t' '$2!="" {print $4 "\t" $2}' "$out/tshark.txt" | sort -u | wc -l)
  u_http=$(awk -F'\t' '$3!="" {print $4 "\t" $3}' "$out/tshark.txt" | sort -u | wc -l)
  printf 'tshark:   %.2f s, %.0f MB/s, %.0f packets/s, peak RSS %d MB; dns %s sni %s http.server %s; distinct by sender: dns %s sni %s http.server %s\n' \
    "$t_secs" "$(echo "$bytes / 1000000 / $t_secs" | bc -l)" "$(echo "$packets / $t_secs" | bc -l)" \
    "$t_mem" "$t_dns" "$t_sni" "$t_http" "$u_dns" "$u_sni" "$u_http"
  printf 'ratio: camaudit --facts-only is %.1fx tshark (peak RSS %d MB vs %d MB)\n' \
    "$(echo "$t_secs / $c_secs" | bc -l)" $((c_mem / 1024)) "$t_mem"
  printf 'ratio: camaudit full analyze is %.1fx tshark (peak RSS %d MB vs %d MB)\n' \
    "$(echo "$t_secs / $f_secs" | bc -l)" $((f_mem / 1024)) "$t_mem"
  [ "$t_dns" = "$c_dns" ] && [ "$t_sni" = "$c_sni" ] && [ "$t_http" = "$c_http" ] || ok=0
  [ "$u_dns" = "$s_dns" ] && [ "$u_sni" = "$s_sni" ] && [ "$u_http" = "$s_http" ] || ok=0
fi
if [ "$ok" = 1 ]; then echo "same counts: yes"; else echo "same counts: NO"; exit 1; fi
