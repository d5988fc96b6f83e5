// What a candidate may see of each question after release, as the exam's
// `review` allows (docs/api.md): their response, the key and the feedback,
// under the question's points. Loaded only for a result that carries any.

import { el } from "./api.js";
import { t } from "./i18n.js";

// show turns a response or a key into words: option ids become the
// options' text, true and false the page's words for them.
function show(v, q) {
  const opts = new Map(((q && q.options) || []).map((o) => [o.id, o.text]));
  const one = (x) => typeof x === "boolean" ? t(x ? "q.true" : "q.false")
    : typeof x === "string" ? opts.get(x) ?? x
    : Array.isArray(x) ? x.map(one).join(", ")
    : x && typeof x === "object" ? Object.entries(x).map(([k, w]) => `${opts.get(k) ?? k}: ${one(w)}`).join("; ")
    : String(x);
  return one(v);
}

/** fill adds the review to the rows of the result table, in order of rows. */
export function fill(body, rows, questions) {
  const byId = new Map(questions.map((q) => [q.id, q]));
  rows.forEach((r, i) => {
    const cell = body.children[i] && body.children[i].lastElementChild;
    if (!cell) return;
    const q = byId.get(r.question);
    const parts = [];
    if (r.response != null) parts.push(el("p", { class: "review-yours" }, t("result.yours", { answer: show(r.response, q) })));
    if (r.answer != null) parts.push(el("p", { class: "review-key" }, t("result.key", { answer: show(r.answer, q) })));
    for (const f of r.feedback || []) parts.push(el("p", { class: "review-feedback" }, String(f)));
    cell.append(...parts);
  });
}
