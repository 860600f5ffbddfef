#!/usr/bin/env python3
"""The Python validation a team would otherwise put in CI, as a benchmark baseline.

usage: validate_jsonschema.py [PLAN_DIR] [--schemas DIR]

Loads tandem.yaml, backlog.yaml, roadmap.yaml and risks.yaml from PLAN_DIR (default: the
current directory) with PyYAML and validates each against schemas/<kind>.schema.json with
jsonschema's Draft7Validator (format checking on, so "format": "date" is checked too).
Prints every error and exits 1 if there is any, else exits 0.

Needs Debian 12's python3-yaml and python3-jsonschema (4.10). Uses libyaml's C loader when
PyYAML has it, to be fair to Python. PyYAML reads YAML 1.1; the loader below is adjusted
towards YAML 1.2 as tandem reads it, as a team would have to: dates stay strings (as in
JSON, which the schemas are written for; 2027-01-04 is not turned into a datetime.date),
and only true/false are booleans (in YAML 1.1 the key `off:` of a person is False).

This checks the shape of each file only; it does not do tandem's cross-file checks
(references, dependency cycles, capacity, ...).
"""
import argparse
import json
import os
import re
import sys

import jsonschema
import yaml

FILES = {  # file name -> schema kind
    "tandem.yaml": "config",
    "backlog.yaml": "backlog",
    "roadmap.yaml": "roadmap",
    "risks.yaml": "risks",
}
TIMESTAMP = "tag:yaml.org,2002:timestamp"
BOOL = "tag:yaml.org,2002:bool"
Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Loader(Base):
    """Safe loader (C if available): dates stay strings, booleans are YAML 1.2's."""


# Copy the resolver table rather than editing the shared one of SafeLoader.
Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in (TIMESTAMP, BOOL)]
    for first, resolvers in Base.yaml_implicit_resolvers.items()
}
Loader.add_implicit_resolver(BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                             list("tTfF"))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("plan", nargs="?", default=".")
    ap.add_argument("--schemas", default=os.path.join(here, "..", "..", "schemas"))
    a = ap.parse_args()

    # Draft7Validator.FORMAT_CHECKER is newer than 4.10; draft7_format_checker is 4.10's name.
    format_checker = getattr(jsonschema.Draft7Validator, "FORMAT_CHECKER", None) \
        or jsonschema.draft7_format_checker
    errors = 0
    for name, kind in FILES.items():
        with open(os.path.join(a.schemas, f"{kind}.schema.json"), encoding="utf-8") as f:
            schema = json.load(f)
        validator = jsonschema.Draft7Validator(schema, format_checker=format_checker)
        path = os.path.join(a.plan, name)
        try:
            with open(path, "rb") as f:
                doc = yaml.load(f, Loader=Loader)
        except (OSError, yaml.YAMLError) as e:
            print(f"{path}: {e}")
            errors += 1
            continue
        for err in validator.iter_errors(doc):
            where = "/".join(str(p) for p in err.absolute_path)
            print(f"{path}: /{where}: {err.message}")
            errors += 1
    if errors:
        print(f"{errors} error(s)", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
