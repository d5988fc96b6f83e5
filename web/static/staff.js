// The staff console: exams, codes, live monitor, results, marking,
// release and item analysis, over the staff API.

import { request, $, el, show, download } from "./api.js";
import { subscribe } from "./sse.js";
import { histogram, scatter } from "./charts.js";
import { checkExam } from "./examcheck.js";
import { rich } from "./questions.js";
import { t, tNodes, num, fmtTime, language, languages, pick, remember, setLanguage, startLanguage, translate, useCatalogues } from "./i18n.js";
import EN from "./staff-en.js";

const VIEWS = ["login-view", "exams-view", "exam-view", "accounts-view"];
const TABS = ["overview", "candidates", "monitor", "results", "analysis"];
const KEY = "examhall.staff";

useCatalogues("staff", EN, ["en", "bn", "hi", "es"], "examhall.staff.lang");

let auth = null; // {token, username}
let exam = null; // the exam document with state
let live = null; // AbortController of the monitor stream
let issued = [];
let issuedExam = ""; // the exam the codes in "New codes" belong to
let attempts = []; // the monitor's list of candidates
let attSort = { key: "candidate", dir: 1 };
let attFetched = 0; // when the list was last read (ms)

const api = (method, path, opts = {}) => request(method, "/api/v1/admin" + path, { ...opts, token: auth && auth.token });
const enc = encodeURIComponent;
const r2 = (x) => x == null ? t("dash") : num(Math.round(x * 100) / 100);

/** errText is an error in the console's language where the console knows it, else the server's own sentence. */
const errText = (e) => e.code === "network" ? t("err.network") : /^http_\d+$/.test(e.code || "") ? t("err.http", { status: e.status }) : e.message;

function alertMsg(text) {
  $("alert").textContent = text || "";
  $("alert").hidden = !text;
}

/** guard runs an action and shows its error; a lost session goes to sign-in. */
async function guard(fn) {
  try {
    alertMsg("");
    return await fn();
  } catch (e) {
    if (e.status === 401) { signOut(t("session.ended")); return; }
    alertMsg(errText(e));
  }
}

// ---- sign in ----

function showLogin(message) {
  stopLive();
  $("who").hidden = $("signout").hidden = true;
  accountsLink(false);
  $("title").textContent = "";
  document.title = t("brand");
  $("login-error").textContent = message || "";
  $("login-error").hidden = !message;
  show("login-view", VIEWS);
  $("login-user").focus();
}

async function login(ev) {
  ev.preventDefault();
  const username = $("login-user").value.trim(), password = $("login-password").value;
  $("login-submit").disabled = true;
  try {
    const res = await request("POST", "/api/v1/admin/login", { body: { username, password } });
    auth = { token: res.token, username: res.username || username };
    sessionStorage.setItem(KEY, JSON.stringify(auth));
    $("login-password").value = "";
    route();
  } catch (e) {
    $("login-error").textContent = e.code === "invalid_credentials" ? t("login.wrong") : errText(e);
    $("login-error").hidden = false;
  } finally {
    $("login-submit").disabled = false;
  }
}

function signOut(message) {
  auth = null;
  sessionStorage.removeItem(KEY);
  if (location.hash && location.hash !== "#/exams") history.replaceState(null, "", "#/exams");
  showLogin(message || "");
}

// ---- routing: #/exams, #/exams/{id}/{tab} ----

async function route() {
  if (!auth) { showLogin(""); return; }
  $("who").textContent = auth.username;
  $("who").hidden = $("signout").hidden = false;
  if (await routeAccounts()) return;
  const m = location.hash.match(/^#\/exams\/([^/]+)(?:\/(\w+))?$/);
  if (m) await showExam(decodeURIComponent(m[1]), TABS.includes(m[2]) ? m[2] : "overview");
  else await showExams();
}

// ---- exams ----

function windowText(e) {
  const o = e.opens_at ? fmtTime(e.opens_at) : t("window.now"), c = e.closes_at ? fmtTime(e.closes_at) : t("window.noend");
  return t("window.range", { opens: o, closes: c });
}

async function showExams() {
  stopLive();
  $("title").textContent = "";
  document.title = t("exams.doc", { title: t("exams.title") });
  show("exams-view", VIEWS);
  await guard(async () => {
    const { exams } = await api("GET", "/exams");
    $("no-exams").hidden = exams.length > 0;
    $("exam-rows").replaceChildren(...exams.map((e) => el("tr", null,
      el("td", null, el("a", { href: `#/exams/${enc(e.id)}/overview` }, e.id)),
      el("td", null, e.title),
      el("td", { class: "num" }, num(e.questions)),
      el("td", null, windowText(e)),
      el("td", null, [t(e.open ? "exams.open" : "exams.closed"), e.released ? t("exams.released") : ""].filter(Boolean).join(", ")))));
  });
  await showPlatforms();
}

// ---- learning platforms (LTI) and Safe Exam Browser ----

/** showPlatforms lists the registered platforms and the tool's URLs (admins only). */
async function showPlatforms() {
  let list;
  try { list = await api("GET", "/lti/platforms"); } catch { $("lti-card").hidden = true; return; }
  const tool = list.tool;
  $("lti-tool").replaceChildren(...[[t("lti.login"), tool.login_url], [t("lti.launch"), tool.launch_url],
    [t("lti.jwks"), tool.jwks_url], [t("lti.deeplink"), tool.deep_linking_url]]
    .flatMap(([k, v]) => [el("dt", null, k), el("dd", null, el("code", null, v))]));
  $("lti-rows").replaceChildren(...list.platforms.map((p) => el("tr", null,
    el("td", null, p.issuer), el("td", null, el("code", null, p.client_id)),
    el("td", null, p.deployment_ids.join(", ")), el("td", null, fmtTime(p.created_at)))));
  $("no-lti").hidden = list.platforms.length > 0;
  $("lti-card").hidden = false;
}

/** showIntegrations fills the overview's SEB and learning platform cards. */
async function showIntegrations() {
  const seb = exam.safe_exam_browser;
  $("seb-state").textContent = seb
    ? t("seb.required", { config: (seb.config_keys || []).length, browser: (seb.browser_exam_keys || []).length })
    : t("seb.notRequired");
  $("seb-key").textContent = "–";
  $("lti-roster-state").textContent = "";
  await guard(async () => {
    const { grades } = await api("GET", examPath("/lti/grades"));
    $("lti-grade-rows").replaceChildren(...grades.map((g) => el("tr", null,
      el("td", null, g.candidate), el("td", { class: "num" }, g.sent_at ? `${r2(g.score_given)} / ${r2(g.score_maximum)}` : "–"),
      el("td", null, g.grading_progress || (g.due ? t("lti.due") : "–")), el("td", null, g.sent_at ? fmtTime(g.sent_at) : "–"),
      el("td", { class: "num" }, String(g.tries)), el("td", null, g.last_error || ""))));
    $("no-lti-grades").hidden = grades.length > 0;
  });
}

async function downloadSEB() {
  await guard(async () => {
    const res = await api("GET", examPath("/seb"));
    $("seb-key").textContent = res.config_key;
    download(`${exam.id}.seb`, res.seb, "application/seb");
  });
}

async function pullRoster() {
  $("lti-roster").disabled = true;
  try {
    await guard(async () => {
      const res = await api("POST", examPath("/lti/roster"));
      $("lti-roster-state").textContent = t("lti.rosterDone", { learners: res.learners, members: res.members, added: res.added.length });
    });
  } finally {
    $("lti-roster").disabled = false;
  }
}

async function readDocument() {
  const file = $("create-file").files[0];
  return file ? await file.text() : $("create-text").value;
}

function showFieldErrors(errors) {
  $("create-error-list").replaceChildren(...errors.map(({ field, message }) =>
    el("li", null, field ? el("code", null, field) : null, field ? " " : null, message)));
  $("create-errors").hidden = !errors.length;
}

/** fieldError splits the server's "path: message" into its parts. */
function fieldError(message) {
  const m = message.match(/^([a-z_]+(?:\[\d+\])?(?: \([^)]*\))?(?:\.[a-z_]+(?:\[\d+\])?)*): (.+)$/s);
  return m ? { field: m[1], message: m[2] } : { field: "", message };
}

