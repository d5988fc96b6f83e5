// The six core question types: how each is shown, read and filled in.
// The other types live in moretypes.js, loaded only for papers that have
// them (see loadTypes), so that a paper of core types loads nothing more.

import { el } from "./api.js";
import { t, num, parseNumber } from "./i18n.js";

const CORE = new Set(["single", "multiple", "true_false", "numeric", "short_text", "essay", "match", "order"]);
let more = null;

/** loadTypes loads what the paper's questions need beyond the core types. */
export async function loadTypes(questions) {
  if (!more && questions.some((q) => !CORE.has(q.type))) more = await import("./moretypes.js");
  return more;
}

/**
 * rich fills e with text written in the question's format: plain text as
 * is, or HTML (sanitised by the server) with the exam's images ("assets/x")
 * pointed at the API.
 */
export function rich(e, text, format, exam) {
  if (format !== "html") { e.textContent = text || ""; return e; }
  const t = document.createElement("template");
  t.innerHTML = text || "";
  for (const img of t.content.querySelectorAll("img[src^='assets/']")) {
    img.setAttribute("src", `/api/v1/exams/${encodeURIComponent(exam)}/` + img.getAttribute("src"));
    if (!img.hasAttribute("alt")) img.setAttribute("alt", "");
  }
  e.replaceChildren(t.content);
  return e;
}

/**
 * plain is the text of an HTML fragment, for places that cannot hold
 * markup (a select's options): maths reads as its TeX source when it has it.
 */
export function plain(html) {
  const t = document.createElement("template");
  t.innerHTML = html || "";
  for (const m of t.content.querySelectorAll("math")) {
    const a = m.querySelector("annotation");
    m.replaceWith(a ? a.textContent : m.textContent);
  }
  return t.content.textContent;
}

/** renderQuestion returns the fieldset of question q, numbered n. */
export function renderQuestion(q, n, flagged, onFlag, exam) {
  const id = "q-" + q.id;
  const box = el("fieldset", { id, class: "question card", "data-question": q.id, "data-type": q.type, "aria-describedby": id + "-hint" });
  box.append(el("legend", null, el("span", { class: "qnum" }, t("q.title", { n })), " ", el("span", { class: "muted" }, t("q.points", { n: q.points }))));
  // dir=auto: a prompt in a script of the other direction reads its own way.
  const prompt = rich(el("div", { class: q.format === "html" ? "prompt html" : "prompt", dir: "auto" }), q.prompt, q.format, exam);
  if (more) more.fillPrompt(prompt, q, id);
  box.append(prompt, el("p", { id: id + "-hint", class: "muted hint" }, t("hint." + q.type)));
  const flag = el("button", {
    type: "button", class: "flag", "aria-pressed": flagged ? "true" : "false",
    onclick: () => {
      const on = flag.getAttribute("aria-pressed") !== "true";
      flag.setAttribute("aria-pressed", on ? "true" : "false");
      flag.textContent = t(on ? "q.flagged" : "q.flag");
      onFlag(q.id, on);
    },
  }, t(flagged ? "q.flagged" : "q.flag"));
  box.append(input(q, id, exam), el("p", { class: "field-error error", "aria-live": "polite" }), flag);
  return box;
}

function choice(type, name, value, label, key) {
  const cid = `${name}-${key}`;
  return el("div", { class: "choice" },
    el("input", { type, id: cid, name, value }),
    typeof label === "string" ? el("label", { for: cid }, label) : label(el("label", { for: cid })));
}

function input(q, id, exam) {
  const text = (o) => (e) => rich(e, o.text, q.format, exam);
  const extra = more && more.MORE.has(q.type) && more.moreInput(q, id, exam, { rich, make: input });
  if (extra) return extra;
  switch (q.type) {
    case "single":
    case "multiple": {
      const type = q.type === "single" ? "radio" : "checkbox";
      return el("div", { class: "choices", role: q.type === "single" ? "radiogroup" : "group", "aria-label": t("q.options") },
        ...(q.options || []).map((o, i) => choice(type, id, o.id, text(o), i)));
    }
    case "match":
      return el("div", { class: "match" }, ...(q.options || []).map((o, i) => {
        const sid = `${id}-m${i}`;
        return el("div", { class: "match-row" },
          rich(el("label", { for: sid }), o.text, q.format, exam),
          el("select", { id: sid, "data-option": o.id },
            el("option", { value: "" }, t("q.choose")),
            ...(q.targets || []).map((t) => el("option", { value: t.id }, q.format === "html" ? plain(t.text) : t.text))));
      }));
    case "order": {
      const list = el("ol", { class: "order", "data-touched": "" });
      for (const o of q.options || []) list.append(orderItem(list, o, q, exam));
      return list;
    }
    case "true_false":
      return el("div", { class: "choices", role: "radiogroup", "aria-label": t("q.truefalse") },
        choice("radio", id, "true", t("q.true"), "t"), choice("radio", id, "false", t("q.false"), "f"));
    case "numeric":
      return el("div", null, el("label", { for: id + "-in", class: "sr-only" }, t("q.number")),
        el("input", { id: id + "-in", type: "text", inputmode: "decimal", autocomplete: "off", class: "answer-input" }));
    case "short_text":
      return el("div", null, el("label", { for: id + "-in", class: "sr-only" }, t("q.answer")),
        el("input", { id: id + "-in", type: "text", maxlength: "1000", autocomplete: "off", class: "answer-input" }));
    default:
      return el("div", null, el("label", { for: id + "-in", class: "sr-only" }, t("q.answer")),
        el("textarea", { id: id + "-in", rows: "8", maxlength: "100000", class: "answer-input" }));
  }
}

