// Regenerate icu_umalqura_month_starts.txt from ICU (what browsers and phones show):
//   node tests/data/dates/icu_umalqura.js > tests/data/dates/icu_umalqura_month_starts.txt
// Prints "YYYY-MM-DD HIJRIYEAR-MM" for the Gregorian date of day 1 of every
// Umm al-Qura month starting from FIRST to the day after LAST inclusive; the extra
// day lets the test know the length of the last month in the range.
'use strict';

const FIRST = Date.UTC(1999, 3, 17); // 1999-04-17
const LAST = Date.UTC(2029, 4, 13); // 2029-05-13
const DAY_MS = 24 * 60 * 60 * 1000;

const hijriFormat = new Intl.DateTimeFormat('en-u-ca-islamic-umalqura', {
  timeZone: 'UTC',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
});

function hijriParts(ms) {
  const parts = {};
  for (const part of hijriFormat.formatToParts(new Date(ms))) {
    parts[part.type] = part.value;
  }
  // Some ICU versions report the Hijri year as relatedYear; accept either.
  return {
    year: Number(parts.year ?? parts.relatedYear),
    month: Number(parts.month),
    day: Number(parts.day),
  };
}

function isoDate(ms) {
  return new Date(ms).toISOString().slice(0, 10);
}

for (let ms = FIRST; ms <= LAST + DAY_MS; ms += DAY_MS) {
  const hijri = hijriParts(ms);
  if (hijri.day === 1) {
    const month = String(hijri.month).padStart(2, '0');
    console.log(`${isoDate(ms)} ${hijri.year}-${month}`);
  }
}
