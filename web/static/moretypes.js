// Question types beyond the core: cloze, gap_match, hot_text, hotspot,
// select_point, upload and multipart: how each is shown, read and filled.
// Every control works by keyboard and has a label for screen readers.

import { el } from "./api.js";
import { t, num, parseNumber } from "./i18n.js";

/** T holds every sentence these types show, from the message catalogues. */
export const T = {
  gap: (n) => t("more.gap", { n }), gapNumber: (n) => t("more.gapNumber", { n }), choose: () => t("q.choose"), words: () => t("more.words"),
  dragHint: () => t("more.drag"),
  chosen: (n, max) => t(max ? "more.chosenOf" : "more.chosen", { n, max }),
  point: (i, x, y) => t("more.point", { i, x, y }), noPoints: () => t("more.noPoints"),
  placeHint: () => t("more.place"), areas: () => t("more.areas"),
  clear: () => t("more.clear"), file: () => t("more.file"), uploading: () => t("more.uploading"),
  uploaded: (name, size) => t("more.uploaded", { name, size }), part: (id) => t("more.part", { id }),
  notNumber: () => t("more.notNumbers", { example: num(3.14) }),
};

/** MORE lists the types of this module. */
export const MORE = new Set(["cloze", "gap_match", "hot_text", "hotspot", "select_point", "upload", "multipart"]);

let uploader = null;
/** setUploader gives the page's upload function: (question, file) → reference. */
export function setUploader(fn) { uploader = fn; }


const size = (n) => n < 1024 ? `${num(n)} B` : n < 1048576 ? `${num(Math.round(n / 1024))} KB` : `${num(Math.round(n / 104857.6) / 10)} MB`;
const changed = (e) => e.dispatchEvent(new Event("change", { bubbles: true }));
const pts = (b) => JSON.parse(b.dataset.points || "[]");
const setPts = (b, p) => { b.dataset.points = JSON.stringify(p); b.redraw(); changed(b); };

function marks(node, make) {
  const walk = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
  const texts = [];
  while (walk.nextNode()) texts.push(walk.currentNode);
  for (const t of texts) {
    const parts = t.data.split(/\[\[([A-Za-z0-9][A-Za-z0-9._:-]*)\]\]/);
    if (parts.length < 2) continue;
    t.replaceWith(...parts.map((p, i) => i % 2 ? make(p) || `[[${p}]]` : p));
  }
}

// fillPrompt puts q's controls in place of the [[id]] marks of its prompt.
export function fillPrompt(div, q, id) {
  if (q.type === "cloze") {
    const gaps = new Map((q.gaps || []).map((g, i) => [g.id, [g, i + 1]]));
    marks(div, (gid) => {
      const [g, n] = gaps.get(gid) || [];
      if (!g) return null;
      const label = g.type === "numeric" ? T.gapNumber(n) : T.gap(n);
      if (g.type === "choice") return el("select", { "data-gap": g.id, "aria-label": label }, el("option", { value: "" }, T.choose()), ...g.options.map((o) => el("option", { value: o.id }, o.text)));
      return el("input", { "data-gap": g.id, type: "text", "aria-label": label, autocomplete: "off", class: "gap-input", size: g.type === "numeric" ? 6 : 12, inputmode: g.type === "numeric" ? "decimal" : null, maxlength: 1000 });
    });
  } else if (q.type === "gap_match") {
    const n = new Map((q.gaps || []).map((g, i) => [g.id, i + 1]));
    marks(div, (gid) => n.has(gid) ? el("select", { "data-gap": gid, "aria-label": T.gap(n.get(gid)), ondragover: (e) => e.preventDefault(),
      ondrop: (e) => { e.preventDefault(); e.target.value = e.dataTransfer.getData("text/plain"); changed(e.target); } },
    el("option", { value: "" }, T.choose()), ...q.options.map((o) => el("option", { value: o.id }, o.text))) : null);
  } else if (q.type === "hot_text") {
    const opts = new Map((q.options || []).map((o) => [o.id, o]));
    marks(div, (oid) => opts.has(oid) ? el("button", { type: "button", class: "hot", "data-option": oid, "aria-pressed": "false",
      onclick: (e) => { const b = e.currentTarget, on = b.getAttribute("aria-pressed") !== "true";
        if (on && q.max_choices && div.querySelectorAll("[aria-pressed=true]").length >= q.max_choices) return;
        b.setAttribute("aria-pressed", String(on)); changed(b); } }, opts.get(oid).text) : null);
  }
}

