// Events: the event-type catalogue, and one event looked up by id with every endpoint it matched.
import { api, identity } from "./api.js";
import { badge, errorBox, h, heading, main, ms, pretty, show, table, when } from "./ui.js";

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

/** `#/events` (a look-up form) and `#/events/:id?tenant_id=` */
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
  if (!id) {
    show(main(), heading("Events"), form, h("p", { class: "empty" }, "Enter an event's id (as published, or from an attempt) to see every endpoint it reached."));
    return;
  }
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
        { title: "Result", cell: (a) => h("span", {}, badge(a.success ? "success" : "failed"), " ", a.response_status ?? "") },
        { title: "Duration", class: "num", cell: (a) => ms(a.duration_ms) },
      ],
      d.attempts,
      { testId: "event-attempts", empty: "No attempts yet." },
    ),
  );
}
