#!/usr/bin/env python3
"""Write the validation answers that SchemaOracleTest holds KcidbValidator to.

Mutates small valid KCIDB documents (from the shared corpus, plus two hand-made v1.1/v2.0 ones) in many small
ways and records, for each result, what the reference decides: the version kcidb-io validates against (exact
(major, minor) class, minor defaulting to 0, else LATEST) and the errors jsonschema 4.10.3's Draft7Validator with
its format checker (rfc3987, rfc3339-validator) reports, as JSON pointers.

Run from the repository root with Debian's python3-jsonschema and python3-rfc3987 and rfc3339-validator:
  python3 contracts/src/test/python/schema_oracle.py ../shared \
      contracts/src/test/resources/org/kernelci/kcidb/contracts/kcidb/schema-oracle.jsonl
"""
import copy
import glob
import json
import os
import random
import sys

from jsonschema import Draft7Validator

VERSIONS = [(1, 1), (2, 0), (3, 0), (4, 0), (4, 1), (4, 2), (4, 3), (4, 4), (4, 5), (5, 0), (5, 1), (5, 2), (5, 3)]
LATEST = (5, 3)

V11_SEED = {"version": "1", "revisions": [{"origin": "redhat", "origin_id": "r1", "description": "x",
                                           "patch_mboxes": [{"name": "a/b.patch", "url": "https://x.org/p"}]}],
            "builds": [{"origin": "redhat", "origin_id": "b1", "revision_origin": "redhat",
                        "revision_origin_id": "r1", "valid": True, "start_time": "2020-01-01T00:00:00Z"}],
            "tests": [{"origin": "redhat", "origin_id": "t1", "build_origin": "redhat", "build_origin_id": "b1",
                       "path": "ltp.sem01", "status": "PASS", "waived": False, "environment": {"description": "e"}}]}
V20_SEED = {"version": {"major": 2, "minor": 0},
            "revisions": [{"id": "redhat:r1", "git_repository_url": "https://x.org/r.git",
                           "git_repository_commit_hash": "abc", "message_id": "<m@x.org>"}],
            "builds": [{"id": "redhat:b1", "revision_id": "redhat:r1", "architecture": "x86_64", "valid": False}],
            "tests": [{"id": "redhat:t1", "build_id": "redhat:b1", "status": "FAIL", "path": "a.b"}]}

NEAR_MISSES = ["", "x", "Maestro", "maestro", "maestro\n", "maestro\r\n", "maestro\u2028", "a..b", ".a", "a.b",
               "https:", "https://example.com:abc/", "not a url", "2025-05-20T08:40:00", "2025-05-20t08:40:00z",
               "2025-05-20T08:40:00+00:00", "0000-01-01T00:00:00Z", "x\u0000y", "\U0001F427", "git://x.org/r",
               "http://x.org/r", "https://x.org/r", "<m@k.org>", "no-at", "FAIL", "MISS", "pass", "a:b", ":x",
               "maestro:1", "a b", "q,r", "q, r", "metric", "kilo", "f00af9d68ed146b47fdbfe91134fcf04c36e6d78"]
OTHER_VALUES = [1, -1, 1.5, 2.0, True, False, None, [], {}, "1", [1], {"a": 1}]


def exact_version(data):
    """kcidb-io's get_exactly_compatible, as far as version numbers go (bool counts as int in Python)."""
    try:
        version = data["version"]
        if isinstance(version, str):
            import re
            m = re.match("^([0-9]+)(\\.([0-9]+))?$", version)
            if m and (int(m.group(1)), int(m.group(3) or "1")) == (1, 1):
                return (1, 1)
            return None
        major = version["major"]
        minor = version.get("minor", 0)
        if isinstance(major, int) and isinstance(minor, int) and major >= 0 and minor >= 0:
            return (major, minor) if (major, minor) in VERSIONS else None
    except (TypeError, KeyError, AttributeError):
        pass
    return None


def pointer(path):
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from paths(v, prefix + (i,))


def get(doc, path):
    for p in path:
        doc = doc[p]
    return doc


def mutate(doc, rng):
    doc = copy.deepcopy(doc)
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        candidates = [p for p in paths(doc) if p]
        if not candidates:
            break
        path = rng.choice(candidates)
        parent = get(doc, path[:-1])
        key = path[-1]
        kind = rng.random()
        if path[0] == "version" and kind < 0.5:
            parent[key] = rng.choice([0, 1, 3, 4, 5, 6, 2.0, 5.0, -1, "5"])
        elif kind < 0.45:
            parent[key] = rng.choice(NEAR_MISSES)
        elif kind < 0.65:
            parent[key] = rng.choice(OTHER_VALUES)
        elif kind < 0.8 and isinstance(parent, dict):
            del parent[key]
        elif isinstance(parent, dict):
            parent[rng.choice(["zz_unknown", "waived", "valid", "status", "contacts", "categories",
                               "input_files", "a/b"])] = rng.choice(NEAR_MISSES + OTHER_VALUES)
    return doc


def main(shared, target):
    schemas = {}
    for major, minor in VERSIONS:
        with open(os.path.join(shared, "kcidb-schema", f"v{major}.{minor}.json"), encoding="utf-8") as f:
            schemas[(major, minor)] = Draft7Validator(json.load(f), format_checker=Draft7Validator.FORMAT_CHECKER)
    seeds = [V11_SEED, V20_SEED]
    for part in ("valid", "real", "upstream"):
        for path in sorted(glob.glob(os.path.join(shared, "corpus", "kcidb", part, "*.json"))):
            name = os.path.basename(path)
            if name.endswith(".verdict.json") or name == "SOURCES.json" or "nan" in name:
                continue
            if os.path.getsize(path) < 2500:
                with open(path, encoding="utf-8") as f:
                    seeds.append(json.load(f))
    rng = random.Random(2020)
    with open(target, "w", encoding="utf-8") as out:
        for i in range(420):
            doc = mutate(seeds[i % len(seeds)], rng)
            version = exact_version(doc) or LATEST
            errors = sorted({pointer(e.absolute_path) for e in schemas[version].iter_errors(doc)})
            out.write(json.dumps({"validated_against": "v%d.%d" % version, "exact": exact_version(doc) is not None,
                                  "pointers": errors, "doc": doc}, sort_keys=True) + "\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