/** importFile sends content in another format to the importer and shows its per-item report. */
async function importFile(file) {
  $("create-submit").disabled = true;
  try {
    const res = await api("POST", `/import?name=${enc(file.name)}`, { body: file });
    const r = res.report;
    $("create-ok").textContent = (r.imported_with_changes || r.skipped
      ? t("import.okMore", { n: r.imported, id: res.id, changed: r.imported_with_changes || 0, skipped: r.skipped || 0 })
      : t("import.ok", { n: r.imported, id: res.id })) + " " + t("import.draft");
    $("create-ok").hidden = false;
    $("import-rows").replaceChildren(...(r.items || []).map((it) => el("tr", null,
      el("td", null, it.source), el("td", null, it.question || ""), el("td", null, it.status),
      el("td", null, [...(it.changes || []), it.reason || ""].filter(Boolean).join("; ")))));
    $("import-report").hidden = !(r.items || []).length;
    $("create-form").reset();
    await showExams();
  } catch (e) {
    if (e.status === 401) { signOut(t("session.ended")); return; }
    showFieldErrors([fieldError(errText(e))]);
  } finally {
    $("create-submit").disabled = false;
  }
}

async function createExam(ev) {
  ev.preventDefault();
  $("create-ok").hidden = true;
  $("import-report").hidden = true;
  showFieldErrors([]);
  const file = $("create-file").files[0];
  if (file && !/\.json$/i.test(file.name)) { await importFile(file); return; }
  const text = await readDocument();
  const { doc, errors } = checkExam(text);
  if (errors.length) { showFieldErrors(errors); return; }
  $("create-submit").disabled = true;
  try {
    const res = await api("POST", "/exams", { body: text });
    $("create-ok").textContent = t("create.ok", { id: res.id, title: doc.title });
    $("create-ok").hidden = false;
    $("create-form").reset();
    await showExams();
  } catch (e) {
    if (e.status === 401) { signOut(t("session.ended")); return; }
    showFieldErrors([fieldError(errText(e))]);
  } finally {
    $("create-submit").disabled = false;
  }
}

// ---- one exam ----

async function showExam(id, tab) {
  const ok = await guard(async () => { exam = await api("GET", `/exams/${enc(id)}`); return true; });
  if (!ok) { if (auth) show("exam-view", VIEWS); return; }
  $("title").textContent = exam.title;
  document.title = t("exams.doc", { title: exam.title });
  $("exam-title").textContent = exam.title;
  $("exam-id").textContent = exam.id;
  const mins = exam.duration_seconds ? duration(exam.duration_seconds) : t("exam.untilClosing");
  $("exam-facts").textContent = t("exam.facts", { questions: exam.questions.length, duration: mins, grace: duration(exam.grace_seconds || 0) || t("dur.s", { n: 0 }) });
  show("exam-view", VIEWS);
  for (const b of document.querySelectorAll("[data-tab]")) {
    const on = b.dataset.tab === tab;
    b.setAttribute("aria-selected", on ? "true" : "false");
    b.tabIndex = on ? 0 : -1;
  }
  for (const t of TABS) $("tab-" + t).hidden = t !== tab;
  hideSlips();
  if (issuedExam !== exam.id) { issued = []; issuedExam = ""; $("issued").hidden = true; $("issued-rows").replaceChildren(); }
  if (tab !== "monitor") stopLive();
  await { overview: showOverview, candidates: showCandidates, monitor: startLive, results: showResults, analysis: showAnalysis }[tab]();
}

const examPath = (p = "") => `/exams/${enc(exam.id)}${p}`;

function toLocalInput(t) {
  if (!t) return "";
  const d = new Date(t);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 19);
}
const fromLocalInput = (v) => v ? new Date(v).toISOString() : null;

function showOverview() {
  const now = Date.now();
  const open = (!exam.opens_at || Date.parse(exam.opens_at) <= now) && (!exam.closes_at || Date.parse(exam.closes_at) > now);
  $("window-state").textContent = t(open ? "window.isOpen" : "window.isClosed", { window: windowText(exam) });
  $("window-opens").value = toLocalInput(exam.opens_at);
  $("window-closes").value = toLocalInput(exam.closes_at);
  fillEdit();
  $("release-state").textContent = t(exam.released ? "release.on" : "release.off");
  $("release").hidden = exam.released;
  $("withdraw").hidden = !exam.released;
  showIntegrations();
  showSections();
}

// showSections lists the exam's sections (read only): questions, time,
// answer-any rule, marking (the section's over the exam's) and navigation.
function showSections() {
  const secs = exam.sections || [];
  $("sections-box").hidden = !secs.length;
  const timed = secs.some((s) => s.duration_seconds);
  $("section-rows").replaceChildren(...secs.map((s) => el("tr", { "data-section": s.id },
    el("th", { scope: "row" }, s.title || s.id),
    el("td", { class: "num" }, num(s.questions.length)),
    el("td", null, s.duration_seconds ? duration(s.duration_seconds) : t(timed ? "sections.rest" : "sections.noClock")),
    el("td", null, s.answer_any ? t(s.answer_any_rule === "first" ? "sections.anyFirst" : "sections.anyBest", { n: s.answer_any, m: s.questions.length }) : t("sections.all")),
    el("td", null, markingText(exam.marking, s.marking)),
    el("td", null, t(s.navigation === "forward_only" ? "sections.forward" : "sections.free")))));
}

