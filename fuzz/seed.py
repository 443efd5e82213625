#!/usr/bin/env python3
"""Seeds fuzz/corpus/validate with every vector's payload, and every fill vector's
values (the target fills each shipped template with an object's fields), so
fuzzing starts from real messages of every type rather than from nothing."""
import hashlib, json, os, pathlib
root = pathlib.Path(__file__).resolve().parent.parent
out = root / "fuzz" / "corpus" / "validate"
out.mkdir(parents=True, exist_ok=True)
n = 0
for f in sorted((root / "tests" / "vectors").glob("*.json")):
    for case in json.loads(f.read_text())["cases"]:
        raw = case.get("input_json")
        data = (raw if raw is not None else json.dumps(case["input"], ensure_ascii=False)).encode()
        (out / hashlib.sha1(data).hexdigest()).write_bytes(data)
        n += 1
for case in json.loads((root / "tests" / "vectors" / "templates" / "fill.json").read_text())["cases"]:
    data = json.dumps(case["values"], ensure_ascii=False).encode()
    (out / hashlib.sha1(data).hexdigest()).write_bytes(data)
    n += 1
print(f"seeded {n} inputs into {out.relative_to(root)}")
