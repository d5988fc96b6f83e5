// The candidate's exam page. The server's clock and copy of the answers
// are the truth; the page keeps its answers with their seq until the
// server holds them. Every sentence comes from the catalogues (i18n.js).

import { request, backoff, $, el, show } from "./api.js";
import { SaveQueue } from "./queue.js";
import { renderQuestion, readResponse, setResponse, isAnswered, rich, loadTypes } from "./questions.js";
import { t, tNodes, translate, num, two, fmtTime, setLanguage, startLanguage, chosen, remember, language, LANGS } from "./i18n.js";

const VIEWS = ["login-view", "lobby-view", "exam-view", "receipt-view", "result-view"];
const SESSION = "examhall.session";

let session = null; // {token, attempt, exam, candidate}
let paper = null;
let queue = null;
let offset = 0; // server time minus local time, ms
let deadline = 0; // ms since epoch, server time
let ticker = 0;
let warned = {};
let flags = new Set();
let sections = null, cbt = null; // exams with sections
let offline = false; // the paper is this device's copy: the server could not be reached
let view = "";

const CLOCK = "examhall.clock";

function saveSession() {
  if (session) localStorage.setItem(SESSION, JSON.stringify(session));
  else localStorage.removeItem(SESSION);
}

// syncClock follows the server's clock; the offset is kept on the device so
// that an offline reload still counts down to the server's deadline.
function syncClock(res) {
  if (res.server_time) {
    offset = Date.parse(res.server_time) - Date.now();
    try { localStorage.setItem(CLOCK, String(offset)); } catch { /* the clock works without it */ }
    lastSync = Date.now();
  }
  if (res.deadline) deadline = Date.parse(res.deadline);
}

// ---- deadlines staff move (docs/examday.md) ----
let lastSync = 0, clock = null, flagSync = null;

function followClock(res) {
  const before = deadline;
  syncClock(res);
  if (!before || !res.deadline || deadline === before || view !== "exam-view" || closing) return;
  warned = {};
  if (remaining() > 0) alertMsg(t("clock.moved", { time: fmtLeft(remaining()) }));
  tick();
  if (cbt && !closing) cbt.refresh();
}

// errText is an API error in the candidate's language: the server's own
// sentence in English, the catalogue's for its code otherwise.
function errText(e) {
  if (e.status === 0) return t("err.network");
  const k = "err." + e.code, m = t(k);
  return language() === "en" || m === k ? e.message : m;
}

function go(id) {
  view = id;
  show(id, VIEWS);
  document.body.dataset.view = id;
}

function alertMsg(text) {
  const a = $("alert");
  a.textContent = text;
  a.hidden = !text;
}

// ---- sign in ----

function showLogin(message) {
  stopExam();
  $("title").textContent = "";
  document.title = "examhall";
  const q = new URLSearchParams(location.search);
  $("login-exam").value = (session && session.exam) || q.get("exam") || $("login-exam").value;
  $("login-candidate").value = (session && session.candidate) || q.get("candidate") || $("login-candidate").value;
  const err = $("login-error");
  err.textContent = message || "";
  err.hidden = !message;
  go("login-view");
  ($("login-exam").value ? ($("login-candidate").value ? $("login-code") : $("login-candidate")) : $("login-exam")).focus();
}

async function login(ev) {
  ev.preventDefault();
  const exam = $("login-exam").value.trim(), candidate = $("login-candidate").value.trim(), code = $("login-code").value.trim();
  const err = $("login-error");
  if (!exam || !candidate || !code) {
    err.textContent = t("login.missing");
    err.hidden = false;
    return;
  }
  $("login-submit").disabled = true;
  err.hidden = true;
  const wait = $("login-wait");
  try {
    // Busy at the start: wait in line and try again when told.
    let res;
    for (let n = 0; ; n++) {
      try {
        res = await request("POST", "/api/v1/login", { body: { exam, candidate, code } });
        break;
      } catch (e) {
        if (!e.retryable || e.status === 0 && n >= 5) throw e;
        const ms = backoff(n, e.retryAfter);
        wait.textContent = t(e.status === 0 ? "login.unreachable" : "login.inline");
        wait.hidden = false;
        await new Promise((r) => setTimeout(r, ms));
      }
    }
    session = { token: res.token, attempt: res.attempt, exam, candidate };
    saveSession();
    syncClock(res);
    $("login-code").value = "";
    await loadPaper();
  } catch (e) {
    err.textContent = e.code === "invalid_credentials" ? t("err.invalid_credentials") : errText(e);
    err.hidden = false;
  } finally {
    wait.hidden = true;
    $("login-submit").disabled = false;
  }
}

