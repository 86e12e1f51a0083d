#!/usr/bin/env python3
"""The checks of truss's config model at each release, for `npm run releases` (scripts/releases.mjs).

  python3 scripts/release-facts.py MODELS_FOLDER MODEL...

MODELS_FOLDER is ../shared/reference/truss-versions/models; each MODEL one folder of it (a release's
config-model source). For each, it imports the model and walks `TrussConfig` and every pydantic model
nested in it, reading the model only (it never loads a config), and prints one JSON object:

  {"<model>": {"pydantic": bool, "typed": [key...], "required": [path...], "open": [path...],
               "kinds": {path: [kind...]}}}

pydantic  TrussConfig is a pydantic model (from v0.9.78; before, a dataclass whose own fields were not
          type-checked: only its pydantic parts, such as `trt_llm`, were).
typed     in the dataclass era, the top-level keys whose pydantic models checked them.
required  key paths a config must write when their mapping is there (`model_cache[].use_volume`).
open      key paths of mappings whose model lets a key it does not know through `truss push` (dropped on
          load, or kept and not refused by `validate_forbid_extra`). A validator of a parent may drop more:
          this is what the model itself says, never more open than truss is.
kinds     the kinds of value (`bool dict float int list null str`) a mapping of free keys takes, where its
          values are a union of plain types (`patch_kwargs: Dict[str, Union[str, int, float, dict]]`).

Paths are written as in since.tsv: `a.b[].c`; a dict's value is `{}`. Needs python3, pydantic 2, PyYAML.
"""
import importlib
import json
import logging
import pathlib
import sys
import typing
import warnings

logging.disable(logging.CRITICAL)
warnings.simplefilter("ignore")
import pydantic  # noqa: E402

def purge():
    for name in list(sys.modules):
        if name == "truss" or name.startswith("truss.") or name in ("huggingface_hub", "tomlkit") or name.startswith(
            "huggingface_hub."
        ):
            del sys.modules[name]


def models_in(ann, out):
    """The pydantic models an annotation holds, with the path step to each (`` or `[]` or `.{}`)."""
    origin = typing.get_origin(ann)
    args = typing.get_args(ann)
    if origin is typing.Annotated:
        return models_in(args[0], out)
    if origin is typing.Union:
        for a in args:
            models_in(a, out)
        return out
    if origin in (list, tuple, set, frozenset):
        for step, m in models_in(args[0] if args else typing.Any, []):
            out.append(("[]" + step, m))
        return out
    if origin is dict or (isinstance(origin, type) and issubclass(origin, typing.Mapping)):
        if len(args) == 2:
            for step, m in models_in(args[1], []):
                out.append((".{}" + step, m))
        return out
    if isinstance(ann, type) and issubclass(ann, pydantic.RootModel):
        return models_in(ann.model_fields["root"].annotation, out)
    if isinstance(ann, type) and issubclass(ann, pydantic.BaseModel):
        out.append(("", ann))
    return out


PLAIN = {str: "str", int: "int", float: "float", bool: "bool", dict: "dict", list: "list", type(None): "null"}


def plain_kinds(ann):
    """The kinds of value an annotation of plain types takes (pydantic's lax mode), else None."""
    if typing.get_origin(ann) is typing.Annotated:
        return plain_kinds(typing.get_args(ann)[0])
    args = typing.get_args(ann) if typing.get_origin(ann) is typing.Union else (ann,)
    kinds = set()
    for a in args:
        a = typing.get_origin(a) or a
        if a not in PLAIN:
            return None
        kinds.add(PLAIN[a])
    # Lax mode: an int takes a bool, a float an int or a bool.
    if "int" in kinds or "float" in kinds:
        kinds.add("bool")
    if "float" in kinds:
        kinds.add("int")
    return sorted(kinds)


def free_values(ann):
    """The annotation of the values of a mapping of free keys (`Dict[str, X]`, optional or not), else None."""
    if typing.get_origin(ann) is typing.Annotated:
        return free_values(typing.get_args(ann)[0])
    if typing.get_origin(ann) is typing.Union:
        maps = [free_values(a) for a in typing.get_args(ann) if a is not type(None)]
        return maps[0] if len(maps) == 1 else None
    origin = typing.get_origin(ann)
    args = typing.get_args(ann)
    if origin is dict and len(args) == 2:
        return args[1]
    return None


PROBE = "zz_release_facts_probe"


def ignores_extra(model, push_check):
    """Whether a key this model does not know gets through the checks of a release."""
    extra = model.model_config.get("extra")
    if extra in (None, "ignore"):
        return True  # dropped on load: validate_forbid_extra never sees it
    if extra == "forbid" or not push_check:
        return extra != "forbid"
    try:  # "allow": kept, refused only if a validator refuses it in the push check's context
        model.model_validate({PROBE: 1}, context={"forbid_extra": True})
    except pydantic.ValidationError as e:
        return not any(PROBE in str(err.get("msg", "")) or err.get("type") == "extra_forbidden" for err in e.errors())
    except Exception:  # noqa: BLE001
        return False
    return True


def walk(model, path, seen, visits, opened, push_check, kinds):
    """Each model a path can hold (a union holds several), with the keys it requires, in `visits`."""
    if model in seen:
        return
    seen = seen | {model}
    if path and ignores_extra(model, push_check):
        opened.add(path)
    required = set()
    visits.setdefault(path, []).append(required)
    for name, info in model.model_fields.items():
        key = info.alias if isinstance(info.alias, str) else name
        child = f"{path}.{key}" if path else key
        if info.is_required():
            required.add(key)
        values = free_values(info.annotation)
        plain = plain_kinds(values) if values is not None else None
        if plain:
            kinds[child + ".{}"] = plain
        for step, m in models_in(info.annotation, []):
            walk(m, child + step, seen, visits, opened, push_check, kinds)


def required_paths(visits):
    """A key is required at a path only when every model that path can hold requires it."""
    out = set()
    for path, sets in visits.items():
        for key in set.intersection(*sets):
            out.add(f"{path}.{key}" if path else key)
    return out


def facts_of(folder):
    purge()
    sys.path[:0] = [str(folder)]
    stubs = str(folder / "stubs")
    sys.path.append(stubs)
    try:
        tc = importlib.import_module("truss.base.truss_config").TrussConfig
        visits = {}
        typed = []
        opened = set()
        kinds = {}
        push_check = hasattr(tc, "validate_forbid_extra")
        pydantic_model = isinstance(tc, type) and issubclass(tc, pydantic.BaseModel)
        if pydantic_model:
            walk(tc, "", frozenset(), visits, opened, push_check, kinds)
        else:
            # The dataclass era: only its pydantic parts checked types and required keys.
            for name, hint in typing.get_type_hints(tc).items():
                for step, m in models_in(hint, []):
                    typed.append(name)
                    walk(m, name + step, frozenset(), visits, opened, push_check, kinds)
        return {
            "pydantic": pydantic_model,
            "typed": sorted(set(typed)),
            "required": sorted(required_paths(visits)),
            "open": sorted(opened),
            "kinds": kinds,
        }
    finally:
        sys.path.remove(str(folder))
        sys.path.remove(stubs)


def main():
    root = pathlib.Path(sys.argv[1])
    out = {m: facts_of(root / m) for m in sys.argv[2:]}
    print(json.dumps(out, indent=None, sort_keys=True))


if __name__ == "__main__":
    main()