// markingText writes a section's scheme: its own fields over the exam's
// (a wrong or wrong_fraction of its own replaces both of the exam's).
function markingText(outer, own) {
  if (!outer && !own) return t("sections.none");
  const m = { ...outer };
  if (own && (own.wrong != null || own.wrong_fraction != null)) { delete m.wrong; delete m.wrong_fraction; }
  Object.assign(m, own);
  const pts = (x) => num(Math.round(x * 100) / 100, { signDisplay: "exceptZero" });
  const wrong = m.wrong != null ? pts(m.wrong) : m.wrong_fraction != null ? t("sections.fraction", { fraction: Math.round(m.wrong_fraction * 100) }) : num(0);
  return t("sections.scheme", { correct: m.correct != null ? pts(m.correct) : t("sections.points"), wrong, unanswered: pts(m.unanswered || 0) });
}

// ---- editing before the first attempt ----

function fillEdit() {
  $("edit-title").value = exam.title || "";
  $("edit-instructions").value = exam.instructions || "";
  $("edit-duration").value = String((exam.duration_seconds || 0) / 60);
  $("edit-grace").value = String(exam.grace_seconds || 0);
  $("edit-lobby").value = String(exam.lobby_seconds || 0);
  $("edit-shuffle-questions").checked = !!exam.shuffle_questions;
  $("edit-shuffle-options").checked = !!exam.shuffle_options;
  const rv = exam.review || {};
  $("edit-review-responses").checked = !!rv.responses;
  $("edit-review-correct").checked = !!rv.correct_answers;
  $("edit-review-feedback").checked = !!rv.feedback;
  $("edit-questions").value = JSON.stringify(exam.questions, null, 2);
  $("edit-errors").hidden = true;
  $("edit-ok").hidden = true;
}

async function saveExam(ev) {
  ev.preventDefault();
  const errs = $("edit-errors");
  const fail = (list) => { errs.replaceChildren(...list.map(({ field, message }) => el("li", null, field ? el("code", null, field) : null, field ? " " : null, message))); errs.hidden = false; };
  errs.hidden = true;
  $("edit-ok").hidden = true;
  let questions;
  try { questions = JSON.parse($("edit-questions").value); } catch (e) { fail([{ field: "questions", message: t("edit.notJSON", { error: e.message }) }]); return; }
  const { released, created_at, ...doc } = exam; // server state, not the document
  Object.assign(doc, {
    title: $("edit-title").value.trim(), instructions: $("edit-instructions").value,
    duration_seconds: Math.round(Number($("edit-duration").value || 0) * 60),
    grace_seconds: parseInt($("edit-grace").value || "0", 10), lobby_seconds: parseInt($("edit-lobby").value || "0", 10),
    shuffle_questions: $("edit-shuffle-questions").checked, shuffle_options: $("edit-shuffle-options").checked, questions,
  });
  const review = { responses: $("edit-review-responses").checked, correct_answers: $("edit-review-correct").checked, feedback: $("edit-review-feedback").checked };
  if (review.responses || review.correct_answers || review.feedback) doc.review = review; else delete doc.review;
  if (!doc.lobby_seconds) delete doc.lobby_seconds;
  const text = JSON.stringify(doc);
  const { errors } = checkExam(text);
  if (errors.length) { fail(errors); return; }
  $("edit-submit").disabled = true;
  try {
    await api("PUT", examPath(), { body: text });
    $("edit-ok").textContent = t("edit.saved");
    $("edit-ok").hidden = false;
    await showExam(exam.id, "overview");
    $("edit-ok").textContent = t("edit.saved");
    $("edit-ok").hidden = false;
  } catch (e) {
    if (e.status === 401) { signOut(t("session.ended")); return; }
    fail([e.code === "conflict" ? { field: "", message: t("edit.started") } : fieldError(e.message)]);
  } finally {
    $("edit-submit").disabled = false;
  }
}

async function setWindow(opens, closes) {
  await guard(async () => {
    exam = await api("PUT", examPath("/window"), { body: { opens_at: opens, closes_at: closes } });
    showOverview();
  });
}

async function release(on) {
  await guard(async () => {
    await api("POST", examPath("/release"), { body: { released: on } });
    exam.released = on;
    showOverview();
  });
}

// ---- candidates and codes ----

async function showCandidates() {
  await guard(async () => {
    const { candidates } = await api("GET", examPath("/candidates"));
    $("cand-count").textContent = t("cands.title", { n: candidates.length });
    $("cand-rows").replaceChildren(...candidates.map((c) => el("tr", null,
      el("td", null, c.candidate), el("td", null, c.name || ""), el("td", { class: "num" }, num(c.extra_time_seconds || 0)),
      el("td", null, c.opens_at || c.closes_at ? `${c.opens_at ? fmtTime(c.opens_at) : t("cands.examsTime")} – ${c.closes_at ? fmtTime(c.closes_at) : t("cands.examsTime")}` : ""),
      el("td", null, fmtTime(c.created_at)))));
  });
}

async function issueCodes(ev) {
  ev.preventDefault();
  const ids = $("issue-ids").value.split(/[\s,]+/).filter(Boolean);
  const count = parseInt($("issue-count").value || "0", 10);
  const extra = parseInt($("issue-extra").value || "0", 10);
  const file = $("issue-file").files[0];
  const err = $("issue-error");
  err.hidden = true;
  if (!ids.length && !count && !file) { err.textContent = t("codes.missingFile"); err.hidden = false; return; }
  let body = ids.length ? { candidates: ids } : { count };
  if (extra) body.extra_time_seconds = extra;
  if (file) body = new Blob([await file.arrayBuffer()], { type: "text/csv" });
  $("issue-submit").disabled = true;
  try {
    const res = await api("POST", examPath("/candidates"), { body });
    issued = res.candidates;
    issuedExam = exam.id;
    $("issued-exam").textContent = exam.title;
    $("issued-rows").replaceChildren(...issued.slice(0, 1000).map((c) => el("tr", null,
      el("td", null, c.candidate), el("td", null, c.name || ""), el("td", null, el("code", null, c.code)), el("td", { class: "num" }, num(c.extra_time_seconds || 0)))));
    if (issued.length > 1000) $("issued-rows").append(el("tr", null, el("td", { colspan: "4", class: "muted" }, t("codes.more", { n: issued.length - 1000 }))));
    $("issued").hidden = false;
    $("issue-form").reset();
    await showCandidates();
  } catch (e) {
    if (e.status === 401) { signOut(t("session.ended")); return; }
    err.textContent = errText(e);
    err.hidden = false;
  } finally {
    $("issue-submit").disabled = false;
  }
}

