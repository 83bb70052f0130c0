// The console's entry point: the token from a portal link, sign-in, the header, and the page for
// each address (#/endpoints, #/endpoints/12, #/tasks, ...).
import { api, identity, setToken, signIn, token, whenUnauthorized } from "./api.js";
import { endpointForm, endpointsPage } from "./endpoints.js";
import { endpointPage } from "./endpoint.js";
import { eventPage, eventTypesPage } from "./events.js";
import { jobsPage } from "./jobs.js";
import { portalPage } from "./portal.js";
import { tasksPage } from "./tasks.js";
import { errorBox, h, main, show } from "./ui.js";

/** A portal link carries its token in the fragment (never sent to a server): keep it, drop it from the address bar. */
function takeLinkToken() {
  const match = location.hash.match(/^#token=([^&]+)/);
  if (!match) return;
  setToken(decodeURIComponent(match[1]));
  history.replaceState(null, "", `${location.pathname}#/endpoints`);
}

let signInMessage = null;

function signOut(message) {
  setToken(null);
  signInMessage = message ?? null;
  if (location.hash !== "#/sign-in") location.hash = "#/sign-in";
  else route();
}

function header() {
  const me = identity();
  const top = document.getElementById("top");
  if (!me) return show(top, h("div", { class: "brand" }, "Webhooks"));
  const link = (href, label, test) => h("a", { href, "data-test": test, class: location.hash.startsWith(href) ? "current" : "" }, label);
  show(
    top,
    h("a", { class: "brand", href: "#/endpoints" }, "Webhooks"),
    h("nav", {},
      link("#/endpoints", "Endpoints", "nav-endpoints"),
      link("#/tasks", "Tasks", "nav-tasks"),
      link("#/events", "Events", "nav-events"),
      link("#/jobs", "Jobs", "nav-jobs"),
      link("#/event-types", "Event types", "nav-event-types"),
      me.role === "admin" && !me.portal ? link("#/portal-links", "Portal links", "nav-portal") : null),
    h("div", { class: "who", "data-test": "who" },
      h("span", { "data-test": "who-user" }, me.portal ? "portal link" : me.user),
      h("span", { class: "role", "data-test": "who-role" }, me.role),
      h("span", { "data-test": "who-tenant" }, me.tenantId === null ? "all tenants" : `tenant ${me.tenantId}`),
      h("button", { class: "btn small", "data-test": "sign-out", onclick: () => signOut("Signed out.") }, me.portal ? "Leave" : "Sign out")),
  );
}

function signInPage() {
  show(document.getElementById("top"), h("div", { class: "brand" }, "Webhooks"));
  const errors = h("div", { "data-test": "sign-in-errors" }, signInMessage ? h("p", { class: "notice" }, signInMessage) : null);
  signInMessage = null;
  const username = h("input", { name: "username", autocomplete: "username", required: true, "data-test": "username" });
  const password = h("input", { name: "password", type: "password", autocomplete: "current-password", required: true, "data-test": "password" });
  const submit = h("button", { class: "btn primary", "data-test": "sign-in" }, "Sign in");
  show(
    main(),
    h("form", {
      class: "sign-in card",
      onsubmit: async (e) => {
        e.preventDefault();
        submit.disabled = true;
        try {
          await signIn(username.value, password.value);
          location.hash = "#/endpoints";
        } catch (error) {
          show(errors, errorBox(error));
        } finally {
          submit.disabled = false;
        }
      },
    },
    h("h1", {}, "Sign in"),
    h("label", { class: "field" }, h("span", { class: "label" }, "Username"), username),
    h("label", { class: "field" }, h("span", { class: "label" }, "Password"), password),
    errors,
    submit,
    h("p", { class: "hint" }, "Same accounts and roles as the API. A portal link signs you in by itself.")),
  );
  username.focus();
}

/** Shows the page of the current address. */
async function route() {
  const hash = location.hash || "#/endpoints";
  const [path, search = ""] = hash.slice(1).split("?");
  const params = new URLSearchParams(search);
  const me = identity();
  if (!me || (me.expiresAt && me.expiresAt < new Date())) {
    if (me) return signOut("Your session has expired; sign in again.");
    return signInPage();
  }
  if (path === "/sign-in") {
    location.hash = "#/endpoints";
    return;
  }
  header();
  const parts = path.split("/").filter(Boolean);
  try {
    if (parts[0] === "endpoints" && parts.length === 1) return await endpointsPage(params);
    if (parts[0] === "endpoints" && parts[1] === "new") return await endpointForm();
    if (parts[0] === "endpoints" && parts[2] === "edit") return await endpointForm(parts[1]);
    if (parts[0] === "endpoints") return await endpointPage(parts[1], params);
    if (parts[0] === "tasks") return await tasksPage(params);
    if (parts[0] === "event-types") return await eventTypesPage();
    if (parts[0] === "jobs") return await jobsPage(params);
    if (parts[0] === "events") return await eventPage(parts[1] ? decodeURIComponent(parts[1]) : null, params);
    if (parts[0] === "portal-links") return await portalPage();
    show(main(), h("h1", {}, "Not found"), h("p", {}, "No such page. ", h("a", { href: "#/endpoints" }, "Go to the endpoints.")));
  } catch (error) {
    show(main(), errorBox(error));
  }
}

whenUnauthorized((error) => {
  const portal = identity()?.portal;
  signOut(portal ? `This portal link no longer works (${error.code}): ${error.message}` : `Signed out (${error.code}): ${error.message}`);
});
takeLinkToken();
window.addEventListener("hashchange", () => {
  takeLinkToken();
  route();
});
route();
