// The computer-based-test mode of the candidate's page, for exams with
// sections: section tabs, one question at a time, the five-state palette
// with its legend and counts, "Save & Next", "Mark for review & Next",
// "Clear response", a clock per timed section and a summary by section
// before submitting. Review flags and visited questions are kept by the
// server (PUT .../flags, PUT .../visited), so they follow the candidate to
// another device; the section windows are the server's too.

import { request, backoff, $, el } from "./api.js";
import { readResponse, setResponse, isAnswered } from "./questions.js";

// ---- MESSAGES: every text this module shows, by key, in English. ----
// One place, so that they can move into the page's message catalogues:
// the keys ("cbt.…") and {name} placeholders are those of t(), which
// msg() stands in for.
export const MESSAGES = {
  "cbt.state.not_visited": "Not visited",
  "cbt.state.not_answered": "Not answered",
  "cbt.state.answered": "Answered",
  "cbt.state.marked": "Marked for review",
  "cbt.state.answered_marked": "Answered and marked for review",
  "cbt.legend.graded": "Answered and marked for review: will be evaluated.",
  "cbt.legend.not_graded": "Answered and marked for review: will not be evaluated.",
  "cbt.palette.label": "Questions of {section}",
  "cbt.palette.question": "Question {n}: {state}",
  "cbt.tabs.label": "Sections",
  "cbt.tab.closed": "{title} (closed)",
  "cbt.tab.upcoming": "{title} (not open yet)",
  "cbt.button.save_next": "Save & Next",
  "cbt.button.mark_next": "Mark for review & Next",
  "cbt.button.clear": "Clear response",
  "cbt.button.previous": "Previous",
  "cbt.button.finish_section": "Finish section",
  "cbt.button.cancel": "Keep working",
  "cbt.section.clock": "{section}: {time} left",
  "cbt.section.closed": "This section is closed: its answers can no longer change.",
  "cbt.section.upcoming": "This section has not opened yet.",
  "cbt.section.confirm_finish": "Finish {section}? You will not be able to change its answers.",
  "cbt.section.now_open": "{section} is open now.",
  "cbt.section.time_up": "Time is up for {section}.",
  "cbt.section.answer_any": "Answer any {n} of these {m} questions: {rule}.",
  "cbt.rule.best": "the {n} that score most count",
  "cbt.rule.first": "the first {n} answered count",
  "cbt.marking.scheme": "Marking: {correct} for a right answer, {wrong} for a wrong one, {unanswered} if not answered.",
  "cbt.marking.fraction": "{fraction}% of the question's points",
  "cbt.summary.caption": "Your answers, section by section",
  "cbt.summary.section": "Section",
  "cbt.summary.total": "Total",
  "cbt.flag.failed": "Your review mark could not be saved yet; it will be retried.",
};

/** msg returns the text of key with {name} replaced from vars. */
export function msg(key, vars) {
  return (MESSAGES[key] || key).replace(/\{(\w+)\}/g, (m, k) => (vars && k in vars ? String(vars[k]) : m));
}

const STATES = ["not_visited", "not_answered", "answered", "marked", "answered_marked"];

/**
 * CBT drives the paper of an exam with sections. ctx: {paper, form,
 * queue, token(), onPaper(p) (a fresh paper from the server), alert(text)}.
 */
export class CBT {
  constructor(ctx) {
    this.ctx = ctx;
    this.paper = ctx.paper;
    this.num = new Map(this.paper.questions.map((q, i) => [q.id, i + 1]));
    this.byId = new Map(this.paper.questions.map((q) => [q.id, q]));
    this.visited = new Set(this.paper.visited || []);
    this.review = { ...(this.paper.review || {}) };
    this.unsentVisits = new Set();
    this.section = this.paper.current_section || this.firstOpen();
    this.current = null;
    this.timer = 0;
    this.build();
    this.open(this.section);
    this.timer = setInterval(() => this.tick(), 1000);
  }

  /** stop ends the clock and takes the mode's controls off the page. */
  stop() {
    clearInterval(this.timer);
    for (const e of [this.tabs, this.clock, this.info, this.actions]) e.remove();
    this.ctx.form.classList.remove("cbt");
  }

  /** redraw follows the paper drawn again (in another language): the question on screen stays. */
  redraw() { this.show(this.current); }

  sec(id) { return this.paper.sections.find((s) => s.id === id); }
  title(s) { return s.title || s.id; }
  firstOpen() { return (this.paper.sections.find((s) => s.state === "open") || this.paper.sections[0]).id; }
  now() { return Date.now() + (this.ctx.offset() || 0); }

