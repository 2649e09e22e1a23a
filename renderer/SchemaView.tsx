// The schema settings: add, rename, recolor, reorder and re-key labels, define their typed attributes and
// the relation types; export and import the schema as JSON. Nothing is stored until Save.
import { useEffect, useState } from 'react';
import type { WorkspaceView } from '../annotations/api/contract.ts';
import type { AttributeDef, AttributeType, LabelDef, RelationTypeDef } from '../annotations/model.ts';
import { schemaFromJson, schemaProblems, schemaToJson, type Schema } from '../annotations/schema.ts';
import type { Backend } from './api.ts';

interface AttrRow {
  name: string;
  type: AttributeType;
  /** Enum values, comma-separated while edited. */
  values: string;
  description: string;
}
interface LabelRow {
  /** The stored name this row started from (null: a new label), so a rename carries its annotations. */
  original: string | null;
  name: string;
  key: string;
  color: string;
  description: string;
  attributes: AttrRow[];
}
interface TypeRow {
  /** The stored name this row started from (null: new), so a rename carries its relations. */
  original: string | null;
  name: string;
  from: string;
  to: string;
  description: string;
}

const TYPES: AttributeType[] = ['text', 'number', 'enum', 'date', 'boolean', 'entity'];
const PALETTE = ['#E69F00', '#56B4E9', '#009E73', '#F0E442', '#D55E00', '#0072B2', '#CC79A7', '#999999'];

const rowsOf = (labels: LabelDef[]): LabelRow[] =>
  labels.map((l) => ({
    original: l.name,
    name: l.name,
    key: l.key,
    color: l.color,
    description: l.description ?? '',
    attributes: (l.attributes ?? []).map((a) => ({ name: a.name, type: a.type, values: (a.values ?? []).join(', '), description: a.description ?? '' })),
  }));
const typeRowsOf = (types: RelationTypeDef[]): TypeRow[] =>
  types.map((t) => ({ original: t.name, name: t.name, from: t.from.join(', '), to: t.to.join(', '), description: t.description ?? '' }));
const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);

function schemaOf(rows: LabelRow[], types: TypeRow[]): Schema {
  return {
    labels: rows.map((r) => ({
      name: r.name.trim(),
      key: r.key,
      color: r.color,
      description: r.description,
      attributes: r.attributes.map((a): AttributeDef => ({
        name: a.name.trim(),
        type: a.type,
        ...(a.type === 'enum' ? { values: list(a.values) } : {}),
        ...(a.description ? { description: a.description } : {}),
      })),
    })),
    relationTypes: types.map((t) => ({ name: t.name.trim(), from: list(t.from), to: list(t.to), ...(t.description ? { description: t.description } : {}) })),
  };
}

