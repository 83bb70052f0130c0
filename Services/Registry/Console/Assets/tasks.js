// Tasks: one per event and endpoint; filter by status, retry one or a selection.
import { api, identity, query } from "./api.js";
import { badge, busy, errorBox, h, heading, main, pager, show, table, toast, when } from "./ui.js";

const STATUSES = ["", "pending", "retry", "success", "failed", "cancelled"];

/** `#/tasks?status=&webhook_id=&page=` */
export async function tasksPage(params) {
  const admin = identity().role === "admin";
  const status = params.get("status") ?? "";
  const webhookId = params.get("webhook_id") ?? "";
  const page = Number(params.get("page") ?? 1);
  const go = (changes) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) v ? next.set(k, v) : next.delete(k);
    location.hash = `#/tasks?${next}`;
  };
  const selected = new Set();
  const bulk = h("button", { class: "btn", disabled: true, "data-test": "retry-selected" }, "Retry selected");
  const filters = h(
    "form",
    { class: "filters", onsubmit: (e) => (e.preventDefault(), go({ webhook_id: e.target.webhook_id.value.trim(), page: "" })) },
    h("select", { "data-test": "task-status", onchange: (e) => go({ status: e.target.value, page: "" }) },
      STATUSES.map((s) => h("option", { value: s, selected: s === status }, s || "any status"))),
    h("input", { name: "webhook_id", placeholder: "endpoint id", value: webhookId, inputmode: "numeric" }),
    h("button", { class: "btn small" }, "Filter"),
  );
  const body = h("div", {}, h("p", { class: "muted" }, "Loading tasks…"));
  show(main(), heading("Tasks", admin ? bulk : null), filters, body);
  let result;
  try {
    result = await api("GET", `/api/v1/tasks${query({ status, webhook_id: webhookId, page, page_size: 25 })}`);
  } catch (error) {
    show(body, errorBox(error));
    return;
  }
  const retry = async (ids) => {
    let done = 0;
    const failures = [];
    for (const id of ids) {
      try {
        await api("POST", `/api/v1/tasks/${id}/retry`);
        done++;
      } catch (error) {
        failures.push(`task ${id}: ${error.code} ${error.message}`);
      }
    }
    toast(failures.length ? `${done} scheduled; ${failures.join("; ")}` : `${done} task(s) scheduled for retry`, failures.length ? "error" : "ok");
    tasksPage(params);
  };
  bulk.addEventListener("click", () => busy(bulk, () => retry([...selected])));
  const columns = [
    admin ? { title: "", cell: (t) => h("input", { type: "checkbox", "aria-label": `select task ${t.task_id}`, "data-test": "select-task", onchange: (e) => (e.target.checked ? selected.add(t.task_id) : selected.delete(t.task_id), (bulk.disabled = selected.size === 0)) }) } : null,
    { title: "Task", class: "num", cell: (t) => t.task_id },
    { title: "Event", cell: (t) => h("div", {}, h("code", {}, t.event_type), h("div", { class: "hint" }, h("a", { href: `#/events/${encodeURIComponent(t.event_id)}` }, t.event_id))) },
    { title: "Endpoint", cell: (t) => h("div", {}, h("a", { href: `#/endpoints/${t.webhook_id}` }, `#${t.webhook_id}`), h("div", { class: "url" }, t.url)) },
    { title: "Status", cell: (t) => h("div", {}, badge(t.status), t.last_error ? h("div", { class: "hint" }, t.last_error) : null) },
    { title: "Attempts", class: "num", cell: (t) => t.retries },
    { title: "Last code", class: "num", cell: (t) => t.last_status_code ?? "—" },
    { title: "Next try", cell: (t) => when(t.next_try_at) },
    admin ? { title: "", cell: (t) => (t.status === "failed" || t.status === "cancelled" ? h("button", { class: "btn small", "data-test": "retry-task", onclick: (e) => busy(e.target, () => retry([t.task_id])) }, "Retry") : "") } : null,
  ].filter(Boolean);
  const empty = status === "failed" ? "No failed tasks. Everything matching was delivered or is still being tried." : "No tasks match. Tasks appear when a published event matches an endpoint.";
  show(body, table(columns, result.items, { testId: "tasks", empty }), pager(result.pagination, (p) => go({ page: String(p) })));
}
