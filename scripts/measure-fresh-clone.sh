#!/usr/bin/env bash
# What a learner waits for on a fresh clone, and the disk a workspace uses once every
# exercise has been checked: clones this repository into a temporary folder, builds the
# runner, shows the first exercise (which starts compiling the course in the background, as
# at a terminal), reads for READ_SECS seconds (default 60), checks the first exercise, then
# checks every exercise with the reference solution in place, and prints the figures.
# Crates already in ~/.cargo are not downloaded again: download time is not included.
# FIRST_ONLY=1 stops after the first check (the figures of a learner's first minutes).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git clone -q "$repo" "$tmp/learnml"
cd "$tmp/learnml"
unset LEARNML_TARGET_DIR CARGO_TARGET_DIR
since() { local ms=$((($(date +%s%N) - $1) / 1000000)); printf '%d.%03d' $((ms / 1000)) $((ms % 1000)); }
seconds() { local start=$(date +%s%N); "$@" > /dev/null 2>&1 || true; since "$start"; }
echo "| what | figure |"
echo "| --- | --- |"
echo "| first \`cargo run -- next\` (builds the runner) | $(seconds cargo run -q -- next) s |"
learnml=target/debug/learnml
read_secs=${READ_SECS:-60}
# `next` at a terminal starts the course build in the background; here stdout is a pipe.
LEARNML_BACKGROUND_BUILD=1 $learnml next > /dev/null
sleep "$read_secs"
echo "| first \`learnml check\` after ${read_secs} s reading the statement (background build) | $(seconds $learnml check) s |"
echo "| the background build itself (\`.learnml/build.log\`) | $(tail -n 1 .learnml/build.log) |"
[ "${FIRST_ONLY:-0}" = 1 ] && exit 0
ids=$($learnml list --json | python3 -c 'import json,sys; print(" ".join(e["id"] for e in json.load(sys.stdin)))')
count=0
start=$(date +%s%N)
for id in $ids; do
  mkdir -p "work/${id%/*}"
  cp "exercises/$id/solution.rs" "work/$id.rs"
  $learnml check "$id" > /dev/null || echo "warning: $id did not pass" >&2
  count=$((count + 1))
done
echo "| checking all $count exercises once, one after another (each compiles its own binary) | $(since "$start") s |"
echo "| disk used by the workspace's build (\`target/\`) after that | $(du -sh target | cut -f1) |"
echo "| of which the course build (\`target/course\`) | $(du -sh target/course | cut -f1) |"
