// The selected annotation in the side panel: its typed attributes, entity link, note and relations, all
// editable by keyboard (E or Enter focuses the first field, Tab moves, Esc goes back to the text).
import { useEffect, useMemo, useRef, useState } from 'react';
import type { GlossApi, EntityView } from '../annotations/api/contract.ts';
import type { Annotation, AttributeDef, LabelDef, RelationTypeDef } from '../annotations/model.ts';
import { attributesOf } from '../annotations/schema.ts';
import { entityIdFor, findEntities, normalizeName } from '../annotations/entities.ts';
import type { DocumentSession } from './session.ts';
import { showControls } from './display.ts';

type Draft = Record<string, string | boolean>;

function draftOf(a: Annotation, defs: AttributeDef[]): Draft {
  const d: Draft = {};
  for (const def of defs) {
    const v = a.attrs?.[def.name];
    d[def.name] = def.type === 'boolean' ? v === true : v === undefined || v === null ? '' : String(v);
  }
  return d;
}

/** Draft values as sent: empty fields cleared, unchecked boxes left out. */
function valuesOf(draft: Draft, defs: AttributeDef[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const def of defs) {
    const v = draft[def.name];
    if (def.type === 'boolean') {
      if (v === true) out[def.name] = true;
    } else if (typeof v === 'string' && v.trim() !== '') out[def.name] = def.type === 'text' ? v : v.trim();
  }
  return out;
}

export interface EditorProps {
  api: GlossApi;
  session: DocumentSession;
  annotation: Annotation;
  labels: LabelDef[];
  relationTypes: RelationTypeDef[];
  entities: EntityView[];
  /** The entities changed (one was created or got an alias): re-read them. */
  onEntitiesChanged: () => void;
  onPick: (a: Annotation) => void;
  /** Go back to the text (Esc). */
  onDone: () => void;
  editorRef: React.MutableRefObject<HTMLElement | null>;
}

