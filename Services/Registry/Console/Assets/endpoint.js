// One endpoint: its state and actions, the attempts chart, the attempt log and the attempt viewer.
import { api, identity, query } from "./api.js";
import { attemptsChart } from "./chart.js";
import { replayForm } from "./jobs.js";
import { badge, busy, errorBox, h, headerList, heading, main, ms, pager, percent, pretty, show, table, toast, when } from "./ui.js";

/** `#/endpoints/:id?hours=&outcome=&test=&event_type=&page=` */
export async function endpointPage(id, params) {
  const me = identity();
  const admin = me.role === "admin";
  show(main(), h("p", { class: "muted" }, "Loading…"));
  let w;
  try {
    w = await api("GET", `/api/v1/webhooks/${id}`);
  } catch (error) {
    show(main(), heading("Endpoint"), errorBox(error), h("p", {}, h("a", { href: "#/endpoints" }, "Back to the endpoints")));
    return;
  }
  const reload = () => endpointPage(id, params);
  const replaySlot = h("div", { class: "replay-slot" });
  const act = (label, action, attrs = {}) =>
    h("button", { class: "btn", ...attrs, onclick: (e) => busy(e.target, action) }, label);
  const actions = admin
    ? [
        h("a", { class: "btn", href: `#/endpoints/${id}/edit`, "data-test": "edit" }, "Edit"),
        w.status === "active"
          ? act("Disable", async () => (await api("POST", `/api/v1/webhooks/${id}/disable`), toast("Endpoint disabled"), reload()), { "data-test": "disable" })
          : act("Enable", async () => (await api("POST", `/api/v1/webhooks/${id}/enable`), toast("Endpoint enabled"), reload()), { "data-test": "enable" }),
        act("Send test", async () => {
          const r = await api("POST", `/api/v1/webhooks/${id}/test`);
          toast(r.success ? `Test delivered: HTTP ${r.status_code} in ${r.response_time_ms} ms` : `Test failed: ${r.error ?? `HTTP ${r.status_code}`}`, r.success ? "ok" : "error");
          reload();
        }, { "data-test": "send-test" }),
        act("Rotate secret", async () => {
          const grace = prompt("Keep signing with the old secret too for how many seconds? (0 to stop at once)", "86400");
          if (grace === null) return;
          const r = await api("POST", `/api/v1/webhooks/${id}/rotate-secret`, { grace_period_seconds: Number(grace) });
          sessionStorage.setItem(`webhooks.console.new-secret.${id}`, r.secret);
          toast("Secret rotated");
          reload();
        }, { "data-test": "rotate" }),
        h("button", { class: "btn", "data-test": "replay", onclick: () => replayForm(id, replaySlot) }, "Replay…"),
        act("Recover failed", async () => {
          const since = new Date(Date.now() - 24 * 3600 * 1000).toISOString();
          const r = await api("POST", "/api/v1/tasks/recover", { since, webhook_id: Number(id) });
          toast(`${r.count} failed task(s) of the last 24 h scheduled for retry`);
          reload();
        }, { "data-test": "recover" }),
        act("Delete", async () => {
          if (!confirm(`Delete the endpoint “${w.name}”? Its pending deliveries stop.`)) return;
          await api("DELETE", `/api/v1/webhooks/${id}`);
          toast("Endpoint deleted");
          location.hash = "#/endpoints";
        }, { class: "btn danger", "data-test": "delete" }),
      ]
    : [];

  const fresh = sessionStorage.getItem(`webhooks.console.new-secret.${id}`);
  sessionStorage.removeItem(`webhooks.console.new-secret.${id}`);
  const secretRow = w.secret
    ? secretView(w.secret, fresh !== null)
    : h("span", { class: "muted" }, "shown to admins only");
  const facts = h(
    "dl",
    { class: "facts", "data-test": "facts" },
    h("dt", {}, "Status"), h("dd", {}, badge(w.status), w.disabled_reason ? h("span", { class: "hint", "data-test": "disabled-reason" }, ` ${w.disabled_reason}`) : null),
    h("dt", {}, "URL"), h("dd", { class: "url" }, w.url),
    h("dt", {}, "Events"), h("dd", {}, h("div", { class: "chips" }, w.events.map((e) => h("span", { class: "chip" }, e)))),
    h("dt", {}, "Resource key pattern"), h("dd", {}, w.resource_key_pattern ? h("code", {}, w.resource_key_pattern) : "any"),
    h("dt", {}, "Scope"), h("dd", {}, `${w.association_type}${w.association_id ? ` ${w.association_id}` : ""}`),
    h("dt", {}, "Tenant"), h("dd", {}, w.tenant_id),
    h("dt", {}, "Secret"), h("dd", {}, secretRow, w.previous_secret_expires_at ? h("div", { class: "hint", "data-test": "grace" }, "the previous secret still signs until ", when(w.previous_secret_expires_at)) : null),
    Object.keys(w.headers).length ? [h("dt", {}, "Custom headers"), h("dd", {}, headerList(w.headers))] : null,
    h("dt", {}, "Payload filter"), h("dd", { "data-test": "filter" }, w.filter ? h("pre", { class: "body small" }, JSON.stringify(w.filter, null, 2)) : "none: every event of the types above"),
    h("dt", {}, "Maximum attempts"), h("dd", {}, w.max_attempts),
    h("dt", {}, "Delivery policy"), h("dd", { "data-test": "policy" }, policy(w)),
    w.last_error ? [h("dt", {}, "Last error"), h("dd", { class: "error-text" }, w.last_error)] : null,
  );

  const hours = Number(params.get("hours") ?? 24);
  const statsBox = h("section", { class: "card" }, h("p", { class: "muted" }, "Loading figures…"));
  const logBox = h("section", { class: "card" });
  show(
    main(),
    heading(w.name || `Endpoint ${id}`, ...actions),
    h("p", { class: "crumbs" }, h("a", { href: "#/endpoints" }, "Endpoints"), " / ", w.name, " · ", h("a", { href: `#/tasks?webhook_id=${id}` }, "tasks of this endpoint")),
    replaySlot,
    h("div", { class: "grid" }, h("section", { class: "card" }, facts), statsBox),
    logBox,
  );
  loadStats(id, hours, params, statsBox);
  loadLog(id, params, logBox, admin);
}

