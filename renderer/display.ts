// Safe display of untrusted strings in the UI chrome (titles, paths): invisible bidi controls made visible.

/** Bidi embedding, override and isolate controls: they can make a title read differently from its bytes. */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/gu;

/** Replace each bidi control character with a visible marker such as ⟨U+202E⟩. */
export function showControls(text: string): string {
  return text.replace(BIDI_CONTROLS, (c) => `⟨U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}⟩`);
}