  /** build adds the tabs, the actions and the palette's frame to the page. */
  build() {
    const form = this.ctx.form;
    form.classList.add("cbt");
    this.tabs = el("div", { class: "section-tabs", role: "tablist", "aria-label": msg("cbt.tabs.label") });
    this.info = el("div", { class: "section-info", "aria-live": "polite" });
    this.clock = el("p", { class: "section-clock", role: "timer", "aria-live": "off", hidden: true });
    form.before(this.tabs, this.clock, this.info);
    this.actions = el("div", { class: "cbt-actions" },
      el("button", { type: "button", "data-act": "previous", onclick: () => this.step(-1) }, msg("cbt.button.previous")),
      el("button", { type: "button", "data-act": "clear", onclick: () => this.clear() }, msg("cbt.button.clear")),
      el("button", { type: "button", "data-act": "mark", onclick: () => this.markNext() }, msg("cbt.button.mark_next")),
      el("button", { type: "button", "data-act": "save", class: "primary", onclick: () => this.saveNext() }, msg("cbt.button.save_next")),
      el("button", { type: "button", "data-act": "finish", hidden: true, onclick: () => this.finish() }, msg("cbt.button.finish_section")));
    form.after(this.actions);
    const legend = document.querySelector("#navigator .legend");
    if (legend) {
      legend.replaceChildren(...STATES.map((s) => el("span", { class: "legend-item" }, el("span", { class: "chip " + s, "aria-hidden": "true" }), " ", msg("cbt.state." + s))),
        el("span", { class: "legend-item" }, msg(this.paper.exam.grade_marked_for_review ? "cbt.legend.graded" : "cbt.legend.not_graded")));
    }
  }

  /** stateOf returns the palette state of question id. */
  stateOf(id) {
    const marked = this.review[id] && this.review[id].review;
    const done = this.answered(id);
    if (marked) return done ? "answered_marked" : "marked";
    if (done) return "answered";
    return this.visited.has(id) ? "not_answered" : "not_visited";
  }

  answered(id) {
    const box = this.ctx.form.querySelector(`[data-question="${CSS.escape(id)}"]`);
    return !!box && isAnswered(readResponse(box, this.byId.get(id)).value);
  }

  counts(s) {
    const c = Object.fromEntries(STATES.map((k) => [k, 0]));
    for (const id of s.questions) c[this.stateOf(id)]++;
    return c;
  }

  /** open shows section id at its first question not answered (or the one given). */
  open(id, question) {
    const s = this.sec(id);
    if (!s) return;
    this.section = id;
    const first = question || s.questions.find((q) => !this.answered(q)) || s.questions[0];
    this.show(first);
  }

  /** show makes question id the one on screen and records the visit. */
  show(id) {
    this.current = id;
    const s = this.sec(this.byId.get(id).section);
    this.section = s.id;
    for (const box of this.ctx.form.querySelectorAll("[data-question]")) box.hidden = box.dataset.question !== id;
    const locked = s.state !== "open";
    for (const i of this.ctx.form.querySelectorAll(`[data-question="${CSS.escape(id)}"] :is(input, textarea, select, button)`)) i.disabled = locked;
    if (!locked) this.visit(id);
    this.render();
  }

  visit(id) {
    if (this.visited.has(id) && !this.unsentVisits.size) return;
    this.visited.add(id);
    this.unsentVisits.add(id);
    const qs = [...this.unsentVisits];
    request("PUT", `/api/v1/attempts/${encodeURIComponent(this.paper.attempt)}/visited`, { token: this.ctx.token(), body: { questions: qs } })
      .then(() => qs.forEach((q) => this.unsentVisits.delete(q)))
      .catch((e) => { if (!e.retryable) qs.forEach((q) => this.unsentVisits.delete(q)); });
  }

  /** render draws the tabs, the section's instructions, the palette and the actions. */
  render() {
    const now = this.now();
    this.tabs.replaceChildren(...this.paper.sections.map((s) => {
      const selectable = s.state === "open" || (s.state === "closed" && s.navigation !== "forward_only");
      const label = s.state === "closed" ? msg("cbt.tab.closed", { title: this.title(s) }) : s.state === "upcoming" ? msg("cbt.tab.upcoming", { title: this.title(s) }) : this.title(s);
      return el("button", {
        type: "button", role: "tab", class: "section-tab", "data-section": s.id, "aria-selected": s.id === this.section ? "true" : "false",
        disabled: !selectable, onclick: () => this.open(s.id),
      }, label);
    }));
    const s = this.sec(this.section);
    const notes = [];
    if (s.instructions) notes.push(el("p", { class: "instructions" }, s.instructions));
    if (s.answer_any) notes.push(el("p", null, msg("cbt.section.answer_any", { n: s.answer_any, m: s.questions.length, rule: msg("cbt.rule." + (s.answer_any_rule || "best"), { n: s.answer_any }) })));
    const q = this.byId.get(this.current);
    if (q && q.marking) notes.push(el("p", { class: "muted" }, markingText(q)));
    if (s.state === "closed") notes.push(el("p", { class: "muted" }, msg("cbt.section.closed")));
    if (s.state === "upcoming") notes.push(el("p", { class: "muted" }, msg("cbt.section.upcoming")));
    this.info.replaceChildren(...notes);
    this.renderPalette(s);
    const open = s.state === "open";
    for (const b of this.actions.querySelectorAll("[data-act=clear], [data-act=mark], [data-act=save]")) b.disabled = !open;
    const idx = s.questions.indexOf(this.current);
    this.actions.querySelector("[data-act=previous]").disabled = idx <= 0;
    const timed = this.paper.sections.some((x) => x.closes_at);
    this.actions.querySelector("[data-act=finish]").hidden = !open || !(timed || s.navigation === "forward_only");
    this.tickClock(now);
  }