const csvCell = (v) => /[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v);

function issuedCSV() {
  const rows = [["exam", "candidate", "name", "code", "extra_time_seconds"], ...issued.map((c) => [issuedExam, c.candidate, c.name || "", c.code, c.extra_time_seconds || 0])];
  download(`${issuedExam}-codes.csv`, rows.map((r) => r.map(csvCell).join(",")).join("\n") + "\n", "text/csv");
}

// ---- login slips ----

const SLIPS_PER_PAGE = 8;

function showSlips() {
  if (!issued.length) return;
  const title = exam.id === issuedExam ? exam.title : issuedExam;
  const start = exam.id === issuedExam && exam.opens_at ? fmtTime(exam.opens_at) : t("slips.asAnnounced");
  const slips = issued.map((c) => {
    const url = `${location.origin}/?exam=${enc(issuedExam)}&candidate=${enc(c.candidate)}`;
    return el("div", { class: "slip" },
      el("h2", null, title),
      el("p", null, ...tNodes("slips.starts", { time: el("strong", null, start) })),
      el("p", null, ...tNodes("slips.candidate", { id: el("strong", null, c.candidate) }), c.name ? " · " + c.name : ""),
      el("p", { class: "code" }, c.code),
      el("p", { class: "url" }, url),
      el("p", { class: "how" }, t("slips.how", { exam: issuedExam })));
  });
  const pages = [];
  for (let i = 0; i < slips.length; i += SLIPS_PER_PAGE) pages.push(el("div", { class: "slip-page" }, ...slips.slice(i, i + SLIPS_PER_PAGE)));
  $("slips").replaceChildren(...pages);
  $("slips-exam").textContent = title;
  setSlipPaper();
  $("slips-view").hidden = false;
  document.body.classList.add("slips-mode");
}

function setSlipPaper() {
  $("slips").className = "paper-" + $("slips-paper").value; // a named @page of style.css
}

function hideSlips() {
  document.body.classList.remove("slips-mode");
  $("slips-view").hidden = true;
  $("slips").replaceChildren();
}

// ---- live monitor ----

function stopLive() {
  if (live) live.abort();
  live = null;
}

function startLive() {
  stopLive();
  attempts = [];
  attFetched = 0;
  renderAttempts();
  live = new AbortController();
  const state = $("live-state");
  state.textContent = t("live.connecting");
  subscribe(`/api/v1/admin/exams/${enc(exam.id)}/monitor/stream`, auth.token, live.signal, (name, data) => {
    if (name !== "monitor") return;
    const m = JSON.parse(data);
    for (const k of ["candidates", "logins", "not_started", "in_progress", "submitted", "auto_submitted", "saves_per_minute", "logins_failed"]) {
      $("m-" + k).textContent = num(m[k] ?? 0);
    }
    state.textContent = t(m.open ? "live.open" : "live.closed", { time: new Date(m.server_time).toLocaleTimeString(language(), { timeZoneName: "shortOffset" }) });
    state.dataset.live = "1";
    // The list costs the server more than the counters: at most every 5 s.
    if (Date.now() - attFetched > 5000) loadAttempts();
  }, (s, detail) => {
    state.dataset.live = s === "live" ? "1" : "";
    if (s === "reconnecting") state.textContent = t("live.lost");
    if (s === "error") {
      const http = /^The server answered (\d+)\.$/.exec(detail);
      state.textContent = http ? t("err.http", { status: Number(http[1]) }) : detail;
    }
  });
}

// quietMinutes is how long without a save flags an attempt in progress.
const quietMinutes = 5;

async function loadAttempts() {
  attFetched = Date.now();
  const ex = exam && exam.id;
  try {
    const res = await api("GET", examPath("/attempts"));
    if (!exam || exam.id !== ex) return;
    const now = Date.parse(res.server_time);
    attempts = res.attempts.map((a) => ({ ...a, flags: flagsOf(a, now) }));
    // An open extra-time or reopen form is not swept away while staff type in it.
    if (!document.querySelector("[data-extend-form], [data-reopen-form]")) renderAttempts();
  } catch (e) {
    if (e.status === 401) signOut(t("session.ended"));
  }
}

function flagsOf(a, now) {
  const f = [];
  if (a.overdue) f.push(t("att.overdue"));
  if (a.logins > 1) f.push(t("att.loggedIn", { n: a.logins }));
  if (a.reopens) f.push(t("att.reopened", { n: a.reopens }));
  if (a.status === "in_progress") {
    const last = Date.parse(a.last_save_at || a.started_at);
    if (now - last > quietMinutes * 60000) f.push(t("att.quiet", { n: Math.floor((now - last) / 60000) }));
  }
  return f;
}

function renderAttempts() {
  const q = $("att-search").value.trim().toLowerCase();
  const onlyFlagged = $("att-flagged").checked;
  const { key, dir } = attSort;
  const rows = attempts
    .filter((a) => (!q || a.candidate.toLowerCase().includes(q) || (a.name || "").toLowerCase().includes(q)) && (!onlyFlagged || a.flags.length))
    .sort((x, y) => { const a = x[key] ?? "", b = y[key] ?? ""; return (a < b ? -1 : a > b ? 1 : 0) * dir; });
  $("att-none").hidden = rows.length > 0;
  $("att-rows").replaceChildren(...rows.slice(0, 500).map((a) => {
    const actions = el("td", null);
    if (a.status !== "not_started") actions.append(el("button", { type: "button", "data-extend": a.candidate }, t("att.extra")));
    if (a.status === "submitted") actions.append(" ", el("button", { type: "button", "data-reopen": a.candidate }, t("att.reopen")));
    const tr = el("tr", { "data-candidate": a.candidate },
      el("td", null, a.candidate, a.name ? el("span", { class: "muted" }, " " + a.name) : ""),
      el("td", null, a.auto ? t("status.auto", { status: status(a.status) }) : status(a.status)),
      el("td", null, a.deadline ? fmtTime(a.deadline) : ""),
      el("td", { class: "num" }, a.questions ? t("att.answered", { n: a.answered, of: a.questions }) : ""),
      el("td", null, a.last_save_at ? fmtTime(a.last_save_at) : ""),
      el("td", { class: "num" }, num(a.logins || 0)),
      el("td", { class: a.flags.length ? "error" : "" }, a.flags.join(t("att.sep"))),
      actions);
    return tr;
  }));
  for (const b of document.querySelectorAll("[data-sort]")) {
    b.closest("th").setAttribute("aria-sort", b.dataset.sort === key ? (dir > 0 ? "ascending" : "descending") : "none");
  }
}