/** The endpoint's own limits, or the service's defaults. */
function policy(w) {
  const parts = [
    w.rate_limit ? `at most ${w.rate_limit} requests/s` : "the default rate",
    w.max_in_flight ? `${w.max_in_flight} in flight` : "the default concurrency",
    w.retry_schedule ? `retries after ${w.retry_schedule.map((s) => `${s} s`).join(", ")}` : "the default retry schedule",
  ];
  return parts.join(" · ");
}

function secretView(secret, fresh) {
  const value = h("code", { class: "secret", "data-test": "secret" }, fresh ? secret : "•".repeat(16));
  let shown = fresh;
  return h("span", {}, value, " ",
    h("button", { class: "btn small", type: "button", onclick: (e) => ((shown = !shown), (value.textContent = shown ? secret : "•".repeat(16)), (e.target.textContent = shown ? "Hide" : "Show")) }, shown ? "Hide" : "Show"),
    fresh ? h("div", { class: "hint" }, "a new secret: give it to the receiver to verify signatures") : null);
}

async function loadStats(id, hours, params, box) {
  let s;
  try {
    s = await api("GET", `/api/v1/webhooks/${id}/stats?hours=${hours}`);
  } catch (error) {
    show(box, errorBox(error));
    return;
  }
  const windowLink = (n, label) => {
    const next = new URLSearchParams(params);
    next.set("hours", String(n));
    return h("a", { href: `#/endpoints/${id}?${next}`, class: n === hours ? "current" : "" }, label);
  };
  const tasks = Object.entries(s.tasks).filter(([, n]) => n > 0);
  show(
    box,
    h("div", { class: "card-head" }, h("h2", {}, "Deliveries"), h("div", { class: "tabs" }, windowLink(24, "24 h"), windowLink(168, "7 days"), windowLink(720, "30 days"))),
    h("div", { class: "figures", "data-test": "figures" },
      figure("attempts", s.total), figure("success", percent(s.success_rate)), figure("p50", ms(s.p50_ms)), figure("p95", ms(s.p95_ms)), figure("p99", ms(s.p99_ms)),
      figure("test sends", s.test_attempts)),
    s.total ? attemptsChart(s) : h("p", { class: "empty" }, `No deliveries in the last ${hours} h. Send a test, or publish an event this endpoint subscribes to.`),
    h("div", { class: "legend" }, h("span", { class: "key ok" }, "succeeded"), h("span", { class: "key fail" }, "failed"), h("span", { class: "key p95" }, "p95 latency")),
    h("p", { class: "hint" }, "Tasks: ", tasks.length ? tasks.map(([k, n]) => `${n} ${k}`).join(", ") : "none"),
  );
}

function figure(label, value) {
  return h("div", { class: "figure" }, h("div", { class: "value" }, value), h("div", { class: "label" }, label));
}

