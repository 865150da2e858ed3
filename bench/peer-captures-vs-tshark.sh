#!/usr/bin/env bash
# The peers' capture corpora (tcpdump's and libpcap's test captures, shared/data/peer-captures)
# against tshark: lists every file tshark reads ('tshark -r FILE -c 1' exits 0) that camaudit
# refuses, with camaudit's reason, then the counts by reason (numbers as N); also the files where
# camaudit and capinfos count different frames. camaudit's outcomes come from PeerCapturesTest's
# table (cli/target/peer-captures.tsv), which this runs first unless --no-test.
# Usage: bench/peer-captures-vs-tshark.sh [CORPUS_DIR] [--no-test]
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-../shared/data/peer-captures}
[ "${1:-}" = "--no-test" ] && dir=../shared/data/peer-captures
dir=$(cd "$dir" && pwd)
table=cli/target/peer-captures.tsv
if [ "${1:-}" != "--no-test" ] && [ "${2:-}" != "--no-test" ]; then
  flock /tmp/camaudit-net.lock mvn -o -B -q -pl cli -am test -Dtest=PeerCapturesTest \
    -Dsurefire.failIfNoSpecifiedTests=false -DskipITs "-Dcamaudit.peerCaptures=$dir" >&2
fi
command -v tshark >/dev/null || { echo "needs tshark (Debian package tshark)" >&2; exit 4; }
out=bench/out; mkdir -p "$out"
refused="$out/peer-captures-refused.tsv"; : > "$refused"
only_ours="$out/peer-captures-tshark-refuses.txt"; : > "$only_ours"
read_by_tshark=0; refused_by_both=0; differ=0; total=0
while IFS=$'\t' read -r file outcome frames _ reason; do
  [ "$file" = file ] && continue
  total=$((total + 1))
  if tshark -r "$dir/$file" -c 1 >/dev/null 2>&1; then
    read_by_tshark=$((read_by_tshark + 1))
    [ "$outcome" = refused ] && printf '%s\t%s\n' "$file" "$reason" >> "$refused"
    theirs=$(capinfos -c -M -T -r "$dir/$file" 2>/dev/null | cut -f2)
    if [ -n "$theirs" ] && [ "$outcome" = decoded ] && [ "$theirs" != "$frames" ]; then
      echo "frames differ: $file camaudit $frames, capinfos $theirs"
      differ=$((differ + 1))
    fi
  elif [ "$outcome" = refused ]; then
    refused_by_both=$((refused_by_both + 1))
  else
    echo "$file" >> "$only_ours"
  fi
done < "$table"
echo "files: $total; tshark reads $read_by_tshark; camaudit refuses $(wc -l < "$refused") of those;" \
  "both refuse $refused_by_both; decoded with another frame count than capinfos: $differ"
if [ -s "$only_ours" ]; then
  echo "tshark refuses, camaudit decodes ($(wc -l < "$only_ours")): $(tr '\n' ' ' < "$only_ours")"
fi
if [ -s "$refused" ]; then
  echo "tshark reads, camaudit refuses:"
  sed 's/^/  /' "$refused"
  echo "by reason:"
  cut -f2 "$refused" | sed -E 's/[0-9]+/N/g' | sort | uniq -c | sort -rn | sed 's/^/  /'
fi