export function SchemaView({ backend, workspace, onSaved }: { backend: Backend; workspace: WorkspaceView; onSaved: (ws: WorkspaceView) => void }) {
  const { api } = backend;
  const [rows, setRows] = useState<LabelRow[]>(() => rowsOf(workspace.labels));
  const [types, setTypes] = useState<TypeRow[]>(() => typeRowsOf(workspace.relationTypes));
  const [usage, setUsage] = useState<Record<string, number>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<string | null>(null);
  const [open, setOpen] = useState<number | null>(null);

  useEffect(() => {
    api['schema:usage']({}).then(setUsage, () => undefined);
  }, [api, workspace]);

  const schema = schemaOf(rows, types);
  const problems = schemaProblems(schema);
  const kept = new Set(rows.map((r) => r.original).filter(Boolean));
  const removed = workspace.labels.filter((l) => !kept.has(l.name));

  const update = (i: number, change: Partial<LabelRow>) => {
    const old = rows[i].name.trim();
    setRows(rows.map((r, j) => (j === i ? { ...r, ...change } : r)));
    // A renamed label stays at the ends of the relation types that named it.
    if (change.name !== undefined && old !== '') {
      const rename = (ends: string) => list(ends).map((n) => (n === old ? change.name!.trim() : n)).join(', ');
      setTypes((ts) => ts.map((t) => ({ ...t, from: rename(t.from), to: rename(t.to) })));
    }
  };
  const updateAttr = (i: number, k: number, change: Partial<AttrRow>) =>
    update(i, { attributes: rows[i].attributes.map((a, j) => (j === k ? { ...a, ...change } : a)) });
  /** Remove a label; relation types lose it at their ends, and a type left with no label at an end goes too. */
  const removeLabel = (i: number) => {
    const name = rows[i].name.trim();
    setRows(rows.filter((_, j) => j !== i));
    setTypes((ts) =>
      ts.flatMap((t) => {
        const from = list(t.from).filter((n) => n !== name);
        const to = list(t.to).filter((n) => n !== name);
        if ((list(t.from).length > 0 && from.length === 0) || (list(t.to).length > 0 && to.length === 0)) return [];
        return [{ ...t, from: from.join(', '), to: to.join(', ') }];
      }),
    );
  };
  const move = (i: number, by: number) => {
    const j = i + by;
    if (j < 0 || j >= rows.length) return;
    const next = [...rows];
    [next[i], next[j]] = [next[j], next[i]];
    setRows(next);
  };

  const save = async (removeAnnotations = false) => {
    const renames: Record<string, string> = {};
    for (const r of rows) if (r.original && r.original !== r.name.trim()) renames[r.original] = r.name.trim();
    const relationRenames: Record<string, string> = {};
    for (const t of types) if (t.original && t.original !== t.name.trim()) relationRenames[t.original] = t.name.trim();
    // The contract: relation type ends name renamed labels by their old names (the store's).
    const oldName = new Map(Object.entries(renames).map(([from, to]) => [to, from]));
    const relationTypes = schema.relationTypes.map((t) => ({ ...t, from: t.from.map((n) => oldName.get(n) ?? n), to: t.to.map((n) => oldName.get(n) ?? n) }));
    try {
      const ws = await api['schema:update']({ labels: schema.labels, relationTypes, renames, relationRenames, removeAnnotations });
      setConfirm(null);
      setRows(rowsOf(ws.labels));
      setTypes(typeRowsOf(ws.relationTypes));
      setMessage('Schema saved.');
      onSaved(ws);
    } catch (err) {
      const text = (err as Error).message;
      if (/is used by|is the type of/.test(text)) setConfirm(text);
      else setMessage(`Not saved: ${text}`);
    }
  };

  const exportSchema = () => {
    const url = URL.createObjectURL(new Blob([schemaToJson(schema)], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `${workspace.name}-schema.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  const importSchema = async (file: File) => {
    try {
      const imported = schemaFromJson(await file.text());
      const stored = new Set(workspace.labels.map((l) => l.name));
      // Labels named as stored ones keep their annotations; others are new.
      setRows(rowsOf(imported.labels).map((r) => ({ ...r, original: stored.has(r.name) ? r.name : null })));
      setTypes(typeRowsOf(imported.relationTypes));
      setMessage(`Read ${imported.labels.length} labels and ${imported.relationTypes.length} relation types from ${file.name}; review, then Save.`);
    } catch (err) {
      setMessage(`Cannot read ${file.name}: ${(err as Error).message}`);
    }
  };

  return (
    <section className="table-view schema-view" aria-label="Schema">
      <div className="table-tools">
        <h2>Schema</h2>
        <button className="primary" disabled={problems.length > 0} onClick={() => void save()} data-testid="schema-save">
          Save
        </button>
        <button
          className="ghost"
          onClick={() => {
            setRows(rowsOf(workspace.labels));
            setTypes(typeRowsOf(workspace.relationTypes));
            setMessage(null);
            setConfirm(null);
          }}
        >
          Revert
        </button>
        <button className="ghost" onClick={exportSchema}>
          Export JSON
        </button>
        <label className="ghost file-pick">
          Import JSON…
          <input type="file" accept=".json,application/json" onChange={(e) => e.target.files?.[0] && void importSchema(e.target.files[0])} />
        </label>
      </div>
      {message && <p className="muted small" role="status">{message}</p>}
      {problems.length > 0 && (
        <ul className="error small" role="alert" data-testid="schema-problems">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      {confirm && (
        <div className="banner warning" role="alertdialog" data-testid="schema-confirm">
          <p>
            {confirm}. Saving anyway removes them from every article{removed.length ? ` (labels ${removed.map((l) => l.name).join(', ')})` : ''}.
          </p>
          <button className="danger" onClick={() => void save(true)}>
            Remove them
          </button>{' '}
          <button className="ghost" onClick={() => setConfirm(null)}>
            Keep it
          </button>
        </div>
      )}
      <table className="data schema-table">
        <thead>
          <tr>
            <th>Order</th>
            <th>Name</th>
            <th>Key</th>
            <th>Colour</th>
            <th>Description</th>
            <th>Attributes</th>
            <th>In use</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i} data-label-row={r.name}>
              <td>
                <button className="ghost tiny" aria-label={`Move ${r.name} up`} onClick={() => move(i, -1)}>
                  ↑
                </button>
                <button className="ghost tiny" aria-label={`Move ${r.name} down`} onClick={() => move(i, 1)}>
                  ↓
                </button>
              </td>
              <td>
                <input value={r.name} aria-label="Label name" onChange={(e) => update(i, { name: e.target.value })} size={12} />
                {r.original && r.original !== r.name && <div className="muted small">was {r.original}</div>}
              </td>
              <td>
                <input value={r.key} aria-label="Key" maxLength={1} size={2} onChange={(e) => update(i, { key: e.target.value })} />
              </td>
              <td>
                <input type="color" value={r.color.toLowerCase()} aria-label="Colour" onChange={(e) => update(i, { color: e.target.value.toUpperCase() })} />
              </td>
              <td>
                <input value={r.description} aria-label="Description" onChange={(e) => update(i, { description: e.target.value })} />
              </td>
              <td>
                <button className="linkish" onClick={() => setOpen(open === i ? null : i)} aria-expanded={open === i}>
                  {r.attributes.length ? r.attributes.map((a) => a.name).join(', ') : 'none'} ✎
                </button>
                {open === i && (
                  <div className="attr-defs">
                    {r.attributes.map((a, k) => (
                      <div key={k} className="attr-def">
                        <input value={a.name} aria-label="Attribute name" size={10} onChange={(e) => updateAttr(i, k, { name: e.target.value })} />
                        <select value={a.type} aria-label="Attribute type" onChange={(e) => updateAttr(i, k, { type: e.target.value as AttributeType })}>
                          {TYPES.map((t) => (
                            <option key={t}>{t}</option>
                          ))}
                        </select>
                        {a.type === 'enum' && (
                          <input value={a.values} aria-label="Values" placeholder="values, comma-separated" onChange={(e) => updateAttr(i, k, { values: e.target.value })} />
                        )}
                        <button className="ghost tiny" aria-label={`Remove attribute ${a.name}`} onClick={() => update(i, { attributes: r.attributes.filter((_, j) => j !== k) })}>
                          ×
                        </button>
                      </div>
                    ))}
                    <button
                      className="ghost tiny"
                      onClick={() => update(i, { attributes: [...r.attributes, { name: `field${r.attributes.length + 1}`, type: 'text', values: '', description: '' }] })}
                    >
                      + attribute
                    </button>
                  </div>
                )}
              </td>
              <td>{r.original ? (usage[r.original] ?? 0) : 0}</td>
              <td>
                <button className="ghost tiny" aria-label={`Remove label ${r.name}`} onClick={() => removeLabel(i)}>
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button
        className="ghost"
        onClick={() =>
          setRows([...rows, { original: null, name: `LABEL${rows.length + 1}`, key: '', color: PALETTE[rows.length % PALETTE.length], description: '', attributes: [] }])
        }
      >
        + label
      </button>
      <h3>Relation types</h3>
      <p className="muted small">Which labels may sit at each end (comma-separated; empty allows any label).</p>
      <table className="data">
        <thead>
          <tr>
            <th>Name</th>
            <th>From</th>
            <th>To</th>
            <th>Description</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {types.map((t, i) => (
            <tr key={i}>
              {(['name', 'from', 'to', 'description'] as const).map((field) => (
                <td key={field}>
                  <input value={t[field]} aria-label={`Relation ${field}`} onChange={(e) => setTypes(types.map((x, j) => (j === i ? { ...x, [field]: e.target.value } : x)))} />
                </td>
              ))}
              <td>
                <button className="ghost tiny" onClick={() => setTypes(types.filter((_, j) => j !== i))}>
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button className="ghost" onClick={() => setTypes([...types, { original: null, name: `relation${types.length + 1}`, from: '', to: '', description: '' }])}>
        + relation type
      </button>
    </section>
  );
}
