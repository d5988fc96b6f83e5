// Checks an exam document in the browser before it is uploaded, so staff
// see every error at once, each with its field; the server checks again
// (and has the last word) on upload.

const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
const TYPES = ["single", "multiple", "true_false", "numeric", "short_text", "essay", "match", "order"];
// Types the server alone checks (their documents are richer).
const MORE = ["cloze", "gap_match", "hot_text", "hotspot", "select_point", "upload", "multipart"];

/** checkExam parses text and returns {doc, errors: [{field, message}]}. */
export function checkExam(text) {
  const errors = [];
  const err = (field, message) => errors.push({ field, message });
  if (!text.trim()) { err("", "Choose a file or paste an exam document."); return { errors }; }
  let doc;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    err("", "The document is not valid JSON: " + e.message);
    return { errors };
  }
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) { err("", "The document must be a JSON object."); return { errors }; }
  if (doc.id !== undefined && (typeof doc.id !== "string" || !ID.test(doc.id))) err("id", "must be 1–64 letters, digits, '.', '_', ':' or '-', starting with a letter or digit.");
  if (typeof doc.title !== "string" || !doc.title.trim()) err("title", "is required.");
  for (const f of ["duration_seconds", "grace_seconds"]) {
    if (doc[f] !== undefined && (typeof doc[f] !== "number" || doc[f] < 0 || !Number.isInteger(doc[f]))) err(f, "must be a whole number of seconds, not negative.");
  }
  // Timed sections give the exam their sum as its duration.
  const timed = Array.isArray(doc.sections) && doc.sections.some((s) => s && s.duration_seconds > 0);
  if (!doc.duration_seconds && !doc.closes_at && !timed) err("duration_seconds", "is required when the exam has no closes_at.");
  for (const f of ["opens_at", "closes_at"]) {
    if (doc[f] != null && (typeof doc[f] !== "string" || isNaN(Date.parse(doc[f])))) err(f, "must be a time like 2026-06-01T09:00:00Z.");
  }
  if (doc.opens_at && doc.closes_at && Date.parse(doc.closes_at) <= Date.parse(doc.opens_at)) err("closes_at", "must be after opens_at.");
  if (!Array.isArray(doc.questions) || !doc.questions.length) {
    err("questions", "an exam needs at least one question.");
    return { doc, errors };
  }
  const seen = new Set();
  doc.questions.forEach((q, i) => {
    const path = `questions[${i}]` + (q && typeof q.id === "string" ? ` (${q.id})` : "");
    if (!q || typeof q !== "object") { err(path, "must be an object."); return; }
    if (typeof q.id !== "string" || !ID.test(q.id)) err(path + ".id", "must be 1–64 letters, digits, '.', '_', ':' or '-'.");
    else if (seen.has(q.id)) err(path + ".id", `"${q.id}" is used by another question.`);
    seen.add(q.id);
    if (MORE.includes(q.type)) return;
    if (!TYPES.includes(q.type)) { err(path + ".type", `must be one of ${[...TYPES, ...MORE].join(", ")}.`); return; }
    if (q.points !== undefined && (typeof q.points !== "number" || q.points < 0)) err(path + ".points", "must be a number, not negative.");
    if (q.format !== undefined && q.format !== "text" && q.format !== "html") err(path + ".format", "must be text or html.");
    const choice = ["single", "multiple", "match", "order"].includes(q.type);
    const least = q.type === "match" ? 1 : 2;
    const opts = new Set(), targets = new Set();
    if (q.type === "match") {
      if (!Array.isArray(q.targets) || !q.targets.length) err(path + ".targets", "a match question needs at least one target.");
      else q.targets.forEach((o, j) => { if (o && typeof o.id === "string") targets.add(o.id); else err(`${path}.targets[${j}].id`, "is not a valid id."); });
    } else if (q.targets !== undefined) err(path + ".targets", "only match questions have targets.");
    if (choice) {
      if (!Array.isArray(q.options) || q.options.length < least) err(path + ".options", `a ${q.type} question needs at least ${least === 1 ? "one option" : "two options"}.`);
      else q.options.forEach((o, j) => {
        if (!o || typeof o.id !== "string" || !ID.test(o.id)) err(`${path}.options[${j}].id`, "is not a valid id.");
        else if (opts.has(o.id)) err(`${path}.options[${j}].id`, `"${o.id}" is used by another option.`);
        else opts.add(o.id);
      });
    } else if (q.options !== undefined) err(path + ".options", `${q.type} questions have no options.`);
    const a = q.answer, ap = path + ".answer";
    if (q.type === "essay") { if (a !== undefined) err(ap, "essays are graded by a person and take no answer key."); return; }
    if (a === undefined || a === null) { err(ap, `is required for ${q.type} questions.`); return; }
    switch (q.type) {
      case "single": if (opts.size && !opts.has(a)) err(ap, "must be the id of one of the question's options."); break;
      case "multiple":
        if (!Array.isArray(a) || !a.length) err(ap, "must be a non-empty list of option ids.");
        else for (const x of a) if (opts.size && !opts.has(x)) err(ap, `"${x}" is not one of the question's options.`);
        break;
      case "match":
        if (typeof a !== "object" || Array.isArray(a) || !Object.keys(a).length) err(ap, "must be an object pairing option ids with target ids.");
        else for (const [o, t] of Object.entries(a)) {
          if (opts.size && !opts.has(o)) err(ap, `"${o}" is not one of the question's options.`);
          if (targets.size && !targets.has(t)) err(ap, `"${t}" is not one of the question's targets.`);
        }
        break;
      case "order":
        if (!Array.isArray(a) || a.length !== opts.size || new Set(a).size !== a.length || a.some((x) => !opts.has(x))) err(ap, "must list every option id once, in the right order.");
        break;
      case "true_false": if (typeof a !== "boolean") err(ap, "must be true or false."); break;
      case "numeric": if (typeof a !== "number") err(ap, "must be a number."); break;
      case "short_text": if (!(typeof a === "string" || (Array.isArray(a) && a.length && a.every((x) => typeof x === "string")))) err(ap, "must be a string or a list of accepted strings."); break;
    }
  });
  return { doc, errors };
}
