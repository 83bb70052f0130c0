"""Facts the deployment files must agree with, read from the Swift package itself.

- which executables exist and which source folders each is built from (`swift package dump-package`);
- which environment variables each executable reads, found in the sources of the targets it links:
  `environment.required("X")`, `.string("X", default: ...)`, `.int("X", default: ..., in: a...b)`,
  `.bool("X", default: ...)`, `.optional("X")`, plus helpers defined on `Environment` such as
  `jwtSecret()` (which reads JWT_SECRET), and direct `environment["X"]` / `getenv("X")` reads;
- the RabbitMQ queue names the platform declares.

Nothing here is a hard-coded list of settings: a setting added to the code shows up on its own.
"""

from __future__ import annotations

import ast
import json
import operator
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(os.environ.get("DEPLOY_CHECKS_REPO") or Path(__file__).resolve().parents[2])

NAME = r"[A-Z][A-Z0-9_]*"
# `.required("X")`, `.int("X", default: 1, in: 1...9)` and so on; the dot is optional inside the
# Environment type itself (`try required("JWT_SECRET")`).
READ_CALL = re.compile(
    r"(?<![\w])\.?(?P<kind>required|string|int|bool|optional)\(\s*\"(?P<name>" + NAME + r")\"(?P<rest>[^\n]*)"
)
DIRECT_READ = re.compile(r"(?:environment\[\s*\"(?P<a>" + NAME + r")\"\s*\]|getenv\(\s*\"(?P<b>" + NAME + r")\"\s*\))")
ENVIRONMENT_TYPE = re.compile(r"\b(?:struct|extension)\s+Environment\b")
FUNC = re.compile(r"\bfunc\s+(?P<name>\w+)\s*\((?P<params>[^)]*)\)[^{]*\{")
MIN_BYTES = re.compile(r"\.utf8\.count\s*>=\s*(\d+)")


@dataclass
class Setting:
    """One environment variable, as the code reads it."""

    name: str
    services: set[str] = field(default_factory=set)
    required: bool = False
    kind: str = "string"  # required, string, int, bool, optional
    default: str | None = None
    int_range: tuple[int, int] | None = None
    min_bytes: int | None = None
    places: set[str] = field(default_factory=set)


@dataclass
class CodeFacts:
    executables: list[str]
    target_paths: dict[str, list[str]]  # executable -> source folders it is built from
    settings: dict[str, Setting]
    queues: dict[str, str]  # Swift constant name -> queue name

    def settings_of(self, service: str) -> dict[str, Setting]:
        return {n: s for n, s in self.settings.items() if service in s.services}

    def port_setting(self, service: str) -> Setting | None:
        ports = [s for s in self.settings_of(service).values() if s.name.endswith("_PORT")]
        return ports[0] if len(ports) == 1 else None


# ---------------------------------------------------------------------------------- package graph


def dump_package(repo: Path | None = None) -> dict:
    # A scratch path of its own: the package's .build may be locked by a build running meanwhile.
    with tempfile.TemporaryDirectory(prefix="deploy-checks-swiftpm-") as scratch:
        result = subprocess.run(["swift", "package", "--scratch-path", scratch, "dump-package"], cwd=repo or REPO,
                                capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"swift package dump-package failed in {repo or REPO}:\n{result.stderr}")
    return json.loads(result.stdout)


def target_closure(package: dict) -> tuple[list[str], dict[str, list[str]]]:
    """Executable products and, for each, the folders of every local target it links."""
    targets = {t["name"]: t for t in package["targets"]}

    def local_deps(target: dict) -> list[str]:
        names = []
        for dep in target.get("dependencies", []):
            for kind, value in dep.items():
                name = value[0] if isinstance(value, list) else value
                if kind in ("byName", "target") and name in targets:
                    names.append(name)
        return names

    executables = []
    for product in package.get("products", []):
        if "executable" in product.get("type", {}):
            executables.append(product["name"])
    paths: dict[str, list[str]] = {}
    for exe in executables:
        product = next(p for p in package["products"] if p["name"] == exe)
        seen: set[str] = set()
        stack = list(product["targets"])
        while stack:
            name = stack.pop()
            if name in seen:
                continue
            seen.add(name)
            stack.extend(local_deps(targets[name]))
        paths[exe] = sorted(
            targets[n].get("path") or f"Sources/{n}" for n in seen if targets[n]["type"] != "system"
        )
    return executables, paths


# ----------------------------------------------------------------------------- environment reads

_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.LShift: operator.lshift}


def swift_int(expr: str) -> int | None:
    """Evaluates a Swift integer literal expression such as `256 << 10` or `10_000`."""
    try:
        node = ast.parse(expr.strip(), mode="eval").body
    except SyntaxError:
        return None

    def ev(n: ast.AST) -> int:
        if isinstance(n, ast.Constant) and isinstance(n.value, int):
            return n.value
        if isinstance(n, ast.BinOp) and type(n.op) in _OPS:
            return _OPS[type(n.op)](ev(n.left), ev(n.right))
        if isinstance(n, ast.UnaryOp) and isinstance(n.op, ast.USub):
            return -ev(n.operand)
        raise ValueError(expr)

    try:
        return ev(node)
    except ValueError:
        return None