async function loadLog(id, params, box, admin) {
  const outcome = params.get("outcome") ?? "";
  const test = params.get("test") ?? "";
  const eventType = params.get("event_type") ?? "";
  const page = Number(params.get("page") ?? 1);
  const go = (changes) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) v ? next.set(k, v) : next.delete(k);
    location.hash = `#/endpoints/${id}?${next}`;
  };
  const filters = h(
    "form",
    { class: "filters", onsubmit: (e) => (e.preventDefault(), go({ event_type: e.target.event_type.value.trim(), page: "" })) },
    h("select", { "data-test": "log-outcome", onchange: (e) => go({ outcome: e.target.value, page: "" }) },
      [["", "all outcomes"], ["success", "succeeded"], ["failure", "failed"]].map(([v, l]) => h("option", { value: v, selected: v === outcome }, l))),
    h("select", { "data-test": "log-test", onchange: (e) => go({ test: e.target.value, page: "" }) },
      [["", "deliveries and tests"], ["false", "deliveries only"], ["true", "test sends only"]].map(([v, l]) => h("option", { value: v, selected: v === test }, l))),
    h("input", { name: "event_type", placeholder: "event type", value: eventType }),
    h("button", { class: "btn small" }, "Filter"),
    h("button", { class: "btn small", type: "button", "data-test": "refresh-log", onclick: () => loadLog(id, params, box, admin) }, "Refresh"),
  );
  const viewer = h("div", { class: "viewer-slot" });
  show(box, h("div", { class: "card-head" }, h("h2", {}, "Attempt log")), filters, h("p", { class: "muted" }, "Loading…"));
  let result;
  try {
    result = await api("GET", `/api/v1/webhooks/${id}/logs${query({ outcome, test, event_type: eventType, page, page_size: 20 })}`);
  } catch (error) {
    show(box, h("div", { class: "card-head" }, h("h2", {}, "Attempt log")), filters, errorBox(error));
    return;
  }
  const columns = [
    { title: "When", cell: (a) => when(a.created_at) },
    { title: "Event", cell: (a) => h("div", {}, h("code", {}, a.event_type), a.test ? h("span", { class: "chip test" }, "test") : null,
      a.replayed ? h("span", { class: "chip replayed", "data-test": "replayed", title: `job ${a.job_id}` }, "replayed") : null, h("div", { class: "hint" }, a.event_id)) },
    { title: "Attempt", class: "num", cell: (a) => a.attempt },
    { title: "Result", cell: (a) => h("span", {}, badge(a.success ? "success" : "failed"), " ", a.status_code ?? a.error ?? "") },
    { title: "Duration", class: "num", cell: (a) => ms(a.duration_ms) },
    { title: "", cell: (a) => h("button", { class: "btn small", "data-test": "open-attempt", onclick: () => openAttempt(a, viewer, admin) }, "Open") },
  ];
  show(
    box,
    h("div", { class: "card-head" }, h("h2", {}, "Attempt log")),
    filters,
    table(columns, result.items, { testId: "attempts", empty: outcome || test || eventType ? "No attempt matches these filters." : "No attempts yet. Use “Send test”, or publish an event this endpoint subscribes to." }),
    pager(result.pagination, (p) => go({ page: String(p) })),
    viewer,
  );
}

/** The attempt viewer: the request as sent (signature headers included; the secret never is), the response. */
export function openAttempt(a, slot, admin) {
  const close = () => slot.replaceChildren();
  show(
    slot,
    h("section", { class: "viewer", "data-test": "attempt-viewer", role: "dialog", "aria-label": `attempt ${a.log_id}` },
      h("div", { class: "card-head" }, h("h2", {}, `Attempt ${a.log_id}`), h("button", { class: "btn small", onclick: close, "data-test": "close-attempt" }, "Close")),
      h("dl", { class: "facts" },
        h("dt", {}, "Event"), h("dd", {}, h("a", { href: `#/events/${encodeURIComponent(a.event_id)}` }, a.event_id), " ", h("code", {}, a.event_type), a.test ? " (test send)" : ""),
        h("dt", {}, "Outcome"), h("dd", {}, badge(a.success ? "success" : "failed"), a.status_code ? ` HTTP ${a.status_code}` : "", ` in ${a.duration_ms} ms, attempt ${a.attempt}`),
        a.error ? [h("dt", {}, "Error"), h("dd", { class: "error-text", "data-test": "attempt-error" }, a.error)] : null,
        h("dt", {}, "Sent"), h("dd", {}, when(a.created_at))),
      h("div", { class: "split" },
        h("div", {}, h("h3", {}, "Request"), h("p", { class: "url" }, `POST ${a.request_url}`), h("div", { "data-test": "request-headers" }, headerList(a.request_headers)),
          h("pre", { class: "body", "data-test": "request-body" }, a.request_body === null ? "(the event is no longer stored)" : pretty(a.request_body))),
        h("div", {}, h("h3", {}, "Response"), h("p", {}, a.status_code ? `HTTP ${a.status_code}` : "no response"), h("div", { "data-test": "response-headers" }, headerList(a.response_headers)),
          h("pre", { class: "body", "data-test": "response-body" }, pretty(a.response_body) || "(empty)"))),
      admin && !a.success && !a.test
        ? h("button", { class: "btn", "data-test": "retry-attempt", onclick: (e) => busy(e.target, async () => { await api("POST", `/api/v1/logs/${a.log_id}/retry`); toast("Task scheduled for retry"); }) }, "Retry this delivery")
        : null),
  );
  slot.scrollIntoView({ behavior: "smooth", block: "start" });
}
