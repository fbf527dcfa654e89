#!/usr/bin/env python3
"""Runs the code examples of the API guide (content/api.md, content/api.en.md) against a local
server of the built portal (issue 5: the examples must work with the portal's real URLs).

Usage: api_examples.py <base-url> <portal-root>

Each ```python block that needs nothing beyond the standard library and ckanapi, each ```js
block (Node's fetch) and each ```sh block (in a temporary folder) runs with the portal's public
base URL (portal.toml `base_url`) replaced by <base-url>; every one must succeed.
"""
import pathlib
import re
import subprocess
import sys
import tempfile
import tomllib


def main():
    local, root = sys.argv[1], pathlib.Path(sys.argv[2])
    public = tomllib.loads((root / "portal.toml").read_text(encoding="utf-8"))["portal"]["base_url"]
    ran = 0
    for guide in ["content/api.md", "content/api.en.md"]:
        text = (root / guide).read_text(encoding="utf-8")
        for lang, code in re.findall(r"```(\w+)\n(.*?)```", text, re.S):
            code = code.replace(public, local)
            if lang == "python":
                if "pandas" in code:
                    continue  # pandas is not among the pinned interop tools
                cmd = [sys.executable, "-c", code]
            elif lang == "js":
                f = tempfile.NamedTemporaryFile("w", suffix=".mjs", delete=False)
                f.write(code)
                f.close()
                cmd = ["node", f.name]
            elif lang == "sh":
                cmd = ["bash", "-euo", "pipefail", "-c", code]
            else:
                continue
            with tempfile.TemporaryDirectory() as cwd:  # examples may download files
                out = subprocess.run(cmd, capture_output=True, text=True, timeout=120, cwd=cwd)
            if out.returncode != 0:
                raise SystemExit(f"FAIL {guide} ```{lang} example:\n{code}\n{out.stdout}{out.stderr}")
            ran += 1
            print(f"ok   {guide} {lang} example: {out.stdout.strip().splitlines()[-1] if out.stdout.strip() else 'ran'}"[:160])
    if ran < 8:
        raise SystemExit(f"FAIL only {ran} examples ran")


if __name__ == "__main__":
    main()