function extendForm(id) {
  const a = attempts.find((x) => x.candidate === id);
  const cell = document.querySelector(`tr[data-candidate="${CSS.escape(id)}"] td:last-child`);
  if (!a || !cell) return;
  const input = el("input", { type: "number", min: "0", step: "1", inputmode: "numeric", "aria-label": t("att.extraFor", { id }), value: String(Math.round((a.extra_time_seconds || 0) / 60)) });
  const form = el("form", { class: "inline", "data-extend-form": id }, input, " " + t("att.min") + " ", el("button", { type: "submit" }, t("att.save")));
  form.addEventListener("submit", (ev) => { ev.preventDefault(); extendCandidate(id, Number(input.value)); });
  cell.replaceChildren(form);
  input.focus();
}

async function extendCandidate(id, mins) {
  if (!Number.isFinite(mins) || mins < 0) { alertMsg(t("att.extraBad")); return; }
  await guard(async () => {
    await api("PUT", examPath(`/candidates/${enc(id)}`), { body: { extra_time_seconds: Math.round(mins * 60) } });
    const form = document.querySelector("[data-extend-form]");
    if (form) form.remove();
    await loadAttempts();
  });
}

// reopenMinutes is what the reopen form offers first.
const reopenMinutes = 10;

function reopenForm(id) {
  const a = attempts.find((x) => x.candidate === id);
  const cell = document.querySelector(`tr[data-candidate="${CSS.escape(id)}"] td:last-child`);
  if (!a || !cell) return;
  const input = el("input", { type: "number", min: "1", max: "1440", step: "1", inputmode: "numeric", "aria-label": t("att.reopenFor", { id }), value: String(reopenMinutes) });
  const form = el("form", { class: "inline", "data-reopen-form": id }, input, " " + t("att.min") + " ", el("button", { type: "submit" }, t("att.reopenDo")));
  form.addEventListener("submit", (ev) => { ev.preventDefault(); reopenAttempt(a.attempt, Number(input.value)); });
  cell.replaceChildren(form);
  input.focus();
}

/** reopenAttempt makes a submitted attempt in progress again for mins minutes from now. */
async function reopenAttempt(attempt, mins) {
  if (!Number.isFinite(mins) || mins <= 0 || mins > 1440) { alertMsg(t("att.reopenBad")); return; }
  await guard(async () => {
    await api("POST", examPath(`/attempts/${enc(attempt)}/reopen`), { body: { extra_seconds: Math.round(mins * 60) } });
    const form = document.querySelector("[data-reopen-form]");
    if (form) form.remove();
    await loadAttempts();
  });
}

// ---- results and marking ----

async function showResults() {
  await guard(async () => {
    const res = await api("GET", examPath("/results"));
    // An exam with sections: a column of points per section, after the score.
    const secs = exam.sections || [];
    const head = $("result-head");
    for (const th of head.querySelectorAll("[data-section]")) th.remove();
    head.children[2].after(...secs.map((s) => el("th", { scope: "col", class: "num", "data-section": s.id }, s.title || s.id)));
    const bySection = (r, id) => {
      const x = r.status !== "not_started" && (r.sections || []).find((x) => x.section === id);
      return x ? t("results.of", { score: r2(x.score), max: r2(x.max_score) }) : "";
    };
    $("result-rows").replaceChildren(...res.results.map((r) => el("tr", null,
      el("th", { scope: "row" }, r.candidate),
      el("td", null, r.auto_submitted ? t("status.auto", { status: status(r.status) }) : status(r.status)),
      el("td", { class: "num" }, r.status === "not_started" ? "" : t("results.of", { score: r2(r.score), max: r2(r.max_score) })),
      ...secs.map((s) => el("td", { class: "num", "data-section": s.id }, bySection(r, s.id))),
      el("td", { class: "num" }, r.pending ? num(r.pending) : ""),
      el("td", null, r.submitted_at ? fmtTime(r.submitted_at) : ""),
      el("td", null, r.attempt ? el("button", { type: "button", "data-attempt": r.attempt, onclick: () => showMarking(r.attempt) },
        t(r.pending ? "results.mark" : "results.view")) : ""))));
  });
}

async function resultsCSV() {
  await guard(async () => {
    const text = await api("GET", examPath("/results"), { accept: "text/csv" });
    download(`${exam.id}-results.csv`, text, "text/csv");
  });
}

async function showMarking(attempt) {
  await guard(async () => {
    const d = await api("GET", examPath(`/attempts/${enc(attempt)}`));
    // Numbered as the candidate saw them: their paper's order.
    const order = d.order || exam.questions.map((q) => q.id);
    const qs = new Map(exam.questions.map((q) => [q.id, { ...q, n: order.indexOf(q.id) + 1 || "" }]));
    d.result.questions.sort((a, b) => order.indexOf(a.question) - order.indexOf(b.question));
    $("marking-title").dataset.attempt = attempt;
    const mt = { candidate: d.result.candidate, score: r2(d.result.score), max: r2(d.result.max_score), n: d.result.pending };
    $("marking-title").textContent = t(d.result.pending ? "mark.titlePending" : "mark.title", mt);
    $("marking-receipt").textContent = d.receipt || t("mark.noReceipt");
    $("marking-list").replaceChildren(...d.result.questions.map((r) => markRow(attempt, qs.get(r.question) || { id: r.question, type: "", prompt: "" }, r)));
    renderTimeline(d.events || [], qs);
    $("marking").hidden = false;
    $("marking").scrollIntoView({ block: "start" });
  });
}

/** renderTimeline lists an attempt's log, oldest first; a save names its questions by the candidate's numbers. */
function renderTimeline(events, qs) {
  $("timeline-count").textContent = String(events.length);
  $("timeline").replaceChildren(...events.map((e) => {
    let what = e.detail || "";
    if (e.kind === "save" || e.kind === "submit" || e.kind === "auto_submit") {
      try {
        const list = JSON.parse(e.detail || "[]");
        what = list.map((a) => { const q = qs.get(a.question); return t("tl.save", { q: q ? t("tl.q", { n: q.n }) : a.question, response: a.response == null ? t("tl.cleared") : readable(q || {}, a.response), seq: a.seq }); }).join("; ");
      } catch { /* not a list of answers: show it as it is */ }
    }
    return el("li", { "data-kind": e.kind }, el("time", { datetime: e.at }, fmtTime(e.at)), " ",
      el("strong", null, known("kind.", e.kind)), e.actor ? " " + t("tl.by", { actor: e.actor }) : "", what ? " — " + what : "");
  }));
}

