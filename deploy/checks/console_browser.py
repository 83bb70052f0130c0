"""The web console in a real browser: headless chromium (Debian's) driven by selenium.

Starts a registry, ingest and delivery of their own on a fresh database, an HTTP receiver on loopback,
and runs the flows a person does in the console, asserting what the pages show:

  sign in (a wrong password first), create an endpoint (an invalid pattern shows its error and position),
  send a test and open the attempt (signature headers as the receiver got them, no secret), publish an
  event and find it in the log and by id, disable and enable, retry a failed task (one and in bulk),
  a viewer cannot change anything, a portal link shows only its tenant and stops working once revoked,
  and the pages fit a phone's width.

Screenshots of the main pages go to $RUN_DIR/console/ (default .run/test/console/).
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

sys.path.insert(0, str(Path(__file__).resolve().parent))
from api_contract import REPO, drop_database, free_port, fresh_database, request, stop  # noqa: E402

TENANT_A, TENANT_B = 501, 502
WAIT = 30  # seconds any one expected state may take to appear


def log(message: str) -> None:
    print(f"console-browser: {message}", flush=True)


# ---------------------------------------------------------------------------------------- receiver


class Receiver:
    """An HTTP receiver on loopback: /ok answers 200, /fail answers 500; every request is kept."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                with receiver.lock:
                    receiver.requests.append({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body})
                status, reply = (200, b'{"received": true}') if self.path.startswith("/ok") else (500, b"receiver says no")
                self.send_response(status)
                self.send_header("Content-Type", "application/json" if status == 200 else "text/plain")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def matching(self, predicate) -> list[dict]:
        with self.lock:
            return [r for r in self.requests if predicate(r)]


# ---------------------------------------------------------------------------------------- services


def start_services(bin_dir: Path, database_url: str, out_dir: Path) -> tuple[list[subprocess.Popen], dict]:
    ports = {"registry": free_port(), "ingest": free_port(), "delivery": free_port()}
    admin, password = "console-operator", secrets.token_hex(16)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DATABASE_URL": database_url, "AMQP_URL": os.environ["AMQP_URL"], "JWT_SECRET": secrets.token_hex(32),
        "ADMIN_USERNAME": admin, "ADMIN_PASSWORD": password, "BIND_ADDRESS": "127.0.0.1", "LOG_LEVEL": "warning",
        "REGISTRY_PORT": str(ports["registry"]), "INGEST_PORT": str(ports["ingest"]), "DELIVERY_PORT": str(ports["delivery"]),
        # A local run: the receiver is on loopback, as under `make run`.
        "DELIVERY_ALLOW_PRIVATE_NETWORKS": "true", "DELIVERY_CONNECT_TIMEOUT": "2", "DELIVERY_REQUEST_TIMEOUT": "5",
    }
    if os.environ.get("SERVICE_PRELOAD"):
        env["LD_PRELOAD"] = os.environ["SERVICE_PRELOAD"]
    processes = []
    for name in ("registry", "ingest", "delivery"):
        out = (out_dir / f"{name}.log").open("wb")
        processes.append(subprocess.Popen([str(bin_dir / name)], env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True))
    deadline = time.monotonic() + 90
    for (name, port), process in zip(ports.items(), processes):
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited with {process.returncode}; see {out_dir / (name + '.log')}")
            try:
                if request(f"http://127.0.0.1:{port}", "GET", "/readyz")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name} did not get ready in 90 s; see {out_dir / (name + '.log')}")
            time.sleep(0.3)
    urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    return processes, {**urls, "operator": admin, "operator_password": password}


def api(base: str, method: str, path: str, body: dict | None = None, token: str | None = None, expect: int | tuple = (200, 201, 202, 204)) -> dict:
    status, reply = request(base, method, path, body, token)
    expected = expect if isinstance(expect, tuple) else (expect,)
    assert status in expected, f"{method} {path} answered {status}: {reply}"
    return reply.get("data", reply) if isinstance(reply, dict) else reply


def login(base: str, username: str, password: str) -> str:
    return api(base, "POST", "/api/auth/login", {"username": username, "password": password})["access_token"]


