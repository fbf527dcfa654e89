#!/usr/bin/env python3
"""The real CKAN client `ckanapi` (PyPI) against the portal's CKAN-compatible API (issue 5).

Usage: ckan.py <base-url> <portal-root>

<base-url> serves the built site with the generated `_redirects` applied (Netlify, or
`odp serve`); <portal-root> is the source repository, from which the expected values are read
independently of the build: dataset ids (folders of datasets/ with a dataset.toml), titles and
publishers (dataset.toml), organisations (content/publishers/*.md), licences (portal.toml).

A static host answers GET only, so the client is `RemoteCKAN(base, get_only=True)`: each call is
`GET <base>/api/action/<action>?<params>`, the query-string form the `_redirects` rules map onto
the static files (`package_show?id=x` -> `/api/3/action/package_show/x`).
"""
import pathlib
import sys
import tomllib

import ckanapi


def expect(label, got, want):
    if got != want:
        raise SystemExit(f"FAIL {label}:\n  got  {got!r}\n  want {want!r}")
    print(f"ok   {label}")


def main():
    base, root = sys.argv[1], pathlib.Path(sys.argv[2])
    datasets = {}
    for toml_path in sorted(root.glob("datasets/*/dataset.toml")):
        datasets[toml_path.parent.name] = tomllib.loads(toml_path.read_text(encoding="utf-8"))
    publishers = sorted(p.stem for p in (root / "content/publishers").glob("*.md"))
    portal = tomllib.loads((root / "portal.toml").read_text(encoding="utf-8"))
    licences = [l["id"] for l in portal.get("licenses", [])]

    ckan = ckanapi.RemoteCKAN(base, get_only=True, user_agent="odp-interop")
    expect("package_list", ckan.action.package_list(), sorted(datasets))
    for dataset_id, meta in datasets.items():
        pkg = ckan.action.package_show(id=dataset_id)
        files = [r for r in meta["resources"] if "path" in r]
        originals = {f'{f["id"]}{pathlib.Path(f["path"]).suffix.lower()}' for f in files}
        names = [r["url"].rsplit("/", 1)[-1] for r in pkg["resources"] if r["resource_type"] == "file"]
        summary = {
            "name": pkg["name"],
            "title": pkg["title"],
            "owner_org": pkg["owner_org"],
            "organization": pkg["organization"]["name"],
            "license_id": pkg["license_id"],
            "tags": [t["name"] for t in pkg["tags"]],
            "originals": sorted(n for n in names if n in originals),
            "hashes_ok": all(r["hash"].startswith("sha256:") and len(r["hash"]) == 71 for r in pkg["resources"] if r["resource_type"] == "file"),
        }
        want = {
            "name": dataset_id,
            "title": meta["title"],
            "owner_org": meta["publisher"],
            "organization": meta["publisher"],
            "license_id": meta.get("license", portal["portal"]["default_license"]),
            "tags": meta.get("keywords", []),
            "originals": sorted(originals) if meta.get("status", "active") != "withdrawn" else [],
            "hashes_ok": True,
        }
        expect(f"package_show?id={dataset_id}", summary, want)
    expect("organization_list", ckan.action.organization_list(), publishers)
    expect("license_list", [l["id"] for l in ckan.action.license_list()], licences)
    search = ckan.action.package_search()
    expect("package_search count", (search["count"], len(search["results"])), (len(datasets), min(10, len(datasets))))
    expect("status_show ckan_version", ckan.action.status_show()["ckan_version"], "2.11.0")
    try:
        ckan.action.package_show(id="khong-co-tap-du-lieu-nay")
    except ckanapi.errors.CKANAPIError:
        print("ok   package_show of an unknown id fails")
    else:
        raise SystemExit("FAIL package_show of an unknown id returned a result")


if __name__ == "__main__":
    main()
