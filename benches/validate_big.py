#!/usr/bin/env python3
"""Benchmark for issue 3: `odp check` on a large generated CSV against a 10-field data dictionary
with a code-list reference, side by side with `frictionless validate` on the same file and schema.

    python3 benches/validate_big.py [SIZE_MB]        (default 1024; needs `pip install frictionless`)

Prints wall time, throughput (MB/s) and peak RSS of each tool. Not a test: quote its output.
Set ODP_BENCH_SKIP_FRICTIONLESS=1 to time odp alone; FRICTIONLESS_MB=N validates only the first N MB
with frictionless (its throughput is then extrapolated, and said so).
"""
import json, os, random, shutil, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
size_mb = int(sys.argv[1]) if len(sys.argv) > 1 else 1024
work = tempfile.mkdtemp(prefix="odp-bench-")
random.seed(42)

PROVINCES = [l.split(",")[0] for l in open("/work/shared/data/vn-admin-units/provinces-2025.csv", encoding="utf-8").read().splitlines()[1:]] \
    if os.path.exists("/work/shared/data/vn-admin-units/provinces-2025.csv") else [f"{i:02d}" for i in range(1, 97, 3)]
NAMES = ["Phường Ba Đình", "Xã Tân Lập", "Phường Hòa Khánh", "Xã Đông Hưng", "Phường Thủy Xuân", "Xã Ea Tu"]

def w(rel, text):
    p = os.path.join(work, rel)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "w", encoding="utf-8") as f:
        f.write(text)

w("portal.toml", """[portal]
title = "Bench"
description = "Benchmark portal"
base_url = "https://bench.example.gov.vn/"
default_license = "dk"
[[themes]]
id = "t"
title = "T"
[[licenses]]
id = "dk"
title = "Điều khoản"
url = "/terms/"
""")
w("content/publishers/p.md", "+++\nname = \"Sở\"\n[contact]\nname = \"P\"\nemail = \"p@example.gov.vn\"\n+++\n")
w("datasets/tinh/provinces.csv", "province_code,name\n" + "".join(f"{c},Tỉnh {c}\n" for c in PROVINCES))
w("datasets/tinh/dataset.toml", """title = "Danh mục tỉnh"
description = "Danh mục đơn vị hành chính cấp tỉnh dùng làm mã chung cho bộ dữ liệu đo hiệu năng."
publisher = "p"
theme = ["t"]
frequency = "never"
keywords = ["tỉnh"]
[[resources]]
id = "provinces"
title = "Tỉnh"
path = "provinces.csv"
[resources.schema]
primary_key = ["province_code"]
[[resources.schema.fields]]
name = "province_code"
title = "Mã tỉnh"
type = "string"
[[resources.schema.fields]]
name = "name"
title = "Tên"
type = "string"
""")
FIELDS = [
    ("id", "integer", {"required": True, "unique": True}),
    ("province_code", "string", {"required": True}),
    ("ward_name", "string", {"required": True}),
    ("category", "string", {"enum": ["A", "B", "C"]}),
    ("population", "integer", {"minimum": 0}),
    ("area_km2", "number", {"minimum": 0}),
    ("survey_date", "date", {}),
    ("year", "year", {}),
    ("active", "boolean", {}),
    ("code", "string", {"pattern": "^[A-Z]{2}[0-9]{4}$"}),
]
toml = ["""title = "Bộ dữ liệu lớn"
description = "Bộ dữ liệu tổng hợp rất lớn dùng để đo tốc độ kiểm tra dữ liệu theo từ điển dữ liệu."
publisher = "p"
theme = ["t"]
frequency = "annual"
keywords = ["bench"]
[[resources]]
id = "big"
title = "Dữ liệu lớn"
path = "big.csv"
[resources.schema]
primary_key = ["id"]"""]
for name, ty, c in FIELDS:
    toml.append(f'[[resources.schema.fields]]\nname = "{name}"\ntitle = "{name}"\ntype = "{ty}"')
    for k, v in c.items():
        toml.append(f"{k} = {json.dumps(v)}")
    if name == "province_code":
        toml.append('references = { dataset = "tinh", resource = "provinces", field = "province_code" }')
