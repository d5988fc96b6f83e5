// Checks an exam document in the browser before it is uploaded, so staff
// see every error at once, each with its field; the server checks again
// (and has the last word) on upload.

import { t } from "./i18n.js";

const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
const TYPES = ["single", "multiple", "true_false", "numeric", "short_text", "essay", "match", "order"];
// Types the server alone checks (their documents are richer).
const MORE = ["cloze", "gap_match", "hot_text", "hotspot", "select_point", "upload", "multipart"];

/** checkExam parses text and returns {doc, errors: [{field, message}]}. */
export function checkExam(text) {
  const errors = [];
  const err = (field, message) => errors.push({ field, message });
  if (!text.trim()) { err("", t("check.empty")); return { errors }; }
  let doc;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    err("", t("check.json", { error: e.message }));
    return { errors };
  }
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) { err("", t("check.object")); return { errors }; }
  if (doc.id !== undefined && (typeof doc.id !== "string" || !ID.test(doc.id))) err("id", t("check.examId"));
  if (typeof doc.title !== "string" || !doc.title.trim()) err("title", t("check.required"));
  for (const f of ["duration_seconds", "grace_seconds"]) {
    if (doc[f] !== undefined && (typeof doc[f] !== "number" || doc[f] < 0 || !Number.isInteger(doc[f]))) err(f, t("check.seconds"));
  }
  // Timed sections give the exam their sum as its duration.
  const timed = Array.isArray(doc.sections) && doc.sections.some((s) => s && s.duration_seconds > 0);
  if (!doc.duration_seconds && !doc.closes_at && !timed) err("duration_seconds", t("check.duration"));
  for (const f of ["opens_at", "closes_at"]) {
    if (doc[f] != null && (typeof doc[f] !== "string" || isNaN(Date.parse(doc[f])))) err(f, t("check.time"));
  }
  if (doc.opens_at && doc.closes_at && Date.parse(doc.closes_at) <= Date.parse(doc.opens_at)) err("closes_at", t("check.after"));
  if (!Array.isArray(doc.questions) || !doc.questions.length) {
    err("questions", t("check.questions"));
    return { doc, errors };
  }
  const seen = new Set();
  doc.questions.forEach((q, i) => {
    const path = `questions[${i}]` + (q && typeof q.id === "string" ? ` (${q.id})` : "");
    if (!q || typeof q !== "object") { err(path, t("check.isObject")); return; }
    if (typeof q.id !== "string" || !ID.test(q.id)) err(path + ".id", t("check.id"));
    else if (seen.has(q.id)) err(path + ".id", t("check.idUsed", { id: q.id }));
    seen.add(q.id);
    if (MORE.includes(q.type)) return;
    if (!TYPES.includes(q.type)) { err(path + ".type", t("check.type", { types: [...TYPES, ...MORE].join(", ") })); return; }
    if (q.points !== undefined && (typeof q.points !== "number" || q.points < 0)) err(path + ".points", t("check.points"));
    if (q.format !== undefined && q.format !== "text" && q.format !== "html") err(path + ".format", t("check.format"));
    const choice = ["single", "multiple", "match", "order"].includes(q.type);
    const least = q.type === "match" ? 1 : 2;
    const opts = new Set(), targets = new Set();
    if (q.type === "match") {
      if (!Array.isArray(q.targets) || !q.targets.length) err(path + ".targets", t("check.targets"));
      else q.targets.forEach((o, j) => { if (o && typeof o.id === "string") targets.add(o.id); else err(`${path}.targets[${j}].id`, t("check.badId")); });
    } else if (q.targets !== undefined) err(path + ".targets", t("check.noTargets"));
    if (choice) {
      if (!Array.isArray(q.options) || q.options.length < least) err(path + ".options", t("check.options", { type: q.type, n: least }));
      else q.options.forEach((o, j) => {
        if (!o || typeof o.id !== "string" || !ID.test(o.id)) err(`${path}.options[${j}].id`, t("check.badId"));
        else if (opts.has(o.id)) err(`${path}.options[${j}].id`, t("check.optionUsed", { id: o.id }));
        else opts.add(o.id);
      });
    } else if (q.options !== undefined) err(path + ".options", t("check.noOptions", { type: q.type }));
    const a = q.answer, ap = path + ".answer";
    if (q.type === "essay") { if (a !== undefined) err(ap, t("check.essay")); return; }
    if (a === undefined || a === null) { err(ap, `is required for ${q.type} questions.`); return; }
    switch (q.type) {
      case "single": if (opts.size && !opts.has(a)) err(ap, t("check.single")); break;
      case "multiple":
        if (!Array.isArray(a) || !a.length) err(ap, t("check.multiple"));
        else for (const x of a) if (opts.size && !opts.has(x)) err(ap, t("check.notOption", { id: x }));
        break;
      case "match":
        if (typeof a !== "object" || Array.isArray(a) || !Object.keys(a).length) err(ap, t("check.match"));
        else for (const [o, tg] of Object.entries(a)) {
          if (opts.size && !opts.has(o)) err(ap, t("check.notOption", { id: o }));
          if (targets.size && !targets.has(tg)) err(ap, t("check.notTarget", { id: tg }));
        }
        break;
      case "order":
        if (!Array.isArray(a) || a.length !== opts.size || new Set(a).size !== a.length || a.some((x) => !opts.has(x))) err(ap, t("check.order"));
        break;
      case "true_false": if (typeof a !== "boolean") err(ap, t("check.boolean")); break;
      case "numeric": if (typeof a !== "number") err(ap, t("check.number")); break;
      case "short_text": if (!(typeof a === "string" || (Array.isArray(a) && a.length && a.every((x) => typeof x === "string")))) err(ap, t("check.text")); break;
    }
  });
  return { doc, errors };
}
