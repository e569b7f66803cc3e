#!/usr/bin/env python3
"""Generates the jute record classes from src/pyzookeeper/jute/records.jute.

One module per record, in the Python package that mirrors the record's Java
package (``org.apache.zookeeper.data.Stat`` -> ``src/pyzookeeper/data/Stat.py``).

    python3 tools/jute_compiler.py            # write the modules
    python3 tools/jute_compiler.py --check    # exit 1 if any module is stale
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFINITIONS = ROOT / "src" / "pyzookeeper" / "jute" / "records.jute"

# jute type -> (struct code or None, read method, write method, python hint, default)
PRIMITIVES = {
    "byte": ("b", "readByte", "writeByte", "int", "0"),
    "boolean": ("?", "readBool", "writeBool", "bool", "False"),
    "int": ("i", "readInt", "writeInt", "int", "0"),
    "long": ("q", "readLong", "writeLong", "int", "0"),
    "float": (None, "readFloat", "writeFloat", "float", "0.0"),
    "double": (None, "readDouble", "writeDouble", "float", "0.0"),
    "ustring": (None, "readString", "writeString", "str | None", "None"),
    "buffer": (None, "readBuffer", "writeBuffer", "bytes | None", "None"),
}


@dataclass
class Field:
    type: str
    name: str


@dataclass
class RecordDef:
    name: str
    java_package: str
    py_package: str
    fields: list[Field] = field(default_factory=list)


def parse(text: str) -> dict[str, RecordDef]:
    records: dict[str, RecordDef] = {}
    java_pkg = py_pkg = None
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        m = re.fullmatch(r"package\s+(\S+)\s+as\s+(\S+)", line)
        if m:
            java_pkg, py_pkg = m.groups()
            continue
        m = re.fullmatch(r"(\w+):\s*(.*)", line)
        if not m or java_pkg is None:
            raise SystemExit(f"records.jute:{lineno}: cannot parse {raw!r}")
        name, body = m.groups()
        rec = RecordDef(name, java_pkg, py_pkg)
        for part in body.split(","):
            ftype, fname = part.strip().rsplit(None, 1)
            rec.fields.append(Field(ftype.replace(" ", ""), fname))
        records[name] = rec
    for rec in records.values():
        for f in rec.fields:
            base = element_type(f.type) if is_vector(f.type) else f.type
            if base not in PRIMITIVES and base not in records:
                raise SystemExit(f"records.jute: {rec.name}.{f.name}: unknown type {f.type}")
    return records


def is_vector(t: str) -> bool:
    return t.startswith("vector<")


def element_type(t: str) -> str:
    return t[len("vector<"):-1]


def fixed_code(t: str) -> str | None:
    return PRIMITIVES[t][0] if t in PRIMITIVES else None


def hint(t: str) -> str:
    if is_vector(t):
        inner = hint(element_type(t)).replace(" | None", "")
        return f"list[{inner}] | None"
    if t in PRIMITIVES:
        return PRIMITIVES[t][3]
    return f"{t} | None"


def default(t: str) -> str:
    if t in PRIMITIVES:
        return PRIMITIVES[t][4]
    return "None"


def groups(fields: list[Field]) -> list[list[Field]]:
    """Consecutive fixed-width fields are grouped so they pack in one struct call."""
    out: list[list[Field]] = []
    run: list[Field] = []
    for f in fields:
        if fixed_code(f.type):
            run.append(f)
            continue
        if run:
            out.append(run)
            run = []
        out.append([f])
    if run:
        out.append(run)
    return out


def gen_write(f: Field, target: str, tag: str, indent: str, level: int) -> list[str]:
    t = f.type
    if is_vector(t):
        e = f"e{level}"
        lines = [f'{indent}a_.startVector({target}, "{tag}")']
        lines.append(f"{indent}if {target} is not None:")
        lines.append(f"{indent}    for {e} in {target}:")
        lines += gen_write(Field(element_type(t), e), e, e, indent + "        ", level + 1)
        lines.append(f'{indent}a_.endVector({target}, "{tag}")')
        return lines
    if t in PRIMITIVES:
        return [f'{indent}a_.{PRIMITIVES[t][2]}({target}, "{tag}")']
    return [f'{indent}a_.writeRecord({target}, "{tag}")']


def gen_read(f: Field, target: str, tag: str, indent: str, level: int) -> list[str]:
    t = f.type
    if is_vector(t):
        e, vidx = f"e{level}", f"vidx{level}"
        lines = [f'{indent}{vidx} = a_.startVector("{tag}")']
        lines.append(f"{indent}if {vidx} is not None:")
        lines.append(f"{indent}    {target} = []")
        lines.append(f"{indent}    while not {vidx}.done():")
        lines += gen_read(Field(element_type(t), e), e, e, indent + "        ", level + 1)
        lines.append(f"{indent}        {target}.append({e})")
        lines.append(f"{indent}        {vidx}.incr()")
        lines.append(f"{indent}else:")
        lines.append(f"{indent}    {target} = None")
        lines.append(f'{indent}a_.endVector("{tag}")')
        return lines
    if t in PRIMITIVES:
        return [f'{indent}{target} = a_.{PRIMITIVES[t][1]}("{tag}")']
    return [f"{indent}{target} = {t}()", f'{indent}a_.readRecord({target}, "{tag}")']


def referenced(rec: RecordDef) -> list[str]:
    names: list[str] = []
    for f in rec.fields:
        base = element_type(f.type) if is_vector(f.type) else f.type
        if base not in PRIMITIVES and base not in names:
            names.append(base)
    return names


def generate(rec: RecordDef, records: dict[str, RecordDef]) -> str:
    fixed = [g for g in groups(rec.fields) if len(g) > 1]
    lines = [
        f'"""Mirrors {rec.java_package}.{rec.name}.',
        "",
        "Generated from jute/records.jute by tools/jute_compiler.py; do not edit.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
    ]
    if fixed:
        lines += ["import struct", ""]
    lines.append("from pyzookeeper.jute.Record import Record")
    for name in referenced(rec):
        other = records[name]
        lines.append(f"from {other.py_package}.{name} import {name}")
    lines += ["", ""]
    structs = {}
    for i, g in enumerate(fixed):
        const = f"_FIXED{i}"
        structs[g[0].name] = const
        fmt = ">" + "".join(fixed_code(f.type) for f in g)
        tags = ", ".join(f'"{f.name}"' for f in g) + ("," if len(g) == 1 else "")
        lines.append(f'{const} = struct.Struct("{fmt}")')
        lines.append(f"{const}_TAGS = ({tags})")
    if fixed:
        lines += ["", ""]
    names = ", ".join(f'"{f.name}"' for f in rec.fields) + ("," if len(rec.fields) == 1 else "")
    lines += [
        f"class {rec.name}(Record):",
        f"    __slots__ = ({names})",
        f"    _fields = ({names})",
        "",
    ]
    params = ", ".join(f"{f.name}: {hint(f.type)} = {default(f.type)}" for f in rec.fields)
    lines.append(f"    def __init__(self, {params}) -> None:")
    for f in rec.fields:
        lines.append(f"        self.{f.name} = {f.name}")
    lines += ["", "    def serialize(self, a_, tag: str) -> None:", "        a_.startRecord(self, tag)"]
    for g in groups(rec.fields):
        if len(g) > 1:
            const = structs[g[0].name]
            values = ", ".join(f"self.{f.name}" for f in g)
            lines.append(f"        a_.writeFixed({const}, ({values}), {const}_TAGS)")
        else:
            lines += gen_write(g[0], f"self.{g[0].name}", g[0].name, "        ", 1)
    lines += ["        a_.endRecord(self, tag)", ""]
    lines += ["    def deserialize(self, a_, tag: str) -> None:", "        a_.startRecord(tag)"]
    for g in groups(rec.fields):
        if len(g) > 1:
            const = structs[g[0].name]
            targets = ", ".join(f"self.{f.name}" for f in g)
            lines.append(f"        ({targets}) = a_.readFixed({const})")
        else:
            lines += gen_read(g[0], f"self.{g[0].name}", g[0].name, "        ", 1)
    lines += ["        a_.endRecord(tag)", ""]
    values = ", ".join(f"self.{f.name}" for f in rec.fields) + ("," if len(rec.fields) == 1 else "")
    others = ", ".join(f"other.{f.name}" for f in rec.fields) + ("," if len(rec.fields) == 1 else "")
    lines += [
        "    def _values(self) -> tuple:",
        f"        return ({values})",
        "",
        "    def __eq__(self, other: object) -> bool:",
        "        if other is self:",
        "            return True",
        "        if type(other) is not type(self):",
        "            return NotImplemented",
        f"        return ({values}) == ({others})",
        "",
        "    __hash__ = Record.__hash__",
        "",
    ]
    return "\n".join(lines)


def module_path(rec: RecordDef) -> Path:
    return ROOT / "src" / Path(*rec.py_package.split(".")) / f"{rec.name}.py"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="only report stale modules")
    args = ap.parse_args()
    records = parse(DEFINITIONS.read_text(encoding="utf-8"))
    stale = []
    for rec in records.values():
        path = module_path(rec)
        text = generate(rec, records)
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        stale.append(path)
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    for path in stale:
        print(("stale: " if args.check else "wrote: ") + str(path.relative_to(ROOT)))
    return 1 if (args.check and stale) else 0


if __name__ == "__main__":
    sys.exit(main())
