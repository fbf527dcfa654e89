#!/usr/bin/env python3
"""Harvester-side checks of a built portal (issue 5), with the tools harvesters use.

Usage: catalogues.py <site> <portal-root>

- extruct (PyPI): every dataset page (vi and en) holds a schema.org Dataset with name,
  description of 50-5000 characters, url, license, creator and publisher, distribution.
- feedparser (PyPI): /feed.xml parses without error (no "bozo"); entries are dated datasets, git
  commits and status changes, newest first, at most 50 (every dated dataset when fewer).
- /sitemap.xml lists every dataset page in every language, each with a lastmod.
- jsonschema (PyPI): /api/v1/catalog.json and every /api/v1/datasets/<id>.json validate against
  the JSON Schemas published beside them.
"""
import json
import pathlib
import sys
import xml.etree.ElementTree as ET

import extruct
import feedparser
import jsonschema


def fail(msg):
    raise SystemExit(f"FAIL {msg}")


def main():
    site, root = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    ids = sorted(p.parent.name for p in root.glob("datasets/*/dataset.toml"))
    catalog = json.loads((site / "api/v1/catalog.json").read_text(encoding="utf-8"))
    base = catalog["url"]

    pages = 0
    for lang in ["", "en/"]:
        for dataset_id in ids:
            page = site / lang / "datasets" / dataset_id / "index.html"
            data = extruct.extract(page.read_text(encoding="utf-8"), base_url=base, syntaxes=["json-ld"], uniform=True)
            found = [d for d in data["json-ld"] if d.get("@type") == "Dataset"]
            if len(found) != 1:
                fail(f"{page}: {len(found)} schema.org Dataset")
            d = found[0]
            for key in ["name", "description", "url", "license", "creator", "publisher", "distribution"]:
                if not d.get(key):
                    fail(f"{page}: schema.org Dataset without {key}")
            if not 50 <= len(d["description"]) <= 5000:
                fail(f"{page}: description of {len(d['description'])} characters")
            if d["url"] != f"{base}{lang}datasets/{dataset_id}/":
                fail(f"{page}: url {d['url']}")
            pages += 1
    print(f"ok   extruct: a complete schema.org Dataset in {pages} dataset pages")

    feed = feedparser.parse((site / "feed.xml").read_bytes())
    if feed.bozo:
        fail(f"feed.xml: {feed.bozo_exception}")
    # Entries (issue 5, issue 6): dated datasets, git commits (`…/history/#<commit>`) and status
    # changes (`…/#status-<date>`), newest first, at most 50.
    dated = [d for d in catalog["datasets"] if d["modified"] or d["issued"]]
    pages = {d["url"] for d in catalog["datasets"]}
    entry_ids = [e.id for e in feed.entries]
    for i in entry_ids:
        page, _, frag = i.partition("#")
        ok = (page in pages and frag == "") or (page in pages and frag.startswith("status-")) or (
            page.endswith("/history/") and page[: -len("history/")] in pages and len(frag) == 40)
        if not ok:
            fail(f"feed.xml: unexpected entry id {i}")
    if len(entry_ids) > 50 or len(set(entry_ids)) != len(entry_ids):
        fail(f"feed.xml: {len(entry_ids)} entries, or duplicate ids")
    times = [e.updated_parsed for e in feed.entries]
    if times != sorted(times, reverse=True):
        fail("feed.xml: entries not newest first")
    if len(entry_ids) < 50 and not all(d["url"] in entry_ids for d in dated):
        fail(f"feed.xml: {len(entry_ids)} entries, not every one of {len(dated)} dated datasets")
    print(f"ok   feedparser: feed.xml parses, {len(feed.entries)} entries")

    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = {u.findtext("s:loc", namespaces=ns): u.findtext("s:lastmod", namespaces=ns)
            for u in ET.parse(site / "sitemap.xml").getroot().findall("s:url", ns)}
    for lang in ["", "en/"]:
        for dataset_id in ids:
            loc = f"{base}{lang}datasets/{dataset_id}/"
            if loc not in urls:
                fail(f"sitemap.xml lacks {loc}")
    print(f"ok   sitemap.xml lists all {2 * len(ids)} dataset pages ({len(urls)} URLs)")

    catalog_schema = json.loads((site / "api/v1/catalog.schema.json").read_text(encoding="utf-8"))
    dataset_schema = json.loads((site / "api/v1/dataset.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(catalog_schema).validate(catalog)
    for dataset_id in ids:
        doc = json.loads((site / f"api/v1/datasets/{dataset_id}.json").read_text(encoding="utf-8"))
        jsonschema.Draft202012Validator(dataset_schema).validate(doc)
    print(f"ok   jsonschema: catalog.json and {len(ids)} dataset documents match their schemas")


if __name__ == "__main__":
    main()
