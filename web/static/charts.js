// Charts of the item analysis, drawn as inline SVG (no library, no CDN).

import { t, num } from "./i18n.js";

const NS = "http://www.w3.org/2000/svg";

function s(tag, attrs, text) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text != null) e.textContent = text;
  return e;
}

function frame(w, h, label) {
  return s("svg", { viewBox: `0 0 ${w} ${h}`, class: "chart", role: "img", "aria-label": label });
}

const r2 = (x) => num(Math.round(x * 100) / 100);

/** histogram draws the score distribution (bins of {from, to, count}). */
export function histogram(bins, maxScore) {
  const W = 600, H = 260, L = 40, R = 10, T = 10, B = 40;
  const step = Math.max(1, Math.ceil(Math.max(0, ...bins.map((b) => b.count)) / 4));
  const max = step * 4;
  const svg = frame(W, H, t("chart.histogram", { max: r2(maxScore), bins: bins.map((b) => t("chart.bin", { from: r2(b.from), to: r2(b.to), count: b.count })).join("; ") }));
  const bw = (W - L - R) / Math.max(1, bins.length);
  for (let i = 0; i <= 4; i++) {
    const y = T + (H - T - B) * (1 - i / 4);
    svg.append(s("line", { x1: L, x2: W - R, y1: y, y2: y, class: "grid" }));
    svg.append(s("text", { x: L - 6, y: y + 4, "text-anchor": "end" }, num(step * i)));
  }
  bins.forEach((b, i) => {
    const h = (H - T - B) * b.count / max;
    const x = L + i * bw;
    const bar = s("rect", { x: x + 2, y: H - B - h, width: Math.max(1, bw - 4), height: h, class: "bar" });
    bar.append(s("title", null, t("chart.bin", { from: r2(b.from), to: r2(b.to), count: b.count })));
    svg.append(bar);
    svg.append(s("text", { x: x + bw / 2, y: H - B + 14, "text-anchor": "middle" }, r2(b.from)));
  });
  svg.append(s("line", { x1: L, x2: W - R, y1: H - B, y2: H - B, class: "axis" }));
  svg.append(s("text", { x: (L + W - R) / 2, y: H - 6, "text-anchor": "middle" }, t("chart.score")));
  return svg;
}

/** scatter draws facility (x, 0–1) against discrimination (y, −1–1) per item. */
export function scatter(items) {
  const W = 600, H = 320, L = 44, R = 10, T = 10, B = 40;
  const x = (f) => L + (W - L - R) * f;
  const y = (d) => T + (H - T - B) * (1 - (d + 1) / 2);
  const shown = items.filter((it) => it.n > 0 && it.discrimination != null);
  const svg = frame(W, H, t("chart.scatter", { items: shown.length
    ? shown.map((it) => t("chart.item", { question: it.question, facility: r2(it.facility), discrimination: r2(it.discrimination) })).join("; ")
    : t("chart.noData") }));
  for (const d of [-1, -0.5, 0, 0.2, 0.5, 1]) {
    svg.append(s("line", { x1: L, x2: W - R, y1: y(d), y2: y(d), class: d === 0 ? "axis" : "grid" }));
    svg.append(s("text", { x: L - 6, y: y(d) + 4, "text-anchor": "end" }, num(d)));
  }
  for (const f of [0, 0.2, 0.5, 0.8, 0.95, 1]) {
    svg.append(s("line", { x1: x(f), x2: x(f), y1: T, y2: H - B, class: "grid" }));
    svg.append(s("text", { x: x(f), y: H - B + 14, "text-anchor": "middle" }, num(f)));
  }
  svg.append(s("text", { x: (L + W - R) / 2, y: H - 6, "text-anchor": "middle" }, t("chart.facility")));
  svg.append(s("text", { x: 12, y: (T + H - B) / 2, "text-anchor": "middle", transform: `rotate(-90 12 ${(T + H - B) / 2})` }, t("chart.discrimination")));
  for (const it of shown) {
    const dot = s("circle", { cx: x(it.facility), cy: y(it.discrimination), r: 6, class: "dot" + (it.flags && it.flags.length ? " flagged" : ""), "data-question": it.question });
    dot.append(s("title", null, t("chart.item", { question: it.question, facility: r2(it.facility), discrimination: r2(it.discrimination) })));
    svg.append(dot);
    svg.append(s("text", { x: x(it.facility) + 8, y: y(it.discrimination) - 6 }, it.question));
  }
  return svg;
}