def publish_until_received(ingest: str, token: str, receiver: Receiver, event) -> str:
    """Publishes `event(id)` until the receiver gets one: delivery learns of a new endpoint within moments
    (a control notice), and an event published before that matches no endpoint, by design. Returns the
    id of the event that arrived."""
    for attempt in range(6):
        event_id = f"evt-console-{secrets.token_hex(5)}"
        api(ingest, "POST", "/api/v1/events", event(event_id), token, expect=202)
        deadline = time.monotonic() + 5 * (attempt + 1)
        while time.monotonic() < deadline:
            if receiver.matching(lambda r: event_id in r["body"]):
                return event_id
            time.sleep(0.2)
    raise AssertionError("no published event reached the receiver")


# ------------------------------------------------------------------------------------------ browser


class Console:
    """A headless chromium on the console, with the waits and look-ups the flows need."""

    def __init__(self, base: str, shots: Path) -> None:
        options = webdriver.ChromeOptions()
        options.binary_location = os.environ.get("CHROMIUM_BINARY", "/usr/bin/chromium")
        for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,900", "--lang=en-US"):
            options.add_argument(arg)
        service = Service(executable_path=os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"), log_output=str(shots / "chromedriver.log"))
        self.driver = webdriver.Chrome(options=options, service=service)
        self.driver.set_page_load_timeout(WAIT)
        self.base = base
        self.shots = shots
        self.shot_count = 0

    def open(self, fragment: str = "") -> None:
        self.driver.get(f"{self.base}/console/{fragment}")

    def go(self, fragment: str) -> None:
        self.driver.execute_script("location.hash = arguments[0]", fragment)

    def until(self, condition, what: str, timeout: float = WAIT):
        try:
            return WebDriverWait(self.driver, timeout, ignored_exceptions=(StaleElementReferenceException,)).until(lambda d: condition())
        except TimeoutException:
            self.screenshot(f"failed-{what.replace(' ', '-')[:40]}")
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for: {what}; page text: {self.text()[:1500]}") from None

    def find(self, test_id: str):
        return self.until(lambda: self.visible(test_id), f"[data-test={test_id}]")

    def visible(self, test_id: str):
        found = [e for e in self.driver.find_elements(By.CSS_SELECTOR, f"[data-test='{test_id}']") if e.is_displayed()]
        return found[0] if found else None

    def all(self, test_id: str) -> list:
        return self.driver.find_elements(By.CSS_SELECTOR, f"[data-test='{test_id}']")

    def click(self, test_id: str) -> None:
        element = self.find(test_id)
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
        element.click()

    def text(self, test_id: str | None = None) -> str:
        if test_id is None:
            return self.driver.find_element(By.TAG_NAME, "body").text
        element = self.visible(test_id)
        return element.text if element else ""

    def wait_text(self, test_id: str, needle: str, timeout: float = WAIT) -> str:
        self.until(lambda: needle in self.text(test_id), f"'{needle}' in [data-test={test_id}]", timeout)
        return self.text(test_id)

    def type(self, test_id: str, value: str, clear: bool = True) -> None:
        element = self.find(test_id)
        if clear:
            element.clear()
        element.send_keys(value)

    def screenshot(self, name: str) -> None:
        self.shot_count += 1
        path = self.shots / f"{self.shot_count:02d}-{name}.png"
        self.driver.save_screenshot(str(path))

    def fits_width(self) -> bool:
        return self.driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")

    def quit(self) -> None:
        self.driver.quit()


# -------------------------------------------------------------------------------------------- flows


def run_flows(c: Console, s: dict, receiver: Receiver) -> None:
    registry, ingest = s["registry"], s["ingest"]
    operator = login(registry, s["operator"], s["operator_password"])
    users = {}
    for name, role, tenant in (("ada", "admin", TENANT_A), ("vic", "viewer", TENANT_A), ("bob", "admin", TENANT_B)):
        password = secrets.token_hex(10)
        api(registry, "POST", "/api/v1/users", {"username": name, "password": password, "role": role, "tenant_id": tenant}, operator, expect=201)
        users[name] = password
    ada = login(registry, "ada", users["ada"])
    bob = login(registry, "bob", users["bob"])
    other = api(registry, "POST", "/api/v1/webhooks", {"name": "bobs-endpoint", "url": f"{receiver.base}/ok/bob", "events": ["*"]}, bob, expect=201)

    # Sign in: a wrong password is refused in words, with the code; then the header says who is signed in.
    c.open()
    c.find("username")
    c.screenshot("sign-in")
    c.type("username", "ada")
    c.type("password", "not-the-password")
    c.click("sign-in")
    c.wait_text("sign-in-errors", "E_INVALID_CREDENTIALS")
    c.type("password", users["ada"])
    c.click("sign-in")
    c.wait_text("who", "ada")
    assert "admin" in c.text("who-role") and "tenant 501" in c.text("who-tenant"), c.text("who")
    c.find("endpoints-empty")
    assert "Create one" in c.text("endpoints-empty"), c.text("endpoints-empty")
    log("sign in: ok (wrong password shows E_INVALID_CREDENTIALS; header shows ada, admin, tenant 501; empty state)")

    # Create an endpoint through the form; the pattern is checked by the API as it is typed.
    c.click("new-endpoint")
    c.type("f-name", "orders-service")
    c.type("f-url", f"{receiver.base}/ok/orders")
    c.click("event-job.failed")
    c.type("f-custom_event", "environment.*")
    c.click("add-event")
    c.type("f-resource_key_pattern", "^job-(")
    verdict = c.wait_text("pattern-verdict", "E_INVALID_PATTERN")
    assert "position" in verdict and "^" in verdict, verdict
    c.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", c.find("pattern-verdict"))
    c.screenshot("endpoint-form-invalid-pattern")
    c.type("f-resource_key_pattern", "^job-[0-9]+$")
    c.wait_text("pattern-verdict", "valid RE2 pattern")
    chosen = c.text("chosen-events")
    assert "job.failed" in chosen and "environment.*" in chosen, chosen
    c.click("save")
    c.wait_text("facts", f"{receiver.base}/ok/orders")
    webhook_id = int(c.driver.current_url.split("#/endpoints/")[1].split("?")[0])
    secret = c.text("secret")
    created = api(registry, "GET", f"/api/v1/webhooks/{webhook_id}", token=ada)
    assert created["events"] == ["job.failed", "environment.*"] and created["resource_key_pattern"] == "^job-[0-9]+$", created
    assert secret == created["secret"], "the new secret is shown once after creating"
    log(f"create endpoint: ok (webhook {webhook_id}; invalid pattern showed its code and position)")

    # Send a test; open the attempt: the request as the receiver got it, signature visible, secret never.
    c.click("send-test")
    c.wait_text("toast", "Test delivered: HTTP 200")
    c.until(lambda: len(c.all("open-attempt")) >= 1, "the test send in the log")
    c.click("open-attempt")
    viewer = c.wait_text("attempt-viewer", "webhook-signature")
    got = receiver.matching(lambda r: r["path"] == "/ok/orders")
    assert got, "the receiver got the test send"
    sent = got[-1]
    assert sent["headers"]["webhook-signature"] in c.text("request-headers"), "the viewer shows the signature the receiver got"
    assert json.loads(sent["body"]) == json.loads(c.text("request-body")), "the viewer shows the body the receiver got"
    assert secret not in c.text(), "the secret is not shown in the attempt viewer"
    assert '"received": true' in c.text("response-body") or '"received":true' in c.text("response-body"), c.text("response-body")
    c.screenshot("attempt-viewer")
    log("test send and attempt viewer: ok (headers and body equal to what the receiver got; no secret)")

    # Publish an event through ingest; it shows in the log, and by id with the endpoints it reached.
    event_id = publish_until_received(
        ingest, ada, receiver, lambda eid: {"id": eid, "type": "job.failed", "resource_key": "job-42", "data": {"job_id": "job-42"}})

    def event_in_log() -> bool:
        c.click("refresh-log")
        time.sleep(0.5)
        return event_id in c.text("attempts")

    c.until(event_in_log, "the published event in the attempt log")
    c.go(f"#/events/{event_id}")
    c.wait_text("event-facts", event_id)
    c.wait_text("event-tasks", "orders-service")
    assert "success" in c.text("event-tasks"), c.text("event-tasks")
    assert len(c.driver.find_elements(By.CSS_SELECTOR, "[data-test='event-attempts'] tbody tr")) == 1
    c.screenshot("event-lookup")
    c.go("#/events")
    c.wait_text("events", event_id)
    c.screenshot("events")
    log(f"publish and look up: ok (event {event_id} in the log, in the latest events and by id, one endpoint, one attempt)")

    # The chart draws the deliveries of the window.
    c.go(f"#/endpoints/{webhook_id}")
    c.find("chart")
    assert c.driver.find_elements(By.CSS_SELECTOR, "svg.chart rect.ok"), "the chart has a bar of succeeded attempts"
    c.wait_text("figures", "100 %")
    c.screenshot("endpoint-detail")

    # Disable and enable.
    c.click("disable")
    c.wait_text("toast", "Endpoint disabled")
    c.wait_text("facts", "disabled")
    assert api(registry, "GET", f"/api/v1/webhooks/{webhook_id}", token=ada)["status"] == "disabled"
    c.click("enable")
    c.wait_text("toast", "Endpoint enabled")
    c.find("disable")
    assert "active" in c.text("facts")
    assert api(registry, "GET", f"/api/v1/webhooks/{webhook_id}", token=ada)["status"] == "active"
    log("disable and enable: ok")

    # Rotate the secret (the page asks for the grace period): the new one is shown, the old one's end too.
    c.click("rotate")
    prompt = c.until(lambda: c.driver.switch_to.alert, "the grace-period prompt")
    prompt.send_keys("3600")
    prompt.accept()
    c.wait_text("toast", "Secret rotated")
    c.wait_text("grace", "previous secret still signs until")
    rotated = api(registry, "GET", f"/api/v1/webhooks/{webhook_id}", token=ada)
    assert rotated["secret"] != secret and c.text("secret") == rotated["secret"], "the new secret is shown once"
    assert rotated["previous_secret_expires_at"], rotated
    log("rotate secret: ok (new secret shown, grace period shown)")

    # A failing endpoint: its task fails; retry it from the tasks page, one and in bulk.
    failing = api(registry, "POST", "/api/v1/webhooks", {"name": "flaky", "url": f"{receiver.base}/fail/flaky", "events": ["job.completed"], "max_attempts": 1}, ada, expect=201)

    def failed_tasks() -> list[dict]:
        return api(registry, "GET", f"/api/v1/tasks?status=failed&webhook_id={failing['webhook_id']}", token=ada)["items"]

    for _ in range(2):
        publish_until_received(ingest, ada, receiver, lambda eid: {"id": eid, "type": "job.completed", "data": {"n": eid}})
    c.until(lambda: len(failed_tasks()) == 2, "two failed tasks")
    c.go(f"#/tasks?status=failed&webhook_id={failing['webhook_id']}")
    c.until(lambda: len(c.all("retry-task")) == 2, "two failed tasks on the tasks page")
    c.screenshot("tasks-failed")
    before = len(receiver.matching(lambda r: r["path"] == "/fail/flaky"))
    c.all("retry-task")[0].click()
    c.wait_text("toast", "1 task(s) scheduled for retry")
    c.until(lambda: len(receiver.matching(lambda r: r["path"] == "/fail/flaky")) == before + 1, "the retried task's new attempt at the receiver")
    c.until(lambda: len(failed_tasks()) == 2, "both tasks failed again after the retry")
    c.go(f"#/tasks?status=failed&webhook_id={failing['webhook_id']}&page=1")
    c.until(lambda: len(c.all("select-task")) == 2, "the tasks page again")
    for box in c.all("select-task"):
        box.click()
    c.click("retry-selected")
    c.wait_text("toast", "2 task(s) scheduled for retry")
    c.until(lambda: len(receiver.matching(lambda r: r["path"] == "/fail/flaky")) == before + 3, "both retried tasks at the receiver")
    c.until(lambda: len(failed_tasks()) == 2, "both tasks failed again after the bulk retry")
    per_event = sorted(len(receiver.matching(lambda r, e=t["event_id"]: e in r["body"])) for t in failed_tasks())
    assert per_event == [2, 3], f"requests per failed event after one retry and a bulk retry of both: {per_event}"
    log("retry failed tasks: ok (one, then two in bulk; each made a new attempt at the receiver)")

    # The endpoint form: a payload filter, refused with its code and path, then saved; a delivery policy.
    c.go(f"#/endpoints/{webhook_id}/edit")
    c.type("f-filter", '{"data.job_id": {"$bogus": 1}}')
    c.click("save")
    refused = c.wait_text("form-errors", "E_FILTER_UNKNOWN_OPERATOR")
    assert "data.job_id" in refused, refused
    c.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", c.find("form-errors"))
    c.screenshot("endpoint-form-invalid-filter")
    c.type("f-filter", '{"data.job_id": {"$regex": "^job-"}}')
    c.type("f-max_in_flight", "2")
    c.type("f-retry_schedule", "10, 60")
    c.click("save")
    c.wait_text("filter", "$regex")
    c.wait_text("policy", "2 in flight")
    assert "retries after 10 s, 60 s" in c.text("policy"), c.text("policy")
    saved = api(registry, "GET", f"/api/v1/webhooks/{webhook_id}", token=ada)
    assert saved["filter"] == {"data.job_id": {"$regex": "^job-"}}, saved["filter"]
    assert saved["max_in_flight"] == 2 and saved["retry_schedule"] == [10, 60] and saved["rate_limit"] is None, saved
    log("payload filter and delivery policy: ok (a wrong operator showed E_FILTER_UNKNOWN_OPERATOR with its path; saved and shown)")

    # Replay: an endpoint made after the event gets it through its page's replay form; the job's
    # progress on the jobs page; the attempt marked replayed in the log.
    late = api(registry, "POST", "/api/v1/webhooks", {"name": "late-joiner", "url": f"{receiver.base}/ok/late", "events": ["job.failed"]}, ada, expect=201)
    c.go(f"#/endpoints/{late['webhook_id']}")
    c.click("replay")
    c.find("replay-form")
    c.screenshot("replay-form")
    c.click("replay-start")
    c.wait_text("toast", "Replay job")
    c.wait_text("jobs", "replay")
    c.until(lambda: "completed" in c.text("jobs"), "the replay job completed")
    assert "1 sent" in c.text("job-progress"), c.text("job-progress")
    c.screenshot("jobs")
    c.until(lambda: any(event_id in r["body"] for r in receiver.matching(lambda r: r["path"] == "/ok/late")), "the replayed event at the new endpoint")
    c.go(f"#/endpoints/{late['webhook_id']}")

    def replayed_in_log() -> bool:
        c.click("refresh-log")
        time.sleep(0.5)
        return c.visible("replayed") is not None

    c.until(replayed_in_log, "the replayed attempt in the log")
    log(f"replay: ok (event {event_id} sent to an endpoint created after it; job completed on the jobs page; attempt marked replayed)")

    # Delete, after a confirmation; dismissing it keeps the endpoint.
    c.go(f"#/endpoints/{failing['webhook_id']}")
    c.click("delete")
    c.until(lambda: c.driver.switch_to.alert, "the confirmation").dismiss()
    assert api(registry, "GET", f"/api/v1/webhooks/{failing['webhook_id']}", token=ada)["name"] == "flaky"
    c.click("delete")
    c.until(lambda: c.driver.switch_to.alert, "the confirmation").accept()
    c.wait_text("toast", "Endpoint deleted")
    c.wait_text("endpoints", "orders-service")
    assert "flaky" not in c.text("endpoints"), "the deleted endpoint is gone from the list"
    api(registry, "GET", f"/api/v1/webhooks/{failing['webhook_id']}", token=ada, expect=404)
    log("delete: ok (dismissed: kept; confirmed: gone)")

    # Event types.
    c.go("#/event-types")
    c.until(lambda: len(c.all("event-types")) > 3 and "job.failed" in c.text() and "NODE_CREATED" in c.text(), "the catalogue by category")
    c.screenshot("event-types")

    # Endpoints list with the 24-hour figures.
    c.go("#/endpoints")
    c.wait_text("endpoints", "orders-service")
    c.until(lambda: "%" in c.text("endpoints"), "the success rate in the list")
    assert "bobs-endpoint" not in c.text("endpoints"), "another tenant's endpoint is not listed"
    c.screenshot("endpoints")

    # A phone's width: no sideways scrolling.
    c.driver.set_window_size(390, 844)
    c.go("#/endpoints")
    c.wait_text("endpoints", "orders-service")
    assert c.fits_width(), "the endpoints list fits a phone's width"
    c.screenshot("phone-endpoints")
    c.go(f"#/endpoints/{webhook_id}")
    c.find("facts")
    c.find("chart")
    assert c.fits_width(), "the endpoint page fits a phone's width"
    c.screenshot("phone-endpoint")
    c.driver.set_window_size(1280, 900)
    log("phone width: ok")

    # A portal link: made on the page, opened without a password, only its tenant, dead once revoked.
    c.go("#/portal-links")
    c.click("create-portal-link")
    url_field = c.find("portal-url")
    c.until(lambda: "#token=" in (url_field.get_attribute("value") or ""), "the portal link")
    link = url_field.get_attribute("value")
    c.screenshot("portal-links")
    c.click("sign-out")
    c.find("username")
    c.driver.get(link)
    c.wait_text("who", "portal link")
    assert "tenant 501" in c.text("who-tenant"), c.text("who")
    c.wait_text("endpoints", "orders-service")
    assert "bobs-endpoint" not in c.text("endpoints"), "the portal shows only its tenant's endpoints"
    assert not c.visible("nav-portal"), "a portal link cannot make portal links"
    assert "#token=" not in c.driver.current_url, "the token leaves the address bar"
    c.screenshot("portal-view")
    c.go(f"#/endpoints/{other['webhook_id']}")
    c.wait_text("error", "E_NOT_FOUND")
    session_id = api(registry, "GET", "/api/v1/portal-sessions", token=ada)["items"][0]["id"]
    api(registry, "DELETE", f"/api/v1/portal-sessions/{session_id}", token=ada, expect=204)

    pages = iter(["#/tasks", "#/endpoints"] * 40)

    def refused() -> bool:
        c.go(next(pages))
        time.sleep(0.7)
        return c.visible("username") is not None

    c.until(refused, "the revoked portal link refused", timeout=WAIT)
    c.wait_text("sign-in-errors", "no longer works")
    assert "E_UNAUTHORIZED" in c.text("sign-in-errors"), c.text("sign-in-errors")
    c.screenshot("portal-revoked")
    log("portal link: ok (only tenant 501, another tenant's endpoint 404, refused after revocation)")

    # A viewer sees and cannot change.
    c.type("username", "vic")
    c.type("password", users["vic"])
    c.click("sign-in")
    c.wait_text("who-role", "viewer")
    c.wait_text("endpoints", "orders-service")
    assert not c.visible("new-endpoint"), "a viewer has no New endpoint button"
    c.go(f"#/endpoints/{webhook_id}")
    c.find("facts")
    for action in ("edit", "disable", "send-test", "rotate", "delete"):
        assert not c.visible(action), f"a viewer has no {action} button"
    assert "shown to admins only" in c.text("facts"), "a viewer does not see the secret"
    log("viewer: ok (no change buttons, no secret)")


def main() -> int:
    out_dir = Path(os.environ.get("RUN_DIR") or REPO / ".run" / "test") / "console"
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("*.png"):
        old.unlink()
    bin_dir = Path(os.environ.get("WEBHOOKS_BIN_DIR") or subprocess.run(
        ["swift", "build", "--show-bin-path"], cwd=REPO, capture_output=True, text=True, check=True).stdout.strip())
    database_url = fresh_database(os.environ["DATABASE_URL"], prefix="console_browser")
    receiver = Receiver()
    processes: list[subprocess.Popen] = []
    console = None
    try:
        processes, services = start_services(bin_dir, database_url, out_dir)
        console = Console(services["registry"], out_dir)
        started = time.monotonic()
        run_flows(console, services, receiver)
        log(f"all flows passed in {time.monotonic() - started:.0f} s; screenshots in {out_dir}")
        return 0
    except Exception:  # noqa: BLE001 (report any failure with its trace)
        traceback.print_exc()
        log(f"FAILED; screenshots and service logs in {out_dir}")
        return 1
    finally:
        if console:
            console.quit()
        for process in processes:
            stop(process)
        receiver.server.shutdown()
        drop_database(database_url)


if __name__ == "__main__":
    sys.exit(main())
