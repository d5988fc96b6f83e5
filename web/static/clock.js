// The server's clock for a page that saves nothing: staff may give more
// time or close the exam meanwhile (docs/examday.md). The page asks every
// 15 to 25 s while it is visible and no save answered in the last 15 s,
// and at once when it becomes visible again. Loaded once the exam shows.

import { request } from "./api.js";

/**
 * watch asks GET /api/v1/attempts/{attempt}/clock for o.attempt and hands
 * each answer to o.onClock; o.synced() is when the server last told the
 * time, o.active() whether to go on asking. It returns {stop}.
 */
export function watch(o) {
  let timer = 0, stopped = false;
  const next = () => {
    clearTimeout(timer);
    if (!stopped) timer = setTimeout(check, 15000 + Math.random() * 10000);
  };
  async function check(now) {
    clearTimeout(timer);
    if (stopped || !o.active()) return;
    if (document.visibilityState !== "hidden" && (now || Date.now() - o.synced() >= 15000)) {
      try {
        const res = await request("GET", `/api/v1/attempts/${encodeURIComponent(o.attempt)}/clock`, { token: o.token() });
        if (stopped) return;
        o.onClock(res);
      } catch (e) {
        if (e.status === 401 && !stopped) { o.onUnauthorized(e); return; }
        // Busy or offline: the next turn asks again.
      }
    }
    next();
  }
  const visible = () => { if (document.visibilityState === "visible") check(true); };
  document.addEventListener("visibilitychange", visible);
  next();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener("visibilitychange", visible);
    },
  };
}
