#!/usr/bin/env python3
"""Validates captured protocol traffic against Protocol/schemas.

Input: a file with one captured line per line, prefixed by its direction:
    C> {...}    a line the client sent
    H> {...}    a line the hub sent
Each line must be one JSON object valid against the schema of its `type`, and the type must be
one that side may send (hello only from the client, welcome only from the hub).
Exits 0 when every line is valid, 1 on any violation (each printed), 2 on usage errors.

Usage: validate-traffic.py [--schemas DIR] TRAFFIC_FILE
"""
import argparse
import json
import pathlib
import sys

try:
    import jsonschema
    from referencing import Registry, Resource
except ImportError as error:  # pragma: no cover
    print(f"validate-traffic: needs the python3 'jsonschema' package: {error}", file=sys.stderr)
    sys.exit(2)

ALLOWED = {
    "C": {"hello", "ops", "ack", "done", "error"},
    "H": {"welcome", "ops", "ack", "done", "error"},
}


def load_registry(directory: pathlib.Path):
    schemas = {}
    resources = []
    for path in sorted(directory.glob("*.schema.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        jsonschema.Draft202012Validator.check_schema(schema)
        schemas[path.name] = schema
        resources.append((schema["$id"], Resource.from_contents(schema)))
    return schemas, Registry().with_resources(resources)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    default_schemas = pathlib.Path(__file__).resolve().parent.parent / "Protocol" / "schemas"
    parser.add_argument("--schemas", type=pathlib.Path, default=default_schemas)
    parser.add_argument("traffic", type=pathlib.Path)
    args = parser.parse_args()

    schemas, registry = load_registry(args.schemas)
    validators = {
        name.removesuffix(".schema.json"): jsonschema.Draft202012Validator(schema, registry=registry)
        for name, schema in schemas.items()
    }
    violations = 0
    checked = 0
    for number, raw in enumerate(args.traffic.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip():
            continue
        side, _, line = raw.partition("> ")
        if side not in ALLOWED:
            print(f"{number}: no direction prefix (C> or H>)")
            violations += 1
            continue
        try:
            message = json.loads(line)
        except json.JSONDecodeError as error:
            print(f"{number}: not JSON: {error}")
            violations += 1
            continue
        kind = message.get("type") if isinstance(message, dict) else None
        if kind not in ALLOWED[side]:
            print(f"{number}: {side} may not send type {kind!r}")
            violations += 1
            continue
        errors = sorted(validators[kind].iter_errors(message), key=lambda e: list(e.absolute_path))
        for error in errors:
            location = "/".join(str(part) for part in error.absolute_path) or "(root)"
            print(f"{number}: {kind} at {location}: {error.message}")
        violations += len(errors)
        checked += 1
    print(f"{checked} lines checked, {violations} violations")
    return 1 if violations or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
