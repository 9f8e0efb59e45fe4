"""Reads fmnist YAML recipes for the benchmark scripts without PyYAML (the pinned venv has none).

The recipe format is a small YAML subset: nested mappings by indentation, flow mappings
'{key: value, ...}', lists of '- type: {...}' items, plain scalars, '#' comments. read(path) returns
the whole recipe as dicts and lists; layers(path) the model's [(type, {key: value})].
"""
import re
import sys


def _scalar(v):
    v = v.strip()
    if len(v) >= 2 and v[0] == v[-1] and v[0] in "\"'":
        return v[1:-1]
    if v in ("true", "false"):
        return v == "true"
    if v in ("null", "~", ""):
        return None
    for conv in (int, float):
        try:
            return conv(v)
        except ValueError:
            pass
    return v


def _flow(v):
    v = v.strip()
    if v.startswith("{") and v.endswith("}"):
        out = {}
        for kv in filter(None, (s.strip() for s in v[1:-1].split(","))):
            k, val = kv.split(":", 1)
            out[k.strip()] = _scalar(val)
        return out
    if v.startswith("[") and v.endswith("]"):
        return [_scalar(s) for s in v[1:-1].split(",") if s.strip()]
    return _scalar(v)


def _strip_comment(line):
    out, quote = [], None
    for ch in line:
        if quote:
            quote = None if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch == "#":
            break
        out.append(ch)
    return "".join(out).rstrip()


def read(path):
    """The recipe as nested dicts/lists."""
    root = {}
    stack = [(-1, root)]  # (indent, container)
    pending = None  # (indent, parent dict, key) of a 'key:' line whose block is not open yet
    for raw in open(path, encoding="utf-8"):
        line = _strip_comment(raw)
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        text = line.strip()
        if pending is not None:
            p_indent, parent, key = pending
            pending = None
            if indent > p_indent:
                parent[key] = [] if text.startswith("- ") else {}
                stack.append((p_indent, parent[key]))
            else:
                parent[key] = None
        while stack[-1][0] >= indent and len(stack) > 1:
            stack.pop()
        container = stack[-1][1]
        if text.startswith("- "):
            item = text[2:]
            m = re.match(r"^([\w.-]+):\s*(.*)$", item)
            container.append({m.group(1): _flow(m.group(2))} if m else _flow(item))
            continue
        m = re.match(r"^([\w.-]+):\s*(.*)$", text)
        if not m:
            sys.exit(f"{path}: cannot read line: {raw.rstrip()}")
        key, value = m.group(1), m.group(2)
        if value == "":
            pending = (indent, container, key)
        else:
            container[key] = _flow(value)
    if pending is not None:
        pending[1][pending[2]] = None
    return root


def layers(path):
    """The recipe's model.layers as [(type, {key: value})]."""
    model = read(path).get("model") or {}
    out = []
    for item in model.get("layers") or []:
        (kind, args), = item.items()
        out.append((kind, args or {}))
    if not out:
        sys.exit(f"{path}: no model.layers found")
    return out
