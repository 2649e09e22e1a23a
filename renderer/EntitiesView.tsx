// The entities view: every corpus entity with its mentions across documents; merge several into one,
// split mentions off into a new one, edit names, aliases and notes. Each change can be undone.
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { EntityView as Entity, MentionView } from '../annotations/api/contract.ts';
import type { EntityRecord } from '../annotations/model.ts';
import { entityIdFor, mergeBatch, splitBatch, type EntityBatch } from '../annotations/entities.ts';
import type { Backend } from './api.ts';
import { showControls } from './display.ts';

const recordOf = ({ mentions: _m, documents: _d, ...record }: Entity): EntityRecord => record;

export function EntitiesView({ backend, onOpen, onChanged }: { backend: Backend; onOpen: (docId: string, annotationId: string) => void; onChanged: () => void }) {
  const { api } = backend;
  const [entities, setEntities] = useState<Entity[] | null>(null);
  const [filter, setFilter] = useState('');
  const [checked, setChecked] = useState<Set<string>>(new Set());
  const [into, setInto] = useState<string>('');
  const [current, setCurrent] = useState<string | null>(null);
  const [mentions, setMentions] = useState<MentionView[]>([]);
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [splitName, setSplitName] = useState('');
  const [undo, setUndo] = useState<Array<{ what: string; batch: EntityBatch }>>([]);
  const [message, setMessage] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setEntities(await api['entities:list']({}));
    } catch (err) {
      setMessage((err as Error).message);
    }
  }, [api]);

  useEffect(() => {
    void load();
    return backend.on('annotations:changed', () => void load());
  }, [backend, load]);

  useEffect(() => {
    if (!current) return setMentions([]);
    let cancelled = false;
    api['entities:mentions']({ entityId: current }).then(
      (m) => !cancelled && setMentions(m),
      (err: Error) => !cancelled && setMessage(err.message),
    );
    return () => {
      cancelled = true;
    };
  }, [api, current, entities]);

  /** Apply a batch, remember its inverse for undo, and re-read the list. */
  const apply = async (what: string, batch: EntityBatch, record = true) => {
    try {
      const { inverse, entities: next } = await api['entities:apply']({ batch });
      setEntities(next);
      if (record) setUndo((u) => [...u, { what, batch: inverse }]);
      setMessage(record ? what : `Undone: ${what}`);
      setChecked(new Set());
      setPicked(new Set());
      onChanged();
    } catch (err) {
      setMessage(`Not done: ${(err as Error).message}`);
    }
  };

  const undoLast = useCallback(async () => {
    const last = undo[undo.length - 1];
    if (!last) return;
    setUndo((u) => u.slice(0, -1));
    await apply(last.what, last.batch, false);
  }, [undo]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement;
      if (['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName)) return;
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'z' && !e.shiftKey) {
        e.preventDefault();
        void undoLast();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [undoLast]);

  const shown = useMemo(() => {
    const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
    return (entities ?? [])
      .filter((e) => words.every((w) => [e.name, e.type, ...e.aliases].join(' ').toLowerCase().includes(w)))
      .sort((a, b) => b.mentions - a.mentions || a.name.localeCompare(b.name));
  }, [entities, filter]);

  const merge = async () => {
    const ids = [...checked];
    const target = ids.includes(into) ? into : ids[0];
    const all = entities ?? [];
    const from = ids.filter((id) => id !== target);
    const ms = (await Promise.all(from.map((id) => api['entities:mentions']({ entityId: id })))).flat();
    const names = from.map((id) => all.find((e) => e.id === id)?.name).join(', ');
    await apply(`Merged ${names} into ${all.find((e) => e.id === target)?.name}`, mergeBatch(all.map(recordOf), target, from, ms));
    setCurrent(target);
  };

  const split = async () => {
    const all = entities ?? [];
    const entity = all.find((e) => e.id === current);
    if (!entity || picked.size === 0 || !splitName.trim()) return;
    const moving = mentions.filter((m) => picked.has(m.annotationId + m.docId));
    const id = entityIdFor(splitName, new Set(all.map((e) => e.id)));
    await apply(`Split ${moving.length} mention(s) of ${entity.name} into ${splitName.trim()}`, splitBatch(all.map(recordOf), entity.id, moving, mentions, { id, name: splitName.trim() }));
    setSplitName('');
  };

  const selected = (entities ?? []).find((e) => e.id === current) ?? null;
  const checkedList = [...checked].map((id) => (entities ?? []).find((e) => e.id === id)).filter((e): e is Entity => !!e);

  return (
    <section className="table-view entities-view" aria-label="Entities">
      <div className="table-tools">
        <h2>Entities</h2>
        <input type="search" placeholder="Filter by name, alias or type" value={filter} onChange={(e) => setFilter(e.target.value)} data-testid="entities-filter" />
        {checkedList.length >= 2 && (
          <span className="merge-tools">
            Merge {checkedList.length} into{' '}
            <select value={checkedList.some((e) => e.id === into) ? into : checkedList[0].id} onChange={(e) => setInto(e.target.value)} data-testid="merge-into">
              {checkedList.map((e) => (
                <option key={e.id} value={e.id}>
                  {e.name}
                </option>
              ))}
            </select>{' '}
            <button className="primary" onClick={() => void merge()} data-testid="merge">
              Merge
            </button>
          </span>
        )}
        {undo.length > 0 && (
          <button className="ghost" onClick={() => void undoLast()} title="Ctrl+Z" data-testid="entities-undo">
            Undo: {undo[undo.length - 1].what}
          </button>
        )}
      </div>
      {message && <p className="muted small" role="status">{message}</p>}
      {entities && entities.length === 0 && (
        <p className="muted">No entities yet. Select a PERSON, ORG or LOCATION annotation and link it to an entity in the side panel.</p>
      )}
      <div className="entities-layout">
        <table className="data" data-testid="entities-table">
          <thead>
            <tr>
              <th aria-label="Select" />
              <th>Name</th>
              <th>Type</th>
              <th>Aliases</th>
              <th>Mentions</th>
              <th>Articles</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((e) => (
              <tr key={e.id} className={e.id === current ? 'is-current' : ''} data-entity={e.name}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Select ${e.name}`}
                    checked={checked.has(e.id)}
                    onChange={(ev) => {
                      const next = new Set(checked);
                      if (ev.target.checked) next.add(e.id);
                      else next.delete(e.id);
                      setChecked(next);
                    }}
                  />
                </td>
                <td>
                  <button className="linkish" onClick={() => setCurrent(e.id)}>
                    <bdi>{showControls(e.name)}</bdi>
                  </button>
                </td>
                <td>{e.type}</td>
                <td className="aliases">{e.aliases.map(showControls).join(', ')}</td>
                <td data-col="mentions">{e.mentions}</td>
                <td>{e.documents}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {selected && (
          <EntityDetail
            key={selected.id}
            entity={selected}
            mentions={mentions}
            picked={picked}
            setPicked={setPicked}
            splitName={splitName}
            setSplitName={setSplitName}
            onSplit={() => void split()}
            onSave={(record) => void apply(`Edited ${record.name}`, { upsert: [record], remove: [], relink: [] })}
            onOpen={onOpen}
          />
        )}
      </div>
    </section>
  );
}

function EntityDetail({
  entity,
  mentions,
  picked,
  setPicked,
  splitName,
  setSplitName,
  onSplit,
  onSave,
  onOpen,
}: {
  entity: Entity;
  mentions: MentionView[];
  picked: Set<string>;
  setPicked: (s: Set<string>) => void;
  splitName: string;
  setSplitName: (s: string) => void;
  onSplit: () => void;
  onSave: (record: EntityRecord) => void;
  onOpen: (docId: string, annotationId: string) => void;
}) {
  const [name, setName] = useState(entity.name);
  const [aliases, setAliases] = useState(entity.aliases.join(', '));
  const [note, setNote] = useState(entity.note ?? '');
  const save = () => {
    const record: EntityRecord = { ...recordOf(entity), name: name.trim() || entity.name, aliases: aliases.split(',').map((a) => a.trim()).filter(Boolean) };
    if (note.trim()) record.note = note;
    else delete record.note;
    onSave(record);
  };
  return (
    <div className="entity-detail" data-testid="entity-detail">
      <label className="attr">
        <span className="attr-name">name</span>
        <input value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label className="attr">
        <span className="attr-name">aliases</span>
        <input value={aliases} onChange={(e) => setAliases(e.target.value)} placeholder="comma-separated" />
      </label>
      <label className="attr">
        <span className="attr-name">note</span>
        <textarea value={note} rows={2} onChange={(e) => setNote(e.target.value)} />
      </label>
      <button className="ghost" onClick={save}>
        Save
      </button>
      <h3>
        {mentions.length} mention{mentions.length === 1 ? '' : 's'}
      </h3>
      <ul className="mentions">
        {mentions.map((m, i) => (
          <li key={m.docId + m.annotationId}>
            {(i === 0 || mentions[i - 1].docId !== m.docId) && <div className="mention-doc">{showControls(m.title)}</div>}
            <input
              type="checkbox"
              aria-label={`Pick “${m.text}” in ${m.title}`}
              checked={picked.has(m.annotationId + m.docId)}
              onChange={(e) => {
                const next = new Set(picked);
                if (e.target.checked) next.add(m.annotationId + m.docId);
                else next.delete(m.annotationId + m.docId);
                setPicked(next);
              }}
            />{' '}
            <button className="linkish" onClick={() => onOpen(m.docId, m.annotationId)}>
              “<bdi>{showControls(m.text)}</bdi>”
            </button>{' '}
            <span className="muted small">at {m.start}</span>
          </li>
        ))}
      </ul>
      {picked.size > 0 && (
        <div className="split-tools">
          Split {picked.size} mention{picked.size === 1 ? '' : 's'} into a new entity{' '}
          <input value={splitName} onChange={(e) => setSplitName(e.target.value)} placeholder="name" data-testid="split-name" />{' '}
          <button className="primary" disabled={!splitName.trim()} onClick={onSplit}>
            Split
          </button>
        </div>
      )}
    </div>
  );
}