/** readable shows a response with its options' texts: "g1: Paris; g2: blue". */
function readable(q, v) {
  if (typeof v === "string") return optText(q, v);
  if (Array.isArray(v)) return v.map((x) => typeof x === "object" ? `(${x.x}, ${x.y})` : optText(q, x)).join(", ");
  if (v && typeof v === "object") {
    if (v.ref) return t("mark.file", { name: v.name, type: v.type, size: v.size });
    return Object.entries(v).map(([k, x]) => {
      const part = (q.parts || []).find((p) => p.id === k), gap = (q.gaps || []).find((g) => g.id === k);
      return `${k}: ${part ? readable(part, x) : gap && gap.options ? optText(gap, x) : q.type === "gap_match" ? optText(q, x) : typeof x === "object" ? JSON.stringify(x) : x}`;
    }).join("; ");
  }
  return JSON.stringify(v);
}
const optText = (q, id) => { const o = (q.options || []).concat(q.targets || []).find((x) => x.id === id); return o ? `${o.text.replace(/<[^>]*>/g, "")} (${id})` : String(id); };

/** uploads lists the files a response (or its parts) attaches. */
const uploads = (v, out = []) => {
  if (v && typeof v === "object") {
    if (v.ref && v.sha256) out.push(v); else for (const x of Object.values(v)) uploads(x, out);
  }
  return out;
};

function markRow(attempt, q, r) {
  const id = `mark-${q.id}`;
  const response = r.response == null ? t("mark.none") : readable(q, r.response);
  const box = el("div", { class: "card", "data-mark": q.id },
    el("h3", null, t("mark.question", { n: q.n || "", id: q.id, type: q.type })),
    rich(el("div", { class: q.format === "html" ? "prompt html" : "prompt" }), q.prompt, q.format, exam.id),
    el("p", null, el("strong", null, t("mark.answer")), el("span", { class: "prompt" }, response)),
    q.answer !== undefined ? el("p", null, el("strong", null, t("mark.key")), el("span", { class: "prompt" }, readable(q, q.answer))) : "",
    ...uploads(r.response).map((u) => el("button", { type: "button", onclick: () => guard(async () => {
      const res = await fetch(`/api/v1/admin${examPath(`/attempts/${enc(attempt)}/uploads/${u.sha256}`)}`, { headers: { Authorization: "Bearer " + auth.token } });
      if (!res.ok) throw new Error(t("mark.fetchFailed", { status: res.status }));
      download(u.name, await res.blob(), u.type);
    }) }, t("mark.download", { name: u.name, size: u.size }))),
    el("p", null, r.pending ? t("mark.awaiting") : t(r.marked ? "mark.marked" : "mark.points", { points: r2(r.points), max: r2(r.max_points) })));
  const manual = ["essay", "upload", "multipart"].includes(q.type) || r.marked;
  const pts = el("input", { id: id + "-points", type: "number", min: "0", max: String(r.max_points), step: "any", value: r.pending ? "" : String(r.points) });
  const comment = el("input", { id: id + "-comment", value: r.comment || "" });
  const err = el("p", { class: "error", role: "alert" });
  const form = el("form", { novalidate: true },
    el("label", { for: id + "-points" }, t("mark.pointsLabel", { max: r2(r.max_points) })), pts,
    el("label", { for: id + "-comment" }, t("mark.comment")), comment,
    err, el("button", { type: "submit" }, t("mark.save")));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const points = Number(pts.value);
    if (pts.value === "" || !Number.isFinite(points)) { err.textContent = t("mark.missing"); return; }
    try {
      await api("PUT", examPath(`/attempts/${enc(attempt)}/marks`), { body: { question: q.id, points, comment: comment.value } });
      await showMarking(attempt);
      await showResults();
    } catch (e) { err.textContent = errText(e); }
  });
  if (manual) box.append(form);
  else box.append(el("details", null, el("summary", null, t("mark.override")), form));
  if (q.answer !== undefined && ["single", "multiple", "true_false", "numeric", "short_text"].includes(q.type)) box.append(keyForm(q));
  return box;
}

/** keyForm corrects a question's key for every attempt (POST .../regrade). */
function keyForm(q) {
  const id = `key-${q.id}`;
  const input = el("input", { id, value: JSON.stringify(q.answer), spellcheck: "false" });
  const err = el("p", { class: "error", role: "alert" });
  const form = el("form", { novalidate: true, "data-key": q.id },
    el("label", { for: id }, t("key.label")), input,
    err, el("button", { type: "submit" }, t("key.submit")));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    let answer;
    try { answer = JSON.parse(input.value); } catch { err.textContent = t("key.notJSON"); return; }
    try {
      await api("POST", examPath("/regrade"), { body: { question: q.id, answer } });
      exam = await api("GET", examPath());
      const open = $("marking-title").dataset.attempt;
      await showResults();
      if (open) await showMarking(open);
    } catch (e) { err.textContent = e.message; }
  });
  return el("details", null, el("summary", null, t("key.title")), form);
}

// ---- item analysis ----

async function showAnalysis() {
  await guard(async () => {
    const st = await api("GET", examPath("/stats"));
    const rel = st.reliability == null ? t("dash") : t("stats.reliability", { value: r2(st.reliability), method: known("method.", st.reliability_method) });
    $("stats-summary").textContent = t("stats.attempts", { attempts: st.attempts, awaiting: st.awaiting_marking, progress: st.in_progress, notStarted: st.not_started }) +
      (st.attempts ? " " + t("stats.summary", { mean: r2(st.mean), max: r2(st.max_score), sd: r2(st.sd), median: r2(st.median), min: r2(st.min), top: r2(st.max), reliability: rel }) : "");
    $("histogram").replaceChildren(histogram(st.distribution, st.max_score));
    $("scatter").replaceChildren(scatter(st.items));
    $("item-rows").replaceChildren(...st.items.map((it) => el("tr", null,
      el("th", { scope: "row" }, it.question), el("td", null, it.type),
      el("td", { class: "num" }, num(it.n)), el("td", { class: "num" }, it.n ? r2(it.facility) : t("dash")),
      el("td", { class: "num" }, r2(it.discrimination)), el("td", { class: "num" }, it.n ? r2(it.omitted) : t("dash")),
      el("td", null, (it.flags || []).map((f) => known("flag.", f)).join(", ")))));
  });
}

// ---- staff accounts (#/accounts, admins only) ----

const ROLES = ["admin", "author", "proctor", "marker", "viewer"];
let accounts = null; // {token, admin}: whether this token may manage accounts
let account = null; // the account being changed

/** accountsLink shows the header's link to the accounts screen, or hides it. */
function accountsLink(on) {
  let a = $("accounts-link");
  if (!a) {
    a = el("a", { id: "accounts-link", href: "#/accounts", "data-i18n": "acct.nav", hidden: true }, t("acct.nav"));
    $("signout").before(a);
  }
  a.hidden = !on;
}

