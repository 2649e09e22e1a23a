// Find in the article (/ or Ctrl+F): each Enter selects the next match in the reader, so a span can be
// found and tagged without the mouse (Esc returns to the text with the match still selected).
import { useEffect, useRef, useState } from 'react';
import type { DocumentSession } from './session.ts';

export function FindBar({ session, onSelect, onClose }: { session: DocumentSession; onSelect: (start: number, end: number) => void; onClose: () => void }) {
  const [query, setQuery] = useState('');
  const [status, setStatus] = useState('');
  const input = useRef<HTMLInputElement>(null);
  /** UTF-16 offset of the last match, so Enter moves on. */
  const last = useRef(-1);

  useEffect(() => input.current?.focus(), []);

  const find = (backwards: boolean) => {
    if (!query) return;
    const text = session.doc.text;
    const hay = text.toLowerCase();
    const needle = query.toLowerCase();
    let at = backwards ? hay.lastIndexOf(needle, last.current - 1) : hay.indexOf(needle, last.current + 1);
    // Wrap around at either end.
    if (at < 0) at = backwards ? hay.lastIndexOf(needle) : hay.indexOf(needle);
    if (at < 0) {
      setStatus('Not found');
      return;
    }
    last.current = at;
    const index = session.mapping.index;
    let count = 0;
    for (let i = hay.indexOf(needle); i >= 0 && i <= at; i = hay.indexOf(needle, i + 1)) count++;
    setStatus(`Match ${count}`);
    onSelect(index.toCodePoint(at), index.toCodePoint(at + query.length));
  };

  return (
    <div className="find-bar" role="search">
      <input
        ref={input}
        type="search"
        aria-label="Find in this article"
        placeholder="Find in this article (Enter: next, Shift+Enter: previous, Esc: back to the text)"
        value={query}
        data-testid="find"
        onChange={(e) => {
          setQuery(e.target.value);
          last.current = -1;
          setStatus('');
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            find(e.shiftKey);
          } else if (e.key === 'Escape') {
            e.preventDefault();
            e.stopPropagation();
            onClose();
          }
        }}
      />
      <span className="muted small" aria-live="polite">
        {status}
      </span>
    </div>
  );
}
