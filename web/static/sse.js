// Server-sent events over fetch: EventSource cannot send an Authorization
// header, so the staff console reads the stream itself.

import { backoff } from "./api.js";

/**
 * subscribe reads url's event stream with a bearer token, calling
 * onEvent(name, data) per event and onState("live" | "reconnecting" |
 * "error", detail). It reconnects with backoff until signal aborts;
 * a 401/403/404 stops it.
 */
export async function subscribe(url, token, signal, onEvent, onState) {
  for (let n = 0; !signal.aborted; n++) {
    let retry = 0;
    try {
      const resp = await fetch(url, { headers: { Authorization: "Bearer " + token, Accept: "text/event-stream" }, signal, cache: "no-store" });
      if (!resp.ok) {
        let msg = "The server answered " + resp.status + ".";
        try { msg = (await resp.json()).error.message; } catch { /* keep */ }
        if (resp.status === 401 || resp.status === 403 || resp.status === 404) { onState("error", msg); return; }
        retry = parseInt(resp.headers.get("Retry-After") || "0", 10);
        throw new Error(msg);
      }
      n = 0;
      onState("live");
      const reader = resp.body.pipeThrough(new TextDecoderStream()).getReader();
      let buf = "", event = "message", data = [];
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += value;
        let i;
        while ((i = buf.indexOf("\n")) >= 0) {
          const line = buf.slice(0, i).replace(/\r$/, "");
          buf = buf.slice(i + 1);
          if (line === "") {
            if (data.length) onEvent(event, data.join("\n"));
            event = "message";
            data = [];
          } else if (line.startsWith("event:")) event = line.slice(6).trim();
          else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
        }
      }
    } catch (e) {
      if (signal.aborted) return;
    }
    onState("reconnecting");
    await new Promise((r) => setTimeout(r, n === 0 ? 500 : backoff(n, retry)));
  }
}
