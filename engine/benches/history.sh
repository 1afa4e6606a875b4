#!/usr/bin/env bash
# `ward scan --history` throughput, whole process: a generated repository of many commits, each
# adding or changing a few files of the typical secrets corpus (Python, TypeScript, YAML, JSON,
# lockfiles, minified JavaScript), scanned by a release build of `ward`. Issue #21's target:
# at least 50 MB/s of diff text (what `git log -p --unified=0` writes for the range).
#
#   bash engine/benches/history.sh [MEGABYTES] [FILES_PER_COMMIT]
#
# Defaults: 64 MB of corpus, 4 files a commit (about 3,000 commits). The repository is made
# with one `git fast-import` stream; every 8th commit also edits a file an earlier commit added,
# so that diffs are not only whole new files. Needs hyperfine. Prints the diff text's size, the
# number of commits, the median wall time of 3 runs after a warm-up, and the throughput.
set -euo pipefail
cd "$(dirname "$0")/../.."

megabytes=${1:-64}
per_commit=${2:-4}
command -v hyperfine >/dev/null || { echo "history.sh: hyperfine is needed" >&2; exit 2; }

cargo build --release -q -p ward-cli -p ward-engine --example gen_corpus
ward=$PWD/target/release/ward
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

target/release/examples/gen_corpus --secrets "$work/corpus" "$megabytes" >/dev/null
repo=$work/repo
git init -q "$repo"

# One fast-import stream: commit n adds files [n*per_commit, (n+1)*per_commit) of the corpus.
(
  cd "$work/corpus"
  n=0
  mark=0
  previous=""
  find . -type f | LC_ALL=C sort | sed 's|^\./||' | while IFS= read -r first; do
    files=("$first")
    for _ in $(seq 2 "$per_commit"); do
      IFS= read -r next || break
      files+=("$next")
    done
    n=$((n + 1))
    printf 'commit refs/heads/main\n'
    printf 'author Bench <bench@example.invalid> %d +0000\n' $((1700000000 + n * 60))
    printf 'committer Bench <bench@example.invalid> %d +0000\n' $((1700000000 + n * 60))
    printf 'data %d\ncommit %d\n' $((${#n} + 8)) "$n"
    for file in "${files[@]}"; do
      printf 'M 100644 inline %s\ndata %d\n' "$file" "$(stat -c %s "$file")"
      cat "$file"
      printf '\n'
    done
    # Every 8th commit changes an earlier file: its old content and a new tail.
    if [ $((n % 8)) -eq 0 ] && [ -n "$previous" ]; then
      size=$(( $(stat -c %s "$previous") + $(stat -c %s "${files[0]}") ))
      printf 'M 100644 inline %s\ndata %d\n' "$previous" "$size"
      cat "$previous" "${files[0]}"
      printf '\n'
    fi
    previous=${files[0]}
  done
) | git -C "$repo" fast-import --quiet
git -C "$repo" reset -q --hard main

commits=$(git -C "$repo" rev-list --count main)
diff_bytes=$(git -C "$repo" log -p --no-color --unified=0 --no-ext-diff --no-textconv --no-renames --reverse \
  --format='%x00%H %aI' | wc -c)
hyperfine -N -i --warmup 1 --runs 3 --export-json "$work/history.json" \
  "$ward scan $repo --history --pack secrets --format json --output /dev/null" >/dev/null 2>&1
median=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["median"])' "$work/history.json")
python3 - "$diff_bytes" "$commits" "$median" <<'EOF'
import sys
size, commits, median = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
print(f"diff text {size / 1e6:.1f} MB in {commits} commits: {median:.2f} s, {size / 1e6 / median:.0f} MB/s")
EOF
