// Warraq's search page: fold the reader's query as generator/arabic/search_fold.py folded the index, then ask
// Pagefind (the language's shards, merged) and list the articles found. The fold must stay in step with the
// Python one: tests/test_search_browser.py compares the two in Chromium over many words.

const INVISIBLE = /[\ufeff\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c\u200b\u2060]/g;
const JOINER_RUN = /[\u200c\u200d]+/g;
const EMOJI_SIDE = /^[\u{1f000}-\u{1faff}\u2300-\u23ff\u2600-\u27bf\u2b00-\u2bff\ufe0f\u{e0020}-\u{e007f}]$/u;
const LETTER_OR_MARK = /^[\p{L}\p{M}]$/u;
const PRESENTATION_FORMS = /[\ufb50-\ufdff\ufe70-\ufefe]+/g;
const DIACRITICS = /[\u064b-\u065f\u0670\u06d6-\u06ed\u0640]/g;
const HAMZA_SEATS = /[\u0624\u0626]/g;
const YA_HAMZA = /[\u064a\u0649]+\u0621/g;
const LETTER_FOLDS = {"\u0623": "\u0627", "\u0625": "\u0627", "\u0622": "\u0627", "\u0671": "\u0627",
                      "\u0624": "\u0648", "\u0626": "\u064a", "\u0629": "\u0647", "\u0649": "\u064a"};
const LETTERS = /[\u0623\u0625\u0622\u0671\u0624\u0626\u0629\u0649]/g;
const DIGITS = /[\u0660-\u0669\u06f0-\u06f9\u066b\u066c]/g;
const WORD = /[\p{L}\p{N}]+/gu;
// search_fold.PREFIXES, longest first: وال فال بال كال لل ال و.
const PREFIXES = ["\u0648\u0627\u0644", "\u0641\u0627\u0644", "\u0628\u0627\u0644", "\u0643\u0627\u0644",
                  "\u0644\u0644", "\u0627\u0644", "\u0648"];
const MIN_STEM = 3;

// normalise.py's _keep_meaningful_joiners: one joiner between letters, a ZWJ between emoji; then all go.
function keepJoiners(run, offset, text) {
  const before = Array.from(text.slice(0, offset)).pop() || "";
  const rest = text.slice(offset + run.length);
  const after = rest ? String.fromCodePoint(rest.codePointAt(0)) : "";
  if (LETTER_OR_MARK.test(before) && LETTER_OR_MARK.test(after)) return run[0];
  if (run.includes("\u200d") && EMOJI_SIDE.test(before) && EMOJI_SIDE.test(after)) return "\u200d";
  return "";
}

function digit(char) {
  const code = char.charCodeAt(0);
  if (code === 0x066b) return ".";
  if (code === 0x066c) return ",";
  return String(code >= 0x06f0 ? code - 0x06f0 : code - 0x0660);
}

export function foldWord(text) {
  text = text.replace(INVISIBLE, "").replace(JOINER_RUN, keepJoiners).replace(/\r\n?/g, "\n");
  text = text.replace(PRESENTATION_FORMS, (run) => run.normalize("NFKC")).normalize("NFC");
  text = text.replace(/[\u200c\u200d]/g, "").replace(DIACRITICS, "");
  text = text.replace(HAMZA_SEATS, "\u0621").replace(YA_HAMZA, "\u0621");
  return text.replace(LETTERS, (char) => LETTER_FOLDS[char]).toLowerCase().replace(DIGITS, digit);
}

function peelOnce(word) {
  const length = Array.from(word).length;
  for (const prefix of PREFIXES) {
    if (word.startsWith(prefix) && length - prefix.length >= MIN_STEM) return word.slice(prefix.length);
  }
  return word;
}

export function peel(word) {
  for (let shorter = peelOnce(word); shorter !== word; shorter = peelOnce(word)) word = shorter;
  return word;
}

export function searchTerms(text) {
  return (foldWord(text).match(WORD) || []).map(peel).join(" ");
}

globalThis.warraqSearch = {foldWord, peel, searchTerms};

function countText(form, count, digits) {
  const category = new Intl.PluralRules(document.documentElement.lang).select(count);
  const template = form.dataset["count" + category[0].toUpperCase() + category.slice(1)] || form.dataset.countOther;
  return template.replace("{n}", new Intl.NumberFormat(document.documentElement.lang, {numberingSystem: digits}).format(count));
}

function showResult(list, data, dates) {
  const item = document.createElement("li");
  item.className = "search-result";
  const heading = document.createElement("h2");
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title || data.url;
  heading.append(link);
  item.append(heading);
  if (data.meta.date) {
    const time = document.createElement("time");
    time.dateTime = data.meta.date;
    time.textContent = dates.format(new Date(data.meta.date + "T00:00:00Z"));
    item.append(time);
  }
  if (data.meta.summary) {
    const summary = document.createElement("p");
    summary.textContent = data.meta.summary;
    item.append(summary);
  }
  list.append(item);
}

async function openPagefind(form) {
  const bundles = form.dataset.bundles.split(" ").filter(Boolean);
  if (!bundles.length) return null;
  const pagefind = await import(bundles[0] + "pagefind.js");
  await pagefind.options({basePath: bundles[0], baseUrl: form.dataset.base});
  for (const bundle of bundles.slice(1)) await pagefind.mergeIndex(bundle, {baseUrl: form.dataset.base});
  return pagefind;
}

function startSearchPage(form) {
  const input = form.querySelector("input[type=search]");
  const status = document.getElementById("search-status");
  const list = document.getElementById("search-results");
  const lang = document.documentElement.lang;
  const digits = document.documentElement.dataset.digits || "latn";
  const dates = new Intl.DateTimeFormat(lang, {year: "numeric", month: "long", day: "numeric", timeZone: "UTC",
                                               numberingSystem: digits});
  let opened = null;
  let latest = 0;
  async function run() {
    const query = input.value.trim();
    const terms = searchTerms(query);
    const number = ++latest;
    const url = new URL(location.href);
    if (query) url.searchParams.set("q", query); else url.searchParams.delete("q");
    history.replaceState(null, "", url);
    if (!terms) { list.replaceChildren(); status.textContent = ""; return; }
    status.textContent = form.dataset.searching;
    try {
      opened = opened || openPagefind(form);
      const pagefind = await opened;
      const found = pagefind ? await pagefind.search(terms) : {results: []};
      const data = await Promise.all(found.results.slice(0, 50).map((result) => result.data()));
      if (number !== latest) return;
      list.replaceChildren();
      data.forEach((item) => showResult(list, item, dates));
      status.textContent = countText(form, found.results.length, digits);
    } catch (error) {
      if (number === latest) status.textContent = form.dataset.failed;
    }
  }
  let timer = 0;
  input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(run, 200); });
  form.addEventListener("submit", (event) => { event.preventDefault(); clearTimeout(timer); run(); });
  const initial = new URLSearchParams(location.search).get("q");
  if (initial) { input.value = initial; run(); }
}

const form = document.querySelector("form[data-search]");
if (form) startSearchPage(form);
