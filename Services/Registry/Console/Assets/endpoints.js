// Endpoints: the list with status and 24-hour figures, and the create/edit form.
import { api, identity, query } from "./api.js";
import { badge, errorBox, field, h, heading, main, ms, pager, percent, show, table, toast } from "./ui.js";

const STATUS_FILTERS = [
  ["", "any status"],
  ["active", "active"],
  ["disabled", "disabled"],
  ["auto-disabled", "auto-disabled"],
];

/** `#/endpoints?status=&event_type=&page=` */
export async function endpointsPage(params) {
  const me = identity();
  const status = params.get("status") ?? "";
  const eventType = params.get("event_type") ?? "";
  const page = Number(params.get("page") ?? 1);
  const go = (changes) => {
    const next = new URLSearchParams({ status, event_type: eventType, page: String(page), ...changes });
    for (const [k, v] of [...next]) if (!v) next.delete(k);
    location.hash = `#/endpoints?${next}`;
  };
  const filters = h(
    "form",
    { class: "filters", onsubmit: (e) => (e.preventDefault(), go({ event_type: e.target.event_type.value.trim(), page: "1" })) },
    h("select", { name: "status", "data-test": "filter-status", onchange: (e) => go({ status: e.target.value, page: "1" }) },
      STATUS_FILTERS.map(([v, label]) => h("option", { value: v, selected: v === status }, label))),
    h("input", { name: "event_type", placeholder: "event type, e.g. job.failed", value: eventType }),
    h("button", { class: "btn small" }, "Filter"),
  );
  const body = h("div", {}, h("p", { class: "muted" }, "Loading endpoints…"));
  show(
    main(),
    heading("Endpoints", me.role === "admin" ? h("a", { class: "btn primary", href: "#/endpoints/new", "data-test": "new-endpoint" }, "New endpoint") : null),
    filters,
    body,
  );
  let result;
  try {
    result = await api("GET", `/api/v1/webhooks${query({ status, event_type: eventType, page, page_size: 20 })}`);
  } catch (error) {
    show(body, errorBox(error));
    return;
  }
  const stats = new Map();
  const columns = [
    { title: "Endpoint", cell: (w) => h("div", {}, h("a", { href: `#/endpoints/${w.webhook_id}`, "data-test": "endpoint-link" }, w.name || `#${w.webhook_id}`), h("div", { class: "url" }, w.url)) },
    me.tenantId === null ? { title: "Tenant", cell: (w) => w.tenant_id } : null,
    { title: "Events", cell: (w) => h("div", { class: "chips" }, w.events.map((e) => h("span", { class: "chip" }, e))) },
    { title: "Status", cell: (w) => h("div", {}, badge(w.status), w.disabled_reason ? h("div", { class: "hint" }, w.disabled_reason) : null) },
    { title: "Success 24 h", class: "num", cell: (w) => (stats.set(w.webhook_id, { rate: h("span", {}, "…"), p95: h("span", {}, "…") }), stats.get(w.webhook_id).rate) },
    { title: "p95 24 h", class: "num", cell: (w) => stats.get(w.webhook_id).p95 },
  ].filter(Boolean);
  const empty = status || eventType
    ? "No endpoint matches these filters."
    : me.role === "admin"
      ? "No endpoints yet. Create one with “New endpoint” to start receiving events."
      : "No endpoints yet. An admin of this tenant can create one.";
  show(body, table(columns, result.items, { empty, testId: "endpoints" }), pager(result.pagination, (p) => go({ page: String(p) })));
  // The 24-hour figures, one stats call per endpoint shown.
  await Promise.all(
    result.items.map(async (w) => {
      const cells = stats.get(w.webhook_id);
      try {
        const s = await api("GET", `/api/v1/webhooks/${w.webhook_id}/stats?hours=24`);
        cells.rate.textContent = s.total ? `${percent(s.success_rate)} of ${s.total}` : "no attempts";
        cells.p95.textContent = ms(s.p95_ms);
      } catch {
        cells.rate.textContent = cells.p95.textContent = "—";
      }
    }),
  );
}

