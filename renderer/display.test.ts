// Tests of the display helpers for untrusted strings.
import { describe, expect, it } from 'vitest';
import { showControls } from './display.ts';

describe('showControls', () => {
  it('makes bidi overrides and isolates visible', () => {
    expect(showControls('Trojan \u202Elive\u202C source')).toBe('Trojan ⟨U+202E⟩live⟨U+202C⟩ source');
    expect(showControls('a\u2066b\u2069')).toBe('a⟨U+2066⟩b⟨U+2069⟩');
  });
  it('leaves ordinary Arabic and emoji alone', () => {
    expect(showControls('الرَّقَّة 🚀')).toBe('الرَّقَّة 🚀');
  });
});