  renderPalette(s) {
    const list = $("nav-list");
    list.setAttribute("aria-label", msg("cbt.palette.label", { section: this.title(s) }));
    list.replaceChildren(...s.questions.map((id) => {
      const st = this.stateOf(id);
      const n = this.num.get(id);
      return el("li", null, el("button", {
        type: "button", class: "chip " + st, "data-nav": id, "data-state": st, "aria-current": id === this.current ? "true" : null,
        "aria-label": msg("cbt.palette.question", { n, state: msg("cbt.state." + st) }),
        onclick: () => { this.show(id); this.focusQuestion(); },
      }, String(n)));
    }));
    const c = this.counts(s);
    $("nav-summary").replaceChildren(...STATES.filter((k) => c[k]).map((k) => el("span", { class: "count", "data-count": k }, `${msg("cbt.state." + k)}: ${c[k]}`)));
  }

  focusQuestion() {
    const box = $("q-" + this.current);
    const f = box && box.querySelector("input:not(:disabled), textarea:not(:disabled), select:not(:disabled)");
    (f || box).focus();
  }

  /** step moves to the next (+1) or previous (-1) question of the section, then of the next open section. */
  step(d) {
    const s = this.sec(this.section);
    const i = s.questions.indexOf(this.current) + d;
    if (i >= 0 && i < s.questions.length) { this.show(s.questions[i]); this.focusQuestion(); return; }
    if (d > 0) {
      const next = this.paper.sections[this.paper.sections.indexOf(s) + 1];
      if (next && next.state === "open" && s.navigation !== "forward_only") { this.open(next.id, next.questions[0]); this.focusQuestion(); }
    }
  }

  async saveNext() {
    const id = this.current;
    if (this.review[id] && this.review[id].review) await this.flag(id, false);
    this.ctx.queue.flush();
    this.step(1);
  }

  async markNext() {
    await this.flag(this.current, true);
    this.ctx.queue.flush();
    this.step(1);
  }

  /** clear empties the response and saves the empty answer: it counts as unanswered. */
  clear() {
    const q = this.byId.get(this.current);
    const box = this.ctx.form.querySelector(`[data-question="${CSS.escape(q.id)}"]`);
    setResponse(this.ctx.form, q, null);
    box.querySelector(".field-error").textContent = "";
    this.ctx.queue.put(q.id, null);
    this.render();
  }

  async flag(id, on) {
    const seq = ((this.review[id] && this.review[id].seq) || 0) + 1;
    this.review[id] = { review: on, seq };
    this.render();
    for (let n = 0; n < 4; n++) {
      try {
        await request("PUT", `/api/v1/attempts/${encodeURIComponent(this.paper.attempt)}/flags`,
          { token: this.ctx.token(), body: { flags: [{ question: id, review: on, seq }] } });
        return;
      } catch (e) {
        if (e.code === "section_closed") { await this.refresh(); return; }
        if (!e.retryable) { this.ctx.alert(e.message); return; }
        if (n === 0) this.ctx.alert(msg("cbt.flag.failed"));
        await new Promise((r) => setTimeout(r, backoff(n, e.retryAfter)));
      }
    }
  }

  /** ask opens a modal dialog with text and resolves true when the candidate confirms. */
  ask(text, yes) {
    return new Promise((resolve) => {
      const d = el("dialog", { class: "cbt-confirm", "aria-label": text },
        el("p", null, text),
        el("div", { class: "actions" },
          el("button", { type: "button", "data-answer": "no", onclick: () => { d.close(); resolve(false); } }, msg("cbt.button.cancel")),
          el("button", { type: "button", "data-answer": "yes", class: "primary", onclick: () => { d.close(); resolve(true); } }, yes)));
      d.addEventListener("close", () => { d.remove(); resolve(false); });
      document.body.append(d);
      d.showModal();
    });
  }