/** routeAccounts shows the link to admins (asking the server once per token) and the screen at #/accounts; it says whether it did. */
async function routeAccounts() {
  if (!accounts || accounts.token !== auth.token) {
    let admin = false, sure = true;
    try { await api("GET", "/staff"); admin = true; } catch (e) {
      if (e.status === 401) { signOut(t("session.ended")); return true; }
      sure = e.status === 403; // a network failure asks again at the next page
    }
    if (!auth) return true;
    accounts = { token: sure ? auth.token : "", admin };
  }
  accountsLink(accounts.admin);
  if (location.hash !== "#/accounts") return false;
  await showAccounts();
  return true;
}

const roleName = (r) => known("role.", r);

function roleOptions(sel, value) {
  value = value || sel.value;
  // A reset form comes back to the least the new account may do, or to the account's role.
  const reset = sel.id === "acct-role" ? "viewer" : value;
  sel.replaceChildren(...ROLES.map((r) => el("option", { value: r, selected: r === reset }, roleName(r))));
  sel.value = value;
}

/** fieldErr shows (or clears) a field's error and marks the field. */
function fieldErr(id, text) {
  $(id + "-error").textContent = text || "";
  if (text) $(id).setAttribute("aria-invalid", "true"); else $(id).removeAttribute("aria-invalid");
  return !text;
}

/** passwordErrs checks a new password and its repetition; it focuses the first field in error and says whether both are fine. */
function passwordErrs(id) {
  const p = $(id).value, n = new TextEncoder().encode(p).length;
  const ok1 = fieldErr(id, !p ? t("acct.passwordMissing") : n < 8 ? t("acct.short") : n > 1024 ? t("acct.long") : "");
  const ok2 = fieldErr(id + "2", ok1 && $(id + "2").value !== p ? t("acct.mismatch") : "");
  if (!ok1) $(id).focus(); else if (!ok2) $(id + "2").focus();
  return ok1 && ok2;
}

/** serverField puts the server's "field: message" under its field (prefix + field), else returns false. */
function serverField(prefix, e) {
  const m = /^(username|password|role): (.+)$/s.exec(e.message || "");
  const id = m && prefix + (m[1] === "username" ? "user" : m[1]);
  if (e.code !== "bad_request" || !m || !$(id)) return false;
  fieldErr(id, m[2]);
  $(id).focus();
  return true;
}

async function showAccounts(keepEdit) {
  stopLive();
  $("title").textContent = "";
  document.title = t("exams.doc", { title: t("acct.title") });
  show("accounts-view", VIEWS);
  if (!accounts.admin) { $("acct-denied").hidden = false; $("acct-body").hidden = true; return; }
  $("acct-denied").hidden = true;
  $("acct-body").hidden = false;
  roleOptions($("acct-role"), $("acct-role").value || "viewer");
  if (!keepEdit) { $("acct-edit").hidden = true; $("acct-ok").textContent = ""; }
  await guard(async () => {
    let staff;
    try { ({ staff } = await api("GET", "/staff")); } catch (e) {
      if (e.status !== 403) throw e;
      accounts.admin = false;
      accountsLink(false);
      return showAccounts();
    }
    $("acct-rows").replaceChildren(...staff.map((s) => el("tr", { "data-user": s.username },
      el("th", { scope: "row" }, s.username, s.username === auth.username ? " " + t("acct.you") : ""),
      el("td", null, roleName(s.role)), el("td", null, fmtTime(s.created_at)),
      el("td", null, el("button", { type: "button", "aria-label": t("acct.changeLabel", { name: s.username }), onclick: () => editAccount(s) }, t("acct.change"))))));
  });
}

function editAccount(s) {
  account = s;
  $("acct-edit-title").textContent = t("acct.editTitle", { name: s.username });
  roleOptions($("acct-edit-role"), s.role);
  for (const id of ["acct-edit-role", "acct-edit-password", "acct-edit-password2"]) fieldErr(id, "");
  $("acct-password-form").reset();
  $("acct-confirm").hidden = true;
  $("acct-delete").hidden = false;
  $("acct-delete-error").textContent = "";
  $("acct-edit").hidden = false;
  $("acct-edit-title").focus();
}

/** acctCall sends a change, shows what the server says about a field or the action, and redraws the list. */
async function acctCall(method, path, body, prefix, errId, done) {
  try {
    const res = await api(method, path, body === undefined ? { accept: "*/*" } : { body }); // DELETE answers 204, no JSON
    $("acct-ok").textContent = done(res);
    return true;
  } catch (e) {
    if (e.status === 401) { signOut(t("session.ended")); return false; }
    if (e.status === 403) { accounts.admin = false; accountsLink(false); await showAccounts(); return false; }
    if (serverField(prefix, e)) return false;
    $(errId).textContent = errText(e);
    const field = $(errId.replace(/-error$/, ""));
    if (field && field.matches("input, select")) { field.setAttribute("aria-invalid", "true"); field.focus(); }
    return false;
  }
}

async function addAccount(ev) {
  ev.preventDefault();
  const username = $("acct-user").value.trim();
  $("acct-form-error").textContent = "";
  $("acct-ok").textContent = "";
  const okUser = fieldErr("acct-user", !username ? t("acct.userMissing") : /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/.test(username) ? "" : t("acct.userBad"));
  fieldErr("acct-role", "");
  const okPass = passwordErrs("acct-password");
  if (!okUser) { $("acct-user").focus(); return; }
  if (!okPass) return;
  $("acct-submit").disabled = true;
  const ok = await acctCall("POST", "/staff", { username, role: $("acct-role").value, password: $("acct-password").value }, "acct-", "acct-form-error",
    (s) => t("acct.added", { name: s.username, role: roleName(s.role) }));
  $("acct-submit").disabled = false;
  if (ok) { $("acct-form").reset(); $("acct-role").value = "viewer"; await showAccounts(true); }
}

async function setAccountRole(ev) {
  ev.preventDefault();
  fieldErr("acct-edit-role", "");
  const ok = await acctCall("PUT", `/staff/${enc(account.username)}`, { role: $("acct-edit-role").value }, "acct-edit-", "acct-edit-role-error",
    (s) => t("acct.roleSet", { name: s.username, role: roleName(s.role) }));
  if (ok) { account.role = $("acct-edit-role").value; await showAccounts(true); }
}

async function setAccountPassword(ev) {
  ev.preventDefault();
  if (!passwordErrs("acct-edit-password")) return;
  const ok = await acctCall("PUT", `/staff/${enc(account.username)}`, { password: $("acct-edit-password").value }, "acct-edit-", "acct-edit-password-error",
    (s) => t("acct.passwordSet", { name: s.username }));
  if (ok) { $("acct-password-form").reset(); await showAccounts(true); }
}