export function moreInput(q, id, exam, input) {
  switch (q.type) {
    case "gap_match":
      return el("div", { class: "bank", role: "group", "aria-label": T.words() },
        el("p", { class: "muted hint" }, T.dragHint()),
        ...q.options.map((o) => el("span", { class: "word", draggable: "true", ondragstart: (e) => e.dataTransfer.setData("text/plain", o.id) }, o.text)));
    case "hot_text":
      return el("p", { class: "muted hint", "aria-live": "polite", "data-count": "" });
    case "hotspot":
      return picture(q, exam, (svg) => {
        const type = q.max_choices === 1 ? "radio" : "checkbox";
        const list = el("div", { class: "choices", role: type === "radio" ? "radiogroup" : "group", "aria-label": q.image.alt || T.areas() });
        q.options.forEach((o, i) => {
          const cid = `${id}-${i}`, inp = el("input", { type, id: cid, name: id, value: o.id });
          const sh = shape(o);
          sh.addEventListener("click", () => { inp.checked = type === "radio" || !inp.checked; changed(inp); });
          sh.dataset.option = o.id;
          svg.append(sh);
          list.append(el("div", { class: "choice" }, inp, el("label", { for: cid }, o.text)));
        });
        return list;
      });
    case "select_point":
      return picture(q, exam, (svg, box) => pointer(q, svg, box));
    case "upload":
      return uploadInput(q, id);
    case "multipart":
      return el("div", { class: "parts" }, ...q.parts.map((p) => {
        const pq = { ...p, format: q.format, id: q.id + "." + p.id };
        const d = el("div", { class: "prompt" + (q.format === "html" ? " html" : "") });
        input.rich(d, p.prompt, q.format, exam);
        fillPrompt(d, pq, id + "-" + p.id);
        return el("fieldset", { class: "part", "data-part": p.id, "data-type": p.type },
          el("legend", null, T.part(p.id), " ", el("span", { class: "muted" }, t("q.points", { n: p.points }))), d, input.make(pq, id + "-" + p.id, exam));
      }));
  }
  return null;
}

function shape(o) {
  const c = o.coords, ns = "http://www.w3.org/2000/svg";
  const s = document.createElementNS(ns, { circle: "circle", rect: "rect", ellipse: "ellipse", poly: "polygon" }[o.shape]);
  const set = (k, v) => s.setAttribute(k, v);
  if (o.shape === "circle") { set("cx", c[0]); set("cy", c[1]); set("r", c[2]); }
  if (o.shape === "ellipse") { set("cx", c[0]); set("cy", c[1]); set("rx", c[2]); set("ry", c[3]); }
  if (o.shape === "rect") { set("x", c[0]); set("y", c[1]); set("width", c[2] - c[0]); set("height", c[3] - c[1]); }
  if (o.shape === "poly") set("points", c.join(" "));
  set("class", "area");
  return s;
}

function picture(q, exam, fill) {
  const im = q.image, src = im.src.startsWith("assets/") ? `/api/v1/exams/${encodeURIComponent(exam)}/${im.src}` : im.src;
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", `0 0 ${im.width} ${im.height}`);
  svg.setAttribute("aria-hidden", "true");
  const box = el("div", { class: "picture", style: null }, el("img", { src, alt: im.alt || "", width: im.width, height: im.height }), svg);
  const rest = fill(svg, box);
  return el("div", null, box, rest);
}

function pointer(q, svg, box) {
  const im = q.image, live = el("p", { class: "muted hint", "aria-live": "polite" }, T.noPoints());
  const cross = document.createElementNS("http://www.w3.org/2000/svg", "path");
  cross.setAttribute("class", "cross");
  let cx = im.width / 2, cy = im.height / 2;
  const drawCross = () => cross.setAttribute("d", `M${cx - 8} ${cy}h16M${cx} ${cy - 8}v16`);
  const draw = () => {
    for (const c of svg.querySelectorAll("circle")) c.remove();
    const ps = pts(box);
    for (const p of ps) { const c = shape({ shape: "circle", coords: [p.x, p.y, Math.max(3, im.width / 80)] }); c.setAttribute("class", "point"); svg.append(c); }
    live.textContent = ps.length ? ps.map((p, i) => T.point(i + 1, p.x, p.y)).join("; ") : T.noPoints();
  };
  box.redraw = draw;
  const place = (x, y) => {
    let ps = pts(box);
    if (q.max_choices && ps.length >= q.max_choices) ps = ps.slice(1);
    setPts(box, [...ps, { x: Math.round(x), y: Math.round(y) }]);
  };
  svg.append(cross); drawCross();
  svg.removeAttribute("aria-hidden");
  svg.setAttribute("role", "application");
  svg.setAttribute("tabindex", "0");
  svg.setAttribute("aria-label", (im.alt ? im.alt + ". " : "") + T.placeHint());
  svg.addEventListener("click", (e) => { const r = svg.getBoundingClientRect(); place((e.clientX - r.left) * im.width / r.width, (e.clientY - r.top) * im.height / r.height); });
  svg.addEventListener("keydown", (e) => {
    const step = (e.shiftKey ? 10 : 1) * Math.max(im.width, im.height) / 100;
    const mv = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] }[e.key];
    if (mv) { cx = Math.min(im.width, Math.max(0, cx + mv[0])); cy = Math.min(im.height, Math.max(0, cy + mv[1])); drawCross(); }
    else if (e.key === "Enter" || e.key === " ") place(cx, cy);
    else if (e.key === "Delete" || e.key === "Backspace") setPts(box, pts(box).slice(0, -1));
    else return;
    e.preventDefault();
  });
  return el("div", null, live, el("button", { type: "button", onclick: () => setPts(box, []) }, T.clear()));
}

