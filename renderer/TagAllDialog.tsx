// "Tag all occurrences" of the selected annotation's text, in this article or the whole corpus: a preview
// of every place with a checkbox, then one step that tags them with the same label and values.
import { useEffect, useMemo, useState } from 'react';
import type { GlossApi, Occurrence } from '../annotations/api/contract.ts';
import type { Annotation } from '../annotations/model.ts';
import type { DocumentSession } from './session.ts';
import { showControls } from './display.ts';

export function TagAllDialog({
  api,
  session,
  annotation,
  onClose,
}: {
  api: GlossApi;
  session: DocumentSession;
  annotation: Annotation;
  /** `tagged`: how many were added in other articles (their lists and counts need a refresh). */
  onClose: (tagged: number) => void;
}) {
  const [scope, setScope] = useState<'document' | 'corpus'>('document');
  const [found, setFound] = useState<Occurrence[] | null>(null);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const keyOf = (o: Occurrence) => `${o.docId}:${o.start}`;

  useEffect(() => {
    let cancelled = false;
    setFound(null);
    api['annotations:occurrences']({ docId: session.docId, text: annotation.text, label: annotation.label, scope }).then(
      (list) => {
        if (cancelled) return;
        setFound(list);
        setChosen(new Set(list.filter((o) => !o.tagged).map(keyOf)));
      },
      (err: Error) => !cancelled && setError(err.message),
    );
    return () => {
      cancelled = true;
    };
  }, [api, session, annotation, scope]);

  const picked = useMemo(() => (found ?? []).filter((o) => chosen.has(keyOf(o)) && !o.tagged), [found, chosen]);

  const tag = async () => {
    const attrs = annotation.attrs && Object.keys(annotation.attrs).length ? annotation.attrs : undefined;
    const here = picked.filter((o) => o.docId === session.docId);
    const elsewhere = picked.filter((o) => o.docId !== session.docId);
    try {
      session.createMany(here.map((o) => ({ label: annotation.label, start: o.start, end: o.end, attrs })));
      if (elsewhere.length) {
        await api['annotations:createMany']({
          items: elsewhere.map((o) => ({
            docId: o.docId,
            annotation: { id: crypto.randomUUID(), label: annotation.label, start: o.start, end: o.end, ...(attrs ? { attrs: attrs as Record<string, string | number | boolean | null> } : {}) },
          })),
        });
      }
      onClose(elsewhere.length);
    } catch (err) {
      setError((err as Error).message);
    }
  };

  return (
    <div className="modal-backdrop" role="dialog" aria-label="Tag all occurrences" onKeyDown={(e) => e.key === 'Escape' && onClose(0)}>
      <div className="modal">
        <h2>
          Tag all “<bdi>{showControls(annotation.text)}</bdi>” as {annotation.label}
        </h2>
        <div className="scope">
          <label>
            <input type="radio" checked={scope === 'document'} onChange={() => setScope('document')} /> This article
          </label>{' '}
          <label>
            <input type="radio" checked={scope === 'corpus'} onChange={() => setScope('corpus')} data-testid="scope-corpus" /> Every article
          </label>
        </div>
        {annotation.attrs && Object.keys(annotation.attrs).length > 0 && (
          <p className="muted small">Each gets the same values: {Object.entries(annotation.attrs).map(([k, v]) => `${k} ${String(v)}`).join(', ')}.</p>
        )}
        {error && <p className="error">{error}</p>}
        {!found ? (
          <p className="muted">Searching…</p>
        ) : (
          <ul className="occurrences" data-testid="occurrences">
            {found.map((o) => (
              <li key={keyOf(o)} className={o.tagged ? 'muted' : ''}>
                <label>
                  <input
                    type="checkbox"
                    disabled={o.tagged}
                    checked={o.tagged || chosen.has(keyOf(o))}
                    onChange={(e) => {
                      const next = new Set(chosen);
                      if (e.target.checked) next.add(keyOf(o));
                      else next.delete(keyOf(o));
                      setChosen(next);
                    }}
                  />{' '}
                  {scope === 'corpus' && <span className="muted small">{showControls(o.title)}: </span>}
                  …{showControls(o.before)}
                  <mark>{showControls(annotation.text)}</mark>
                  {showControls(o.after)}…{o.tagged ? ' (tagged already)' : ''}
                </label>
              </li>
            ))}
          </ul>
        )}
        <div className="actions">
          <button className="ghost" onClick={() => onClose(0)}>
            Cancel
          </button>
          <button className="primary" autoFocus disabled={picked.length === 0} onClick={() => void tag()} data-testid="tag-all">
            Tag {picked.length}
          </button>
        </div>
      </div>
    </div>
  );
}