/** The create (`id` undefined) or edit form. */
export async function endpointForm(id) {
  const me = identity();
  show(main(), h("p", { class: "muted" }, "Loading…"));
  let existing = null, catalogue = [];
  try {
    [existing, catalogue] = await Promise.all([id ? api("GET", `/api/v1/webhooks/${id}`) : null, api("GET", "/api/v1/event-types").then((d) => d.items)]);
  } catch (error) {
    show(main(), errorBox(error));
    return;
  }
  const chosen = new Set(existing?.events ?? []);
  const input = (name, attrs = {}) => h("input", { name, id: `f-${name}`, "data-test": `f-${name}`, ...attrs });
  const name = input("name", { value: existing?.name ?? "", required: true, maxlength: 200 });
  const url = input("url", { value: existing?.url ?? "", required: true, type: "url", placeholder: "https://example.com/webhooks" });
  const description = input("description", { value: existing?.description ?? "" });
  const tenant = me.tenantId === null && !existing ? input("tenant_id", { type: "number", min: 1, placeholder: "the default tenant" }) : null;
  const pattern = input("resource_key_pattern", { value: existing?.resource_key_pattern ?? "", placeholder: "e.g. ^env-(prod|stage)-[0-9]+$", autocomplete: "off", spellcheck: "false" });
  const patternVerdict = h("div", { class: "verdict", "data-test": "pattern-verdict", "aria-live": "polite" });
  const associationType = h("select", { name: "association_type", "data-test": "f-association_type" },
    ["SYSTEM", "PROJECT", "REPO"].map((v) => h("option", { value: v, selected: (existing?.association_type ?? "SYSTEM") === v }, v)));
  const associationId = input("association_id", { value: existing?.association_id ?? "", placeholder: "project id, or project:repo" });
  const maxAttempts = input("max_attempts", { type: "number", min: 1, max: 50, value: existing?.max_attempts ?? "" , placeholder: "default" });
  const customType = input("custom_event", { placeholder: "prefix.* or * or an exact type" });
  const filter = h("textarea", { name: "filter", rows: 4, "data-test": "f-filter", placeholder: '{"data.env": "prod", "data.attempts": {"$gte": 3}}' },
    existing?.filter ? JSON.stringify(existing.filter, null, 2) : "");
  const rateLimit = input("rate_limit", { type: "number", min: 1, max: 100000, value: existing?.rate_limit ?? "", placeholder: "default" });
  const maxInFlight = input("max_in_flight", { type: "number", min: 1, max: 1000, value: existing?.max_in_flight ?? "", placeholder: "default" });
  const retrySchedule = input("retry_schedule", { value: existing?.retry_schedule?.join(", ") ?? "", placeholder: "default, or e.g. 10, 60, 600" });

  // Event types: the catalogue as checkboxes, plus anything typed (prefix.*, *).
  const chips = h("div", { class: "chips", "data-test": "chosen-events" });
  const renderChips = () =>
    show(chips, [...chosen].map((e) => h("span", { class: "chip" }, e, h("button", { type: "button", class: "chip-x", title: `remove ${e}`, onclick: () => (chosen.delete(e), sync()) }, "×"))),
      chosen.size ? null : h("span", { class: "hint" }, "none chosen: pick at least one"));
  const boxes = catalogue.map((t) =>
    h("label", { class: "check" }, h("input", { type: "checkbox", value: t.type, checked: chosen.has(t.type), "data-test": `event-${t.type}`, onchange: (e) => (e.target.checked ? chosen.add(t.type) : chosen.delete(t.type), sync()) }), " ", h("code", {}, t.type), " ", h("span", { class: "hint" }, t.description)));
  const sync = () => {
    renderChips();
    for (const box of boxes) box.querySelector("input").checked = chosen.has(box.querySelector("input").value);
  };
  renderChips();
  const addCustom = () => {
    const v = customType.value.trim();
    if (v) chosen.add(v);
    customType.value = "";
    sync();
  };

  // Custom headers: name/value rows.
  const headerRows = h("div", { class: "header-rows" });
  const addHeader = (k = "", v = "") =>
    headerRows.append(h("div", { class: "header-row" }, h("input", { placeholder: "Header-Name", value: k, class: "hk" }), h("input", { placeholder: "value", value: v, class: "hv" }),
      h("button", { type: "button", class: "btn small", onclick: (e) => e.target.closest(".header-row").remove() }, "Remove")));
  for (const [k, v] of Object.entries(existing?.headers ?? {})) addHeader(k, v);

  // The pattern, checked by the API while it is typed.
  let timer, generation = 0;
  const checkPattern = () => {
    clearTimeout(timer);
    const value = pattern.value;
    if (!value) return show(patternVerdict);
    timer = setTimeout(async () => {
      const mine = ++generation;
      try {
        const v = await api("POST", "/api/v1/patterns/validate", { resource_key_pattern: value });
        if (mine !== generation) return;
        if (v.valid) show(patternVerdict, h("span", { class: "ok-text" }, "✓ valid RE2 pattern"));
        else
          show(patternVerdict, h("span", { class: "error-text" }, h("strong", {}, v.error_code), " ", v.message),
            v.position ? h("pre", { class: "caret" }, `${value}\n${" ".repeat(Math.max(0, v.position - 1))}^`) : null);
      } catch (error) {
        if (mine === generation) show(patternVerdict, errorBox(error));
      }
    }, 250);
  };
  pattern.addEventListener("input", checkPattern);
  if (pattern.value) checkPattern();

  const errors = h("div", { "data-test": "form-errors" });
  const submit = h("button", { class: "btn primary", type: "submit", "data-test": "save" }, existing ? "Save changes" : "Create endpoint");
  const form = h(
    "form",
    {
      class: "form",
      onsubmit: async (e) => {
        e.preventDefault();
        addCustom();
        const headers = {};
        for (const row of headerRows.children) {
          const k = row.querySelector(".hk").value.trim();
          if (k) headers[k] = row.querySelector(".hv").value;
        }
        const body = {
          name: name.value.trim(), url: url.value.trim(), description: description.value, events: [...chosen],
          resource_key_pattern: pattern.value === "" ? null : pattern.value, headers,
          association_type: associationType.value, association_id: associationId.value.trim() || null,
        };
        if (maxAttempts.value) body.max_attempts = Number(maxAttempts.value);
        show(errors);
        if (filter.value.trim()) {
          try {
            body.filter = JSON.parse(filter.value);
          } catch {
            show(errors, h("p", { class: "error-text", "data-test": "filter-json" }, "The payload filter is not JSON."));
            return;
          }
        } else body.filter = null;
        body.rate_limit = rateLimit.value ? Number(rateLimit.value) : null;
        body.max_in_flight = maxInFlight.value ? Number(maxInFlight.value) : null;
        body.retry_schedule = retrySchedule.value.trim() ? retrySchedule.value.split(",").map((s) => Number(s.trim())) : null;
        if (tenant?.value) body.tenant_id = Number(tenant.value);
        show(errors);
        submit.disabled = true;
        try {
          const saved = existing ? await api("PATCH", `/api/v1/webhooks/${existing.webhook_id}`, body) : await api("POST", "/api/v1/webhooks", body);
          toast(existing ? "Endpoint saved" : "Endpoint created");
          if (!existing && saved.secret) sessionStorage.setItem(`webhooks.console.new-secret.${saved.webhook_id}`, saved.secret);
          location.hash = `#/endpoints/${saved.webhook_id}`;
        } catch (error) {
          show(errors, errorBox(error));
        } finally {
          submit.disabled = false;
        }
      },
    },
    field("Name", name),
    field("URL", url, "where events are POSTed; signed with the endpoint's secret"),
    tenant ? field("Tenant", tenant, "you sign in without a tenant: which tenant owns the endpoint (empty: the default tenant)") : null,
    field("Description", description),
    h("fieldset", {}, h("legend", {}, "Event types"), chips,
      h("div", { class: "inline" }, customType, h("button", { type: "button", class: "btn small", onclick: addCustom, "data-test": "add-event" }, "Add")),
      h("details", { open: !existing }, h("summary", {}, `Catalogue (${catalogue.length})`), h("div", { class: "catalogue" }, boxes))),
    field("Resource key pattern", pattern, "optional RE2 regular expression the event's resource key must match in full"),
    patternVerdict,
    h("fieldset", {}, h("legend", {}, "Association scope"), h("div", { class: "inline" }, associationType, associationId)),
    h("fieldset", {}, h("legend", {}, "Custom headers"), headerRows, h("button", { type: "button", class: "btn small", onclick: () => addHeader() }, "Add header")),
    field("Payload filter", filter, "optional JSON: conditions on the event's data and fields, e.g. $eq, $in, $gte, $regex, $or (see the README)"),
    field("Maximum attempts", maxAttempts, "1 to 50; empty keeps the default"),
    h("fieldset", {}, h("legend", {}, "Delivery policy (empty: the service's defaults)"),
      h("div", { class: "inline" }, field("Requests per second", rateLimit), field("In flight at once", maxInFlight)),
      field("Retry schedule", retrySchedule, "seconds before each retry, comma-separated")),
    errors,
    h("div", { class: "actions" }, submit, h("a", { class: "btn", href: existing ? `#/endpoints/${existing.webhook_id}` : "#/endpoints" }, "Cancel")),
  );
  show(main(), heading(existing ? `Edit ${existing.name}` : "New endpoint"), form);
  customType.addEventListener("keydown", (e) => {
    if (e.key === "Enter") (e.preventDefault(), addCustom());
  });
}
