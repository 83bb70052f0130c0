// Small DOM helpers shared by the pages: element building, tables, paging, messages, formatting.

/**
 * Builds an element: h("a", { href: "#/x", class: "btn" }, "text", child, ...). Attributes starting with
 * "on" are event listeners; text is always inserted as text, never as HTML.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
    else if (k === "dataset") Object.assign(el.dataset, v);
    else if (v === true) el.setAttribute(k, "");
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replaces the content of `el` with `children`. */
export function show(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** The main area of the page. */
export const main = () => document.getElementById("main");

/** A short message at the bottom of the screen; `kind` is "ok" or "error". */
export function toast(text, kind = "ok") {
  const el = document.getElementById("toast");
  show(el, h("div", { class: `toast ${kind}`, "data-test": "toast" }, text));
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => el.replaceChildren(), 6000);
}

/** An API error in words, with its stable code. */
export function errorBox(error) {
  const code = error?.code ?? "E_UNKNOWN";
  return h("div", { class: "error", role: "alert", "data-test": "error" }, h("strong", {}, code), " ", error?.message ?? String(error));
}

/** Runs `action` with `button` disabled; shows a failure as a toast and returns undefined. */
export async function busy(button, action) {
  if (button) button.disabled = true;
  try {
    return await action();
  } catch (error) {
    toast(`${error.code ?? "E_UNKNOWN"}: ${error.message}`, "error");
    return undefined;
  } finally {
    if (button) button.disabled = false;
  }
}

/** A table of `rows` with `columns`: [{ title, cell: row => node|text, class }]. */
export function table(columns, rows, { empty = "Nothing here yet.", testId } = {}) {
  if (!rows.length) return h("p", { class: "empty", "data-test": testId ? `${testId}-empty` : "empty" }, empty);
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      { "data-test": testId },
      h("thead", {}, h("tr", {}, columns.map((c) => h("th", { class: c.class }, c.title)))),
      h("tbody", {}, rows.map((r) => h("tr", {}, columns.map((c) => h("td", { class: c.class, "data-label": c.title }, c.cell(r)))))),
    ),
  );
}

/** Previous/next links for the canonical pagination object; `go(page)` loads another page. */
export function pager(pagination, go) {
  if (!pagination || pagination.total_pages <= 1) return h("div", { class: "pager" }, pagination ? `${pagination.total} in all` : "");
  const { page, total_pages, total } = pagination;
  return h(
    "div",
    { class: "pager", "data-test": "pager" },
    h("button", { class: "btn small", disabled: page <= 1, onclick: () => go(page - 1) }, "‹ Previous"),
    h("span", {}, `page ${page} of ${total_pages} · ${total} in all`),
    h("button", { class: "btn small", disabled: page >= total_pages, onclick: () => go(page + 1) }, "Next ›"),
  );
}

/** A status badge: active, disabled, auto-disabled, success, failed, pending, retry, cancelled. */
export function badge(status) {
  return h("span", { class: `badge ${String(status).replace(/[^a-z-]/g, "")}`, "data-test": "status" }, status);
}

/** A time as local date and time, with the UTC value as a tooltip. */
export function when(iso) {
  if (!iso) return "—";
  const d = new Date(iso);
  return h("time", { datetime: iso, title: iso }, d.toLocaleString());
}

/** A percentage of a 0..1 rate, or a dash. */
export function percent(rate) {
  return rate === null || rate === undefined ? "—" : `${(rate * 100).toFixed(rate === 1 ? 0 : 1)} %`;
}

/** Milliseconds, or a dash. */
export function ms(value) {
  return value === null || value === undefined ? "—" : `${Math.round(value)} ms`;
}

/** Pretty JSON when `text` is JSON, else the text itself. */
export function pretty(text) {
  if (text === null || text === undefined) return "";
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return String(text);
  }
}

/** Header name/value pairs as a definition list. */
export function headerList(headers) {
  const names = Object.keys(headers ?? {}).sort();
  if (!names.length) return h("p", { class: "muted" }, "no headers");
  return h("dl", { class: "headers" }, names.map((n) => [h("dt", {}, n), h("dd", {}, headers[n])]));
}

/** A labelled form field around `input`. */
export function field(label, input, hint) {
  return h("label", { class: "field" }, h("span", { class: "label" }, label), input, hint ? h("span", { class: "hint" }, hint) : null);
}

/** A page title with optional actions on the right. */
export function heading(title, ...actions) {
  return h("div", { class: "heading" }, h("h1", {}, title), h("div", { class: "actions" }, actions));
}
