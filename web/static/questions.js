// The six core question types: how each is shown, read and filled in.

import { el } from "./api.js";

const TYPE_HINT = {
  single: "Choose one answer.",
  multiple: "Choose every answer that applies.",
  true_false: "True or false?",
  numeric: "Enter a number.",
  short_text: "Enter a short answer.",
  essay: "Write your answer.",
};

/** renderQuestion returns the fieldset of question q, numbered n. */
export function renderQuestion(q, n, flagged, onFlag) {
  const id = "q-" + q.id;
  const box = el("fieldset", { id, class: "question card", "data-question": q.id, "data-type": q.type, "aria-describedby": id + "-hint" });
  const pts = q.points === 1 ? "1 point" : `${q.points} points`;
  box.append(el("legend", null, el("span", { class: "qnum" }, `Question ${n}`), " ", el("span", { class: "muted" }, `(${pts})`)));
  box.append(el("p", { class: "prompt" }, q.prompt || ""));
  box.append(el("p", { id: id + "-hint", class: "muted hint" }, TYPE_HINT[q.type] || ""));
  const flag = el("button", {
    type: "button", class: "flag", "aria-pressed": flagged ? "true" : "false",
    onclick: () => {
      const on = flag.getAttribute("aria-pressed") !== "true";
      flag.setAttribute("aria-pressed", on ? "true" : "false");
      flag.textContent = on ? "Flagged for review" : "Flag for review";
      onFlag(q.id, on);
    },
  }, flagged ? "Flagged for review" : "Flag for review");
  box.append(input(q, id), el("p", { class: "field-error error", "aria-live": "polite" }), flag);
  return box;
}

function choice(type, name, value, label, key) {
  const cid = `${name}-${key}`;
  return el("div", { class: "choice" },
    el("input", { type, id: cid, name, value }),
    el("label", { for: cid }, label));
}

function input(q, id) {
  switch (q.type) {
    case "single":
    case "multiple": {
      const type = q.type === "single" ? "radio" : "checkbox";
      return el("div", { class: "choices", role: q.type === "single" ? "radiogroup" : "group", "aria-label": `Options of question ${q.id}` },
        ...(q.options || []).map((o, i) => choice(type, id, o.id, o.text, i)));
    }
    case "true_false":
      return el("div", { class: "choices", role: "radiogroup", "aria-label": "True or false" },
        choice("radio", id, "true", "True", "t"), choice("radio", id, "false", "False", "f"));
    case "numeric":
      return el("div", null, el("label", { for: id + "-in", class: "sr-only" }, "Your number"),
        el("input", { id: id + "-in", type: "text", inputmode: "decimal", autocomplete: "off", class: "answer-input" }));
    case "short_text":
      return el("div", null, el("label", { for: id + "-in", class: "sr-only" }, "Your answer"),
        el("input", { id: id + "-in", type: "text", maxlength: "1000", autocomplete: "off", class: "answer-input" }));
    default:
      return el("div", null, el("label", { for: id + "-in", class: "sr-only" }, "Your answer"),
        el("textarea", { id: id + "-in", rows: "8", maxlength: "100000", class: "answer-input" }));
  }
}

/** readResponse reads a question's response in the API's shape (null when unanswered). */
export function readResponse(box, q) {
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
    case "numeric": {
      const s = box.querySelector("input").value.trim().replace(",", ".");
      if (s === "") return { value: null };
      const x = Number(s);
      if (!Number.isFinite(x)) return { value: null, error: "Enter a number, like 3.14." };
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
  if (!q) return;
  const box = form.querySelector(`[data-question="${CSS.escape(q.id)}"]`);
  switch (q.type) {
    case "single":
    case "true_false":
    case "multiple": {
      const want = new Set((Array.isArray(r) ? r : r == null ? [] : [r]).map(String));
      for (const c of box.querySelectorAll("input")) c.checked = want.has(c.value);
      break;
    }
    default:
      box.querySelector("input, textarea").value = r == null ? "" : String(r);
  }
}

/** isAnswered says whether a response counts as an answer. */
export const isAnswered = (v) => v !== null && v !== undefined && v !== "" && !(Array.isArray(v) && !v.length);
