"""Small helpers shared by the deployment checks."""

from __future__ import annotations

import os
import re
from pathlib import Path

import yaml

# The repository checked; DEPLOY_CHECKS_REPO points the checks at a copy (test_checks.py does).
REPO = Path(os.environ.get("DEPLOY_CHECKS_REPO") or Path(__file__).resolve().parents[2])
COMPOSE = REPO / "docker-compose.yml"
ENV_EXAMPLE = REPO / ".env.example"
K8S = REPO / "deploy" / "k8s"
DOCKERFILE = REPO / "deploy" / "docker" / "Dockerfile"
HEALTHCHECK = REPO / "deploy" / "docker" / "healthcheck.sh"
README = REPO / "README.md"

# The service that runs as competing consumers and is scaled horizontally (compose --scale, KEDA).
SCALED_SERVICE = "delivery"
# The setting bounding one delivery request, and the margin a graceful stop needs beyond it.
REQUEST_TIMEOUT_SETTING = "DELIVERY_REQUEST_TIMEOUT"
GRACE_MARGIN_SECONDS = 15


class Report:
    """Collects failures; each check adds what it verified so a passing run says what it covered."""

    def __init__(self, title: str):
        self.title = title
        self.errors: list[str] = []
        self.passed = 0

    def check(self, ok: bool, message: str) -> bool:
        if ok:
            self.passed += 1
        else:
            self.errors.append(message)
        return ok

    def fail(self, message: str) -> None:
        self.errors.append(message)

    def finish(self) -> int:
        for e in self.errors:
            print(f"deploy-check: {self.title}: FAIL: {e}")
        status = "failed" if self.errors else "ok"
        print(f"deploy-check: {self.title}: {status} ({self.passed} checks held, {len(self.errors)} did not)", flush=True)
        return 1 if self.errors else 0


def rel(path: Path) -> str:
    try:
        return str(path.relative_to(REPO))
    except ValueError:
        return str(path)


def load_yaml_documents(path: Path) -> list[dict]:
    with open(path) as f:
        return [d for d in yaml.safe_load_all(f) if d]


def parse_env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines as docker compose reads a .env file (no quotes needed, # comments)."""
    values: dict[str, str] = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key.strip()] = value
    return values


_INTERPOLATION = re.compile(r"\$(?:\$|\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?+])(?P<arg>[^}]*))?\}|(?P<bare>[A-Za-z_][A-Za-z0-9_]*))")


class InterpolationError(Exception):
    pass


def interpolate(text: str, env: dict[str, str]) -> str:
    """Compose-style `${VAR}`, `${VAR:-default}`, `${VAR:?error}`, `${VAR:+alt}`, `$$`."""

    def repl(m: re.Match) -> str:
        if m.group(0) == "$$":
            return "$"
        name = m.group("name") or m.group("bare")
        op, arg = m.group("op"), m.group("arg") or ""
        value = env.get(name)
        unset_or_empty = value is None or (value == "" and op is not None and op.startswith(":"))
        if op in ("-", ":-"):
            return arg if (value is None if op == "-" else unset_or_empty) else value
        if op in ("?", ":?"):
            if value is None if op == "?" else unset_or_empty:
                raise InterpolationError(f"{name} is required: {arg or 'not set'}")
            return value
        if op in ("+", ":+"):
            return "" if (value is None if op == "+" else unset_or_empty) else arg
        return value or ""

    return _INTERPOLATION.sub(repl, text)


def interpolate_tree(node, env: dict[str, str]):
    if isinstance(node, str):
        return interpolate(node, env)
    if isinstance(node, list):
        return [interpolate_tree(n, env) for n in node]
    if isinstance(node, dict):
        return {k: interpolate_tree(v, env) for k, v in node.items()}
    return node


def compose_environment(service: dict) -> dict[str, str | None]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        out: dict[str, str | None] = {}
        for item in env:
            key, _, value = str(item).partition("=")
            out[key] = value if "=" in str(item) else None
        return out
    return {k: (None if v is None else str(v)) for k, v in env.items()}


def duration_seconds(text) -> float | None:
    """Compose durations: `1m30s`, `45s`, `500ms`; a bare number is seconds."""
    if isinstance(text, (int, float)):
        return float(text)
    units = {"h": 3600, "m": 60, "s": 1, "ms": 0.001, "us": 1e-6}
    parts = re.findall(r"(\d+(?:\.\d+)?)(ms|us|h|m|s)", str(text))
    if not parts or "".join(a + b for a, b in parts) != str(text).strip():
        return None
    return sum(float(a) * units[b] for a, b in parts)


def kustomize_resources() -> list[Path]:
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    return [K8S / r for r in kustomization.get("resources", [])]


def readme_section(title: str) -> str:
    """The text of the README's `## <title>` section, up to the next `## ` heading."""
    text = README.read_text()
    m = re.search(r"^## " + re.escape(title) + r"\s*$(.*?)(?=^## |\Z)", text, flags=re.M | re.S)
    return m.group(1) if m else ""