// ---- the lobby ----

let lobbyTimer = 0;

// showLobby counts down to the start on the server's clock, then fetches
// the paper at a random moment within a few seconds (not all at once).
function showLobby(p) {
  stopExam();
  const start = Date.parse(p.started_at);
  $("lobby-title").textContent = p.exam.title;
  $("lobby-when").textContent = t("lobby.when", { time: fmtTime(p.started_at) });
  $("lobby-instructions").textContent = p.exam.instructions || "";
  $("lobby-status").textContent = "";
  go("lobby-view");
  const spread = Math.random() * 3000;
  let announced = false;
  const step = () => {
    const left = start - (Date.now() + offset);
    $("lobby-countdown").textContent = left > 0 ? t("lobby.in", { left: fmtLeft(left) }) : t("lobby.starting");
    if (left <= 60000 && left > 0 && !announced) { announced = true; $("lobby-status").textContent = t("lobby.minute"); }
    if (left <= -spread) {
      clearInterval(lobbyTimer);
      $("lobby-status").textContent = t("lobby.now");
      loadPaper();
    }
  };
  step();
  lobbyTimer = setInterval(step, 250);
}

// ---- the paper ----

async function loadPaper() {
  const cacheKey = "examhall.paper." + session.attempt;
  offline = false;
  try {
    paper = await request("GET", "/api/v1/attempts/" + encodeURIComponent(session.attempt), { token: session.token });
    await examLanguage(paper);
    if (paper.lobby) { syncClock(paper); showLobby(paper); return; }
    try { localStorage.setItem(cacheKey, JSON.stringify(paper)); } catch { /* cache only */ }
  } catch (e) {
    if (e.status === 401 || e.status === 403) { showLogin(errText(e)); return; }
    if (e.status === 503 && !localStorage.getItem(cacheKey)) {
      // Busy at the start: wait in line for the paper.
      $("lobby-status").textContent = t("paper.busy");
      setTimeout(loadPaper, backoff(0, e.retryAfter));
      return;
    }
    if (e.status === 0 || e.retryable) {
      // Offline on reload: carry on from the copy of the paper kept here,
      // on the server's clock as last seen, with this device's answers.
      const cached = localStorage.getItem(cacheKey);
      if (!cached) { showLogin(t("paper.unreachable")); return; }
      paper = JSON.parse(cached);
      paper.server_time = null;
      offset = Number(localStorage.getItem(CLOCK)) || 0;
      offline = true;
      await examLanguage(paper);
    } else { showLogin(errText(e)); return; }
  }
  syncClock(paper);
  $("title").textContent = paper.exam.title;
  document.title = paper.exam.title + " — examhall";
  if (paper.status === "submitted") { showReceipt(paper); return; }
  try {
    const more = await loadTypes(paper.questions);
    if (more) more.setUploader((q, f) => request("POST", `/api/v1/attempts/${encodeURIComponent(session.attempt)}/uploads/${encodeURIComponent(q)}?name=${encodeURIComponent(f.name)}`, { token: session.token, body: f }));
    if (paper.sections && !sections) sections = await import("./sections.js");
  } catch { showLogin(t("paper.incomplete")); return; }
  startExam();
}

// examLanguage switches to the exam's language unless the candidate chose one.
async function examLanguage(p) {
  if (!chosen() && p.exam && p.exam.language) await useLanguage(startLanguage(p.exam.language));
}

