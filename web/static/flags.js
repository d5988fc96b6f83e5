// Review flags kept on the server (PUT /api/v1/attempts/{attempt}/flags),
// so that another device shows them. Each flag has a seq, the time it was
// set on this device; the newer of the server's and the device's wins, and
// flags the server has not confirmed are sent again, as answers are.

import { request } from "./api.js";

/**
 * open merges the server's flags (the paper's `review`) with this
 * device's and returns {flags: Set, set(question, on)}; token() gives the
 * session's token.
 */
export function open(attempt, review, token) {
  const key = "examhall.flagseq." + attempt;
  let mine = {};
  try { mine = JSON.parse(localStorage.getItem(key) || "{}"); } catch { /* none kept */ }
  const server = { ...(review || {}) };
  for (const [q, f] of Object.entries(server)) if (!mine[q] || f.seq >= mine[q].seq) mine[q] = f;
  let sending = false;
  const keep = () => { try { localStorage.setItem(key, JSON.stringify(mine)); } catch { /* the server has them */ } };
  async function send() {
    const out = Object.entries(mine).filter(([q, f]) => !server[q] || server[q].seq < f.seq)
      .map(([q, f]) => ({ question: q, review: f.review, seq: f.seq }));
    if (!out.length || sending) return;
    sending = true;
    try {
      await request("PUT", `/api/v1/attempts/${encodeURIComponent(attempt)}/flags`, { token: token(), body: { flags: out } });
      for (const f of out) server[f.question] = f;
    } catch { /* offline or busy: sent again with the next flag or reload */ }
    sending = false;
  }
  keep();
  send();
  return {
    flags: new Set(Object.keys(mine).filter((q) => mine[q].review)),
    set(q, on) {
      mine[q] = { review: on, seq: Math.max(Date.now(), (mine[q] ? mine[q].seq : 0) + 1) };
      keep();
      send();
    },
  };
}
