#!/usr/bin/env bash
# Re-runs bench/pairs.ts's compares over its results folder with this checkout's code: for each scenario, careful #1
# against the careless run and against each later careful run (`shakedown compare --fail-on-regression`).
#   bash bench/recompare-pairs.sh /tmp/shakedown-pairs-XXXX
set -u
cd "$(dirname "$0")/.."
export PATH="$PWD/.tools/node/bin:$PATH"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for s in "$1"/*/; do
  mapfile -t careful < <(ls -d "$s"*-careful-* | sort)
  careless=$(ls -d "$s"*-careless-* | sort | head -1)
  node harness/cli/bin.ts compare "${careful[0]}/results.json" "$careless/results.json" --fail-on-regression >"$out" 2>&1
  code=$?
  worse=$(grep -- '--fail-on-regression: worse' "$out" || true)
  same=""
  for ((i = 1; i < ${#careful[@]}; i++)); do
    node harness/cli/bin.ts compare "${careful[0]}/results.json" "${careful[$i]}/results.json" --fail-on-regression >"$out" 2>&1
    x=$?
    same="$same $x"
    [ "$x" -ne 0 ] && grep -- '--fail-on-regression' "$out"
  done
  echo "$(basename "$s"): careful vs careless exit $code (${worse#--fail-on-regression: }); careful #1 vs later:$same"
done
