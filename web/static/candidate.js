// The candidate's exam page: sign in, answer, submit, see the receipt and,
// once released, the result. The server's clock and the server's copy of
// the answers are the truth; this page only keeps what is not yet saved.

import { request, backoff, $, el, show, fmtTime } from "./api.js";
import { SaveQueue } from "./queue.js";
import { renderQuestion, readResponse, setResponse, isAnswered, rich, loadTypes } from "./questions.js";

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

function saveSession() {
  if (session) localStorage.setItem(SESSION, JSON.stringify(session));
  else localStorage.removeItem(SESSION);
}

function syncClock(res) {
  if (res.server_time) offset = Date.parse(res.server_time) - Date.now();
  if (res.deadline) deadline = Date.parse(res.deadline);
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
  const q = new URLSearchParams(location.search);
  $("login-exam").value = (session && session.exam) || q.get("exam") || $("login-exam").value;
  $("login-candidate").value = (session && session.candidate) || q.get("candidate") || $("login-candidate").value;
  const err = $("login-error");
  err.textContent = message || "";
  err.hidden = !message;
  show("login-view", VIEWS);
  ($("login-exam").value ? ($("login-candidate").value ? $("login-code") : $("login-candidate")) : $("login-exam")).focus();
}

async function login(ev) {
  ev.preventDefault();
  const exam = $("login-exam").value.trim(), candidate = $("login-candidate").value.trim(), code = $("login-code").value.trim();
  const err = $("login-error");
  if (!exam || !candidate || !code) {
    err.textContent = "Enter the exam, your candidate id and your access code.";
    err.hidden = false;
    return;
  }
  $("login-submit").disabled = true;
  err.hidden = true;
  const wait = $("login-wait");
  try {
    // At the exam start the server may say it is busy: wait calmly in line
    // and try again when it says, without the candidate doing anything.
    let res;
    for (let n = 0; ; n++) {
      try {
        res = await request("POST", "/api/v1/login", { body: { exam, candidate, code } });
        break;
      } catch (e) {
        if (!e.retryable || e.status === 0 && n >= 5) throw e;
        const ms = backoff(n, e.retryAfter);
        wait.textContent = e.status === 0
          ? "The server cannot be reached. Trying again…"
          : "The exam is starting and many candidates are signing in. You are in line: please wait, this page will sign you in by itself.";
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
    err.textContent = e.code === "invalid_credentials" ? "The exam, candidate id or access code is not right." : e.message;
    err.hidden = false;
  } finally {
    wait.hidden = true;
    $("login-submit").disabled = false;
  }
}

// ---- the lobby ----

let lobbyTimer = 0;

// showLobby shows the instructions and counts down to the exam's start on
// the server's clock; at zero it fetches the paper, each page at a moment
// of its own within a few seconds, so that the candidates in the lobby do
// not all ask in the same instant.
function showLobby(p) {
  stopExam();
  const start = Date.parse(p.started_at);
  $("lobby-title").textContent = p.exam.title;
  $("lobby-when").textContent = `You are signed in. The exam starts at ${fmtTime(p.started_at)}; your time starts then.`;
  $("lobby-instructions").textContent = p.exam.instructions || "";
  $("lobby-status").textContent = "";
  show("lobby-view", VIEWS);
  const spread = Math.random() * 3000;
  let announced = false;
  const step = () => {
    const left = start - (Date.now() + offset);
    $("lobby-countdown").textContent = left > 0 ? "Starts in " + fmtLeft(left) : "Starting…";
    if (left <= 60000 && left > 0 && !announced) { announced = true; $("lobby-status").textContent = "The exam starts in less than a minute."; }
    if (left <= -spread) {
      clearInterval(lobbyTimer);
      $("lobby-status").textContent = "The exam is starting.";
      loadPaper();
    }
  };
  step();
  lobbyTimer = setInterval(step, 250);
}

// ---- the paper ----

async function loadPaper() {
  const cacheKey = "examhall.paper." + session.attempt;
  try {
    paper = await request("GET", "/api/v1/attempts/" + encodeURIComponent(session.attempt), { token: session.token });
    if (paper.lobby) { syncClock(paper); showLobby(paper); return; }
    try { localStorage.setItem(cacheKey, JSON.stringify(paper)); } catch { /* cache only */ }
  } catch (e) {
    if (e.status === 401 || e.status === 403) { showLogin(e.message); return; }
    if (e.status === 503 && !localStorage.getItem(cacheKey)) {
      // Busy at the start: wait in line for the paper.
      $("lobby-status").textContent = "Opening the exam: many candidates are starting at once. Please wait…";
      setTimeout(loadPaper, backoff(0, e.retryAfter));
      return;
    }
    if (e.status === 0 || e.retryable) {
      // Offline on reload: carry on from the copy of the paper kept here.
      const cached = localStorage.getItem(cacheKey);
      if (!cached) { showLogin("The server cannot be reached. Try again in a moment."); return; }
      paper = JSON.parse(cached);
      paper.server_time = null; // the stored clock is stale; keep the last offset
    } else { showLogin(e.message); return; }
  }
  syncClock(paper);
  $("title").textContent = paper.exam.title;
  document.title = paper.exam.title + " — examhall";
  if (paper.status === "submitted") { showReceipt(paper); return; }
  try {
    const more = await loadTypes(paper.questions);
    if (more) more.setUploader((q, f) => request("POST", `/api/v1/attempts/${encodeURIComponent(session.attempt)}/uploads/${encodeURIComponent(q)}?name=${encodeURIComponent(f.name)}`, { token: session.token, body: f }));
  } catch { showLogin("The page could not load everything this exam needs. Try again in a moment."); return; }
  startExam();
}

function startExam() {
  stopExam();
  flags = new Set(JSON.parse(localStorage.getItem("examhall.flags." + paper.attempt) || "[]"));
  queue = new SaveQueue(paper.attempt, {
    getToken: () => session.token,
    onState: showSaveState,
    onTime: syncClock,
    onClosed: () => timeUp(),
    onUnauthorized: (e) => showLogin(e.message),
    onRejected: (e) => alertMsg("An answer was refused: " + e.message),
  });
  queue.known(paper.answers);
  const form = $("paper");
  form.replaceChildren();
  $("instructions").textContent = paper.exam.instructions || "";
  paper.questions.forEach((q, i) => form.append(renderQuestion(q, i + 1, flags.has(q.id), onFlag, paper.exam.id)));
  // Saved answers, then anything still queued on this device (newer).
  for (const [id, a] of Object.entries(paper.answers || {})) setResponse(form, paper.questions.find((q) => q.id === id), a.response);
  for (const a of queue.batch()) setResponse(form, paper.questions.find((q) => q.id === a.question), a.response);
  form.oninput = form.onchange = onAnswer;
  renderNavigator();
  show("exam-view", VIEWS);
  $("save-state").hidden = false;
  $("clock").hidden = false;
  warned = {};
  tick();
  ticker = setInterval(tick, 1000);
  queue.report();
  queue.flush();
  $("main").focus();
}

function stopExam() {
  clearInterval(ticker);
  clearInterval(lobbyTimer);
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
  renderNavigator();
}

function answered() {
  const form = $("paper");
  return new Set(paper.questions.filter((q) => isAnswered(readResponse(form.querySelector(`[data-question="${CSS.escape(q.id)}"]`), q).value)).map((q) => q.id));
}

function renderNavigator() {
  const done = answered();
  const list = $("nav-list");
  list.replaceChildren();
  paper.questions.forEach((q, i) => {
    const state = done.has(q.id) ? "answered" : "unanswered";
    const flagged = flags.has(q.id);
    const b = el("button", {
      type: "button", class: `chip ${state}${flagged ? " flagged" : ""}`, "data-nav": q.id,
      "aria-label": `Question ${i + 1}, ${state}${flagged ? ", flagged for review" : ""}`,
      onclick: () => { const box = $("q-" + q.id); box.scrollIntoView({ block: "start" }); box.querySelector("input, textarea, select, button").focus(); },
    }, String(i + 1));
    list.append(el("li", null, b));
  });
  $("nav-summary").textContent = `${done.size} of ${paper.questions.length} answered` + (flags.size ? `, ${flags.size} flagged` : "");
}

function showSaveState(state, waiting) {
  const s = $("save-state");
  const n = waiting === 1 ? "1 answer" : `${waiting} answers`;
  const text = {
    saved: "All answers saved",
    unsaved: `${n} not yet saved`,
    saving: "Saving…",
    offline: `Offline — ${n} waiting`,
    retrying: `Server busy — ${n} waiting, retrying`,
    closed: "Time is up",
    "signed-out": `Signed out — ${n} waiting`,
  }[state] || state;
  s.textContent = text;
  s.dataset.state = state;
  s.dataset.waiting = waiting;
}

// ---- the clock ----

function remaining() { return deadline - (Date.now() + offset); }

function fmtLeft(ms) {
  const t = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(t / 3600), m = Math.floor((t % 3600) / 60), s = t % 60;
  const pad = (x) => String(x).padStart(2, "0");
  return h ? `${h}:${pad(m)}:${pad(s)}` : `${pad(m)}:${pad(s)}`;
}

function tick() {
  const left = remaining();
  const c = $("clock");
  c.textContent = fmtLeft(left) + " left";
  c.setAttribute("aria-label", `Time left ${fmtLeft(left)}`);
  c.dataset.low = left <= 60000 ? "1" : left <= 300000 ? "5" : "";
  if (left <= 0) { timeUp(); return; }
  if (left <= 60000 && !warned[1]) { warned[1] = warned[5] = true; alertMsg("1 minute left. Your answers are saved as you go."); }
  else if (left <= 300000 && !warned[5]) { warned[5] = true; alertMsg("5 minutes left."); }
}

let closing = false;
async function timeUp() {
  if (closing) return;
  closing = true;
  clearInterval(ticker);
  alertMsg("Time is up. Your saved answers are being submitted.");
  for (const i of $("paper").querySelectorAll("input, textarea, button")) i.disabled = true;
  if (queue) await queue.flush();
  // The server submits overdue attempts once the grace period ends.
  const wait = Math.max(1000, (paper.grace_seconds || 0) * 1000 + 1500 - Math.max(0, -remaining()));
  for (let n = 0; ; n++) {
    await new Promise((r) => setTimeout(r, n ? backoff(n) : wait));
    try {
      const p = await request("GET", "/api/v1/attempts/" + encodeURIComponent(session.attempt), { token: session.token });
      if (p.status === "submitted") { closing = false; paper = p; stopExam(); showReceipt(p); return; }
    } catch (e) { if (e.status === 401) { closing = false; showLogin(e.message); return; } }
  }
}

// ---- submitting ----

function openConfirm() {
  const done = answered();
  const missing = paper.questions.map((q, i) => [q, i + 1]).filter(([q]) => !done.has(q.id));
  $("confirm-text").textContent = missing.length
    ? `${missing.length} of ${paper.questions.length} questions are unanswered:`
    : "Every question is answered.";
  $("confirm-unanswered").replaceChildren(...missing.map(([q, n]) => el("li", null, `Question ${n}: ${promptText(q).slice(0, 80)}`)));
  $("confirm").showModal();
}

async function submit() {
  const btn = $("confirm-submit");
  btn.disabled = true;
  btn.textContent = "Submitting…";
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
        if (e.status === 401) showLogin(e.message);
        else if (e.code === "attempt_closed") timeUp();
        else alertMsg(e.message);
        return;
      }
      btn.textContent = e.status === 0 ? "Offline — will submit when the network returns" : "Server busy — retrying…";
      await new Promise((r) => setTimeout(r, backoff(n, e.retryAfter)));
    } finally {
      btn.disabled = false;
      if (btn.textContent === "Submitting…") btn.textContent = "Submit now";
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
  show("receipt-view", VIEWS);
  $("main").focus();
}

async function showResult() {
  try {
    const r = await request("GET", `/api/v1/attempts/${encodeURIComponent(session.attempt)}/result`, { token: session.token });
    const num = new Map(paper.questions.map((q, i) => [q.id, i + 1]));
    $("result-score").textContent = fmtNum(r.score);
    $("result-max").textContent = fmtNum(r.max_score);
    const note = $("result-pending-note");
    note.hidden = !r.pending;
    note.textContent = r.pending ? `${r.pending} answer(s) still await marking.` : "";
    const rows = (r.questions || []).slice().sort((a, b) => (num.get(a.question) || 0) - (num.get(b.question) || 0));
    $("result-rows").replaceChildren(...rows.map((q) => el("tr", null,
      el("th", { scope: "row" }, `Question ${num.get(q.question) || q.question}`),
      el("td", null, q.pending ? "awaiting marking" : `${fmtNum(q.points)} / ${fmtNum(q.max_points)}`),
      el("td", null, q.comment || ""))));
    show("result-view", VIEWS);
    $("main").focus();
  } catch (e) {
    alertMsg(e.message);
  }
}

const promptText = (q) => q.format === "html" ? rich(document.createElement("div"), q.prompt, "html", paper.exam.id).textContent : q.prompt || "";

const fmtNum = (x) => (Math.round(x * 100) / 100).toString();

function signOut() {
  session = null;
  saveSession();
  paper = null;
  showLogin("");
}

// ---- start ----

$("login-form").addEventListener("submit", login);
$("submit-open").addEventListener("click", openConfirm);
$("confirm-cancel").addEventListener("click", () => $("confirm").close());
$("confirm-submit").addEventListener("click", submit);
$("result-open").addEventListener("click", showResult);
$("result-back").addEventListener("click", () => showReceipt(paper));
$("signout").addEventListener("click", signOut);

// A launch from a learning platform (LTI) arrives with a one-time code in
// the fragment (/#lti=CODE): it is exchanged for a session at once and
// taken out of the address, so that neither history nor a reload keeps it.
async function ltiLogin(code) {
  history.replaceState(null, "", location.pathname + location.search);
  try {
    const res = await request("POST", "/api/v1/login/lti", { body: { code } });
    session = { token: res.token, attempt: res.attempt, exam: res.exam, candidate: res.candidate };
    saveSession();
    syncClock(res);
    await loadPaper();
  } catch (e) {
    showLogin(e.code === "invalid_credentials"
      ? "This link from your course has expired or was used already: open the exam again from your course."
      : e.message);
  }
}

const ltiCode = new URLSearchParams(location.hash.slice(1)).get("lti");
try { session = JSON.parse(localStorage.getItem(SESSION)); } catch { session = null; }
if (ltiCode) ltiLogin(ltiCode);
else if (session && session.token) loadPaper(); else showLogin("");