function startExam() {
  stopExam();
  flags = new Set(JSON.parse(localStorage.getItem("examhall.flags." + paper.attempt) || "[]"));
  queue = new SaveQueue(paper.attempt, {
    getToken: () => session.token,
    onState: showSaveState,
    onTime: (res) => { followClock(res); if (offline) refresh(); },
    onClosed: () => timeUp(),
    onUnauthorized: (e) => showLogin(errText(e)),
    onRejected: (e) => alertMsg(t("refused", { message: errText(e) })),
  });
  // The server's answers and this device's, the newer of each.
  queue.merge(paper.answers, !offline);
  renderPaper();
  if (paper.sections && sections) {
    cbt = new sections.CBT({
      paper, form: $("paper"), queue, token: () => session.token, offset: () => offset, onTime: syncClock, alert: alertMsg,
      onPaper: (p) => { paper = p; stopExam(); showReceipt(p); },
      onReload: (note) => loadPaper().then(() => alertMsg(note)),
    });
  }
  go("exam-view");
  $("save-state").hidden = false;
  $("clock").hidden = false;
  warned = {};
  tick();
  ticker = setInterval(tick, 1000);
  queue.report();
  queue.flush();
  if (!cbt) import("./flags.js").then((m) => {
    if (!queue || flagSync) return;
    flagSync = m.open(paper.attempt, paper.review, () => session.token);
    flags = flagSync.flags;
    renderPaper();
  });
  import("./clock.js").then((m) => {
    if (queue && !clock) clock = m.watch({ attempt: session.attempt, token: () => session.token, synced: () => lastSync,
      active: () => !!queue && !closing && !offline, onUnauthorized: (e) => showLogin(errText(e)),
      onClock: (res) => { followClock(res); if (res.status === "submitted") timeUp(); } });
  });
  if (offline) alertMsg(t("paper.offline"));
  $("main").focus();
}

// refresh fetches the paper again once the network is back after an
// offline start: the server's clock, and any answer newer on the server.
async function refresh() {
  if (!offline || !queue) return;
  try {
    const p = await request("GET", "/api/v1/attempts/" + encodeURIComponent(session.attempt), { token: session.token });
    if (p.status === "submitted") { paper = p; stopExam(); showReceipt(p); return; }
    offline = false;
    paper = p;
    try { localStorage.setItem("examhall.paper." + p.attempt, JSON.stringify(p)); } catch { /* cache only */ }
    syncClock(p);
    for (const [id, r] of Object.entries(queue.merge(p.answers, true))) setResponse($("paper"), p.questions.find((q) => q.id === id), r);
    alertMsg("");
    renderNavigator();
    tick();
    queue.flush();
  } catch { /* still offline: the next "online" event tries again */ }
}
addEventListener("online", () => refresh());

// renderPaper draws the questions with this device's answers (again after
// a change of language: nothing is lost, the answers live in the queue).
function renderPaper() {
  const form = $("paper");
  form.replaceChildren();
  $("instructions").textContent = paper.exam.instructions || "";
  paper.questions.forEach((q, i) => form.append(renderQuestion(q, i + 1, flags.has(q.id), onFlag, paper.exam.id)));
  for (const [id, r] of Object.entries(queue.merge({}, false))) setResponse(form, paper.questions.find((q) => q.id === id), r);
  form.oninput = form.onchange = onAnswer;
  if (cbt) cbt.redraw();
  renderNavigator();
}

function stopExam() {
  if (cbt) cbt.stop();
  cbt = null;
  clearInterval(ticker);
  clearInterval(lobbyTimer);
  if (clock) clock.stop();
  clock = flagSync = null;
  if (queue) queue.stop();
  queue = null;
  $("clock").hidden = true;
  $("save-state").hidden = true;
  alertMsg("");
}

function onAnswer(ev) {
  const box = ev.target.closest("[data-question]");
  if (!box || ev.target.closest(".flag")) return;
  if (ev.type === "input" && ev.target.tagName === "SELECT") return; // its change event follows
  const q = paper.questions.find((x) => x.id === box.dataset.question);
  const { value, error } = readResponse(box, q);
  box.querySelector(".field-error").textContent = error || "";
  if (error) return;
  queue.put(q.id, value);
  renderNavigator();
}

function onFlag(id, on) {
  if (on) flags.add(id); else flags.delete(id);
  localStorage.setItem("examhall.flags." + paper.attempt, JSON.stringify([...flags]));
  if (flagSync) flagSync.set(id, on);
  renderNavigator();
}

function answered() {
  const form = $("paper");
  return new Set(paper.questions.filter((q) => isAnswered(readResponse(form.querySelector(`[data-question="${CSS.escape(q.id)}"]`), q).value)).map((q) => q.id));
}

