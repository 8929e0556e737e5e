const UNITS = [
  "zero",
  "one",
  "two",
  "three",
  "four",
  "five",
  "six",
  "seven",
  "eight",
  "nine",
  "ten",
  "eleven",
  "twelve",
  "thirteen",
  "fourteen",
  "fifteen",
  "sixteen",
  "seventeen",
  "eighteen",
  "nineteen",
];
const TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];
const ORDINAL_UNITS = [
  "zeroth",
  "first",
  "second",
  "third",
  "fourth",
  "fifth",
  "sixth",
  "seventh",
  "eighth",
  "ninth",
  "tenth",
  "eleventh",
  "twelfth",
  "thirteenth",
  "fourteenth",
  "fifteenth",
  "sixteenth",
  "seventeenth",
  "eighteenth",
  "nineteenth",
];
const ORDINAL_TENS = [
  "",
  "",
  "twentieth",
  "thirtieth",
  "fortieth",
  "fiftieth",
  "sixtieth",
  "seventieth",
  "eightieth",
  "ninetieth",
];

const WORD_VALUES = new Map<string, number>();
for (const [value, word] of UNITS.entries()) WORD_VALUES.set(word, value);
for (const [value, word] of ORDINAL_UNITS.entries()) WORD_VALUES.set(word, value);
for (const [value, word] of TENS.entries()) if (word) WORD_VALUES.set(word, value * 10);
for (const [value, word] of ORDINAL_TENS.entries()) if (word) WORD_VALUES.set(word, value * 10);
WORD_VALUES.set("hundred", 100);
WORD_VALUES.set("hundredth", 100);

/** Regex source matching a chapter number: digits, Roman numerals or English number words. */
export const NUMBER_PATTERN =
  "(?:\\d{1,4}|[IVXLCDM]{1,9}\\b|(?:the\\s+)?(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[-\\s](?:one|two|three|four|five|six|seven|eight|nine|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|hundred|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth|fortieth|fiftieth|last|final)\\b)";

/** The style a number is written in, so that "Chapter 1" and "Chapter I" form different sequences. */
export type NumberStyle = "arabic" | "roman" | "word";

/** Parses "12", "XII", "twelve", "Twelfth", "the first"; null when it is none of them. */
export function parseNumber(raw: string): { value: number; style: NumberStyle } | null {
  const text = raw.trim().replace(/\.$/, "");
  if (/^\d{1,4}$/.test(text)) return { value: Number(text), style: "arabic" };
  const roman = parseRoman(text);
  if (roman !== null) return { value: roman, style: "roman" };
  const words = text
    .toLowerCase()
    .replace(/^the\s+/, "")
    .split(/[-\s]+/)
    .filter(Boolean);
  if (words.length === 0 || words.length > 3) return null;
  if (words.length === 1 && (words[0] === "last" || words[0] === "final"))
    return { value: 9999, style: "word" };
  let value = 0;
  for (const word of words) {
    const v = WORD_VALUES.get(word);
    if (v === undefined) return null;
    value = v === 100 ? Math.max(1, value) * 100 : value + v;
  }
  return { value, style: "word" };
}

/** Parses an upper- or lower-case Roman numeral written in canonical form; null otherwise. */
function parseRoman(raw: string): number | null {
  const text = raw.toUpperCase();
  if (!/^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$/.test(text) || text === "") return null;
  const values: Record<string, number> = { I: 1, V: 5, X: 10, L: 50, C: 100, D: 500, M: 1000 };
  let total = 0;
  for (let i = 0; i < text.length; i++) {
    const v = values[text[i]!]!;
    const next = values[text[i + 1] ?? ""] ?? 0;
    total += v < next ? -v : v;
  }
  return total;
}
