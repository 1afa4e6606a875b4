#!/usr/bin/env bash
# How whole-scan time and peak memory grow with the repository: the real corpus unpacked 1, 4
# and 16 times side by side, scanned with the built-in packs by a release build of `ward`.
# Linear growth means ×4 costs at most 4.5× and ×16 at most 18× the ×1 time (issue #24).
#
#   bash engine/benches/scaling.sh [CORPUS_TARBALL] [COPIES...]
#
# Defaults: ../shared/corpus/real-world.tar.gz, copies 1 4 16. Needs hyperfine and GNU time.
# Prints one line per size: median wall time (hyperfine, 3 runs after a warm-up), its ratio to
# the first size, and the peak resident memory of one more run.
set -euo pipefail
cd "$(dirname "$0")/../.."

tarball=${1:-../shared/corpus/real-world.tar.gz}
shift || true
copies=("$@")
if [ ${#copies[@]} -eq 0 ]; then copies=(1 4 16); fi

for tool in hyperfine /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "scaling.sh: $tool is needed" >&2; exit 2; }
done
[ -f "$tarball" ] || { echo "scaling.sh: no corpus at $tarball" >&2; exit 2; }

cargo build --release -q -p ward-cli
ward=$PWD/target/release/ward
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

first=""
printf '%-8s %10s %8s %12s\n' copies "wall (s)" ratio "peak (MB)"
for n in "${copies[@]}"; do
  root=$work/x$n
  mkdir -p "$root"
  for i in $(seq 1 "$n"); do
    mkdir -p "$root/copy$i"
    tar -xzf "$tarball" -C "$root/copy$i"
  done
  hyperfine -N -i --warmup 1 --runs 3 --export-json "$work/x$n.json" \
    "$ward scan $root --format json --output /dev/null" >/dev/null 2>&1
  median=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["median"])' "$work/x$n.json")
  /usr/bin/time -v -o "$work/time.txt" "$ward" scan "$root" --format json --output /dev/null >/dev/null 2>&1 || true
  peak_kb=$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$work/time.txt")
  first=${first:-$median}
  ratio=$(python3 -c "print(f'{$median / $first:.2f}')")
  printf '%-8s %10.2f %8s %12d\n' "×$n" "$median" "$ratio" "$((peak_kb / 1024))"
  rm -rf "$root"
done