function renderNavigator() {
  if (cbt) { cbt.render(); return; }
  const done = answered();
  const waiting = new Set(queue ? queue.pending() : []);
  const list = $("nav-list");
  // Buttons are updated in place, so that one with keyboard focus keeps it
  // while the save state changes.
  if (list.children.length !== paper.questions.length || [...list.querySelectorAll("button")].some((x, i) => x.dataset.nav !== paper.questions[i].id)) list.replaceChildren();
  paper.questions.forEach((q, i) => {
    const state = done.has(q.id) ? "answered" : "unanswered";
    const flagged = flags.has(q.id), unsaved = waiting.has(q.id);
    const label = [t("nav.item", { n: i + 1, state: t("nav." + state) })];
    if (flagged) label.push(t("nav.flagged"));
    if (unsaved) label.push(t("nav.waiting"));
    const cls = `chip ${state}${flagged ? " flagged" : ""}${unsaved ? " waiting" : ""}`, aria = label.join(language() === "ar" ? "، " : ", ");
    const old = list.children[i] && list.children[i].firstChild;
    if (old) {
      old.className = cls;
      old.setAttribute("aria-label", aria);
      old.textContent = num(i + 1);
      return;
    }
    list.append(el("li", null, el("button", {
      type: "button", class: cls, "data-nav": q.id, "aria-label": aria,
      onclick: () => { const box = $("q-" + q.id); box.scrollIntoView({ block: "start" }); box.querySelector("input, textarea, select, button").focus(); },
    }, num(i + 1))));
  });
  const sum = { done: done.size, n: paper.questions.length, flagged: flags.size };
  $("nav-summary").textContent = t(flags.size ? "nav.summaryFlagged" : "nav.summary", sum);
  $("bar-summary").textContent = t("nav.summary", sum);
}

function showSaveState(state, waiting) {
  const s = $("save-state");
  s.textContent = t("save." + state, { n: waiting, answers: t("answers", { n: waiting }) });
  s.dataset.state = state;
  s.dataset.waiting = waiting;
  if (paper && view === "exam-view") renderNavigator();
}

// ---- the clock ----

function remaining() { return deadline - (Date.now() + offset); }

function fmtLeft(ms) {
  const t = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(t / 3600), m = Math.floor((t % 3600) / 60), s = t % 60;
  return h ? `${num(h)}:${two(m)}:${two(s)}` : `${two(m)}:${two(s)}`;
}

function tick() {
  const left = remaining();
  const c = $("clock");
  const time = fmtLeft(left);
  c.textContent = t(offline ? "clock.offline" : "clock.left", { time });
  c.setAttribute("aria-label", t("clock.label", { time }));
  c.dataset.low = left <= 60000 ? "1" : left <= 300000 ? "5" : "";
  c.dataset.offline = offline ? "1" : "";
  if (left <= 0) { timeUp(); return; }
  if (left <= 60000 && !warned[1]) { warned[1] = warned[5] = true; alertMsg(t("warn.1")); }
  else if (left <= 300000 && !warned[5]) { warned[5] = true; alertMsg(t("warn.5")); }
}

let closing = false;
async function timeUp() {
  if (closing) return;
  closing = true;
  clearInterval(ticker);
  alertMsg(t("timeup"));
  for (const i of $("paper").querySelectorAll("input, textarea, button")) i.disabled = true;
  if (queue) await queue.flush();
  // The server submits overdue attempts once the grace period ends.
  const wait = Math.max(1000, (paper.grace_seconds || 0) * 1000 + 1500 - Math.max(0, -remaining()));
  for (let n = 0; ; n++) {
    await new Promise((r) => setTimeout(r, n ? backoff(n) : wait));
    try {
      const p = await request("GET", "/api/v1/attempts/" + encodeURIComponent(session.attempt), { token: session.token });
      if (p.status === "submitted") { closing = false; paper = p; stopExam(); showReceipt(p); return; }
    } catch (e) { if (e.status === 401) { closing = false; showLogin(errText(e)); return; } }
  }
}

// ---- submitting ----

function openConfirm() {
  const done = answered();
  const numbered = paper.questions.map((q, i) => [q, i + 1]);
  const missing = numbered.filter(([q]) => !done.has(q.id)), flagged = cbt ? [] : numbered.filter(([q]) => flags.has(q.id));
  const item = ([q, n]) => el("li", null, t("confirm.item", { n, text: promptText(q).slice(0, 80) }));
  $("confirm-text").textContent = missing.length ? t("confirm.missing", { n: missing.length, total: paper.questions.length }) : t("confirm.all");
  $("confirm-unanswered").replaceChildren(...(cbt ? [] : missing.map(item)));
  if (cbt) cbt.summary($("confirm-text")); // the five states by section
  $("confirm-flagged-text").hidden = !flagged.length;
  $("confirm-flagged-text").textContent = flagged.length ? t("confirm.flagged", { n: flagged.length }) : "";
  $("confirm-flagged").replaceChildren(...flagged.map(item));
  const w = queue ? queue.waiting : 0;
  $("confirm-waiting").hidden = !w;
  $("confirm-waiting").textContent = w ? t("confirm.waiting", { n: w }) : "";
  $("confirm").showModal();
}