function orderItem(list, o, q, exam) {
  const label = el("span", { class: "order-text" });
  rich(label, o.text, q.format, exam);
  const name = label.textContent.slice(0, 60);
  const move = (d) => () => {
    const li = up.closest("li");
    const other = d < 0 ? li.previousElementSibling : li.nextElementSibling;
    if (!other) return;
    if (d < 0) other.before(li); else other.after(li);
    list.dataset.touched = "1";
    (d < 0 ? li.querySelector(".up") : li.querySelector(".down")).focus();
    list.dispatchEvent(new Event("change", { bubbles: true }));
  };
  const up = el("button", { type: "button", class: "up", "aria-label": t("q.moveUp", { name }), onclick: move(-1) }, t("q.up"));
  const down = el("button", { type: "button", class: "down", "aria-label": t("q.moveDown", { name }), onclick: move(1) }, t("q.down"));
  return el("li", { "data-option": o.id }, label, el("span", { class: "order-buttons" }, up, down));
}

/** readResponse reads a question's response in the API's shape (null when unanswered). */
export function readResponse(box, q) {
  if (more && more.MORE.has(q.type)) return more.readMore(box, q, readResponse);
  switch (q.type) {
    case "single":
    case "true_false": {
      const c = box.querySelector("input:checked");
      if (!c) return { value: null };
      return { value: q.type === "single" ? c.value : c.value === "true" };
    }
    case "multiple": {
      const v = [...box.querySelectorAll("input:checked")].map((c) => c.value);
      return { value: v.length ? v : null };
    }
    case "match": {
      const v = {};
      for (const sel of box.querySelectorAll("select")) if (sel.value) v[sel.dataset.option] = sel.value;
      return { value: Object.keys(v).length ? v : null };
    }
    case "order": {
      const list = box.querySelector("ol.order");
      return { value: list.dataset.touched ? [...list.children].map((li) => li.dataset.option) : null };
    }
    case "numeric": {
      const s = box.querySelector("input").value.trim();
      if (s === "") return { value: null };
      const x = parseNumber(s);
      if (!Number.isFinite(x)) return { value: null, error: t("q.notNumber", { example: num(3.14) }) };
      return { value: x };
    }
    default: {
      const s = box.querySelector("input, textarea").value;
      return { value: s.trim() === "" ? null : s };
    }
  }
}

/** setResponse shows a saved response in the form. */
export function setResponse(form, q, r) {
  if (q) setIn(form.querySelector(`[data-question="${CSS.escape(q.id)}"]`), q, r);
}

function setIn(box, q, r) {
  if (more && more.MORE.has(q.type)) { more.setMore(box, q, r, setIn); return; }
  switch (q.type) {
    case "single":
    case "true_false":
    case "multiple": {
      const want = new Set((Array.isArray(r) ? r : r == null ? [] : [r]).map(String));
      for (const c of box.querySelectorAll("input")) c.checked = want.has(c.value);
      break;
    }
    case "match":
      for (const sel of box.querySelectorAll("select")) sel.value = (r && r[sel.dataset.option]) || "";
      break;
    case "order": {
      const list = box.querySelector("ol.order");
      list.dataset.touched = Array.isArray(r) && r.length ? "1" : "";
      if (!list.dataset.touched) break;
      const items = new Map([...list.children].map((li) => [li.dataset.option, li]));
      for (const id of r) if (items.has(id)) list.append(items.get(id));
      break;
    }
    default:
      box.querySelector("input, textarea").value = r == null ? "" : String(r);
  }
}

/** isAnswered says whether a response counts as an answer. */
export const isAnswered = (v) => v !== null && v !== undefined && v !== "" && !(Array.isArray(v) && !v.length) &&
  !(typeof v === "object" && !Array.isArray(v) && !Object.keys(v).length);
