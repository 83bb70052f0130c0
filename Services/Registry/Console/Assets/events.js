// Events: the event-type catalogue, and one event looked up by id with every endpoint it matched.
import { api, identity, query } from "./api.js";
import { badge, errorBox, h, heading, main, ms, pager, pretty, show, table, when } from "./ui.js";

/** `#/event-types` */
export async function eventTypesPage() {
  show(main(), heading("Event types"), h("p", { class: "muted" }, "Loading…"));
  try {
    const { items } = await api("GET", "/api/v1/event-types");
    const categories = [...new Set(items.map((t) => t.category))];
    show(
      main(),
      heading("Event types"),
      h("p", { class: "hint" }, "Endpoints subscribe to exact types, to a prefix with ", h("code", {}, "prefix.*"), ", or to everything with ", h("code", {}, "*"), "."),
      categories.map((c) => [
        h("h2", {}, c),
        table([{ title: "Type", cell: (t) => h("code", {}, t.type) }, { title: "Description", cell: (t) => t.description }], items.filter((t) => t.category === c), { testId: "event-types" }),
      ]),
    );
  } catch (error) {
    show(main(), heading("Event types"), errorBox(error));
  }
}

/** `#/events`: the look-up form and the latest events (of `tenant`, for an operator), by type. */
async function recentEvents(form, tenant, params) {
  const type = params.get("type") ?? "";
  const page = Number(params.get("page") ?? 1);
  const go = (changes) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) v ? next.set(k, v) : next.delete(k);
    location.hash = `#/events?${next}`;
  };
  const filters = h("form", { class: "filters", onsubmit: (e) => (e.preventDefault(), go({ type: e.target.type.value.trim(), page: "" })) },
    h("input", { name: "type", placeholder: "event type", value: type, "data-test": "events-type" }), h("button", { class: "btn small" }, "Filter"));
  const body = h("div", {}, h("p", { class: "muted" }, "Loading events…"));
  show(main(), heading("Events"), form, h("h2", {}, "Latest events"), filters, body);
  let result;
  try {
    result = await api("GET", `/api/v1/events${query({ type, tenant_id: tenant, page, page_size: 20 })}`);
  } catch (error) {
    show(body, errorBox(error));
    return;
  }
  const link = (e) => `#/events/${encodeURIComponent(e.id)}${tenant ? `?tenant_id=${encodeURIComponent(tenant)}` : ""}`;
  show(body,
    table(
      [
        { title: "Received", cell: (e) => when(e.received_at) },
        { title: "Event", cell: (e) => h("div", {}, h("a", { href: link(e) }, h("code", {}, e.id))) },
        { title: "Type", cell: (e) => h("code", {}, e.type) },
        { title: "Resource key", cell: (e) => e.resource_key ?? "—" },
      ],
      result.items,
      { testId: "events", empty: type ? "No stored event has this type." : "No events stored yet." },
    ),
    pager(result.pagination, (p) => go({ page: String(p) })));
}

/** `#/events` (a look-up form and the latest events) and `#/events/:id?tenant_id=` */
export async function eventPage(id, params) {
  const me = identity();
  const tenant = params.get("tenant_id") ?? "";
  const form = h(
    "form",
    {
      class: "filters",
      onsubmit: (e) => {
        e.preventDefault();
        const value = e.target.event_id.value.trim();
        const t = e.target.tenant_id?.value.trim();
        if (value) location.hash = `#/events/${encodeURIComponent(value)}${t ? `?tenant_id=${encodeURIComponent(t)}` : ""}`;
      },
    },
    h("input", { name: "event_id", placeholder: "event id", value: id ?? "", "data-test": "event-id", size: 40 }),
    me.tenantId === null ? h("input", { name: "tenant_id", placeholder: "tenant id", value: tenant, inputmode: "numeric" }) : null,
    h("button", { class: "btn small" }, "Look up"),
  );
  if (!id) return recentEvents(form, tenant, params);
  const body = h("div", {}, h("p", { class: "muted" }, "Loading…"));
  show(main(), heading("Event"), form, body);
  let d;
  try {
    d = await api("GET", `/api/v1/events/${encodeURIComponent(id)}${tenant ? `?tenant_id=${encodeURIComponent(tenant)}` : ""}`);
  } catch (error) {
    show(body, errorBox(error));
    return;
  }
  const e = d.event;
  show(
    body,
    h("section", { class: "card" },
      h("dl", { class: "facts", "data-test": "event-facts" },
        h("dt", {}, "Id"), h("dd", {}, h("code", {}, e.id)),
        h("dt", {}, "Type"), h("dd", {}, h("code", {}, e.type)),
        h("dt", {}, "Resource key"), h("dd", {}, e.resource_key ?? "—"),
        h("dt", {}, "Tenant"), h("dd", {}, e.tenant_id ?? "none"),
        h("dt", {}, "Occurred"), h("dd", {}, when(e.occurred_at)),
        h("dt", {}, "Received"), h("dd", {}, when(e.received_at))),
      h("details", {}, h("summary", {}, "Payload"), h("pre", { class: "body" }, pretty(JSON.stringify(e.data))))),
    h("h2", {}, `Matched ${d.tasks.length} endpoint(s)`),
    table(
      [
        { title: "Endpoint", cell: (t) => h("div", {}, h("a", { href: `#/endpoints/${t.webhook_id}` }, t.webhook_name || `#${t.webhook_id}`), h("div", { class: "url" }, t.url)) },
        { title: "Status", cell: (t) => badge(t.status) },
        { title: "Attempts", class: "num", cell: (t) => t.attempts },
        { title: "Last code", class: "num", cell: (t) => t.last_status_code ?? "—" },
        { title: "Next try", cell: (t) => when(t.next_try_at) },
      ],
      d.tasks,
      { testId: "event-tasks", empty: "The event matched no endpoint: no endpoint of its tenant subscribes to its type, scope and resource key." },
    ),
    h("h2", {}, "Attempts"),
    table(
      [
        { title: "When", cell: (a) => when(a.created_at) },
        { title: "Endpoint", cell: (a) => h("a", { href: `#/endpoints/${a.webhook_id}` }, `#${a.webhook_id}`) },
        { title: "Attempt", class: "num", cell: (a) => a.attempt },
        { title: "Result", cell: (a) => h("span", {}, badge(a.success ? "success" : "failed"), " ", a.response_status ?? "", a.replayed ? h("span", { class: "chip replayed", title: `job ${a.job_id}` }, "replayed") : null) },
        { title: "Duration", class: "num", cell: (a) => ms(a.duration_ms) },
      ],
      d.attempts,
      { testId: "event-attempts", empty: "No attempts yet." },
    ),
  );
}
