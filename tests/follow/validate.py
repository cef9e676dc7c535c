#!/usr/bin/env python3
"""Validate JSON lines against one of docs/*.schema.json.

    validate.py SCHEMA [FILE...]     (no FILE: standard input)

Every non-empty line must be one JSON object that the schema accepts.
Prints "N lines valid" or each failure (line number, path, reason) and
exits 1.  The python3 `jsonschema` package is not needed: this implements
the subset of JSON Schema (draft 2020-12) that the schemas use, and
refuses a schema with any other keyword, so a schema cannot silently ask
for a check that is not made.  When `jsonschema` is installed, the schema
is also checked by it (check_schema) and every line validated by it too,
so both must agree.
"""

import json
import re
import sys

CHECKED = {"type", "properties", "required", "additionalProperties", "enum",
           "const", "pattern", "minimum", "items", "anyOf", "$ref", "$defs"}
ANNOTATIONS = {"$schema", "$id", "title", "description", "$comment"}

TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def check_keywords(schema, where="#"):
    """Refuse keywords this validator does not implement."""
    if not isinstance(schema, dict):
        raise SystemExit(f"schema {where}: not an object")
    unknown = set(schema) - CHECKED - ANNOTATIONS
    if unknown:
        raise SystemExit(f"schema {where}: unsupported keyword(s) {sorted(unknown)}")
    for key in ("properties", "$defs"):
        for name, sub in schema.get(key, {}).items():
            check_keywords(sub, f"{where}/{key}/{name}")
    if "items" in schema:
        check_keywords(schema["items"], f"{where}/items")
    for i, sub in enumerate(schema.get("anyOf", [])):
        check_keywords(sub, f"{where}/anyOf/{i}")


def resolve(root, ref):
    if not ref.startswith("#/"):
        raise SystemExit(f"unsupported $ref {ref}")
    node = root
    for part in ref[2:].split("/"):
        node = node[part]
    return node


def errors(root, schema, value, path="$"):
    """Every reason `value` fails `schema` (empty when it passes)."""
    if "$ref" in schema:
        yield from errors(root, resolve(root, schema["$ref"]), value, path)
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(TYPES[t](value) for t in types):
            yield f"{path}: {value!r} is not of type {schema['type']}"
            return
    if "const" in schema and value != schema["const"]:
        yield f"{path}: {value!r} is not {schema['const']!r}"
    if "enum" in schema and value not in schema["enum"]:
        yield f"{path}: {value!r} is not one of {schema['enum']}"
    if "pattern" in schema and isinstance(value, str) and not re.search(schema["pattern"], value):
        yield f"{path}: {value!r} does not match {schema['pattern']}"
    if "minimum" in schema and TYPES["number"](value) and value < schema["minimum"]:
        yield f"{path}: {value!r} is below {schema['minimum']}"
    if isinstance(value, dict):
        props = schema.get("properties", {})
        for name in schema.get("required", []):
            if name not in value:
                yield f"{path}: missing {name!r}"
        for name, v in value.items():
            if name in props:
                yield from errors(root, props[name], v, f"{path}.{name}")
            elif schema.get("additionalProperties", True) is False:
                yield f"{path}: unexpected property {name!r}"
    if isinstance(value, list) and "items" in schema:
        for i, v in enumerate(value):
            yield from errors(root, schema["items"], v, f"{path}[{i}]")
    if "anyOf" in schema:
        branches = [list(errors(root, sub, value, path)) for sub in schema["anyOf"]]
        if all(branches):
            best = min(branches, key=len)
            yield f"{path}: matches no anyOf branch; nearest: {'; '.join(best)}"


def main(argv):
    if len(argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    check_keywords(schema)
    try:
        import jsonschema  # optional cross-check
        jsonschema.Draft202012Validator.check_schema(schema)
        other = jsonschema.Draft202012Validator(schema)
    except ImportError:
        other = None
    bad = n = 0
    files = argv[2:] or ["-"]
    for name in files:
        stream = sys.stdin if name == "-" else open(name, encoding="utf-8")
        for lineno, line in enumerate(stream, 1):
            if not line.strip():
                continue
            n += 1
            try:
                value = json.loads(line)
            except ValueError as e:
                print(f"{name}:{lineno}: not JSON: {e}: {line[:200]!r}")
                bad += 1
                continue
            errs = list(errors(schema, schema, value))
            if other is not None and bool(errs) != (not other.is_valid(value)):
                errs.append("this validator and python3-jsonschema disagree")
            for e in errs[:5]:
                print(f"{name}:{lineno}: {e}")
            bad += bool(errs)
    if bad:
        print(f"{bad} of {n} lines invalid against {argv[1]}")
        return 1
    if n == 0:
        print(f"no lines to validate against {argv[1]}")
        return 1
    print(f"{n} lines valid against {argv[1]}" + (" (and python3-jsonschema)" if other else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
