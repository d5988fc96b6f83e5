// The candidate's save queue: every change gets a newer seq, is written to
// localStorage at once (so a reload, a crash or a lost network loses
// nothing) and is sent to the server, batched and debounced. A batch leaves
// the queue only when the server acknowledged it; failures are retried with
// exponential backoff and jitter, honouring Retry-After.

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
    this.key = "examhall.pending." + attempt;
    this.pending = {}; // question -> {response, seq}
    this.seqs = {}; // question -> highest seq known
    this.failures = 0;
    this.timer = 0;
    this.sending = null;
    this.stopped = false;
    try {
      this.pending = JSON.parse(localStorage.getItem(this.key)) || {};
    } catch { this.pending = {}; }
    for (const [q, p] of Object.entries(this.pending)) this.seqs[q] = p.seq;
    this.onOnline = () => this.flushSoon(0);
    this.onOffline = () => this.report();
    addEventListener("online", this.onOnline);
    addEventListener("offline", this.onOffline);
  }

  /** known records the seqs of answers the server already holds. */
  known(answers) {
    for (const [q, a] of Object.entries(answers || {})) {
      this.seqs[q] = Math.max(this.seqs[q] || 0, a.seq);
      const p = this.pending[q];
      if (p && p.seq <= a.seq) delete this.pending[q];
    }
    this.persist();
  }

  /** put queues a new response for question q. */
  put(q, response) {
    const seq = (this.seqs[q] || 0) + 1;
    this.seqs[q] = seq;
    this.pending[q] = { response, seq };
    this.persist();
    this.report();
    this.flushSoon(DEBOUNCE_MS);
  }

  get waiting() { return Object.keys(this.pending).length; }

  /** batch returns the queued answers in the API's shape. */
  batch() {
    return Object.entries(this.pending).map(([question, p]) => ({ question, response: p.response, seq: p.seq }));
  }

  persist() {
    try {
      if (this.waiting) localStorage.setItem(this.key, JSON.stringify(this.pending));
      else localStorage.removeItem(this.key);
    } catch { /* storage full or blocked: the server copy still follows */ }
  }

  /** acknowledge drops the answers the server holds at seq or newer. */
  acknowledge(saved) {
    for (const s of saved || []) {
      this.seqs[s.question] = Math.max(this.seqs[s.question] || 0, s.seq);
      const p = this.pending[s.question];
      if (p && p.seq <= s.seq) delete this.pending[s.question];
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
      // The server refused the batch as it is: keep nothing it can never accept.
      this.pending = {};
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
    if (!navigator.onLine && this.waiting) state = "offline";
    if (!state) state = this.waiting ? "unsaved" : "saved";
    this.hooks.onState(state, this.waiting);
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    removeEventListener("online", this.onOnline);
    removeEventListener("offline", this.onOffline);
  }

  /** clear forgets everything queued (after a submit took it). */
  clear() {
    this.pending = {};
    this.persist();
  }
}
