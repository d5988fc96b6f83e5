// Languages of the candidate's page: message catalogues, the candidate's
// choice, and numbers and times in the candidate's locale. English is
// built in (it is also the fallback for a key a catalogue lacks); the other
// catalogues are modules loaded only when chosen (msg-LANG.js). The staff
// console has catalogues of its own (staff-LANG.js), chosen by
// useCatalogues, so that the candidate's page never loads its text.

import MSG_EN from "./msg-en.js";

/** LANGS lists the catalogues: tag, own name, writing direction. */
export const LANGS = [
  ["en", "English", "ltr"], ["bn", "বাংলা", "ltr"], ["hi", "हिन्दी", "ltr"], ["es", "Español", "ltr"], ["ar", "العربية", "rtl"],
];
let CHOICE = "examhall.lang", family = "msg", EN = MSG_EN, langs = LANGS;
let lang = "en", msgs = EN, plural = new Intl.PluralRules("en");
const parts = []; // see usePart
let enAll = EN; // English with its parts: what t() falls back to

/**
 * useCatalogues makes another family of catalogues current: its English
 * catalogue (built in), the tags it has in other languages, and the key
 * under which the choice is remembered on this device.
 */
export function useCatalogues(name, en, tags, key) {
  family = name;
  EN = msgs = enAll = en;
  langs = LANGS.filter(([l]) => tags.includes(l));
  CHOICE = key;
}

/** languages lists the [tag, own name, direction] of the current family's catalogues. */
export const languages = () => langs;

/** language is the tag of the catalogue in use. */
export const language = () => lang;

/** pick returns the catalogue tag best matching a BCP 47 tag ("bn-BD" → "bn"), or "". */
export function pick(tag) {
  const base = String(tag || "").toLowerCase().split("-")[0];
  return langs.some(([l]) => l === base) ? base : "";
}

/**
 * startLanguage chooses the language to start in: the candidate's own
 * choice on this device, else the exam's language, else the browser's.
 */
export function startLanguage(examLang) {
  return pick(localStorage.getItem(CHOICE)) || pick(examLang) || navigator.languages.map(pick).find(Boolean) || "en";
}

/** chosen says whether the candidate chose a language on this device. */
export const chosen = () => !!pick(localStorage.getItem(CHOICE));

/** remember keeps the candidate's choice on this device. */
export function remember(tag) { localStorage.setItem(CHOICE, tag); }

/** setLanguage loads a catalogue and makes it current; the page is translated by translate(). */
export async function setLanguage(tag) {
  tag = pick(tag) || "en";
  const [m, ...more] = await Promise.all([tag === "en" ? EN : import(`./${family}-${tag}.js`).then((x) => x.default), ...parts.map((p) => part(tag, p))]);
  lang = tag;
  msgs = Object.assign({}, m, ...more);
  plural = new Intl.PluralRules(tag);
  const root = document.documentElement;
  root.lang = tag;
  root.dir = langs.find(([l]) => l === tag)[2];
}

const part = (tag, p) => import(`./msg-${tag}-${p}.js`).then((x) => x.default);

/** usePart adds a part of the catalogues only some papers need (msg-LANG-PART.js), in English too. */
export async function usePart(p) {
  const [e, m] = await Promise.all([part("en", p), part(lang, p)]);
  parts.push(p);
  enAll = { ...enAll, ...e };
  msgs = { ...msgs, ...m };
}

/**
 * t returns the message key in the current language with {name}
 * placeholders filled; numbers are written the locale's way. A message
 * may be {one, other, ...} chosen by the plural rule of args.n.
 */
export function t(key, args) {
  let m = msgs[key] ?? enAll[key] ?? key;
  if (typeof m === "object") m = m[plural.select(args.n)] ?? m.other;
  return m.replace(/\{(\w+)\}/g, (_, k) => {
    const v = args && args[k];
    return typeof v === "number" ? num(v) : v ?? "";
  });
}

/** tNodes is t with some placeholders filled by DOM nodes (kept, not copied). */
export function tNodes(key, nodes) {
  const keep = Object.fromEntries(Object.keys(nodes).map((k) => [k, `{${k}}`]));
  return t(key, keep).split(/(\{\w+\})/).map((p) => { const m = /^\{(\w+)\}$/.exec(p); return m && nodes[m[1]] ? nodes[m[1]] : p; });
}

/** translate fills every [data-i18n] element of root, and [data-i18n-label] aria-labels. */
export function translate(root) {
  for (const e of root.querySelectorAll("[data-i18n]")) e.textContent = t(e.dataset.i18n);
  for (const e of root.querySelectorAll("[data-i18n-label]")) e.setAttribute("aria-label", t(e.dataset.i18nLabel));
}

/** num writes a number the locale's way (Bengali digits in Bangla). */
export const num = (x, opts) => new Intl.NumberFormat(lang, { maximumFractionDigits: 6, ...opts }).format(x);

/** two writes a whole number with at least two digits (a clock's). */
export const two = (x) => num(x, { minimumIntegerDigits: 2, useGrouping: false });

/** fmtTime writes an RFC 3339 time in the candidate's locale and time zone, with its UTC offset. */
export function fmtTime(s) {
  const d = new Date(s);
  if (!s || isNaN(d)) return "";
  return new Intl.DateTimeFormat(lang, { year: "numeric", month: "short", day: "numeric", hour: "numeric", minute: "2-digit", second: "2-digit", timeZoneName: "shortOffset" }).format(d);
}

// Digits of the scripts a candidate may type in: Bengali, Devanagari,
// Arabic-Indic and Eastern Arabic-Indic.
const ZEROS = [0x09e6, 0x0966, 0x0660, 0x06f0];

/**
 * parseNumber reads a number as a candidate may type it: in any of the
 * digits above, with the locale's decimal separator or ".", with grouping
 * ("1,234.5", "1.234,5", "1 234,5", "১২.৫"). It returns NaN when the text
 * is not a number.
 */
export function parseNumber(text) {
  let s = String(text).trim().replace(/[\u066b]/g, ".").replace(/[\s\u00a0\u202f\u066c'_]/g, "").replace(/[\u2212\u2012\u2013]/g, "-");
  s = s.replace(/[\u0660-\u0669\u06f0-\u06f9\u0966-\u096f\u09e6-\u09ef]/g, (c) => {
    const code = c.charCodeAt(0);
    return String(code - ZEROS.find((z) => code >= z && code <= z + 9));
  });
  const dec = new Intl.NumberFormat(lang).formatToParts(1.5).find((p) => p.type === "decimal").value;
  const commas = (s.match(/,/g) || []).length, dots = (s.match(/\./g) || []).length;
  let g = "", d = "";
  if (commas && dots) [g, d] = s.lastIndexOf(",") > s.lastIndexOf(".") ? [".", ","] : [",", "."]; // the last one is the decimal
  else if (commas + dots > 1) g = commas ? "," : ".";
  else if (commas + dots === 1) {
    const sep = commas ? "," : ".";
    // "1,234" in English is a thousand, "3,5" a decimal; the locale's own
    // decimal separator is always a decimal.
    if (sep !== dec && /^[-+]?[1-9]\d{0,2}[.,]\d{3}$/.test(s)) g = sep; else d = sep;
  }
  if (g) {
    // Groups of three digits (or two, in Indian grouping) after the first.
    const [int] = d ? s.split(d) : [s];
    if (!new RegExp(`^[-+]?\\d{1,3}(\\${g}\\d{2,3})+$`).test(int)) return NaN;
    s = s.split(g).join("");
  }
  if (d) s = s.replace(d, ".");
  return /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s) ? Number(s) : NaN;
}
