#!/usr/bin/env bash
# Issue 7's yardstick, measured rather than quoted: cold builds of odp and of Hugo at the same
# number of datasets, on this machine and filesystem, interleaved so both see the same load.
# Hugo builds a lean site of the same datasets (gen.py, site/: ../shared/PERF-NOTES.md's setup,
# 5,118 pages at 5,000 datasets); odp builds the benchmark portal of benches/portal.rs (each
# dataset with a small CSV: pages in two languages, format copies, packages, catalogues).
# Each run starts clean, the output folder removed first, as PERF-NOTES.md measured Hugo.
#
#   ODP_BENCH_DIR=/tmp/b5k cargo bench --bench portal -- 5000   # keeps the odp portal
#   cargo build --release
#   benches/hugo/compare.sh /tmp/b5k /tmp/cmp 5                 # odp portal, work folder, rounds
#
# Needs Debian's hugo (apt-get install hugo; measured with 0.111.3). Prints each run and the
# medians: wall seconds, user and system CPU seconds, files written.
#
#   COLD=1   drops the page cache before every run (root only): both tools then read their
#            sources, and their own program, from the disk, as after a while idle.
#   FRESH=1  writes every run into a new folder, removed only at the end. On ext4 without a
#            journal, inodes freed in the last minute are skipped one by one when new files are
#            created, so a run right after removing 60,000 files pays for that removal.
#   HUGO_N=n Hugo builds n datasets instead of as many as the portal holds: HUGO_N=10000 against
#            a 5,000-dataset portal gives Hugo as many HTML pages as odp writes (odp makes each
#            page in Vietnamese and English: 10,257 pages at 5,000 datasets; Hugo then makes 10,218).
#   SYNC=1   writes all dirty data back (sync, untimed) before every run, so no run competes
#            with the write-back of the runs before it (odp writes ~430 MB per build at 5,000
#            datasets, Hugo ~32 MB; left dirty, it is flushed by kernel threads on the same two
#            cores 30 s later, in the middle of some later run of either tool).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
portal=$(cd "$1" && pwd)
work=$2
rounds=${3:-5}
odp=${ODP:-$here/../../target/release/odp}
theme=$here/../../themes/default
n=$(find "$portal/datasets" -mindepth 1 -maxdepth 1 -type d | wc -l)
hugo_n=${HUGO_N:-$n}
mkdir -p "$work"
work=$(cd "$work" && pwd)
if [ ! -f "$work/hugo/.generated-$hugo_n" ]; then
  rm -rf "$work/hugo"
  cp -r "$here/site" "$work/hugo"
  python3 "$here/gen.py" -n "$hugo_n" --site "$work/hugo" >/dev/null
  touch "$work/hugo/.generated-$hugo_n"
fi
hugo version
echo "odp: $n datasets; Hugo: $hugo_n datasets; odp $("$odp" --version 2>/dev/null || echo "$odp")"

run() { # name, output folder, command…
  local name=$1 out=$2
  shift 2
  rm -rf "$out"
  if [ "${COLD:-}" = 1 ]; then sync && echo 1 >/proc/sys/vm/drop_caches; elif [ "${SYNC:-}" = 1 ]; then sync; fi
  /usr/bin/time -o "$work/time.txt" -f "%e %U %S" "$@" >/dev/null 2>&1
  echo "$name $(tail -1 "$work/time.txt") $(find "$out" -type f | wc -l) $(find "$out" -type f -name '*.html' | wc -l)"
}
rm -rf "$work/fresh"
for round in $(seq "$rounds"); do
  hugo_out=$work/hugo-out odp_out=$work/odp-out
  if [ "${FRESH:-}" = 1 ]; then hugo_out=$work/fresh/hugo-$round odp_out=$work/fresh/odp-$round; fi
  run hugo "$hugo_out" hugo --quiet --source "$work/hugo" -d "$hugo_out"
  run odp "$odp_out" "$odp" --root "$portal" build --no-cache --theme "$theme" --out "$odp_out"
done | tee "$work/runs.txt"
rm -rf "$work/fresh"
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
for tool in hugo odp; do
  printf '%s: median wall %s s, user %s s, sys %s s, %s files, %s HTML pages\n' "$tool" \
    "$(awk -v t=$tool '$1 == t {print $2}' "$work/runs.txt" | median)" \
    "$(awk -v t=$tool '$1 == t {print $3}' "$work/runs.txt" | median)" \
    "$(awk -v t=$tool '$1 == t {print $4}' "$work/runs.txt" | median)" \
    "$(awk -v t=$tool '$1 == t {print $5}' "$work/runs.txt" | median)" \
    "$(awk -v t=$tool '$1 == t {print $6}' "$work/runs.txt" | median)"
done
