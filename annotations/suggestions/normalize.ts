// Name normalization for the entity tagger: folding, lookup keys and transliteration skeletons. Pure.
import { ARTICLES } from './entity-words.ts';

/** Letters that do not decompose into a base letter and a mark. */
const SPECIAL: Record<string, string> = {
  ı: 'i', ł: 'l', ø: 'o', đ: 'd', ð: 'd', þ: 'th', æ: 'ae', œ: 'oe', ß: 'ss', ə: 'e', ħ: 'h', ŧ: 't', ŀ: 'l',
};

/** Apostrophes and the ayn / hamza signs of transliterated Arabic: dropped inside names (Dar'a, Ma‘arrat). */
const APOSTROPHES = /['’‘`ʻʼʿʾ′´]/g;

/** Lowercase, without diacritics or apostrophes: "Dar‘ā" → "dara", "İdlib" → "idlib". */
export function fold(s: string): string {
  // Most names are plain ASCII: no decomposition needed.
  if (/^[\x00-\x7f]*$/.test(s)) return s.toLowerCase().replace(/['`]/g, '');
  return s
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[ıłøđðþæœßəħŧŀ]/g, (c) => SPECIAL[c] ?? c)
    .replace(APOSTROPHES, '');
}

/** The folded words of a name: "Deir ez-Zor" → ["deir", "ez", "zor"]. */
export function nameWords(s: string): string[] {
  const folded = fold(s);
  const words = /^[\x00-\x7f]*$/.test(folded) ? folded.split(/[^a-z0-9]+/) : folded.split(/[^\p{L}\p{N}]+/u);
  return words.filter((w) => w !== '');
}

/**
 * The lookup key of a sequence of folded words: articles dropped (al-, ez-, As ... unless nothing else is
 * left), runs of single letters joined (U.S. → us), words joined by one space. Spelling variants that differ
 * only in these ways share a key: "Al-Qaim" / "Al Qaim" / "Qaim", "U.S.-led" / "US-led".
 */
export function keyOfWords(words: readonly string[]): string {
  if (words.length === 1) return words[0];
  const kept = words.length > 1 ? words.filter((w, i) => !(ARTICLES.has(w) && i < words.length - 1)) : [...words];
  const out: string[] = [];
  let letters = '';
  for (const w of kept.length > 0 ? kept : words) {
    if (w.length === 1 && /\p{L}/u.test(w)) {
      letters += w;
      continue;
    }
    if (letters) out.push(letters);
    letters = '';
    out.push(w);
  }
  if (letters) out.push(letters);
  return out.join(' ');
}

/** The lookup key of a name (see keyOfWords). */
export function nameKey(s: string): string {
  return keyOfWords(nameWords(s));
}

/**
 * A transliteration skeleton of a key: spaces gone, a leading al/el glued to the name dropped, q → k,
 * kh/gh/ph/dh/th/sh reduced, every vowel cluster (with y and w after a vowel) one "a", a final h after a
 * vowel dropped, doubled letters single. "deir zour", "deir zor", "dayr zawr" → "darzar"; "albukamal",
 * "bukamal", "boukamal" → "bakamal"; "hizballah", "hezbollah" → "hazbala".
 */
export function skeleton(key: string): string {
  let s = key.replace(/ /g, '');
  if (/^[ae]l/.test(s) && s.length >= 7) s = s.slice(2);
  s = s
    .replace(/q/g, 'k')
    .replace(/kh/g, 'k')
    .replace(/gh/g, 'g')
    .replace(/ph/g, 'f')
    .replace(/dh/g, 'd')
    .replace(/th/g, 't')
    .replace(/sh/g, 's')
    .replace(/ck/g, 'k');
  s = s.replace(/(?<=.)[aeiouy][aeiouyw]*/g, 'a').replace(/^[aeiou][aeiouyw]*/, 'a');
  s = s.replace(/(?<=a)h$/, '');
  s = s.replace(/(.)\1+/g, '$1');
  return s;
}

/** Levenshtein distance, for checking that a skeleton match is a plausible respelling. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}
