// Replay and recovery jobs: the list with each job's progress (refreshed while one runs), cancelling
// one, and the replay form of an endpoint.
import { api, identity, query } from "./api.js";
import { badge, busy, errorBox, field, h, heading, main, pager, show, table, toast, when } from "./ui.js";

let refresh = null;

/** `#/jobs?status=&page=` */
export async function jobsPage(params) {
  clearTimeout(refresh);
  const admin = identity().role === "admin";
  const status = params.get("status") ?? "";
  const page = Number(params.get("page") ?? 1);
  const go = (changes) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) v ? next.set(k, v) : next.delete(k);
    location.hash = `#/jobs?${next}`;
  };
  const filters = h(
    "form",
    { class: "filters", onsubmit: (e) => e.preventDefault() },
    h("select", { "data-test": "job-status", onchange: (e) => go({ status: e.target.value, page: "" }) },
      ["", "queued", "running", "completed", "cancelled", "failed"].map((s) => h("option", { value: s, selected: s === status }, s || "any status"))),
  );
  const body = h("div", {}, h("p", { class: "muted" }, "Loading jobs…"));
  show(main(), heading("Jobs"), h("p", { class: "hint" }, "Replays send stored events of a time range to one endpoint; recoveries schedule the failed tasks of a range again. Start a replay from an endpoint's page."), filters, body);
  let result;
  try {
    result = await api("GET", `/api/v1/jobs${query({ status, page, page_size: 20 })}`);
  } catch (error) {
    show(body, errorBox(error));
    return;
  }
  const columns = [
    { title: "Job", cell: (j) => h("div", {}, h("strong", {}, `#${j.id} ${j.kind}`), h("div", { class: "hint" }, `by ${j.created_by}`, " · ", when(j.created_at))) },
    { title: "Endpoint", cell: (j) => (j.webhook_id ? h("a", { href: `#/endpoints/${j.webhook_id}` }, `#${j.webhook_id}`) : "all") },
    { title: "Range", cell: (j) => h("div", {}, when(j.since), " – ", when(j.until), j.event_types ? h("div", { class: "chips" }, j.event_types.map((t) => h("span", { class: "chip" }, t))) : null) },
    { title: "Status", cell: (j) => h("div", {}, badge(j.status), j.error ? h("div", { class: "error-text" }, j.error) : null) },
    { title: "Progress", cell: progress },
    { title: "", cell: (j) => (admin && (j.status === "queued" || j.status === "running")
        ? h("button", { class: "btn small", "data-test": "cancel-job", onclick: (e) => busy(e.target, async () => { await api("POST", `/api/v1/jobs/${j.id}/cancel`); toast(`Job ${j.id} cancelled`); jobsPage(params); }) }, "Cancel")
        : null) },
  ];
  show(body, table(columns, result.items, { testId: "jobs", empty: status ? "No job has this status." : "No jobs yet." }), pager(result.pagination, (p) => go({ page: String(p) })));
  // While a job runs, its progress is read again every two seconds (as long as this page is shown).
  if (result.items.some((j) => j.status === "queued" || j.status === "running")) {
    const here = location.hash;
    refresh = setTimeout(() => location.hash === here && jobsPage(params), 2000);
  }
}

function progress(j) {
  const p = j.progress;
  const percent = p.percent ?? 0;
  return h("div", { class: "progress-cell", "data-test": "job-progress" },
    h("div", { class: "progress", role: "progressbar", "aria-valuenow": percent, "aria-valuemin": 0, "aria-valuemax": 100 }, h("span", { style: `width: ${percent}%` })),
    h("div", { class: "hint" }, `${p.scanned}${p.total === null ? "" : ` of ${p.total}`} looked at · ${p.scheduled} sent · ${p.skipped} skipped`));
}

/** The replay form of endpoint `id` (shown in `slot`): a time range, optional types, only the missing ones. */
export function replayForm(id, slot) {
  const local = (d) => new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
  const since = h("input", { type: "datetime-local", name: "since", required: true, value: local(new Date(Date.now() - 24 * 3600 * 1000)), "data-test": "replay-since" });
  const until = h("input", { type: "datetime-local", name: "until", value: "", "data-test": "replay-until" });
  const types = h("input", { name: "event_types", placeholder: "all its types, or e.g. job.*, alert.triggered", "data-test": "replay-types" });
  const missing = h("input", { type: "checkbox", name: "only_missing", "data-test": "replay-only-missing" });
  const errors = h("div", { "data-test": "replay-errors" });
  const submit = h("button", { class: "btn primary", "data-test": "replay-start" }, "Start replay");
  show(
    slot,
    h("form", {
      class: "card form", "data-test": "replay-form",
      onsubmit: async (e) => {
        e.preventDefault();
        const body = { kind: "replay", webhook_id: Number(id), since: new Date(since.value).toISOString(), only_missing: missing.checked };
        if (until.value) body.until = new Date(until.value).toISOString();
        const list = types.value.split(",").map((t) => t.trim()).filter(Boolean);
        if (list.length) body.event_types = list;
        show(errors);
        submit.disabled = true;
        try {
          const job = await api("POST", "/api/v1/jobs", body);
          toast(`Replay job ${job.id} started`);
          location.hash = "#/jobs";
        } catch (error) {
          show(errors, errorBox(error));
        } finally {
          submit.disabled = false;
        }
      },
    },
    h("h2", {}, "Replay stored events to this endpoint"),
    h("p", { class: "hint" }, "Every stored event of the range that this endpoint subscribes to is sent again (or for the first time, if the endpoint did not exist then), and marked “replayed” in the log."),
    h("div", { class: "inline" }, field("From", since), field("Until (empty: now)", until)),
    field("Event types", types, "comma-separated; narrows the endpoint's own types"),
    h("label", { class: "check" }, missing, " only events this endpoint never got"),
    errors,
    h("div", { class: "actions" }, submit, h("button", { class: "btn", type: "button", onclick: () => slot.replaceChildren() }, "Close"))),
  );
  slot.scrollIntoView({ behavior: "smooth", block: "start" });
}
