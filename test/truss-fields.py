#!/usr/bin/env python3
"""Every field of truss's config model, for test/field-differential.test.ts.

Imports `TrussConfig` from ../shared/reference/truss-model (as truss-verdict.py does) and walks it
and every model nested in it, through Optional, unions, lists, dicts and root models. Prints one JSON
object: {"fields": [...]} with, for each field path:

  path         segments: a field name, "*" for a list item, "{}" for the value under a dict key,
               "{key}" for a dict key itself
  types        the scalar types the field takes, in the model's words: "str", "int", "float", "bool",
               "none", "any", "enum", "literal", "model:<Name>", "list", "dict"
  enum         the values of an enum or a Literal
  strict       pydantic's strict mode for this field (no "1" or 1.0 for an int)
  constraints  ge, gt, le, lt, min_length, max_length, pattern (from the annotation)
  default      the default, when it is JSON
  examples     the examples the model gives
  required     whether the field has no default
  validators   names of the field validators and of the model's validators that can see it
  model        the class that declares the field
  string_model a model that takes a string too (its JSON schema says so: `resources.accelerator`)

It reads the model only; it never loads a config. Needs python3 with pydantic 2 and PyYAML.
"""
import enum
import json
import logging
import pathlib
import sys
import typing
import warnings

REFERENCE = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else (
    pathlib.Path(__file__).resolve().parent.parent.parent / "shared" / "reference"
)
sys.path.insert(0, str(REFERENCE / "truss-model"))


def _missing(mod):
    try:
        __import__(mod)
        return False
    except ImportError:
        return True


if _missing("huggingface_hub") or _missing("tomlkit"):
    sys.path.append(str(REFERENCE / "truss-model" / "stubs"))
logging.disable(logging.CRITICAL)
warnings.simplefilter("ignore")

import pydantic  # noqa: E402
from pydantic.fields import FieldInfo  # noqa: E402

from truss.base.truss_config import TrussConfig  # noqa: E402

NONE = type(None)


def constraints_of(metadata, out):
    for m in metadata:
        if isinstance(m, FieldInfo):
            constraints_of(m.metadata, out)
            continue
        for attr in ("ge", "gt", "le", "lt", "min_length", "max_length", "pattern", "strict"):
            v = getattr(m, attr, None)
            if v is not None and not callable(v):
                out[attr] = v if not hasattr(v, "pattern") else v.pattern


def jsonable(v):
    if isinstance(v, enum.Enum):
        return v.value
    try:
        json.dumps(v)
        return v
    except TypeError:
        return None


def strict_model(cls):
    return bool(getattr(cls, "model_config", {}).get("strict"))


