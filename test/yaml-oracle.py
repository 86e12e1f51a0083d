"""Loads YAML files the way truss loads config.yaml, for test/yaml-differential.test.ts.

Reads a JSON list of paths on stdin and prints one JSON line per file:
{"file": path, "ok": true, "value": ...} or {"file": path, "ok": false, "error": "ErrorClass"}.

Written from truss's behaviour (truss/util/yaml_utils.py at the commit in ../shared/reference):
PyYAML's SafeLoader, except that each mapping key is constructed before the mapping, so a
merge key `<<` and an unhashable key (a mapping or a sequence) fail to load. The file is opened
as truss opens it: text mode, UTF-8, universal newlines.

Values are made JSON-able in a fixed way that test/yaml-differential.test.ts repeats:
mapping keys become strings (None -> "null", booleans -> "true"/"false", numbers as JavaScript
prints them), floats that are not finite become {"$float": "nan" | "inf" | "-inf"}, dates and
times become {"$ts": ISO time in UTC, to the millisecond}, bytes become their UTF-8 text (as
pydantic reads bytes for a string), or {"$bytes": latin-1 text} when they are not UTF-8, sets become
{"$set": sorted items}, tuples (from !!omap and !!pairs) become lists, and a value that contains
itself becomes {"$recursive": true}.
"""

import datetime
import json
import math
import sys

import yaml


class TrussLikeLoader(yaml.SafeLoader):
    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:  # raises TypeError for a list or a dict, as truss's loader does
                pass
            seen.add(key)
        return super().construct_mapping(node, deep)


class Recursive(Exception):
    pass


def js_number(x):
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, int):
        return str(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    if x == int(x) and abs(x) < 1e21:
        return str(int(x))
    text = repr(x)
    if "e" in text:
        mantissa, exp = text.split("e")
        return f"{mantissa}e{'-' if exp.startswith('-') else '+'}{int(exp.lstrip('+-'))}"
    return text


def timestamp(t):
    if isinstance(t, datetime.datetime):
        if t.tzinfo is not None:
            t = t.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    else:
        t = datetime.datetime(t.year, t.month, t.day)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


def key_text(k):
    if k is None:
        return "null"
    if isinstance(k, (bool, int, float)):
        return js_number(k)
    if isinstance(k, bytes):
        try:
            return k.decode("utf-8")
        except UnicodeDecodeError:
            return k.decode("latin-1")
    if isinstance(k, (datetime.date, datetime.datetime)):
        return timestamp(k)
    return str(k)


def plain(v, path=()):
    if any(v is p for p in path):
        raise Recursive()
    if v is None or isinstance(v, (bool, int, str)):
        return v
    if isinstance(v, float):
        if math.isnan(v):
            return {"$float": "nan"}
        if math.isinf(v):
            return {"$float": "inf" if v > 0 else "-inf"}
        return v
    if isinstance(v, bytes):
        try:
            return v.decode("utf-8")
        except UnicodeDecodeError:
            return {"$bytes": v.decode("latin-1")}
    if isinstance(v, (datetime.date, datetime.datetime)):
        return {"$ts": timestamp(v)}
    inner = path + (v,)
    if isinstance(v, dict):
        return {key_text(k): plain(x, inner) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [plain(x, inner) for x in v]
    if isinstance(v, (set, frozenset)):
        items = [plain(x, inner) for x in v]
        return {"$set": sorted(items, key=lambda i: json.dumps(i, sort_keys=True, ensure_ascii=False, separators=(",", ":")))}
    return {"$unknown": type(v).__name__}


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            value = yaml.load(f, Loader=TrussLikeLoader)
    except RecursionError:
        return {"ok": False, "error": "RecursionError"}
    except Exception as e:  # truss fails to load the file, whatever the exception
        return {"ok": False, "error": type(e).__name__, "message": str(e).split("\n")[0][:200]}
    try:
        return {"ok": True, "value": plain(value)}
    except Recursive:
        return {"ok": True, "value": {"$recursive": True}}
    except RecursionError:
        return {"ok": True, "value": {"$recursive": True}}


def main():
    for path in json.load(sys.stdin):
        out = {"file": path}
        out.update(load(path))
        print(json.dumps(out, sort_keys=True))


if __name__ == "__main__":
    main()