function askDelete() {
  $("acct-confirm-text").textContent = t("acct.confirm", { name: account.username });
  $("acct-delete-error").textContent = "";
  $("acct-delete").hidden = true;
  $("acct-confirm").hidden = false;
  $("acct-confirm-no").focus();
}

function cancelDelete() {
  $("acct-confirm").hidden = true;
  $("acct-delete").hidden = false;
  $("acct-delete").focus();
}

async function deleteAccount() {
  const name = account.username;
  const ok = await acctCall("DELETE", `/staff/${enc(name)}`, undefined, "acct-edit-", "acct-delete-error", () => t("acct.deleted", { name }));
  if (!auth) return;
  if (ok) { await showAccounts(true); $("acct-edit").hidden = true; return; }
  $("acct-confirm").hidden = true;
  $("acct-delete").hidden = false;
  $("acct-delete").focus();
}

function startAccounts() {
  $("acct-form").addEventListener("submit", addAccount);
  $("acct-role-form").addEventListener("submit", setAccountRole);
  $("acct-password-form").addEventListener("submit", setAccountPassword);
  $("acct-delete").addEventListener("click", askDelete);
  $("acct-confirm-no").addEventListener("click", cancelDelete);
  $("acct-confirm-yes").addEventListener("click", deleteAccount);
  $("acct-confirm").addEventListener("keydown", (ev) => { if (ev.key === "Escape") cancelDelete(); });
}

/** duration writes seconds as hours, minutes and seconds ("1 min 15 s", "2 h"). */
function duration(sec) {
  const h = Math.floor(sec / 3600), m = Math.floor((sec % 3600) / 60), s = sec % 60;
  return [h && t("dur.h", { n: h }), m && t("dur.min", { n: m }), s && t("dur.s", { n: s })].filter(Boolean).join(" ");
}

/** status names an attempt's status ("not_started") in the console's language. */
const status = (s) => known("status.", s);

/** known is the message prefix+code, or the code itself when the catalogue has no such message. */
function known(prefix, code) {
  const m = t(prefix + code);
  return m === prefix + code ? String(code).replace(/_/g, " ") : m;
}

/** chooseLanguage switches the console's language, remembers it on this device and redraws the view. */
async function chooseLanguage(tag) {
  await setLanguage(tag);
  translate(document);
  $("lang").value = language();
  await route();
}

// ---- start ----

$("login-form").addEventListener("submit", login);
$("signout").addEventListener("click", () => signOut(""));
$("create-form").addEventListener("submit", createExam);
$("create-file").addEventListener("change", () => { $("create-text").value = ""; });
$("window-form").addEventListener("submit", (ev) => { ev.preventDefault(); setWindow(fromLocalInput($("window-opens").value), fromLocalInput($("window-closes").value)); });
$("open-now").addEventListener("click", () => setWindow(new Date().toISOString(), exam.closes_at && Date.parse(exam.closes_at) > Date.now() ? exam.closes_at : null));
$("close-now").addEventListener("click", () => setWindow(exam.opens_at && Date.parse(exam.opens_at) < Date.now() ? exam.opens_at : null, new Date().toISOString()));
$("release").addEventListener("click", () => release(true));
$("withdraw").addEventListener("click", () => release(false));
$("issue-form").addEventListener("submit", issueCodes);
$("edit-form").addEventListener("submit", saveExam);
$("issued-csv").addEventListener("click", issuedCSV);
$("issued-slips").addEventListener("click", showSlips);
$("slips-paper").addEventListener("change", setSlipPaper);
$("slips-print").addEventListener("click", () => print());
$("slips-close").addEventListener("click", hideSlips);
$("att-search").addEventListener("input", renderAttempts);
$("att-flagged").addEventListener("change", renderAttempts);
$("att-rows").addEventListener("click", (ev) => {
  const b = ev.target.closest("[data-extend]");
  if (b) extendForm(b.dataset.extend);
  const r = ev.target.closest("[data-reopen]");
  if (r) reopenForm(r.dataset.reopen);
});
for (const b of document.querySelectorAll("[data-sort]")) {
  b.addEventListener("click", () => { attSort = { key: b.dataset.sort, dir: attSort.key === b.dataset.sort ? -attSort.dir : 1 }; renderAttempts(); });
}
$("results-refresh").addEventListener("click", showResults);
$("seb-download").addEventListener("click", downloadSEB);
$("lti-roster").addEventListener("click", pullRoster);
$("results-csv").addEventListener("click", resultsCSV);
for (const b of document.querySelectorAll("[data-tab]")) {
  b.addEventListener("click", () => { location.hash = `#/exams/${enc(exam.id)}/${b.dataset.tab}`; });
  b.addEventListener("keydown", (ev) => {
    const i = TABS.indexOf(b.dataset.tab);
    const j = ev.key === "ArrowRight" ? (i + 1) % TABS.length : ev.key === "ArrowLeft" ? (i + TABS.length - 1) % TABS.length : -1;
    if (j >= 0) { location.hash = `#/exams/${enc(exam.id)}/${TABS[j]}`; document.querySelector(`[data-tab="${TABS[j]}"]`).focus(); }
  });
}
startAccounts();
addEventListener("hashchange", route);

$("lang").replaceChildren(...languages().map(([tag, name]) => el("option", { value: tag, lang: tag }, name)));
$("lang").addEventListener("change", () => { remember(pick($("lang").value)); chooseLanguage($("lang").value); });

// An instructor's launch from a learning platform (LTI) arrives with a
// one-time code and the exam in the fragment (#lti=CODE&exam=ID).
async function ltiLogin(frag) {
  history.replaceState(null, "", location.pathname + location.search);
  try {
    const res = await request("POST", "/api/v1/admin/login/lti", { body: { code: frag.get("lti") } });
    auth = { token: res.token, username: res.username };
    sessionStorage.setItem(KEY, JSON.stringify(auth));
    if (frag.get("exam")) history.replaceState(null, "", `#/exams/${enc(frag.get("exam"))}`);
    route();
  } catch (e) {
    showLogin(e.code === "invalid_credentials" ? t("lti.expired") : errText(e));
  }
}

try { auth = JSON.parse(sessionStorage.getItem(KEY)); } catch { auth = null; }
const ltiFrag = new URLSearchParams(location.hash.slice(1));
if (ltiFrag.get("lti")) history.replaceState(null, "", location.pathname + location.search); // the code is not a page
// The language first, then the sign-in or the page the address names.
chooseLanguage(startLanguage("")).then(() => { if (ltiFrag.get("lti")) ltiLogin(ltiFrag); });
