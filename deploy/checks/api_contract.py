"""The API contract check: the registry's served OpenAPI document against the code and the running service.

1. routes: every route the Swift sources register (registry and ingest) is an operation of the document,
   and the document has no operation the code does not serve; every operation has a unique camelCase
   operationId, a tag, examples and error responses.
2. validate: the served /openapi.json is a valid OpenAPI 3.1 document (openapi-spec-validator).
3. fuzz: a registry started on a database of its own, with a tenant admin of its own, is run through
   schemathesis (positive data, bounded case count and time): any 5xx, any status the document does not
   list, or any body outside its schema fails the check.

Needs DATABASE_URL and AMQP_URL of running infrastructure (deploy/local/test.sh exports them) and the
built registry (WEBHOOKS_BIN_DIR, else `swift build --show-bin-path`). Run: deploy/checks/api_contract.sh.
API_CONTRACT_MAX_EXAMPLES (default 25) and API_CONTRACT_MAX_SECONDS (default 300) bound the run.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(os.environ.get("DEPLOY_CHECKS_REPO") or Path(__file__).resolve().parents[2])
HERE = Path(__file__).resolve().parent
INFRA = REPO / "deploy" / "local" / "infra.sh"
MIN_CASES = 1000
# Operations schemathesis does not call (by operationId): ingest's route is served by another service.
NOT_FUZZED = ["publishEvents"]
METHODS = {"get", "put", "post", "delete", "patch"}
CAMEL = re.compile(r"^[a-z][a-zA-Z0-9]*$")


def log(message: str) -> None:
    print(f"api-contract: {message}", flush=True)


# ------------------------------------------------------------------------------------------ routes

ROUTE = re.compile(r"\b(?P<on>\w+)\.(?P<method>get|put|post|delete|patch)\s*(?:\(\s*(?:RouterPath\()?\s*\"(?P<path>[^\"]*)\"|\s*\{)")
GROUP = re.compile(r"let\s+(?P<name>\w+)\s*=\s*router\.group\(\s*\"(?P<prefix>[^\"]*)\"\s*\)")


def code_routes() -> set[tuple[str, str]]:
    """(method, path) of every route the registry's and ingest's sources register, plus the shared
    health and metrics routes they both add."""
    routes: set[tuple[str, str]] = {("get", "/healthz"), ("get", "/readyz"), ("get", "/metrics")}
    for folder in (REPO / "Services" / "Registry" / "App", REPO / "Services" / "Ingest" / "App"):
        for path in sorted(folder.rglob("*.swift")):
            text = "\n".join(line.split("//")[0] if "\"" not in line else line for line in path.read_text().splitlines())
            groups = {m["name"]: m["prefix"] for m in GROUP.finditer(text)}
            for m in ROUTE.finditer(text):
                on, sub = m["on"], m["path"]
                if on == "router":
                    prefix = ""
                elif on in groups:
                    prefix = groups[on]
                else:
                    continue
                full = prefix if sub is None or sub == "" else f"{prefix.rstrip('/')}/{sub.lstrip('/')}" if prefix else sub
                routes.add((m["method"], full))
    # `/api/webhooks` also answers `/api/webhooks/`: WebhookCollectionRoutes picks the dialect by the slash.
    for method in ("get", "post"):
        if (method, "/api/webhooks") in routes:
            routes.add((method, "/api/webhooks/"))
    return routes


def document_operations(doc: dict) -> dict[tuple[str, str], dict]:
    return {(method, path): op for path, item in doc.get("paths", {}).items() for method, op in item.items() if method in METHODS}


def check_routes(doc: dict) -> list[str]:
    problems: list[str] = []
    ops = document_operations(doc)
    routes = code_routes()
    for method, path in sorted(routes - set(ops)):
        problems.append(f"{method.upper()} {path} is served but not in the document")
    for method, path in sorted(set(ops) - routes):
        problems.append(f"{method.upper()} {path} is in the document but no code serves it")
    seen: dict[str, str] = {}
    for (method, path), op in sorted(ops.items()):
        where = f"{method.upper()} {path}"
        oid = op.get("operationId")
        if not oid or not CAMEL.match(oid):
            problems.append(f"{where}: operationId {oid!r} is not camelCase")
        elif oid in seen:
            problems.append(f"{where}: operationId {oid} also names {seen[oid]}")
        else:
            seen[oid] = where
        if not op.get("tags"):
            problems.append(f"{where}: no tag")
        responses = op.get("responses", {})
        ok = [s for s in responses if s.startswith("2")]
        if not ok:
            problems.append(f"{where}: no success response")
        for status, response in responses.items():
            for media, content in (response.get("content") or {}).items():
                if "example" not in content and "examples" not in content:
                    problems.append(f"{where} {status} {media}: no example")
        body = (op.get("requestBody") or {}).get("content", {}).get("application/json")
        if body is not None and "example" not in body and "examples" not in body:
            problems.append(f"{where}: request body without an example")
        if op.get("security") != [] and not any(s.startswith("4") for s in responses):
            problems.append(f"{where}: no error responses")
    schemes = doc.get("components", {}).get("securitySchemes", {})
    if not any(s.get("scheme") == "bearer" for s in schemes.values()):
        problems.append("no bearer security scheme")
    return problems


# ---------------------------------------------------------------------------------------- registry


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(base: str, method: str, path: str, body: dict | None = None, token: str | None = None) -> tuple[int, dict | str]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            raw = r.read().decode()
            status = r.status
    except urllib.error.HTTPError as e:
        raw = e.read().decode()
        status = e.code
    try:
        return status, json.loads(raw)
    except ValueError:
        return status, raw


def fresh_database(database_url: str, prefix: str = "api_contract") -> str:
    """A new, empty database on the same server, owned by the URL's user: no other test's rows."""
    url = urllib.parse.urlsplit(database_url)
    name = f"{prefix}_{os.getpid()}"
    user = urllib.parse.unquote(url.username or "postgres")
    for sql in (f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}" OWNER "{user}"'):
        subprocess.run(["bash", str(INFRA), "psql", "-c", sql], check=True, stdout=subprocess.DEVNULL)
    return urllib.parse.urlunsplit(url._replace(path="/" + name))


def drop_database(database_url: str) -> None:
    name = urllib.parse.urlsplit(database_url).path.lstrip("/")
    subprocess.run(["bash", str(INFRA), "psql", "-c", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def outbound_problems(base: str, token: str) -> list[str]:
    """Every test send of the run went to the loopback address the hooks set, and was refused there."""
    problems: list[str] = []
    page, sends = 1, 0
    while True:
        status, reply = request(base, "GET", f"/api/v1/logs?test=true&page_size=100&page={page}", token=token)
        if status != 200:
            return [f"listing the run's test sends answered {status}"]
        for item in reply["data"]["items"]:
            sends += 1
            if not item["request_url"].startswith("http://127.0.0.1:9/") or item["success"]:
                problems.append(f"test send {item['log_id']} went to {item['request_url']} (success {item['success']})")
        if page >= reply["data"]["pagination"]["total_pages"]:
            break
        page += 1
    log(f"outbound: {sends} test sends, all to the refused loopback address" if not problems else "outbound: FAIL")
    return problems


def start_registry(bin_dir: Path, database_url: str, log_path: Path) -> tuple[subprocess.Popen, str, str, str]:
    port = free_port()
    username, password = "contract-admin", secrets.token_hex(16)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DATABASE_URL": database_url, "AMQP_URL": os.environ["AMQP_URL"],
        "JWT_SECRET": secrets.token_hex(32), "ADMIN_USERNAME": username, "ADMIN_PASSWORD": password,
        "REGISTRY_PORT": str(port), "BIND_ADDRESS": "127.0.0.1", "LOG_LEVEL": "warning",
        # The SSRF guard stays on: test sends to the loopback addresses the hooks put in every body are
        # refused before any connection, and nothing leaves the machine.
        "DELIVERY_ALLOW_PRIVATE_NETWORKS": "false", "DELIVERY_CONNECT_TIMEOUT": "2", "DELIVERY_REQUEST_TIMEOUT": "5",
    }
    if os.environ.get("SERVICE_PRELOAD"):
        env["LD_PRELOAD"] = os.environ["SERVICE_PRELOAD"]
    out = log_path.open("wb")
    process = subprocess.Popen([str(bin_dir / "registry")], env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the registry exited with {process.returncode}; see {log_path}")
        try:
            if request(base, "GET", "/readyz")[0] == 200:
                return process, base, username, password
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"the registry did not get ready in 60 s; see {log_path}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def tenant_admin_token(base: str, username: str, password: str) -> str:
    """A token of an admin of a tenant of its own (the bootstrap admin sees every tenant)."""
    status, login = request(base, "POST", "/api/auth/login", {"username": username, "password": password})
    assert status == 200, f"bootstrap login answered {status}: {login}"
    tenant = 900_000 + secrets.randbelow(99_999)
    user, pw = f"contract-{tenant}", secrets.token_hex(12)
    status, created = request(base, "POST", "/api/v1/users", {"username": user, "password": pw, "role": "admin", "tenant_id": tenant},
                              token=login["access_token"])
    assert status == 201, f"creating the tenant admin answered {status}: {created}"
    status, login = request(base, "POST", "/api/auth/login", {"username": user, "password": pw})
    assert status == 200 and login.get("tenant_id") == tenant, f"tenant admin login answered {status}: {login}"
    return login["access_token"]


# -------------------------------------------------------------------------------------------- fuzz


def run_schemathesis(base: str, token: str, doc_path: Path, out_dir: Path) -> tuple[int, int, list[str]]:
    """Runs schemathesis; returns (exit code, cases run, failure lines)."""
    max_examples = int(os.environ.get("API_CONTRACT_MAX_EXAMPLES", "25"))
    max_seconds = int(os.environ.get("API_CONTRACT_MAX_SECONDS", "300"))
    ndjson = out_dir / "schemathesis.ndjson"
    command = [
        str(Path(sys.executable).parent / "schemathesis"), "run", str(doc_path), "--url", base,
        "--header", f"Authorization: Bearer {token}",
        "--checks", "not_a_server_error,status_code_conformance,response_schema_conformance,content_type_conformance",
        "--mode", "positive", "--max-examples", str(max_examples), "--phases", "examples,coverage,fuzzing,stateful",
        "--workers", "2", "--request-timeout", "20", "--seed", os.environ.get("API_CONTRACT_SEED", "20260126"),
        "--suppress-health-check", "all", "--report", "ndjson", "--report-ndjson-path", str(ndjson),
        "--output-sanitize", "true", "--output-truncate", "true", "--no-color",
    ]
    for operation_id in NOT_FUZZED:
        command += ["--exclude-operation-id", operation_id]
    env = dict(os.environ, SCHEMATHESIS_HOOKS=str(HERE / "api_contract_hooks.py"), PYTHONUNBUFFERED="1")
    output = out_dir / "schemathesis.txt"
    with output.open("w") as out:
        try:
            code = subprocess.run(command, env=env, stdout=out, stderr=subprocess.STDOUT, timeout=max_seconds, cwd=out_dir).returncode
        except subprocess.TimeoutExpired:
            code = -1
            out.write(f"\nstopped after {max_seconds} s\n")
    text = output.read_text(errors="replace")
    cases = count_cases(ndjson)
    return code, cases, failure_section(text) if code else []


def failure_section(text: str) -> list[str]:
    """The FAILURES section of schemathesis' report (each failure: check, schema path, value, curl to
    reproduce), or its last lines when it stopped without one."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("=") and " FAILURES " in line), None)
    if start is None:
        return lines[-40:]
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("=") and lines[i].endswith("=")), len(lines))
    return [line for line in lines[start:end] if line.strip()]


