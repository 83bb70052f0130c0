// Portal links: short-lived, revocable links that open this console for one tenant, without a password.
import { api, identity } from "./api.js";
import { badge, busy, errorBox, field, h, heading, main, show, table, toast, when } from "./ui.js";

/** `#/portal-links` */
export async function portalPage() {
  const me = identity();
  const created = h("div", { "data-test": "portal-created" });
  const tenant = me.tenantId === null ? h("input", { name: "tenant_id", type: "number", min: 1, required: true, "data-test": "portal-tenant" }) : null;
  const ttl = h("select", { name: "ttl", "data-test": "portal-ttl" }, [[900, "15 minutes"], [3600, "1 hour"], [86400, "1 day"]].map(([v, l]) => h("option", { value: v, selected: v === 3600 }, l)));
  const role = h("select", { name: "role", "data-test": "portal-role" }, h("option", { value: "admin" }, "can manage endpoints"), h("option", { value: "viewer" }, "read only"));
  const list = h("div", {});
  const form = h(
    "form",
    {
      class: "form",
      onsubmit: (e) => {
        e.preventDefault();
        busy(e.submitter, async () => {
          const body = { ttl_seconds: Number(ttl.value), role: role.value };
          if (tenant) body.tenant_id = Number(tenant.value);
          const s = await api("POST", "/api/v1/portal-sessions", body);
          const url = new URL(s.url, location.origin).toString();
          show(created, h("div", { class: "card" },
            h("p", {}, `A link for tenant ${s.tenant_id}, valid until `, when(s.expires_at), ". Anyone with it acts as this tenant's ", s.role, "; it is shown once."),
            h("input", { class: "link", readonly: true, value: url, "data-test": "portal-url", onfocus: (ev) => ev.target.select() }),
            h("button", { type: "button", class: "btn small", onclick: () => navigator.clipboard?.writeText(url).then(() => toast("Link copied")) }, "Copy")));
          load();
        });
      },
    },
    tenant ? field("Tenant", tenant) : null,
    field("Valid for", ttl),
    field("Access", role),
    h("div", { class: "actions" }, h("button", { class: "btn primary", "data-test": "create-portal-link" }, "Create link")),
  );
  const load = async () => {
    try {
      const { items } = await api("GET", "/api/v1/portal-sessions");
      show(list, table(
        [
          { title: "Tenant", cell: (s) => s.tenant_id },
          { title: "Access", cell: (s) => s.role },
          { title: "Created", cell: (s) => h("span", {}, when(s.created_at), ` by ${s.created_by}`) },
          { title: "Expires", cell: (s) => when(s.expires_at) },
          { title: "State", cell: (s) => badge(s.active ? "active" : s.revoked_at ? "revoked" : "expired") },
          { title: "", cell: (s) => (s.active ? h("button", { class: "btn small danger", "data-test": "revoke", onclick: (e) => busy(e.target, async () => { await api("DELETE", `/api/v1/portal-sessions/${s.id}`); toast("Link revoked"); load(); }) }, "Revoke") : "") },
        ],
        items,
        { testId: "portal-links", empty: "No portal links yet." },
      ));
    } catch (error) {
      show(list, errorBox(error));
    }
  };
  show(
    main(),
    heading("Portal links"),
    h("p", { class: "hint" }, "A portal link opens this console for one tenant's endpoints and logs, without a password — for your own customers. It expires on its own and can be revoked here at any time."),
    form,
    created,
    h("h2", {}, "Links"),
    list,
  );
  load();
}
