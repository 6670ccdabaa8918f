#!/usr/bin/env bash
# How long `learnml grade` takes on a class: builds a class of synthetic learners from this
# repository's own files and times grading it, then one learner who submitted every exercise.
#
#   scripts/measure-batch.sh [LEARNERS]        (default 30)
#
# Learner i submits every exercise; exercise j gets, by (7i + 3j) mod 10: the reference
# solution (0-4), the stub (5-6), a catalogued mistake from mistakes/ (7-8; an alternative,
# else the solution, where the exercise has no catalogue), or the solution with its first
# ` 1.0` made ` 1.5` (9: a slip that still compiles, where the solution has a ` 1.0`). Every third learner also has a file that does
# not compile, every tenth one a file learnml refuses before compiling (include_str!).
# Files repeat between learners (the same solution, stub or mistake), and learnml grades a
# file once however many learners hand it in; DISTINCT=1 ends every file with a comment naming
# its learner, so that every file is compiled: the figure of a class whose files all differ.
# Run it on a quiet machine: it prints the load average it started under.
# KEEP=DIR keeps the classes and their grades in DIR (to compare two versions' gradebooks).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
learners=${1:-30}
cd "$repo"
# The runner's own speed does not matter here (cargo and the checks do): a debug build.
cargo build -q
learnml="$repo/target/debug/learnml"
if [ -n "${KEEP:-}" ]; then
  tmp=$KEEP
  mkdir -p "$tmp"
else
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
fi
ids=$("$learnml" list --json | sed -n 's/.*"id": *"\([^"]*\)".*/\1/p')
count=$(echo "$ids" | wc -l)
pick() { # pick DIR KIND: a file of the catalogue folder KIND in DIR, by a number
  local files=("$1/$2"/*.rs)
  [ -e "${files[0]}" ] && echo "${files[$(($3 % ${#files[@]}))]}"
}
for ((i = 0; i < learners; i++)); do
  learner="$tmp/class/learner$(printf '%02d' "$i")"
  j=0
  for id in $ids; do
    dir="exercises/$id"
    mkdir -p "$learner/${id%/*}"
    file="$learner/$id.rs"
    case $(((7 * i + 3 * j) % 10)) in
      0 | 1 | 2 | 3 | 4) cp "$dir/solution.rs" "$file" ;;
      5 | 6) cp "$dir/stub.rs" "$file" ;;
      7 | 8) cp "$(pick "$dir" mistakes "$i" || pick "$dir" alternatives "$i" || echo "$dir/solution.rs")" "$file" ;;
      9) sed '0,/ 1\.0/s// 1.5/' "$dir/solution.rs" > "$file" ;;
    esac
    if [ "${DISTINCT:-0}" = 1 ]; then printf '\n// learner %d\n' "$i" >> "$file"; fi
    j=$((j + 1))
  done
  if ((i % 3 == 0)); then
    id=$(echo "$ids" | sed -n "$((i % count + 1))p")
    printf '\nfn typo() -> u32 { "three" }\n' >> "$learner/$id.rs"
  fi
  if ((i % 10 == 1)); then
    id=$(echo "$ids" | sed -n "$(((i + 5) % count + 1))p")
    printf '\nconst PEEK: &str = include_str!("grader.rs");\n' >> "$learner/$id.rs"
  fi
done
mkdir -p "$tmp/one/learner"
for id in $ids; do
  mkdir -p "$tmp/one/learner/${id%/*}"
  cp "exercises/$id/solution.rs" "$tmp/one/learner/$id.rs"
done
since() { local ms=$((($(date +%s%N) - $1) / 1000000)); printf '%d.%01d' $((ms / 1000)) $((ms % 1000 / 100)); }
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
start=$(date +%s%N)
"$learnml" grade "$tmp/one" --out "$tmp/one-grades" > /dev/null
one=$(since "$start")
echo "| one learner, all $count exercises (reference solutions) | $one s |"
start=$(date +%s%N)
"$learnml" grade "$tmp/class" --out "$tmp/grades" > /dev/null
total=$(since "$start")
ms=$((($(date +%s%N) - start) / 1000000 / learners))
echo "| class of $learners learners, $count exercises each | $total s in all, $((ms / 1000)).$((ms % 1000 / 100)) s per learner |"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