w("datasets/big/dataset.toml", "\n".join(toml) + "\n")

big = os.path.join(work, "datasets/big/big.csv")
t = time.time()
target = size_mb * 1024 * 1024
with open(big, "w", encoding="utf-8") as f:
    f.write(",".join(n for n, _, _ in FIELDS) + "\n")
    i = 0
    written = 0
    chunk = []
    while written < target:
        row = f"{i},{PROVINCES[i % len(PROVINCES)]},{NAMES[i % len(NAMES)]},{'ABC'[i % 3]},{(i * 7919) % 100000},{(i % 997) * 1.25},2024-{i % 12 + 1:02d}-{i % 28 + 1:02d},{2000 + i % 25},{'true' if i % 2 else 'false'},VN{i % 10000:04d}\n"
        chunk.append(row)
        written += len(row.encode())
        i += 1
        if len(chunk) == 10000:
            f.write("".join(chunk)); chunk = []
    f.write("".join(chunk))
rows = i
mb = os.path.getsize(big) / 1e6
print(f"generated {mb:.0f} MB, {rows:,} rows, 10 fields in {time.time() - t:.1f} s")

class Done:
    def __init__(self, code, stderr):
        self.returncode, self.stderr = code, stderr

def run(cmd, **kw):
    """Runs one command; returns (wall seconds, its own peak RSS in KiB, result) via wait4."""
    t = time.time()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, **kw)
    err = p.stderr.read()
    _, status, usage = os.wait4(p.pid, 0)
    return time.time() - t, usage.ru_maxrss, Done(os.waitstatus_to_exitcode(status), err)

odp = os.environ.get("ODP_BIN") or os.path.join(ROOT, "target/release/odp")
if not os.environ.get("ODP_BIN"):
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
secs, rss_kb, p = run([odp, "--root", work, "check", "--format", "short"])
print(f"odp check: {secs:.2f} s, {mb / secs:.0f} MB/s, peak RSS {rss_kb / 1024:.0f} MiB, exit {p.returncode}")
if p.returncode != 0:
    print(p.stderr[:2000])

if not os.environ.get("ODP_BENCH_SKIP_FRICTIONLESS"):
    fmb = int(os.environ.get("FRICTIONLESS_MB", "0"))
    src = big
    if fmb:
        src = os.path.join(work, "datasets/big/head.csv")
        with open(big, "rb") as i, open(src, "wb") as o:
            o.write(i.read(fmb * 1024 * 1024).rsplit(b"\n", 1)[0] + b"\n")
    ftype = {"year": "year", "date": "date", "boolean": "boolean", "integer": "integer", "number": "number", "string": "string"}
    fields = [{"name": n, "type": ftype[ty], **({"constraints": c} if c else {})} for n, ty, c in FIELDS]
    pkg = {"name": "bench", "resources": [
        {"name": "provinces", "path": "datasets/tinh/provinces.csv", "schema": {"fields": [{"name": "province_code", "type": "string"}, {"name": "name", "type": "string"}], "primaryKey": ["province_code"]}},
        {"name": "big", "path": os.path.relpath(src, work), "schema": {"fields": fields, "primaryKey": ["id"],
            "foreignKeys": [{"fields": ["province_code"], "reference": {"resource": "provinces", "fields": ["province_code"]}}]}},
    ]}
    with open(os.path.join(work, "datapackage.json"), "w") as f:
        json.dump(pkg, f)
    fsecs, frss, p = run(["frictionless", "validate", "--trusted", "datapackage.json"], cwd=work)
    fsize = os.path.getsize(src) / 1e6
    note = f" (on the first {fsize:.0f} MB)" if fmb else ""
    print(f"frictionless validate: {fsecs:.2f} s{note}, {fsize / fsecs:.1f} MB/s, peak RSS {frss / 1024:.0f} MiB, exit {p.returncode}")
    print(f"odp throughput / frictionless throughput: {(mb / secs) / (fsize / fsecs):.0f}x")
shutil.rmtree(work) if not os.environ.get("ODP_BENCH_KEEP") else print("kept", work)
