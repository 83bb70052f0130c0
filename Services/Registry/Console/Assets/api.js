// The console's only way to the server: the canonical JSON API of this origin, with the signed-in
// person's token. Errors become ApiError with the API's stable code and message.

const TOKEN_KEY = "webhooks.console.token";

/** An error answered by the API (or the network), with its stable code. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** The stored token, or null. Kept per browser tab (sessionStorage): closing the tab signs out. */
export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value) {
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/**
 * Who the token speaks for, read from its claims for display only (the API decides what is allowed):
 * { user, role, tenantId, portal, expiresAt }.
 */
export function identity() {
  const t = token();
  if (!t) return null;
  try {
    const part = t.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const claims = JSON.parse(atob(part + "=".repeat((4 - (part.length % 4)) % 4)));
    return {
      user: claims.sub,
      role: claims.role,
      tenantId: claims.tenant_id ?? null,
      portal: Boolean(claims.sid),
      expiresAt: claims.exp ? new Date(claims.exp * 1000) : null,
    };
  } catch {
    return null;
  }
}

/** Called when the API answers 401: the page goes back to sign-in with the message. */
let onUnauthorized = () => {};
export function whenUnauthorized(handler) {
  onUnauthorized = handler;
}

/**
 * Calls the API; resolves to the envelope's `data` (or null for 204), rejects with ApiError.
 * @param {string} method
 * @param {string} path  e.g. "/api/v1/webhooks?page=2"
 * @param {object} [body]
 */
export async function api(method, path, body) {
  const headers = { Accept: "application/json" };
  const t = token();
  if (t) headers.Authorization = `Bearer ${t}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, "E_NETWORK", "the server could not be reached; check that the registry is running");
  }
  if (response.status === 204) return null;
  let payload = null;
  try {
    payload = await response.json();
  } catch {
    payload = null;
  }
  if (!response.ok) {
    const code = typeof payload?.code === "string" ? payload.code : `HTTP_${response.status}`;
    const message = payload?.message ?? response.statusText ?? "request failed";
    const error = new ApiError(response.status, code, message);
    if (response.status === 401 && t) onUnauthorized(error);
    throw error;
  }
  return payload && "data" in payload ? payload.data : payload;
}

/** Signs in with username and password; stores the token. */
export async function signIn(username, password) {
  const result = await api("POST", "/api/auth/login", { username, password });
  setToken(result.access_token);
  return result;
}

/** A query string of the non-empty values of `params`. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : "";
}
