// The result of an exam with sections, section by section: a table with a
// caption, column headers and a row header per section. Loaded only for
// such results, with the messages of that mode (msg-LANG-cbt.js). Its
// box in the page scrolls on a narrow screen: a region named by the
// caption, reachable by keyboard.
import { el } from "./api.js";
import { t, num, usePart } from "./i18n.js";

await usePart("cbt");

// Each count of a section's row, and its column's header.
const COLS = [
  ["right", () => t("cbt.result.right")],
  ["partial", () => t("cbt.result.partial")],
  ["wrong", () => t("cbt.result.wrong")],
  ["omitted", () => t("cbt.result.omitted")],
  ["not_counted", () => t("cbt.result.not_counted")],
];

/** sectionTable draws the sections of a result; fmt writes a score. */
export function sectionTable(sections, fmt) {
  const th = (text, cls) => el("th", { scope: "col", class: cls }, text);
  return el("table", { class: "table" },
    el("caption", { id: "result-sections-caption" }, t("cbt.result.caption")),
    el("thead", null, el("tr", null, th(t("cbt.result.section")), th(t("cbt.result.points"), "num"), ...COLS.map(([, h]) => th(h(), "num")))),
    el("tbody", null, ...sections.map((s) => el("tr", { "data-section": s.section },
      el("th", { scope: "row" }, s.title || s.section),
      el("td", { class: "num" }, t("result.of", { points: fmt(s.score), max: fmt(s.max_score) })),
      ...COLS.map(([k]) => el("td", { class: "num" }, num(s[k] || 0)))))));
}