/** The editor of one annotation. Every change is checked against the schema before it is made. */
export function AnnotationEditor({ api, session, annotation, labels, relationTypes, entities, onEntitiesChanged, onPick, onDone, editorRef }: EditorProps) {
  const defs = useMemo(() => attributesOf(labels, annotation.label), [labels, annotation.label]);
  const [draft, setDraft] = useState<Draft>(() => draftOf(annotation, defs));
  const [note, setNote] = useState(annotation.note ?? '');
  const [problems, setProblems] = useState<string[]>([]);
  const colors = new Map(labels.map((l) => [l.name, l.color]));

  // Another annotation, or this one's values changed (undo, redo): show what is stored. The store's
  // answer to an edit carries the same values, so it leaves a field being typed in alone.
  const storedValues = JSON.stringify([annotation.attrs ?? {}, annotation.note ?? '']);
  useEffect(() => {
    setDraft(draftOf(annotation, defs));
    setNote(annotation.note ?? '');
    setProblems([]);
  }, [annotation.id, storedValues, defs]);

  const commit = (nextDraft: Draft, nextNote: string) => {
    const result = session.edit(annotation.id, labels, valuesOf(nextDraft, defs), nextNote);
    setProblems(result ?? []);
  };
  const setField = (name: string, value: string | boolean, now = false) => {
    const next = { ...draft, [name]: value };
    setDraft(next);
    if (now) commit(next, note);
  };
  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      commit(draft, note);
      onDone();
    } else if (e.key === 'Enter' && (e.target as HTMLElement).tagName === 'INPUT') {
      e.preventDefault();
      commit(draft, note);
    }
  };

  const relations = session.relationsOf(annotation.id);
  return (
    <div
      className="selected-card"
      data-testid="selected-annotation"
      ref={(el) => {
        editorRef.current = el;
      }}
      onKeyDown={onKeyDown}
    >
      <div>
        <span className="chip" style={{ ['--ann-color' as string]: colors.get(annotation.label) ?? '#999' }}>
          {annotation.label}
        </span>{' '}
        “<bdi>{showControls(annotation.text)}</bdi>”
      </div>
      <div className="muted small">
        characters {annotation.start}–{annotation.end} · {annotation.author} · {new Date(annotation.modified).toLocaleString()}
        {annotation.source ? ` · from ${annotation.source}` : ''}
      </div>
      {defs.length > 0 && (
        <div className="attrs" data-testid="attr-editor">
          {defs.map((def) =>
            def.type === 'entity' ? (
              <EntityField
                key={def.name}
                api={api}
                annotation={annotation}
                label={annotation.label}
                value={typeof draft[def.name] === 'string' ? (draft[def.name] as string) : ''}
                entities={entities}
                onLink={(id) => setField(def.name, id, true)}
                onEntitiesChanged={onEntitiesChanged}
              />
            ) : (
              <label key={def.name} className="attr" title={def.description}>
                <span className="attr-name">{def.name}</span>
                <AttrInput def={def} value={draft[def.name]} onChange={(v, now) => setField(def.name, v, now)} onBlur={() => commit(draft, note)} />
              </label>
            ),
          )}
        </div>
      )}
      <label className="attr note">
        <span className="attr-name">note</span>
        <textarea
          value={note}
          rows={2}
          data-attr="note"
          onChange={(e) => setNote(e.target.value)}
          onBlur={() => commit(draft, note)}
          placeholder="A note on this annotation"
        />
      </label>
      {problems.length > 0 && (
        <p className="error small" role="alert" data-testid="attr-error">
          {problems.join('; ')}
        </p>
      )}
      <div className="relations" data-testid="relations">
        <div className="muted small">
          Relations {relations.length === 0 ? '(none)' : ''} · <kbd>R</kbd> link to another annotation
        </div>
        <ul>
          {relations.map((r) => {
            const outgoing = r.from === annotation.id;
            const other = session.get(outgoing ? r.to : r.from);
            if (!other) return null;
            return (
              <li key={r.id} data-relation={r.type}>
                <span className="rel-type">{outgoing ? `${r.type} →` : `← ${r.type}`}</span>{' '}
                <button className="linkish" onClick={() => onPick(other)}>
                  <span className="chip" style={{ ['--ann-color' as string]: colors.get(other.label) ?? '#999' }}>
                    {other.label}
                  </span>{' '}
                  <bdi>{showControls(other.text)}</bdi>
                </button>{' '}
                <button className="ghost tiny" aria-label={`Remove the ${r.type} relation`} onClick={() => session.unrelate(r.id)}>
                  ×
                </button>
              </li>
            );
          })}
        </ul>
      </div>
      {relationTypes.length === 0 && <div className="muted small">The schema has no relation types.</div>}
      <div className="muted small">
        <kbd>E</kbd> edit fields · <kbd>Esc</kbd> back to the text · <kbd>A</kbd> tag all occurrences · a label key relabels · <kbd>Delete</kbd> removes
      </div>
    </div>
  );
}

function AttrInput({
  def,
  value,
  onChange,
  onBlur,
}: {
  def: AttributeDef;
  value: string | boolean | undefined;
  onChange: (v: string | boolean, now: boolean) => void;
  onBlur: () => void;
}) {
  switch (def.type) {
    case 'boolean':
      return <input type="checkbox" data-attr={def.name} checked={value === true} onChange={(e) => onChange(e.target.checked, true)} />;
    case 'enum':
      return (
        <select data-attr={def.name} value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value, true)}>
          <option value="">—</option>
          {(def.values ?? []).map((v) => (
            <option key={v} value={v}>
              {v}
            </option>
          ))}
        </select>
      );
    default:
      return (
        <input
          type="text"
          inputMode={def.type === 'number' ? 'numeric' : undefined}
          data-attr={def.name}
          value={typeof value === 'string' ? value : ''}
          placeholder={def.type === 'date' ? '2017-08-30, 2017-W35, PAST_REF' : def.type === 'number' ? 'number' : ''}
          onChange={(e) => onChange(e.target.value, false)}
          onBlur={onBlur}
        />
      );
  }
}