async function submit() {
  const btn = $("confirm-submit");
  btn.disabled = true;
  btn.textContent = t("submit.sending");
  for (let n = 0; ; n++) {
    try {
      clearTimeout(queue.timer);
      if (queue.sending) await queue.sending;
      const res = await request("POST", `/api/v1/attempts/${encodeURIComponent(session.attempt)}/submit`,
        { token: session.token, body: { answers: queue.batch() } });
      queue.clear();
      $("confirm").close();
      stopExam();
      showReceipt({ ...paper, status: res.status, submitted_at: res.submitted_at, receipt: res.receipt, auto_submitted: res.auto_submitted });
      return;
    } catch (e) {
      if (!e.retryable) {
        $("confirm").close();
        if (e.status === 401) showLogin(errText(e));
        else if (e.code === "attempt_closed") timeUp();
        else alertMsg(errText(e));
        return;
      }
      btn.textContent = t(e.status === 0 ? "submit.offline" : "submit.busy");
      await new Promise((r) => setTimeout(r, backoff(n, e.retryAfter)));
    } finally {
      btn.disabled = false;
      if (btn.textContent === t("submit.sending")) btn.textContent = t("confirm.submit");
    }
  }
}

// ---- receipt and result ----

function showReceipt(p) {
  $("receipt-exam").textContent = p.exam.title;
  $("receipt-candidate").textContent = p.candidate || session.candidate;
  $("receipt-time").textContent = fmtTime(p.submitted_at);
  $("receipt-code").textContent = p.receipt || "";
  $("receipt-auto").hidden = !p.auto_submitted;
  $("result-open").hidden = !p.results_released;
  $("result-pending").hidden = !!p.results_released;
  go("receipt-view");
  $("main").focus();
}

let result = null; // the result shown, drawn again in another language

async function showResult() {
  try {
    result = await request("GET", `/api/v1/attempts/${encodeURIComponent(session.attempt)}/result`, { token: session.token });
    drawResult(result);
    go("result-view");
    $("main").focus();
  } catch (e) {
    alertMsg(errText(e));
  }
}

function drawResult(r) {
  const nums = new Map(paper.questions.map((q, i) => [q.id, i + 1]));
  const score = $("result-score"), max = $("result-max");
  score.textContent = fmtNum(r.score);
  max.textContent = fmtNum(r.max_score);
  $("result-line").replaceChildren(...tNodes("result.score", { score, max }));
  const note = $("result-pending-note");
  note.hidden = !r.pending;
  note.textContent = r.pending ? t("result.pending", { n: r.pending }) : "";
  // An exam with sections: a table of them (its module loads only then).
  const box = $("result-sections");
  box.hidden = !r.sections?.length;
  if (!box.hidden) import("./sectionresult.js").then((m) => box.replaceChildren(m.sectionTable(r.sections, fmtNum)));
  const rows = (r.questions || []).slice().sort((a, b) => (nums.get(a.question) || 0) - (nums.get(b.question) || 0));
  $("result-rows").replaceChildren(...rows.map((q) => el("tr", null,
    el("th", { scope: "row" }, t("q.title", { n: nums.get(q.question) || q.question })),
    el("td", null, q.pending ? t("result.awaiting") : t("result.of", { points: fmtNum(q.points), max: fmtNum(q.max_points) })),
    el("td", null, q.comment || ""))));
  if (rows.some((q) => q.response != null || q.answer != null || q.feedback?.length)) import("./review.js").then((m) => m.fill($("result-rows"), rows, paper.questions));
}

const promptText = (q) => q.format === "html" ? rich(document.createElement("div"), q.prompt, "html", paper.exam.id).textContent : q.prompt || "";

const fmtNum = (x) => num(Math.round(x * 100) / 100);