  async finish() {
    const s = this.sec(this.section);
    if (!(await this.ask(msg("cbt.section.confirm_finish", { section: this.title(s) }), msg("cbt.button.finish_section")))) return;
    await this.ctx.queue.flush();
    try {
      const res = await request("POST", `/api/v1/attempts/${encodeURIComponent(this.paper.attempt)}/sections/${encodeURIComponent(s.id)}/finish`, { token: this.ctx.token() });
      this.ctx.onTime(res);
      if (res.sections.some((x, i) => x.state !== this.paper.sections[i].state && this.paper.sections[i].state === "upcoming")) { await this.refresh(); return; }
      this.apply(res.sections, res.current_section);
    } catch (e) {
      if (e.code === "section_closed") { await this.refresh(); return; }
      this.ctx.alert(e.message);
    }
  }

  /** apply takes the sections' states from the server and moves to the open one if this one closed. */
  apply(sections, current) {
    this.paper.sections = sections;
    this.paper.current_section = current;
    const s = this.sec(this.section);
    if (s.state !== "open") {
      const next = current ? this.sec(current) : this.paper.sections.find((x) => x.state === "open");
      if (next) {
        this.ctx.alert(msg("cbt.section.now_open", { section: this.title(next) }));
        this.open(next.id);
        return;
      }
    }
    this.show(this.current);
  }

  /** refresh reads the paper again, for the sections' states. */
  async refresh() {
    try {
      const p = await request("GET", "/api/v1/attempts/" + encodeURIComponent(this.paper.attempt), { token: this.ctx.token() });
      this.ctx.onTime(p);
      if (p.status === "submitted") { this.ctx.onPaper(p); return; }
      // A section that opened brings its questions: draw the paper again.
      if (p.questions.length !== this.paper.questions.length) {
        const open = p.sections.find((x) => x.id === p.current_section);
        this.ctx.onReload(open ? msg("cbt.section.now_open", { section: this.title(open) }) : "");
        return;
      }
      this.apply(p.sections, p.current_section);
    } catch { /* the next tick tries again */ }
  }

  tick() { this.tickClock(this.now()); }

  tickClock(now) {
    const cur = this.paper.current_section && this.sec(this.paper.current_section);
    if (!cur || !cur.closes_at) { this.clock.hidden = true; return; }
    const left = Date.parse(cur.closes_at) - now;
    this.clock.hidden = false;
    const text = msg("cbt.section.clock", { section: this.title(cur), time: fmtLeft(left) });
    this.clock.textContent = text;
    this.clock.dataset.low = left <= 60000 ? "1" : "";
    if (left <= 0 && !this.closing) {
      this.closing = true;
      this.ctx.alert(msg("cbt.section.time_up", { section: this.title(cur) }));
      Promise.resolve(this.ctx.queue.flush()).finally(() => this.refresh().finally(() => { this.closing = false; }));
    }
  }

  /** summary fills the submit dialog with a table of states by section. */
  summary(into) {
    const head = el("tr", null, el("th", { scope: "col" }, msg("cbt.summary.section")), ...STATES.map((k) => el("th", { scope: "col" }, msg("cbt.state." + k))));
    const total = Object.fromEntries(STATES.map((k) => [k, 0]));
    const rows = this.paper.sections.map((s) => {
      const c = this.counts(s);
      for (const k of STATES) total[k] += c[k];
      return el("tr", { "data-section": s.id }, el("th", { scope: "row" }, this.title(s)), ...STATES.map((k) => el("td", { "data-count": k }, String(c[k]))));
    });
    rows.push(el("tr", null, el("th", { scope: "row" }, msg("cbt.summary.total")), ...STATES.map((k) => el("td", null, String(total[k])))));
    into.replaceChildren(el("table", { class: "table summary" }, el("caption", null, msg("cbt.summary.caption")), el("thead", null, head), el("tbody", null, ...rows)));
  }
}

function markingText(q) {
  const m = q.marking;
  const pts = (x) => (x > 0 ? "+" : "") + (Math.round(x * 100) / 100);
  const wrong = m.wrong != null ? pts(m.wrong) : m.wrong_fraction != null ? msg("cbt.marking.fraction", { fraction: Math.round(m.wrong_fraction * 100) }) : "0";
  return msg("cbt.marking.scheme", { correct: pts(m.correct != null ? m.correct : q.points), wrong, unanswered: pts(m.unanswered || 0) });
}

function fmtLeft(ms) {
  const t = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(t / 3600), m = Math.floor((t % 3600) / 60), s = t % 60;
  const pad = (x) => String(x).padStart(2, "0");
  return h ? `${h}:${pad(m)}:${pad(s)}` : `${pad(m)}:${pad(s)}`;
}
