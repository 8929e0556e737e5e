/** Counts words the way a reader would: runs of letters or digits, apostrophes and hyphens inside. */
export function countWords(text: string): number {
  let count = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // Letters are the common case: one comparison settles most characters.
    const space = c <= 32 ? c === 32 || c === 10 || c === 13 || c === 9 || c === 12 : c === 0xa0;
    if (space) inWord = false;
    else if (!inWord) {
      inWord = true;
      count++;
    }
  }
  return count;
}

/** Sum of {@link countWords} over paragraphs. */
export function countParagraphWords(paragraphs: readonly string[]): number {
  let total = 0;
  for (const p of paragraphs) total += countWords(p);
  return total;
}
