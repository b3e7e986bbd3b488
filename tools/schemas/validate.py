#!/usr/bin/env python3
"""Validate Qingling event documents (JSON Lines) against schemas/envelope.schema.json.

Usage:
    python3 tools/schemas/validate.py [--schemas DIR] [--expect-invalid] FILE.jsonl

Each non-blank line of FILE is one event document in its interchange form. Every invalid
document is reported as

    line N (event ID): <error path>: <message>

and the exit status is 1 if any document is invalid, 0 otherwise. With --expect-invalid the
expectation is inverted line by line: every document must be refused (its errors are still
printed, so the reason can be checked), and a document that validates is reported as

    line N (event ID): expected invalid, but the document is valid

with exit status 1. Exit status 2 means the schemas or the file could not be used.

Validation is JSON Schema draft 2020-12 (jsonschema's Draft202012Validator, with a
referencing.Registry holding every *.schema.json of the schema directory and format checking
of "date" and "date-time"), made to follow the JSON Schema specification where Python's
defaults differ, and made as strict as the Swift engine's decoder:

- "pattern" uses ECMA-262 semantics, as the specification requires: \\d matches ASCII digits
  only (Python's re would accept e.g. full-width digits), and $ matches only at the very end
  (Python's re would also accept a trailing newline).
- "integer" accepts only JSON integer literals: 100.0 and 1e2 are refused, so money in fen is
  never written as a floating-point number.
- A document with a duplicate object key, or with NaN/Infinity, is refused.
"""

import argparse
import json
import pathlib
import re
import sys

try:
    import referencing
    import referencing.exceptions
    from referencing.jsonschema import DRAFT202012
    from jsonschema import Draft202012Validator, FormatChecker, ValidationError, validators
except ImportError as exc:  # pragma: no cover
    sys.exit(f"validate.py: needs the jsonschema (4.18 or later) and referencing packages: {exc}")

SCHEMA_BASE = "https://qingling.example/schemas/"
ENVELOPE = "envelope.schema.json"
DEFAULT_SCHEMAS = pathlib.Path(__file__).resolve().parent.parent.parent / "schemas"


class DocumentRefused(Exception):
    """The line is JSON, but not JSON the engine would accept (duplicate key, NaN)."""


# ---------------------------------------------------------------- JSON, strictly

def _pairs_without_duplicates(pairs):
    obj = {}
    for key, value in pairs:
        if key in obj:
            raise DocumentRefused(f"duplicate key {key!r}")
        obj[key] = value
    return obj


def _refuse_constant(name):
    raise DocumentRefused(f"{name} is not a JSON number")


def parse_strict(line):
    return json.loads(line, object_pairs_hook=_pairs_without_duplicates, parse_constant=_refuse_constant)


# ---------------------------------------------------------------- ECMA-262 patterns

_pattern_cache = {}


def ecma_regex(pattern):
    """Compile a JSON Schema pattern with ECMA-262 meaning (for the subset the schemas use):
    ASCII \\d and \\w, and $ (outside a character class) only at the very end of the string."""
    compiled = _pattern_cache.get(pattern)
    if compiled is None:
        out, i, in_class = [], 0, False
        while i < len(pattern):
            c = pattern[i]
            if c == "\\":
                out.append(pattern[i:i + 2])
                i += 2
                continue
            if in_class:
                if c == "]":
                    in_class = False
            elif c == "[":
                in_class = True
            elif c == "$":
                c = r"\Z"
            out.append(c)
            i += 1
        compiled = _pattern_cache[pattern] = re.compile("".join(out), re.ASCII)
    return compiled


