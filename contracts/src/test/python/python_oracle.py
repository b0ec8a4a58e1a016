#!/usr/bin/env python3
"""Write the Python-side answers that PythonOracleTest holds the Java checks to.

For a deterministic sample of strings it records what the reference stack says:
  - "uri":       rfc3987.match(s, rule="URI") (what jsonschema's "uri" format calls, via parse)
  - "date-time": rfc3339_validator.validate_rfc3339(s.upper()) (jsonschema's "date-time" format)
  - "patterns":  re.search(pattern, s) for every pattern in the KCIDB schemas (jsonschema's "pattern")

Run from the repository root, with rfc3987 (Debian: python3-rfc3987) and rfc3339-validator importable:
  python3 contracts/src/test/python/python_oracle.py \
      contracts/src/main/resources/org/kernelci/kcidb/contracts/kcidb/schema \
      contracts/src/test/resources/org/kernelci/kcidb/contracts/kcidb/python-oracle.json
"""
import glob
import json
import os
import random
import re
import sys

import rfc3987
from rfc3339_validator import validate_rfc3339


def schema_patterns(schema_dir):
    found = set()

    def walk(node, in_names=False):
        if isinstance(node, dict):
            for key, value in node.items():
                if not in_names and key == "pattern":
                    found.add(value)
                walk(value, not in_names and key in ("properties", "$defs"))
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for path in sorted(glob.glob(os.path.join(schema_dir, "v*.json"))):
        with open(path, encoding="utf-8") as f:
            walk(json.load(f))
    return sorted(found)


def uri_samples(rng):
    fixed = ["https:", "https://example.com:abc/", "https://[::1]:80/", "https://[v1.x]/", "https://[V1.x]/",
             "https://[1:2:3:4:5:6:7:8]/", "https://[::ffff:1.2.3.4]/", "https://[1::2::3]/", "https://[01.2.3.4]/",
             "https://[::01.002.3.4]/", "https://[1:2:3:4:5:6:7]/", "https://[::]/", "https://[1::]/",
             "mailto:a@b", "urn:x", "x:", "1x:", "https://x/ü", "https://x/%4a", "https://x/%4", "https://x\n",
             "https://x\r\n", "https://a@b@c/", "https://u:p@h:1/p?q#f", "https://h:/", "https://h:1:2/"]
    alphabet = "aZ09:/?#[]@!$&'()*+,;=-._~% \n\réfv"
    prefixes = ["", "https://", "https:", "h://[", "https://u@h:1/", "urn:", "x:/", "https://[::", "a:"]
    out = list(fixed)
    for _ in range(2500):
        s = rng.choice(prefixes) + "".join(rng.choice(alphabet) for _ in range(rng.randrange(12)))
        out.append(s)
    return out


def datetime_samples(rng):
    parts = [
        ["2025", "0000", "0001", "1900", "2000", "2024", "20250", "202"],
        ["-"], ["05", "01", "02", "04", "12", "13", "00", "1"], ["-"],
        ["20", "01", "28", "29", "30", "31", "32", "00"],
        ["T", "t", " ", "X"], ["08", "00", "23", "24"], [":"], ["40", "00", "59", "60", "5"],
        [":00", ":59", ":60", ""], ["", ".1", ".123456", ".", ".x"],
        ["Z", "z", "+00:00", "-23:59", "+24:00", "+0000", "", "+05:30", "+05:60"],
        ["", "\n", "\r\n", " ", "\n\n"],
    ]
    out = ["2025-05-20T08:40:00", "0000-01-01T00:00:00Z", "2025-05-20t08:40:00z", "2025-05-20 08:40"]
    for _ in range(2500):
        # Mostly the first (valid) piece, so that the sample holds valid and near-valid values alike.
        out.append("".join(p[0] if rng.random() < 0.8 else rng.choice(p) for p in parts))
    return out


def pattern_samples(rng):
    alphabet = "az09_:.-/ AZ+\n\r\u2028\u0085\x00,é"
    hexes = "0123456789abcdefABC"
    out = ["", "maestro", "maestro\n", "maestro\r\n", "maestro\u2028", "maestro:", "maestro:x", "1", "1.0",
           "1\n", "a..b", ".a", "a.", "a.b", "https://x", "git://x", "http://x", "x,y", "x, y", "a/b"]
    for n in (40, 64):
        out.append("".join(rng.choice(hexes[:16]) for _ in range(n)))
        out.append("".join(rng.choice(hexes) for _ in range(n)))
    out.append(out[-4] + "+" + out[-2])
    for _ in range(150):
        out.append("".join(rng.choice(alphabet) for _ in range(rng.randrange(10))))
    return out


def main(schema_dir, target):
    rng = random.Random(3987)
    oracle = {
        "uri": [[s, rfc3987.match(s, rule="URI") is not None] for s in uri_samples(rng)],
        "date-time": [[s, bool(validate_rfc3339(s.upper()))] for s in datetime_samples(rng)],
        "patterns": {},
    }
    samples = pattern_samples(rng)
    for pattern in schema_patterns(schema_dir):
        oracle["patterns"][pattern] = [[s, re.search(pattern, s) is not None] for s in samples]
    with open(target, "w", encoding="utf-8") as f:
        json.dump(oracle, f, indent=0, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
