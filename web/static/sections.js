// The computer-based-test mode of the candidate's page, for exams with
// sections: section tabs, one question at a time, the five-state palette
// with its legend and counts, "Save & Next", "Mark for review & Next",
// "Clear response", a clock per timed section and a summary by section
// before submitting. Review flags and visited questions are kept by the
// server (PUT .../flags, PUT .../visited), so they follow the candidate to
// another device; the section windows are the server's too.

import { request, backoff, $, el } from "./api.js";
import { readResponse, setResponse, isAnswered } from "./questions.js";
import { t, num, two, usePart } from "./i18n.js";

// The messages of this mode (cbt.…) are a part of the catalogues of their
// own (msg-LANG-cbt.js) and its styles a stylesheet of its own
// (sections.css, by the hashed URL the import map gives), loaded with this
// module: other papers never fetch them.
await Promise.all([usePart("cbt"), new Promise((resolve) => {
  const link = Object.assign(document.createElement("link"), { rel: "stylesheet", href: import.meta.resolve("./sections.css") });
  link.onload = link.onerror = resolve;
  document.head.append(link);
})]);

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
    const list = $("nav-list");
    delete list.dataset.mode;
    list.replaceChildren();
    this.ctx.form.classList.remove("cbt");
  }

  /** redraw follows the paper drawn again (in another language): the question on screen stays. */
  redraw() { this.labels(); this.show(this.current); }

  sec(id) { return this.paper.sections.find((s) => s.id === id); }
  title(s) { return s.title || s.id; }
  firstOpen() { return (this.paper.sections.find((s) => s.state === "open") || this.paper.sections[0]).id; }
  now() { return Date.now() + (this.ctx.offset() || 0); }

  /** build adds the tabs, the actions and the palette's frame to the page. */
  build() {
    const form = this.ctx.form;
    form.classList.add("cbt");
    this.tabs = el("div", { class: "section-tabs", role: "tablist" });
    this.info = el("div", { class: "section-info", "aria-live": "polite" });
    this.clock = el("p", { class: "section-clock", role: "timer", "aria-live": "off", hidden: true });
    form.before(this.tabs, this.clock, this.info);
    this.actions = el("div", { class: "cbt-actions" },
      el("button", { type: "button", "data-act": "previous", onclick: () => this.step(-1) }),
      el("button", { type: "button", "data-act": "clear", onclick: () => this.clear() }),
      el("button", { type: "button", "data-act": "mark", onclick: () => this.markNext() }),
      el("button", { type: "button", "data-act": "save", class: "primary", onclick: () => this.saveNext() }),
      el("button", { type: "button", "data-act": "finish", hidden: true, onclick: () => this.finish() }));
    form.after(this.actions);
    this.labels();
  }

  /** labels writes the texts that change only with the language. */
  labels() {
    this.tabs.setAttribute("aria-label", t("cbt.tabs.label"));
    const text = { previous: "previous", clear: "clear", mark: "mark_next", save: "save_next", finish: "finish_section" };
    for (const b of this.actions.querySelectorAll("[data-act]")) b.textContent = t("cbt.button." + text[b.dataset.act]);
    const legend = document.querySelector("#navigator .legend");
    if (legend) {
      legend.replaceChildren(...STATES.map((s) => el("span", { class: "legend-item" }, el("span", { class: "chip " + s, "aria-hidden": "true" }), " ", t("cbt.state." + s))),
        el("span", { class: "legend-item" }, t(this.paper.exam.grade_marked_for_review ? "cbt.legend.graded" : "cbt.legend.not_graded")));
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
    // Tabs and palette buttons are updated in place, so that the one with
    // keyboard focus keeps it.
    const ids = this.paper.sections.map((s) => s.id);
    if ([...this.tabs.children].map((b) => b.dataset.section).join("\n") !== ids.join("\n")) {
      this.tabs.replaceChildren(...this.paper.sections.map((s) => el("button", {
        type: "button", role: "tab", class: "section-tab", "data-section": s.id, onclick: () => this.open(s.id),
      })));
    }
    this.paper.sections.forEach((s, i) => {
      const b = this.tabs.children[i];
      b.disabled = !(s.state === "open" || (s.state === "closed" && s.navigation !== "forward_only"));
      b.setAttribute("aria-selected", s.id === this.section ? "true" : "false");
      b.textContent = s.state === "closed" ? t("cbt.tab.closed", { title: this.title(s) }) : s.state === "upcoming" ? t("cbt.tab.upcoming", { title: this.title(s) }) : this.title(s);
    });
    const s = this.sec(this.section);
    const notes = [];
    if (s.instructions) notes.push(el("p", { class: "instructions" }, s.instructions));
    if (s.answer_any) notes.push(el("p", null, t("cbt.section.answer_any", { n: s.answer_any, m: s.questions.length, rule: t("cbt.rule." + (s.answer_any_rule || "best"), { n: s.answer_any }) })));
    const q = this.byId.get(this.current);
    if (q && q.marking) notes.push(el("p", { class: "muted" }, markingText(q)));
    if (s.state === "closed") notes.push(el("p", { class: "muted" }, t("cbt.section.closed")));
    if (s.state === "upcoming") notes.push(el("p", { class: "muted" }, t("cbt.section.upcoming")));
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
    list.setAttribute("aria-label", t("cbt.palette.label", { section: this.title(s) }));
    if (list.dataset.mode !== "cbt" || [...list.querySelectorAll("button")].map((b) => b.dataset.nav).join("\n") !== s.questions.join("\n")) {
      list.dataset.mode = "cbt"; // not the buttons of the page's own navigator, which act otherwise
      list.replaceChildren(...s.questions.map((id) => el("li", null, el("button", {
        type: "button", "data-nav": id, onclick: () => { this.show(id); this.focusQuestion(); },
      }))));
    }
    s.questions.forEach((id, i) => {
      const b = list.children[i].firstChild;
      const st = this.stateOf(id), n = this.num.get(id);
      b.className = "chip " + st;
      b.dataset.state = st;
      if (id === this.current) b.setAttribute("aria-current", "true"); else b.removeAttribute("aria-current");
      b.setAttribute("aria-label", t("cbt.palette.question", { n, state: t("cbt.state." + st) }));
      b.textContent = num(n);
    });
    const c = this.counts(s);
    $("nav-summary").replaceChildren(...STATES.filter((k) => c[k]).map((k) => el("span", { class: "count", "data-count": k }, t("cbt.count", { state: t("cbt.state." + k), n: c[k] }))));
    // The phone's bottom bar: how much of the section is answered.
    const bar = $("bar-summary");
    if (bar) bar.textContent = t("nav.summary", { done: c.answered + c.answered_marked, n: s.questions.length });
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
        if (n === 0) this.ctx.alert(t("cbt.flag.failed"));
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
          el("button", { type: "button", "data-answer": "no", onclick: () => { d.close(); resolve(false); } }, t("cbt.button.cancel")),
          el("button", { type: "button", "data-answer": "yes", class: "primary", onclick: () => { d.close(); resolve(true); } }, yes)));
      d.addEventListener("close", () => { d.remove(); resolve(false); });
      document.body.append(d);
      d.showModal();
    });
  }

  async finish() {
    const s = this.sec(this.section);
    if (!(await this.ask(t("cbt.section.confirm_finish", { section: this.title(s) }), t("cbt.button.finish_section")))) return;
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
        this.ctx.alert(t("cbt.section.now_open", { section: this.title(next) }));
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
        this.ctx.onReload(open ? t("cbt.section.now_open", { section: this.title(open) }) : "");
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
    const text = t("cbt.section.clock", { section: this.title(cur), time: fmtLeft(left) });
    this.clock.textContent = text;
    this.clock.dataset.low = left <= 60000 ? "1" : "";
    if (left <= 0 && !this.closing) {
      this.closing = true;
      this.ctx.alert(t("cbt.section.time_up", { section: this.title(cur) }));
      Promise.resolve(this.ctx.queue.flush()).finally(() => this.refresh().finally(() => { this.closing = false; }));
    }
  }

  /** summary fills the submit dialog with a table of states by section. */
  summary(into) {
    const head = el("tr", null, el("th", { scope: "col" }, t("cbt.summary.section")), ...STATES.map((k) => el("th", { scope: "col" }, t("cbt.state." + k))));
    const total = Object.fromEntries(STATES.map((k) => [k, 0]));
    const rows = this.paper.sections.map((s) => {
      const c = this.counts(s);
      for (const k of STATES) total[k] += c[k];
      return el("tr", { "data-section": s.id }, el("th", { scope: "row" }, this.title(s)), ...STATES.map((k) => el("td", { "data-count": k }, num(c[k]))));
    });
    rows.push(el("tr", null, el("th", { scope: "row" }, t("cbt.summary.total")), ...STATES.map((k) => el("td", null, num(total[k])))));
    into.replaceChildren(el("table", { class: "table summary" }, el("caption", null, t("cbt.summary.caption")), el("thead", null, head), el("tbody", null, ...rows)));
  }
}

function markingText(q) {
  const m = q.marking;
  const pts = (x) => num(Math.round(x * 100) / 100, { signDisplay: "exceptZero" });
  const wrong = m.wrong != null ? pts(m.wrong) : m.wrong_fraction != null ? t("cbt.marking.fraction", { fraction: Math.round(m.wrong_fraction * 100) }) : num(0);
  return t("cbt.marking.scheme", { correct: pts(m.correct != null ? m.correct : q.points), wrong, unanswered: pts(m.unanswered || 0) });
}

/** fmtLeft writes the time left as [h:]mm:ss in the locale's digits. */
function fmtLeft(ms) {
  const s = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
  return (h ? num(h) + ":" : "") + two(m) + ":" + two(s % 60);
}