def count_cases(ndjson: Path) -> int:
    """Test cases run, from the ndjson report's scenario-finished events."""
    total = 0
    if not ndjson.exists():
        return 0
    for line in ndjson.read_text().splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            continue
        for name, payload in event.items():
            if name == "ScenarioFinished" and isinstance(payload, dict):
                recorder = payload.get("recorder") or {}
                total += len(recorder.get("cases") or {})
    return total


def main() -> int:
    out_dir = Path(os.environ.get("RUN_DIR") or REPO / ".run" / "test") / "api-contract"
    shutil.rmtree(out_dir, ignore_errors=True)
    out_dir.mkdir(parents=True)
    bin_dir = Path(os.environ.get("WEBHOOKS_BIN_DIR") or subprocess.run(
        ["swift", "build", "--show-bin-path"], cwd=REPO, check=True, capture_output=True, text=True).stdout.strip())
    started = time.monotonic()
    database_url = fresh_database(os.environ["DATABASE_URL"])
    process, base, username, password = start_registry(bin_dir, database_url, out_dir / "registry.log")
    try:
        raw = urllib.request.urlopen(base + "/openapi.json", timeout=30).read()
        doc = json.loads(raw)
        doc_path = out_dir / "openapi.json"
        doc_path.write_bytes(raw)

        problems = check_routes(doc)
        log(f"routes: {len(code_routes())} routes in the code, {len(document_operations(doc))} operations in the document")
        for p in problems:
            log(f"FAIL: {p}")

        from openapi_spec_validator import validate
        try:
            validate(doc)
            log("validate: /openapi.json is a valid OpenAPI 3.1 document")
        except Exception as e:  # the validator's errors name the place in the document
            problems.append(f"validate: {str(e).splitlines()[0]}")
            log(f"FAIL: /openapi.json does not validate: {e}")

        token = tenant_admin_token(base, username, password)
        fuzz_started = time.monotonic()
        code, cases, failures = run_schemathesis(base, token, doc_path, out_dir)
        seconds = time.monotonic() - fuzz_started
        if code != 0:
            problems.append(f"schemathesis exited with {code}; its report: {out_dir / 'schemathesis.txt'}")
            for line in failures[:200]:
                log(f"  {line}")
        if cases < MIN_CASES:
            problems.append(f"schemathesis ran {cases} cases, fewer than {MIN_CASES}")
        if process.poll() is not None:
            problems.append(f"the registry exited during the run with {process.returncode}; see {out_dir / 'registry.log'}")
        else:
            problems += outbound_problems(base, token)
        log(f"summary: {cases} schemathesis cases in {seconds:.0f} s against {len(document_operations(doc)) - len(NOT_FUZZED)} "
            f"operations, {len(problems)} problem(s) (total {time.monotonic() - started:.0f} s)")
    finally:
        stop(process)
        drop_database(database_url)
    if problems:
        for p in problems:
            log(f"FAIL: {p}")
        return 1
    log("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
