"""truss-config's opt-in truss run: asks the installed truss to load config.yaml texts.

Reads one JSON request a line on stdin ({"id": N, "text": "..."}) and answers one JSON line each on
stdout: {"id": N, "errors": [{"loc": [...] | null, "type": "...", "msg": "..."}]}. The first line
says whether truss could be imported: {"ready": true, "version": "0.18.26"} or {"ready": false}.
Anything truss prints goes to stderr. Messages never carry the value that failed.
"""
import json
import os
import pathlib
import sys
import tempfile

answers = os.fdopen(os.dup(1), "w", encoding="utf-8")
os.dup2(2, 1)
sys.stdout = sys.stderr
# The current folder is not where truss comes from.
sys.path = [p for p in sys.path if p not in ("", os.getcwd())]


def send(obj):
    answers.write(json.dumps(obj) + "\n")
    answers.flush()


try:
    import logging
    import warnings

    logging.disable(logging.CRITICAL)
    warnings.simplefilter("ignore")
    from importlib import metadata

    version = metadata.version("truss")
    from truss.base.truss_config import TrussConfig
except Exception as e:  # noqa: BLE001
    send({"ready": False, "reason": type(e).__name__})
    sys.exit(0)

FORBID = hasattr(TrussConfig, "validate_forbid_extra")
send({"ready": True, "version": version, "forbid": FORBID})


def without_value(msg, value):
    """The message without the value truss was given, in case it quotes it."""
    msg = msg.split(" [type=")[0]
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        for shown in (repr(value), str(value) if len(str(value)) >= 3 else None):
            if shown:
                msg = msg.replace(shown, "…")
    return msg


def errors_of(error, stage):
    found = getattr(error, "errors", None)
    if callable(found):
        try:
            return [
                {
                    "loc": [p if isinstance(p, (str, int)) else str(p) for p in e.get("loc", ())],
                    "type": str(e.get("type", "")),
                    "msg": without_value(str(e.get("msg", "")), e.get("input")),
                    "stage": stage,
                }
                for e in found()
            ]
        except Exception:  # noqa: BLE001
            pass
    first = str(error).splitlines()[0] if str(error) else ""
    return [{"loc": None, "type": type(error).__name__, "msg": without_value(first, None), "stage": stage}]


def check(text):
    with tempfile.TemporaryDirectory() as folder:
        path = pathlib.Path(folder) / "config.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            config = TrussConfig.from_yaml(path)
        except Exception as e:  # noqa: BLE001
            return errors_of(e, "load")
        if FORBID:
            try:
                config.validate_forbid_extra()
            except Exception as e:  # noqa: BLE001
                return errors_of(e, "push")
    return []


for line in sys.stdin:
    request = None
    try:
        request = json.loads(line)
        send({"id": request["id"], "errors": check(request["text"])})
    except Exception as e:  # noqa: BLE001
        send({"id": request.get("id") if isinstance(request, dict) else None, "failed": type(e).__name__})