def _balanced(text: str, start: int) -> str:
    """The text from `start` (just after an opening parenthesis) to its closing parenthesis."""
    depth = 1
    for i in range(start, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return text[start:i]
    return text[start:]


def _split_args(args: str) -> list[str]:
    parts, depth, cur = [], 0, ""
    for ch in args:
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
            continue
        depth += ch in "([{"
        depth -= ch in ")]}"
        cur += ch
    parts.append(cur)
    return [p.strip() for p in parts]


def _read_details(text: str, match: re.Match) -> dict:
    """Default, range for one read call."""
    open_paren = text.index("(", match.start("kind"))
    args = _split_args(_balanced(text, open_paren + 1))
    details: dict = {}
    for arg in args[1:]:
        if arg.startswith("default:"):
            value = arg[len("default:"):].strip()
            details["default"] = value[1:-1] if value.startswith('"') and value.endswith('"') else value
        elif arg.startswith("in:"):
            bounds = arg[len("in:"):].strip().split("...")
            if len(bounds) == 2:
                lo, hi = swift_int(bounds[0]), (None if bounds[1].strip() == "Int.max" else swift_int(bounds[1]))
                if lo is not None:
                    details["range"] = (lo, hi if hi is not None else 2**63 - 1)
    if match.group("kind") == "int" and "range" not in details:
        details["range"] = (0, 2**63 - 1)  # Environment.int's own default range
    return details


def _swift_files(folder: Path):
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for f in files:
            if f.endswith(".swift"):
                yield Path(root) / f


def _strip_comments(text: str) -> str:
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group().count("\n"), text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


@dataclass
class _Read:
    name: str
    kind: str
    details: dict
    place: str


def _helpers(sources: dict[Path, str]) -> dict[str, list[_Read]]:
    """Methods of `Environment` that read fixed names, e.g. `jwtSecret()` -> JWT_SECRET."""
    helpers: dict[str, list[_Read]] = {}
    for path, text in sources.items():
        if not ENVIRONMENT_TYPE.search(text):
            continue
        for fn in FUNC.finditer(text):
            body_start = fn.end()
            depth, i = 1, body_start
            while i < len(text) and depth:
                depth += text[i] == "{"
                depth -= text[i] == "}"
                i += 1
            body = text[body_start:i]
            reads = [
                _Read(m.group("name"), m.group("kind"), _read_details(body, m), str(path.relative_to(REPO)))
                for m in READ_CALL.finditer(body)
            ]
            if reads:
                minimum = MIN_BYTES.search(body)
                for r in reads:
                    if minimum:
                        r.details["min_bytes"] = int(minimum.group(1))
                helpers[fn.group("name")] = reads
    return helpers


def environment_reads(paths: dict[str, list[str]]) -> dict[str, Setting]:
    folders = sorted({p for ps in paths.values() for p in ps})
    sources: dict[Path, str] = {}
    for folder in folders:
        for f in _swift_files(REPO / folder):
            sources[f] = _strip_comments(f.read_text())
    helpers = _helpers(sources)
    helper_call = re.compile(r"\.(" + "|".join(map(re.escape, helpers)) + r")\(\s*\)") if helpers else None

    reads_by_folder: dict[str, list[_Read]] = {f: [] for f in folders}
    for path, text in sources.items():
        rel = str(path.relative_to(REPO))
        folder = next(f for f in folders if rel.startswith(f.rstrip("/") + "/"))
        found: list[_Read] = []
        if not ENVIRONMENT_TYPE.search(text):  # the type's own reads count where its helpers are called
            for m in READ_CALL.finditer(text):
                found.append(_Read(m.group("name"), m.group("kind"), _read_details(text, m), rel))
        for m in DIRECT_READ.finditer(text):
            found.append(_Read(m.group("a") or m.group("b"), "optional", {}, rel))
        if helper_call:
            for m in helper_call.finditer(text):
                found.extend(_Read(r.name, r.kind, r.details, rel) for r in helpers[m.group(1)])
        reads_by_folder[folder].extend(found)

    settings: dict[str, Setting] = {}
    for service, service_folders in paths.items():
        for folder in service_folders:
            for r in reads_by_folder[folder]:
                s = settings.setdefault(r.name, Setting(r.name))
                s.services.add(service)
                s.places.add(r.place)
                if r.kind == "required":
                    s.required = True
                if r.kind in ("int", "bool") or s.kind not in ("int", "bool"):
                    s.kind = r.kind
                if "default" in r.details:
                    s.default = r.details["default"]
                if "range" in r.details:
                    s.int_range = r.details["range"]
                if "min_bytes" in r.details:
                    s.min_bytes = r.details["min_bytes"]
    return settings


# ------------------------------------------------------------------------------------------ queues

QUEUE_CONSTANT = re.compile(r"static\s+let\s+(?P<const>\w*[qQ]ueue)\s*(?::\s*String\s*)?=\s*\"(?P<name>[^\"]+)\"")


def declared_queues(paths: dict[str, list[str]]) -> dict[str, str]:
    queues: dict[str, str] = {}
    for folder in sorted({p for ps in paths.values() for p in ps}):
        for f in _swift_files(REPO / folder):
            for m in QUEUE_CONSTANT.finditer(_strip_comments(f.read_text())):
                queues[m.group("const")] = m.group("name")
    return queues


def load() -> CodeFacts:
    executables, paths = target_closure(dump_package())
    return CodeFacts(executables, paths, environment_reads(paths), declared_queues(paths))


if __name__ == "__main__":
    facts = load()
    print("executables:", ", ".join(facts.executables))
    for name, s in sorted(facts.settings.items()):
        extra = []
        if s.required:
            extra.append("required")
        if s.default is not None:
            extra.append(f"default {s.default}")
        if s.int_range:
            extra.append(f"range {s.int_range[0]}...{s.int_range[1]}")
        if s.min_bytes:
            extra.append(f">= {s.min_bytes} bytes")
        print(f"  {name:34} {s.kind:8} {','.join(sorted(s.services)):25} {'; '.join(extra)}")
    print("queues:", facts.queues)
