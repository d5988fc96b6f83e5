// The examhall HTTP API as the pages use it.

/** An error answer of the API, or a network failure (status 0). */
export class ApiError extends Error {
  constructor(status, code, message, retryAfter) {
    super(message);
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter; // seconds, or 0
  }
  /** Whether the request may succeed if simply sent again later. */
  get retryable() {
    return this.status === 0 || this.status === 429 || this.status === 503 || this.status >= 500;
  }
}

/**
 * request sends a JSON request and returns the decoded answer; it throws
 * ApiError on an error answer or when the network fails.
 */
export async function request(method, path, { token, body, accept, signal } = {}) {
  const headers = { Accept: accept || "application/json" };
  if (token) headers.Authorization = "Bearer " + token;
  const blob = typeof Blob !== "undefined" && body instanceof Blob;
  if (body !== undefined) headers["Content-Type"] = blob ? body.type || "application/octet-stream" : "application/json";
  let resp;
  try {
    resp = await fetch(path, {
      method, headers, signal, cache: "no-store",
      body: body === undefined ? undefined : (typeof body === "string" || blob ? body : JSON.stringify(body)),
    });
  } catch (e) {
    if (e.name === "AbortError") throw e;
    throw new ApiError(0, "network", "The server cannot be reached.", 0);
  }
  if (resp.ok) {
    if (accept && accept !== "application/json") return resp.text();
    return resp.json();
  }
  let code = "http_" + resp.status, message = "The server answered " + resp.status + ".";
  try {
    const e = (await resp.json()).error;
    if (e && e.code) ({ code, message } = e);
  } catch { /* not JSON: keep the generic message */ }
  throw new ApiError(resp.status, code, message, parseInt(resp.headers.get("Retry-After") || "0", 10) || 0);
}

/** backoff returns the wait in ms before retry number n (0-based): exponential with full jitter, honouring Retry-After. */
export function backoff(n, retryAfter) {
  const cap = Math.min(30000, 1000 * 2 ** Math.min(n, 5));
  const wait = cap / 2 + Math.random() * cap / 2;
  return Math.max(wait, (retryAfter || 0) * 1000 + Math.random() * 500);
}

/** $ finds an element by id. */
export const $ = (id) => document.getElementById(id);

/** el builds an element: el("td", {class: "x"}, "text", child). */
export function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === false || v == null) continue;
    if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (k === "text") e.textContent = v;
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children) if (c != null) e.append(c);
  return e;
}

/** show makes one of the views visible and hides the others. */
export function show(id, views) {
  for (const v of views) $(v).hidden = v !== id;
}

/** fmtTime formats an RFC 3339 time for people, in their time zone, with its UTC offset. */
export function fmtTime(t) {
  const d = new Date(t);
  return isNaN(d) ? "" : d.toLocaleString(undefined, { year: "numeric", month: "short", day: "numeric", hour: "numeric", minute: "2-digit", second: "2-digit", timeZoneName: "shortOffset" });
}

/** download offers text as a file. */
export function download(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = el("a", { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