/**
 * Link a mention to a corpus entity: existing entities are suggested by name and alias (fuzzy), or a new
 * one is made from the text. Arrow keys move through the suggestions, Enter links.
 */
function EntityField({
  api,
  annotation,
  label,
  value,
  entities,
  onLink,
  onEntitiesChanged,
}: {
  api: GlossApi;
  annotation: Annotation;
  label: string;
  value: string;
  entities: EntityView[];
  onLink: (id: string) => void;
  onEntitiesChanged: () => void;
}) {
  const linked = entities.find((e) => e.id === value);
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const q = query || annotation.text;
  const matches = useMemo(() => findEntities(entities, q, { type: label, limit: 6 }), [entities, q, label]);
  const options = [
    ...matches.map((m) => ({ kind: 'link' as const, id: m.entity.id, text: `${m.entity.name}`, hint: `${m.entity.type}${m.matched !== m.entity.name ? ` · as ${m.matched}` : ''}` })),
    ...(matches.some((m) => normalizeName(m.entity.name) === normalizeName(q)) ? [] : [{ kind: 'new' as const, id: '', text: `New entity “${q}”`, hint: label }]),
  ];

  const choose = async (i: number) => {
    const option = options[i];
    if (!option) return;
    setError(null);
    try {
      if (option.kind === 'new') {
        const id = entityIdFor(q, new Set(entities.map((e) => e.id)));
        await api['entities:apply']({ batch: { upsert: [{ id, name: q.trim(), type: label, aliases: [] }], remove: [], relink: [] } });
        onEntitiesChanged();
        onLink(id);
      } else {
        const entity = entities.find((e) => e.id === option.id)!;
        // The mention's text becomes an alias, so the entity is found by it next time.
        const known = [entity.name, ...entity.aliases].map(normalizeName);
        if (!known.includes(normalizeName(annotation.text))) {
          const { mentions: _m, documents: _d, ...record } = entity;
          await api['entities:apply']({ batch: { upsert: [{ ...record, aliases: [...record.aliases, annotation.text] }], remove: [], relink: [] } });
          onEntitiesChanged();
        }
        onLink(option.id);
      }
      setOpen(false);
      setQuery('');
    } catch (err) {
      setError((err as Error).message);
    }
  };

  return (
    <div className="attr entity-field">
      <span className="attr-name">entity</span>
      <div className="entity-box">
        {linked && !open ? (
          <span data-testid="linked-entity">
            <strong>{linked.name}</strong>{' '}
            <button className="ghost tiny" onClick={() => onLink('')}>
              unlink
            </button>{' '}
            <button className="ghost tiny" onClick={() => { setOpen(true); setTimeout(() => input.current?.focus()); }}>
              change
            </button>
          </span>
        ) : (
          <input
            ref={input}
            type="text"
            data-attr="entity"
            role="combobox"
            aria-expanded={open}
            value={query}
            placeholder={`Link to an entity: ${annotation.text}`}
            onFocus={() => setOpen(true)}
            onBlur={() => setTimeout(() => setOpen(false), 150)}
            onChange={(e) => {
              setQuery(e.target.value);
              setActive(0);
              setOpen(true);
            }}
            onKeyDown={(e) => {
              if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
                e.preventDefault();
                setActive((a) => (a + (e.key === 'ArrowDown' ? 1 : -1) + options.length) % options.length);
              } else if (e.key === 'Enter') {
                e.preventDefault();
                e.stopPropagation();
                void choose(active);
              }
            }}
          />
        )}
        {open && (
          <ul className="entity-options" role="listbox">
            {options.map((o, i) => (
              <li
                key={o.kind + o.id}
                role="option"
                aria-selected={i === active}
                className={i === active ? 'is-active' : ''}
                onMouseDown={(e) => {
                  e.preventDefault();
                  void choose(i);
                }}
              >
                {o.text} <span className="muted small">{o.hint}</span>
              </li>
            ))}
          </ul>
        )}
        {error && <p className="error small">{error}</p>}
      </div>
    </div>
  );
}