function uploadInput(q, id) {
  const status = el("p", { class: "upload-status", "aria-live": "polite" });
  const inp = el("input", { type: "file", id: id + "-file", accept: (q.upload && q.upload.accept || []).join(",") || null,
    oninput: (e) => e.stopPropagation(),
    onchange: async (e) => {
      e.stopPropagation();
      const f = inp.files[0];
      if (!f || !uploader) return;
      status.textContent = T.uploading();
      try {
        const ref = await uploader(q.id, f);
        holder.dataset.ref = JSON.stringify(ref);
        status.textContent = T.uploaded(ref.name, size(ref.size));
        changed(holder);
      } catch (err) { status.textContent = err.message; }
    } });
  const holder = el("div", { class: "upload", "data-ref": "" }, el("label", { for: id + "-file" }, T.file()), inp, status);
  holder.status = status;
  return holder;
}

export function readMore(box, q, read) {
  const sel = (s) => [...box.querySelectorAll(s)];
  switch (q.type) {
    case "cloze": {
      const v = {};
      for (const i of sel("[data-gap]")) {
        const g = q.gaps.find((x) => x.id === i.dataset.gap), s = i.value.trim();
        if (!s) continue;
        if (g.type === "numeric") { const x = parseNumber(s); if (!Number.isFinite(x)) return { value: null, error: T.notNumber() }; v[g.id] = x; } else v[g.id] = s;
      }
      return { value: Object.keys(v).length ? v : null };
    }
    case "gap_match": {
      const v = {};
      for (const s of sel("select[data-gap]")) if (s.value) v[s.dataset.gap] = s.value;
      return { value: Object.keys(v).length ? v : null };
    }
    case "hot_text": {
      const v = sel(".hot[aria-pressed=true]").map((b) => b.dataset.option);
      const c = box.querySelector("[data-count]");
      if (c) c.textContent = T.chosen(v.length, q.max_choices);
      return { value: v.length ? v : null };
    }
    case "hotspot": {
      const v = sel("input:checked").map((c) => c.value);
      for (const a of sel(".area")) a.classList.toggle("on", v.includes(a.dataset.option));
      return { value: v.length ? v : null };
    }
    case "select_point": {
      const v = pts(box.querySelector(".picture"));
      return { value: v.length ? v : null };
    }
    case "upload": {
      const r = box.querySelector(".upload").dataset.ref;
      return { value: r ? JSON.parse(r) : null };
    }
    case "multipart": {
      const v = {};
      for (const p of q.parts) {
        const d = box.querySelector(`[data-part="${CSS.escape(p.id)}"]`), r = read(d, { ...p, id: q.id + "." + p.id });
        if (r.error) return r;
        if (r.value != null) v[p.id] = r.value;
      }
      return { value: Object.keys(v).length ? v : null };
    }
  }
}

export function setMore(box, q, r, set) {
  const sel = (s) => [...box.querySelectorAll(s)];
  switch (q.type) {
    case "cloze":
    case "gap_match":
      for (const i of sel("[data-gap]")) i.value = r && r[i.dataset.gap] != null ? String(r[i.dataset.gap]) : "";
      break;
    case "hot_text":
      for (const b of sel(".hot")) b.setAttribute("aria-pressed", String(!!r && r.includes(b.dataset.option)));
      break;
    case "hotspot":
      for (const c of sel("input")) c.checked = !!r && r.includes(c.value);
      for (const a of sel(".area")) a.classList.toggle("on", !!r && r.includes(a.dataset.option));
      break;
    case "select_point": {
      const p = box.querySelector(".picture");
      p.dataset.points = JSON.stringify(r || []);
      p.redraw();
      break;
    }
    case "upload": {
      const u = box.querySelector(".upload");
      u.dataset.ref = r ? JSON.stringify(r) : "";
      u.status.textContent = r ? T.uploaded(r.name, size(r.size)) : "";
      break;
    }
    case "multipart":
      for (const p of q.parts) set(box.querySelector(`[data-part="${CSS.escape(p.id)}"]`), { ...p, id: q.id + "." + p.id }, r && r[p.id]);
  }
}
