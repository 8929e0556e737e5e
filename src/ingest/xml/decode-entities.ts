const NAMED: Readonly<Record<string, string>> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: "\u00a0",
  mdash: "—",
  ndash: "–",
  hellip: "…",
  lsquo: "‘",
  rsquo: "’",
  ldquo: "“",
  rdquo: "”",
  sbquo: "‚",
  bdquo: "„",
  laquo: "«",
  raquo: "»",
  copy: "©",
  reg: "®",
  trade: "™",
  deg: "°",
  middot: "·",
  bull: "•",
  sect: "§",
  para: "¶",
  dagger: "†",
  Dagger: "‡",
  shy: "\u00ad",
  thinsp: "\u2009",
  ensp: "\u2002",
  emsp: "\u2003",
  zwj: "\u200d",
  zwnj: "\u200c",
  times: "×",
  divide: "÷",
  frac12: "½",
  frac14: "¼",
  frac34: "¾",
  pound: "£",
  euro: "€",
  cent: "¢",
  yen: "¥",
  prime: "′",
  Prime: "″",
  aelig: "æ",
  AElig: "Æ",
  oelig: "œ",
  OElig: "Œ",
  szlig: "ß",
  ccedil: "ç",
  Ccedil: "Ç",
  ntilde: "ñ",
  Ntilde: "Ñ",
  iexcl: "¡",
  iquest: "¿",
  acute: "´",
  uml: "¨",
  macr: "¯",
  ordf: "ª",
  ordm: "º",
  sup1: "¹",
  sup2: "²",
  sup3: "³",
  micro: "µ",
  eth: "ð",
  ETH: "Ð",
  thorn: "þ",
  THORN: "Þ",
  oslash: "ø",
  Oslash: "Ø",
  aring: "å",
  Aring: "Å",
};
const ACCENTS: Readonly<Record<string, string>> = {
  acute: "\u0301",
  grave: "\u0300",
  circ: "\u0302",
  uml: "\u0308",
  tilde: "\u0303",
};

/**
 * Decodes XML/HTML character references and the usual named entities; anything else is left as
 * written. Never consults a DTD.
 */
export function decodeEntities(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z][a-z0-9]{1,10});/gi, (whole, ref: string) => {
    if (ref[0] === "#") {
      const code =
        ref[1] === "x" || ref[1] === "X"
          ? Number.parseInt(ref.slice(2), 16)
          : Number.parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff)
        ? String.fromCodePoint(code)
        : "\ufffd";
    }
    const named = NAMED[ref];
    if (named !== undefined) return named;
    const accent = /^([a-zA-Z])(acute|grave|circ|uml|tilde)$/.exec(ref);
    if (accent) return `${accent[1]}${ACCENTS[accent[2]!]}`.normalize("NFC");
    return whole;
  });
}
