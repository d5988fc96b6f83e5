// The candidate's answers on this device: each change gets a newer seq and
// is kept in localStorage at once, so a reload, crash or lost network loses
// nothing. Unacknowledged answers are sent batched and debounced, retried
// with backoff, jitter and Retry-After.

import { request, backoff } from "./api.js";

const DEBOUNCE_MS = 700;

export class SaveQueue {
  /**
   * @param {string} attempt
   * @param {object} hooks getToken(), onState(state, waiting), onTime(save
   *   answer), onClosed(error), onUnauthorized(error), onRejected(error)
   */
  constructor(attempt, hooks) {
    this.attempt = attempt;
    this.hooks = hooks;
    this.key = "examhall.answers." + attempt;
    this.answers = {}; // question -> {response, seq, acked}: acked is the newest seq the server acknowledged
    this.failures = 0;
    this.timer = 0;
    this.sending = null;
    this.stopped = false;
    try {
      this.answers = JSON.parse(localStorage.getItem(this.key)) || {};
    } catch { this.answers = {}; }
    // Answers queued by an older page (only the unsaved ones were kept).
    const old = "examhall.pending." + attempt;
    try {
      for (const [q, p] of Object.entries(JSON.parse(localStorage.getItem(old)) || {})) {
        if (!this.answers[q] || this.answers[q].seq < p.seq) this.answers[q] = { response: p.response, seq: p.seq, acked: 0 };
      }
      localStorage.removeItem(old);
    } catch { /* nothing to take over */ }
    this.onOnline = () => this.flushSoon(0);
    this.onOffline = () => this.report();
    addEventListener("online", this.onOnline);
    addEventListener("offline", this.onOffline);
  }

  /**
   * merge keeps, per question, the newer of the server's answer and this
   * device's, and returns the responses to show. With fresh (the paper is
   * the server's now) newer answers of this device are sent again.
   */
  merge(answers, fresh) {
    for (const [q, a] of Object.entries(answers || {})) {
      const mine = this.answers[q];
      // At the same seq the server's copy is the one kept (another device
      // may have used that seq first).
      if (!mine || a.seq >= mine.seq) this.answers[q] = { response: a.response, seq: a.seq, acked: a.seq };
      else if (fresh) mine.acked = Math.min(mine.acked, a.seq);
    }
    this.persist();
    return Object.fromEntries(Object.entries(this.answers).map(([q, a]) => [q, a.response]));
  }

  /** put records a new response for question q and queues it. */
  put(q, response) {
    const a = this.answers[q] || { seq: 0, acked: 0 };
    this.answers[q] = { response, seq: a.seq + 1, acked: a.acked };
    this.persist();
    this.report();
    this.flushSoon(DEBOUNCE_MS);
  }

  /** pending lists the questions whose answer the server has not acknowledged. */
  pending() { return Object.keys(this.answers).filter((q) => this.answers[q].seq > this.answers[q].acked); }

  get waiting() { return this.pending().length; }

  /** batch returns the unacknowledged answers in the API's shape. */
  batch() {
    return this.pending().map((question) => ({ question, response: this.answers[question].response, seq: this.answers[question].seq }));
  }

  persist() {
    try {
      localStorage.setItem(this.key, JSON.stringify(this.answers));
    } catch { /* storage full or blocked: the server copy still follows */ }
  }

  /** acknowledge records what the server holds: the seq it reports, or newer. */
  acknowledge(saved) {
    for (const s of saved || []) {
      const a = this.answers[s.question];
      if (a) a.acked = Math.max(a.acked, Math.min(s.seq, a.seq));
    }
    this.persist();
  }

  flushSoon(ms) {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), ms);
  }

  /** flush sends what is queued; it resolves when the queue is empty or a send failed. */
  async flush() {
    if (this.stopped) return;
    if (this.sending) return this.sending;
    clearTimeout(this.timer);
    if (!this.waiting) { this.report(); return; }
    this.state = "saving";
    this.report();
    this.sending = this.send().finally(() => { this.sending = null; });
    return this.sending;
  }

  async send() {
    const answers = this.batch();
    try {
      const res = await request("PUT", `/api/v1/attempts/${encodeURIComponent(this.attempt)}/answers`,
        { token: this.hooks.getToken(), body: { answers } });
      this.failures = 0;
      this.state = "";
      this.acknowledge(res.saved);
      this.hooks.onTime && this.hooks.onTime(res);
      this.report();
      if (this.waiting) this.flushSoon(0); // changed while sending
    } catch (e) {
      this.fail(e);
    }
  }

  fail(e) {
    if (e.code === "attempt_closed") { this.state = "closed"; this.report(); this.hooks.onClosed(e); return; }
    if (e.status === 401) { this.state = "signed-out"; this.report(); this.hooks.onUnauthorized(e); return; }
    if (e.status === 400 || e.status === 413 || e.code === "section_closed") {
      // The server refused the batch as it is: stop sending what it can never accept.
      // The next load shows the server's copy of those answers again.
      for (const q of this.pending()) delete this.answers[q];
      this.persist();
      this.state = "";
      this.report();
      this.hooks.onRejected(e);
      return;
    }
    this.state = e.status === 0 || !navigator.onLine ? "offline" : "retrying";
    this.report();
    this.flushSoon(backoff(this.failures++, e.retryAfter));
  }

  report() {
    let state = this.state || "";
    if (!navigator.onLine) state = this.waiting ? "offline" : "offline-saved";
    if (!state) state = this.waiting ? "unsaved" : "saved";
    this.hooks.onState(state, this.waiting);
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    removeEventListener("online", this.onOnline);
    removeEventListener("offline", this.onOffline);
  }

  /** clear forgets the answers (after a submit took them). */
  clear() {
    this.answers = {};
    localStorage.removeItem(this.key);
  }
}
