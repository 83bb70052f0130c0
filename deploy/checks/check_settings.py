"""Cross-checks the settings the code reads against docker-compose.yml, .env.example, the Kubernetes
manifests, the image's health check and the README's settings table.

The settings, their defaults, ranges and which executable reads them come from the Swift sources
(codefacts.py); nothing is listed by hand here. Run: python3 deploy/checks/check_settings.py
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

import yaml

import codefacts
from common import (
    COMPOSE, DOCKERFILE, ENV_EXAMPLE, GRACE_MARGIN_SECONDS, HEALTHCHECK, REQUEST_TIMEOUT_SETTING,
    SCALED_SERVICE, InterpolationError, Report, compose_environment, duration_seconds, interpolate,
    interpolate_tree, kustomize_resources, load_yaml_documents, parse_env_file, readme_section, rel,
)

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}


def value_problem(setting: codefacts.Setting, value: str) -> str | None:
    """Why `value` would stop the service at start, as Environment would judge it; None if fine."""
    if value == "":
        return "is required but empty" if setting.required else None
    if setting.kind == "int":
        try:
            number = int(value)
        except ValueError:
            return f"must be an integer, got {value!r}"
        lo, hi = setting.int_range or (0, 2**63 - 1)
        if not lo <= number <= hi:
            return f"must be in {lo}...{hi}, got {number}"
    if setting.kind == "bool" and value.lower() not in TRUE_WORDS | FALSE_WORDS:
        return f"must be true or false, got {value!r}"
    if setting.min_bytes and len(value.encode()) < setting.min_bytes:
        return f"must be at least {setting.min_bytes} bytes, got {len(value.encode())}"
    return None


def effective_int(setting: codefacts.Setting | None, value: str | None) -> int | None:
    if value not in (None, ""):
        try:
            return int(value)
        except ValueError:
            return None
    return codefacts.swift_int(setting.default) if setting and setting.default else None


# ----------------------------------------------------------------------------------------- README


def check_readme(facts: codefacts.CodeFacts, r: Report) -> None:
    section = readme_section("Settings")
    if not r.check(bool(section), "README.md has no '## Settings' section"):
        return
    listed: set[str] = set()
    for line in section.splitlines():
        if line.startswith("|"):
            first_cell = line.strip("|").split("|")[0]
            listed.update(re.findall(r"`([A-Z][A-Z0-9_]*)`", first_cell))
    for name, s in sorted(facts.settings.items()):
        r.check(name in listed, f"README.md 'Settings' table lacks {name} (read by {', '.join(sorted(s.services))} "
                                f"in {', '.join(sorted(s.places))})")
    for name in sorted(listed - set(facts.settings)):
        r.fail(f"README.md 'Settings' table lists {name}, which no executable reads")


# ---------------------------------------------------------------------------------------- compose


def check_compose(facts: codefacts.CodeFacts, r: Report) -> None:
    raw = yaml.safe_load(COMPOSE.read_text())
    env_file = parse_env_file(ENV_EXAMPLE)
    try:
        compose = interpolate_tree(raw, env_file)
    except InterpolationError as e:
        r.fail(f"docker-compose.yml does not resolve with the values of .env.example: {e}")
        return
    services = compose.get("services") or {}

    # Every ${VAR} the compose file uses is documented in .env.example (a required one must be, or
    # `cp .env.example .env && docker compose up` fails).
    used = set(re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*)", COMPOSE.read_text()))
    for name in sorted(used - set(env_file)):
        r.fail(f"docker-compose.yml uses ${{{name}}}, which .env.example does not mention")
    r.passed += 1

    for exe in facts.executables:
        svc = services.get(exe)
        if not r.check(svc is not None, f"docker-compose.yml has no service '{exe}'"):
            continue
        where = f"docker-compose.yml service '{exe}'"
        command = svc.get("command")
        command = command.split() if isinstance(command, str) else command
        r.check(bool(command) and command[0] == exe, f"{where}: command must start with '{exe}', got {command!r}")
        build = raw["services"][exe].get("build") or {}
        r.check(isinstance(build, dict) and build.get("dockerfile") == rel(DOCKERFILE),
                f"{where}: must build {rel(DOCKERFILE)}")

        env = compose_environment(svc)
        reads = facts.settings_of(exe)
        for name in sorted(set(reads) - set(env)):
            r.fail(f"{where}: does not name {name}, which {exe} reads (add it; `{name}: ${{{name}:-}}` passes it "
                   f"through from .env)")
        for name in sorted(set(env) - set(reads)):
            r.fail(f"{where}: sets {name}, which {exe} does not read")
        for name in sorted(set(env) & set(reads)):
            problem = value_problem(reads[name], env[name] or "")
            r.check(problem is None, f"{where}: {name} {problem} (with .env.example's values)")

        # The published port is the one the service listens on.
        port_setting = facts.port_setting(exe)
        port = effective_int(port_setting, env.get(port_setting.name) if port_setting else None)
        published = [str(p) for p in svc.get("ports", [])]
        if exe == SCALED_SERVICE:
            r.check("container_name" not in svc, f"{where}: a container_name prevents --scale")
            r.check(all(":" not in p for p in published), f"{where}: a fixed host port prevents --scale: {published}")
        else:
            targets = {int(p.rsplit(":", 1)[-1].split("/")[0]) for p in published}
            r.check(port in targets, f"{where}: publishes {sorted(targets)}, but {exe} listens on {port}")

        # Health check: the image's script, which finds the port itself.
        test = (svc.get("healthcheck") or {}).get("test") or []
        r.check("webhooks-healthcheck" in " ".join(map(str, test)),
                f"{where}: health check should run webhooks-healthcheck, got {test!r}")

        # Dependencies: the hosts in its URLs are compose services it waits for, healthy.
        depends = svc.get("depends_on") or {}
        for name, value in env.items():
            if not name.endswith("_URL") or not value:
                continue
            host = urlsplit(value).hostname
            if host in services:
                cond = (depends.get(host) or {}).get("condition") if isinstance(depends, dict) else None
                r.check(cond == "service_healthy",
                        f"{where}: {name} points at '{host}'; depends_on {host} needs condition service_healthy")
                r.check(bool(services[host].get("healthcheck")), f"docker-compose.yml service '{host}' needs a healthcheck")

        # Graceful stop: delivery finishes in-flight requests before exiting.
        if exe == SCALED_SERVICE:
            timeout = effective_int(reads.get(REQUEST_TIMEOUT_SETTING), env.get(REQUEST_TIMEOUT_SETTING))
            grace = duration_seconds(svc.get("stop_grace_period", "10s"))
            if timeout is not None:
                r.check(grace is not None and grace >= timeout + GRACE_MARGIN_SECONDS,
                        f"{where}: stop_grace_period {svc.get('stop_grace_period', '10s (default)')} is shorter than "
                        f"{REQUEST_TIMEOUT_SETTING} ({timeout} s) + {GRACE_MARGIN_SECONDS} s")


# ------------------------------------------------------------------------------------- Kubernetes


def check_kubernetes(facts: codefacts.CodeFacts, r: Report) -> None:
    docs: list[tuple[Path, dict]] = []
    for path in kustomize_resources():
        if path.exists():
            docs.extend((path, d) for d in load_yaml_documents(path))
    config_maps = {d["metadata"]["name"]: d.get("data") or {} for _, d in docs if d.get("kind") == "ConfigMap"}
    deployments = {}
    for path, d in docs:
        if d.get("kind") != "Deployment":
            continue
        for c in d["spec"]["template"]["spec"].get("containers", []):
            argv = (c.get("command") or []) + (c.get("args") or [])
            if argv and argv[0] in facts.executables:
                deployments[argv[0]] = (path, d, c)

    secret_keys: set[str] = set()
    for exe in facts.executables:
        if not r.check(exe in deployments, f"deploy/k8s: no Deployment runs '{exe}'"):
            continue
        path, deployment, container = deployments[exe]
        where = f"{rel(path)} ({deployment['metadata']['name']})"
        names: dict[str, str | None] = {}  # name -> value when known
        for ref in container.get("envFrom", []):
            if "configMapRef" in ref:
                cm = ref["configMapRef"]["name"]
                if r.check(cm in config_maps, f"{where}: envFrom ConfigMap '{cm}' is not in the kustomization"):
                    names.update({k: str(v) for k, v in config_maps[cm].items()})
            else:
                r.fail(f"{where}: envFrom {list(ref)} hides which settings it sets; use env with secretKeyRef")
        for e in container.get("env", []):
            value_from = e.get("valueFrom") or {}
            if "secretKeyRef" in value_from:
                secret_keys.add(value_from["secretKeyRef"]["key"])
                names[e["name"]] = None
            elif "configMapKeyRef" in value_from:
                ref = value_from["configMapKeyRef"]
                names[e["name"]] = str(config_maps.get(ref["name"], {}).get(ref["key"], ""))
            else:
                names[e["name"]] = str(e.get("value", ""))

        reads = facts.settings_of(exe)
        for name in sorted(n for n, s in reads.items() if s.required and n not in names):
            r.fail(f"{where}: {exe} requires {name}, which the Deployment does not set")
        for name in sorted(set(names) - set(reads)):
            r.fail(f"{where}: sets {name}, which {exe} does not read")
        for name, value in sorted(names.items()):
            if name in reads and value is not None:
                problem = value_problem(reads[name], value)
                r.check(problem is None, f"{where}: {name} {problem}")

        # Port and probes.
        port_setting = facts.port_setting(exe)
        port = effective_int(port_setting, names.get(port_setting.name) if port_setting else None)
        ports = {p.get("name"): p["containerPort"] for p in container.get("ports", [])}
        r.check(port in ports.values(), f"{where}: containerPort {sorted(ports.values())}, but {exe} listens on {port}")
        for probe, path_expected in (("livenessProbe", "/healthz"), ("readinessProbe", "/readyz")):
            http = (container.get(probe) or {}).get("httpGet") or {}
            target = ports.get(http.get("port"), http.get("port"))
            r.check(http.get("path") == path_expected and target == port,
                    f"{where}: {probe} must GET {path_expected} on port {port}, got {http}")

        if exe == SCALED_SERVICE:
            timeout = effective_int(reads.get(REQUEST_TIMEOUT_SETTING), names.get(REQUEST_TIMEOUT_SETTING))
            grace = deployment["spec"]["template"]["spec"].get("terminationGracePeriodSeconds", 30)
            if timeout is not None:
                r.check(grace >= timeout + GRACE_MARGIN_SECONDS,
                        f"{where}: terminationGracePeriodSeconds {grace} is shorter than {REQUEST_TIMEOUT_SETTING} "
                        f"({timeout} s) + {GRACE_MARGIN_SECONDS} s")
            r.check("replicas" not in deployment["spec"],
                    f"{where}: KEDA owns the replica count; a fixed spec.replicas fights it on every apply")

    # The README tells how to create the Secret with every key the Deployments take from it.
    deploy_text = readme_section("Deploy")
    for key in sorted(secret_keys):
        r.check(f"--from-literal={key}=" in deploy_text,
                f"README.md 'Deploy': the `kubectl create secret` command lacks --from-literal={key}=...")


# --------------------------------------------------------------------------------- image contents


def check_image(facts: codefacts.CodeFacts, r: Report) -> None:
    dockerfile = DOCKERFILE.read_text()
    joined = re.sub(r"\\\n", " ", dockerfile)
    build_loop = re.search(r"for product in ([^;]+);", joined)
    built = set(build_loop.group(1).split()) if build_loop else set()
    copied = re.search(r"cp ((?:\"\$bin/\w+\" ?)+)", joined)
    copied_names = set(re.findall(r"\$bin/(\w+)", copied.group(1))) if copied else set()
    for exe in facts.executables:
        r.check(exe in built, f"{rel(DOCKERFILE)}: does not build the executable '{exe}'")
        r.check(exe in copied_names, f"{rel(DOCKERFILE)}: does not copy the executable '{exe}' into the image")

    # The health check script's port defaults are the services' own.
    script = HEALTHCHECK.read_text()
    for exe in facts.executables:
        s = facts.port_setting(exe)
        if s is None:
            r.fail(f"{exe}: cannot tell which *_PORT setting it listens on")
            continue
        m = re.search(rf"^\s*{exe}\)\s*port=\$\{{{s.name}:-(\d+)\}}", script, flags=re.M)
        r.check(bool(m) and int(m.group(1)) == codefacts.swift_int(s.default or ""),
                f"{rel(HEALTHCHECK)}: {exe} must use port ${{{s.name}:-{s.default}}}")


def main() -> int:
    facts = codefacts.load()
    r = Report("settings")
    check_readme(facts, r)
    check_compose(facts, r)
    check_kubernetes(facts, r)
    check_image(facts, r)
    return r.finish()


if __name__ == "__main__":
    sys.exit(main())