// signOut ends the session and leaves nothing of the exam on this device
// (shared PCs), once every queued answer is saved; else it stays signed in.
async function signOut() {
  const btn = $("signout");
  if (queue && queue.waiting) {
    btn.disabled = true;
    alertMsg(t("signout.saving"));
    await queue.flush();
    btn.disabled = false;
    if (queue && queue.waiting) {
      alertMsg(t("signout.unsaved"));
      return;
    }
    alertMsg("");
  }
  if (session && session.token) {
    try { await request("POST", "/api/v1/logout", { token: session.token }); } catch { /* the session ends at the next sign-in anyway */ }
  }
  const attempt = (paper && paper.attempt) || (session && session.attempt);
  if (queue) { queue.stop(); queue.clear(); }
  if (attempt) {
    for (const k of ["examhall.paper.", "examhall.pending.", "examhall.flags.", "examhall.flagseq."]) localStorage.removeItem(k + attempt);
  }
  session = null;
  saveSession();
  paper = null;
  showLogin("");
}

// ---- language and display ----

// useLanguage loads a catalogue and redraws what is on screen in it.
async function useLanguage(tag) {
  try { await setLanguage(tag); } catch { return; } // the catalogue did not load: keep the current one
  $("lang").value = language();
  translate(document);
  if (view === "exam-view" && paper) { renderPaper(); queue.report(); tick(); }
  if (view === "receipt-view" && paper) showReceipt(paper);
  if (view === "result-view" && paper && result) drawResult(result);
  if (view === "lobby-view" && paper) $("lobby-when").textContent = t("lobby.when", { time: fmtTime(paper.started_at) });
}

const PREFS = "examhall.view";
function applyView(p) {
  document.documentElement.dataset.size = p.size ? "1" : "";
  document.documentElement.dataset.contrast = p.contrast ? "high" : "";
  $("size").setAttribute("aria-pressed", String(!!p.size));
  $("contrast").setAttribute("aria-pressed", String(!!p.contrast));
}
function toggleView(k) {
  let p = {};
  try { p = JSON.parse(localStorage.getItem(PREFS)) || {}; } catch { /* defaults */ }
  p[k] = !p[k];
  localStorage.setItem(PREFS, JSON.stringify(p));
  applyView(p);
}

// ---- start ----

// The sticky header's height, for scroll-padding: nothing focused hides
// under it.
new ResizeObserver(() => document.documentElement.style.setProperty("--head", $("title").closest("header").offsetHeight + "px")).observe($("title").closest("header"));
$("lang").replaceChildren(...LANGS.map(([tag, name]) => el("option", { value: tag, lang: tag }, name)));
$("lang").addEventListener("change", (e) => { remember(e.target.value); useLanguage(e.target.value); });
$("size").addEventListener("click", () => toggleView("size"));
$("contrast").addEventListener("click", () => toggleView("contrast"));
try { applyView(JSON.parse(localStorage.getItem(PREFS)) || {}); } catch { applyView({}); }
$("login-form").addEventListener("submit", login);
$("submit-open").addEventListener("click", openConfirm);
$("bar-submit").addEventListener("click", openConfirm);
$("bar-questions").addEventListener("click", () => { $("navigator").scrollIntoView({ block: "start" }); $("nav-title").focus(); });
$("confirm-cancel").addEventListener("click", () => $("confirm").close());
$("confirm-submit").addEventListener("click", submit);
$("result-open").addEventListener("click", showResult);
$("result-back").addEventListener("click", () => showReceipt(paper));
$("signout").addEventListener("click", signOut);

// The service worker keeps the page and its assets for an offline reload.
if ("serviceWorker" in navigator) navigator.serviceWorker.register("/sw.js").catch(() => { /* the page works without it, online */ });

// An LTI launch brings a one-time code (/#lti=CODE): exchanged for a
// session at once and taken out of the address (history, reloads).
async function ltiLogin(code) {
  history.replaceState(null, "", location.pathname + location.search);
  try {
    const res = await request("POST", "/api/v1/login/lti", { body: { code } });
    session = { token: res.token, attempt: res.attempt, exam: res.exam, candidate: res.candidate };
    saveSession();
    syncClock(res);
    await loadPaper();
  } catch (e) {
    showLogin(e.code === "invalid_credentials" ? t("lti.expired") : errText(e));
  }
}

const ltiCode = new URLSearchParams(location.hash.slice(1)).get("lti");
try { session = JSON.parse(localStorage.getItem(SESSION)); } catch { session = null; }
useLanguage(startLanguage()).then(() => {
  if (ltiCode) ltiLogin(ltiCode);
  else if (session && session.token) loadPaper(); else showLogin("");
});
