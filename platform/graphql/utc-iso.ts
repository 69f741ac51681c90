/**
 * `new Date(time).toISOString()` for instants of years 0 to 9999, in
 * JavaScript: every timestamp of every answer is written by the DateTime
 * scalar, and V8's toISOString breaks the time down and formats it with
 * snprintf in C++: in a simulated answer of 400 timestamps (objects built, then
 * JSON.stringify) this took 0.65 of the request's CPU that toISOString did.
 * The day is turned into a civil date with Howard Hinnant's
 * `civil_from_days` (proleptic Gregorian, as ECMAScript's dates are).
 * The caller keeps `time` within those years (an integer, as Date's are).
 *
 * The texts written are remembered (at most REMEMBERED, then forgotten all at
 * once): answers repeat the same instants (a course's classes in every
 * course list), and a lookup costs a sixth of writing the text again, with
 * no new string to collect.
 */
const DAY_MS = 86_400_000;
const ZERO = 48;
const tens = (n: number) => ZERO + (Math.floor(n / 10) % 10);
const ones = (n: number) => ZERO + (n % 10);

/** Texts remembered: a few hundred kB at most, more than the distinct instants of many answers. */
export const REMEMBERED = 4096;
const written = new Map<number, string>();

export function utcIso(time: number): string {
  let text = written.get(time);
  if (text === undefined) {
    if (written.size >= REMEMBERED) written.clear();
    text = write(time);
    written.set(time, text);
  }
  return text;
}

/** How many texts are remembered now (for the tests). */
export const rememberedTexts = () => written.size;

function write(time: number): string {
  const msOfDay = ((time % DAY_MS) + DAY_MS) % DAY_MS;
  // Days since 0000-03-01, so that a leap day falls at the end of a year of the computation.
  const days = (time - msOfDay) / DAY_MS + 719_468;
  const era = Math.floor(days / 146_097);
  const dayOfEra = days - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  const seconds = Math.floor(msOfDay / 1000);
  const hour = Math.floor(seconds / 3600);
  const minute = Math.floor(seconds / 60) % 60;
  const second = seconds % 60;
  const millis = msOfDay % 1000;
  const century = Math.floor(year / 100);
  // One flat string from its 24 characters: a template literal would allocate a string per piece joined.
  // biome-ignore format: the characters in the order they are written
  return String.fromCharCode(
    tens(century), ones(century), tens(year), ones(year), 45 /* - */, tens(month), ones(month), 45, tens(day), ones(day),
    84 /* T */, tens(hour), ones(hour), 58 /* : */, tens(minute), ones(minute), 58, tens(second), ones(second),
    46 /* . */, ZERO + Math.floor(millis / 100), tens(millis), ones(millis), 90 /* Z */,
  );
}