def _pattern_keyword(validator, pattern, instance, schema):
    if validator.is_type(instance, "string") and not ecma_regex(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _is_integer_literal(checker, instance):
    return isinstance(instance, int) and not isinstance(instance, bool)


StrictValidator = validators.extend(
    Draft202012Validator,
    validators={"pattern": _pattern_keyword},
    type_checker=Draft202012Validator.TYPE_CHECKER.redefine("integer", _is_integer_literal),
)
# Every schema file declares "$schema": draft 2020-12, and jsonschema picks the validator class
# of a referenced schema from its "$schema". Register the strict class for draft 2020-12 (in this
# process only), or the event schemas reached through "$ref" would get the stock semantics.
validators.validates(Draft202012Validator.META_SCHEMA["$id"])(StrictValidator)


# ---------------------------------------------------------------- schemas

def _walk_refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from _walk_refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk_refs(item)


def load_validator(schema_dir):
    """Load every *.schema.json of schema_dir into a registry, check each schema, and return a
    validator for the envelope. Raises SystemExit(2) with a message on any problem."""
    files = sorted(schema_dir.glob("*.schema.json"))
    if not files:
        raise SystemExit(f"validate.py: no *.schema.json in {schema_dir}")
    problems, schemas, resources = [], {}, []
    for path in files:
        try:
            contents = json.loads(path.read_text(encoding="utf-8"), object_pairs_hook=_pairs_without_duplicates)
        except (OSError, ValueError, DocumentRefused) as exc:
            problems.append(f"{path.name}: cannot read: {exc}")
            continue
        expected_id = SCHEMA_BASE + path.name
        if contents.get("$id") != expected_id:
            problems.append(f"{path.name}: $id is {contents.get('$id')!r}, expected {expected_id!r}")
        try:
            Draft202012Validator.check_schema(contents)
        except Exception as exc:  # SchemaError
            problems.append(f"{path.name}: not a valid draft 2020-12 schema: {exc.message if hasattr(exc, 'message') else exc}")
        schemas[expected_id] = contents
        resources.append((expected_id, DRAFT202012.create_resource(contents)))
    registry = referencing.Registry().with_resources(resources).crawl()
    for uri, contents in schemas.items():
        resolver = registry.resolver(base_uri=uri)
        for target in _walk_refs(contents):
            try:
                resolver.lookup(target)
            except referencing.exceptions.Unresolvable as exc:
                problems.append(f"{uri.rsplit('/', 1)[-1]}: $ref {target!r} does not resolve: {exc}")
    envelope_id = SCHEMA_BASE + ENVELOPE
    if envelope_id not in schemas:
        problems.append(f"{ENVELOPE} is missing from {schema_dir}")
    checker = FormatChecker()
    for fmt in ("date", "date-time"):
        if fmt not in checker.checkers:
            problems.append(f"format {fmt!r} cannot be checked here (for date-time, install rfc3339-validator)")
    if problems:
        raise SystemExit("validate.py: unusable schemas:\n  " + "\n  ".join(problems))
    return StrictValidator(schemas[envelope_id], registry=registry, format_checker=checker)


# ---------------------------------------------------------------- main

def event_label(document):
    if isinstance(document, dict) and isinstance(document.get("eventId"), str):
        return document["eventId"]
    return "?"


def main(argv=None):
    parser = argparse.ArgumentParser(description="Validate Qingling event documents (JSON Lines) "
                                                 "against schemas/envelope.schema.json.")
    parser.add_argument("--schemas", type=pathlib.Path, default=DEFAULT_SCHEMAS, metavar="DIR",
                        help=f"directory holding the *.schema.json files (default: {DEFAULT_SCHEMAS})")
    parser.add_argument("--expect-invalid", action="store_true",
                        help="every document must be invalid (tests that bad documents are refused)")
    parser.add_argument("file", type=pathlib.Path, metavar="FILE.jsonl")
    args = parser.parse_args(argv)

    try:
        validator = load_validator(args.schemas)
    except SystemExit as exc:
        print(exc.code, file=sys.stderr)
        return 2
    try:
        lines = args.file.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"validate.py: cannot read {args.file}: {exc}", file=sys.stderr)
        return 2

    documents = valid = invalid = 0
    failed = False
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        documents += 1
        errors = []
        try:
            document = parse_strict(line)
        except DocumentRefused as exc:
            try:
                label = event_label(json.loads(line))
            except ValueError:
                label = "?"
            errors = [("$", str(exc))]
        except ValueError as exc:
            # Not JSON at all. Never counts as an expected refusal: a refusal test must be a
            # JSON document that the schemas refuse, not a typo in the test file.
            print(f"line {number} (event ?): not a JSON document: {exc}")
            invalid += 1
            failed = True
            continue
        else:
            label = event_label(document)
            # The same failure can be found twice (e.g. data's type, checked by the envelope and
            # by the event schema): report each path and message once.
            errors = sorted({(e.json_path, e.message) for e in validator.iter_errors(document)})
        if errors:
            invalid += 1
            for path, message in errors:
                print(f"line {number} ({label}): {path}: {message}")
            if not args.expect_invalid:
                failed = True
        else:
            valid += 1
            if args.expect_invalid:
                print(f"line {number} ({label}): expected invalid, but the document is valid")
                failed = True

    sys.stdout.flush()
    if documents == 0:
        print(f"validate.py: {args.file} holds no event documents", file=sys.stderr)
        return 1
    expectation = "all invalid expected" if args.expect_invalid else "all valid expected"
    print(f"{args.file}: {documents} documents, {valid} valid, {invalid} invalid ({expectation}): "
          f"{'FAIL' if failed else 'OK'}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