class Walker:
    def __init__(self):
        self.fields = []
        self.owners = {}

    def ancestors(self, path):
        return [self.owners[tuple(path[:i])] for i in range(1, len(path)) if tuple(path[:i]) in self.owners]

    def field(self, path, annotation, info, owner):
        cons = {}
        if info is not None:
            constraints_of(info.metadata, cons)
        entry = {
            "path": path,
            "types": [],
            "enum": [],
            "strict": strict_model(owner) if owner else False,
            "constraints": cons,
            "required": bool(info is not None and info.is_required()),
            "model": owner.__name__ if owner else None,
            "validators": [],
        }
        if info is not None and not info.is_required() and info.default_factory is None:
            d = jsonable(info.default)
            if d is not None or info.default is None:
                entry["default"] = d
        if info is not None and info.examples:
            entry["examples"] = [jsonable(e) for e in info.examples]
        if owner is not None:
            decs = owner.__pydantic_decorators__
            name = path[-1]
            for vname, d in decs.field_validators.items():
                if name in d.info.fields or "*" in d.info.fields:
                    entry["validators"].append(f"{owner.__name__}.{vname} ({d.info.mode})")
            for vname, d in decs.model_validators.items():
                entry["validators"].append(f"{owner.__name__}.{vname} (model, {d.info.mode})")
        children = []
        self.type_of(annotation, entry, children, path)
        if "strict" in cons:
            entry["strict"] = bool(cons.pop("strict")) or entry["strict"]
        self.fields.append(entry)
        for child_path, child_ann, child_info, child_owner in children:
            self.field(child_path, child_ann, child_info, child_owner)

    def type_of(self, ann, entry, children, path):
        origin = typing.get_origin(ann)
        args = typing.get_args(ann)
        if origin is typing.Annotated:
            constraints_of(args[1:], entry["constraints"])
            return self.type_of(args[0], entry, children, path)
        if origin is typing.Union:
            for a in args:
                self.type_of(a, entry, children, path)
            return
        if origin is typing.Literal:
            entry["types"].append("literal")
            entry["enum"] += [jsonable(a) for a in args]
            return
        if origin in (list, tuple, set, frozenset):
            entry["types"].append("list")
            item = args[0] if args else typing.Any
            children.append((path + ["*"], item, None, None))
            return
        if origin in (dict,) or (origin is not None and isinstance(origin, type) and issubclass(origin, typing.Mapping)):
            entry["types"].append("dict")
            key, value = args if args else (typing.Any, typing.Any)
            children.append((path + ["{key}"], key, None, None))
            children.append((path + ["{}"], value, None, None))
            return
        if ann is NONE:
            entry["types"].append("none")
        elif ann is typing.Any or ann is object:
            entry["types"].append("any")
        elif isinstance(ann, type) and issubclass(ann, enum.Enum):
            entry["types"].append("enum")
            entry["enum"] += [m.value for m in ann]
        elif ann is bool:
            entry["types"].append("bool")
        elif ann is int:
            entry["types"].append("int")
        elif ann is float:
            entry["types"].append("float")
        elif ann is str:
            entry["types"].append("str")
        elif isinstance(ann, type) and issubclass(ann, pydantic.RootModel):
            root = ann.model_fields["root"]
            self.type_of(root.annotation, entry, children, path)
            entry["validators"] += [
                f"{ann.__name__}.{n} (model, {d.info.mode})"
                for n, d in ann.__pydantic_decorators__.model_validators.items()
            ]
        elif isinstance(ann, type) and issubclass(ann, pydantic.BaseModel):
            entry["types"].append(f"model:{ann.__name__}")
            try:
                schema = ann.model_json_schema()
            except Exception:  # noqa: BLE001
                schema = {}
            if any(s.get("type") == "string" for s in schema.get("anyOf", [])):
                entry["string_model"] = ann.__name__
            if ann in self.ancestors(path):
                entry["recursive"] = True  # speculator.build is a build: walked once
                return
            self.owners[tuple(path)] = ann
            for name, info in ann.model_fields.items():
                children.append((path + [name], info.annotation, info, ann))
        else:
            entry["types"].append(getattr(ann, "__name__", str(ann)))


def main():
    w = Walker()
    for name, info in TrussConfig.model_fields.items():
        w.field([name], info.annotation, info, TrussConfig)
    # Merge the entries of one path reached through several union members (trt_llm v1 and v2).
    merged = {}
    for f in w.fields:
        key = ".".join(f["path"])
        if key in merged:
            m = merged[key]
            m["types"] = sorted(set(m["types"]) | set(f["types"]))
            m["enum"] = m["enum"] + [e for e in f["enum"] if e not in m["enum"]]
            m["strict"] = m["strict"] or f["strict"]
            m["validators"] = sorted(set(m["validators"]) | set(f["validators"]))
            if m.get("model") != f.get("model"):
                m["model"] = f"{m['model']}|{f['model']}"
            for k, v in f["constraints"].items():
                m["constraints"].setdefault(k, v)
            m["required"] = m["required"] and f["required"]
        else:
            merged[key] = f
    print(json.dumps({"truss": "TrussConfig", "fields": list(merged.values())}, indent=None))


if __name__ == "__main__":
    main()
