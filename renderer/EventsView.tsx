// The events table: one row per EVENT annotation of the corpus with its linked date, place, actors,
// victims and weapon; sortable, filterable, live; a row opens the article at its event.
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { EventTableRow } from '../annotations/api/contract.ts';
import type { Backend } from './api.ts';
import { showControls } from './display.ts';

interface Column {
  key: string;
  title: string;
  value: (r: EventTableRow) => string;
  /** Sorted as numbers. */
  numeric?: boolean;
}

/** A low–high figure; a missing high (some victims counted only as "dozens") reads "low+". */
const range = (low: string, high: string): string => (!low && !high ? '' : !high ? `${low}+` : low === high ? low : `${low}–${high}`);

const COLUMNS: Column[] = [
  { key: 'date', title: 'Date', value: (r) => (r.date_start && r.date_end && r.date_start !== r.date_end ? `${r.date_start} – ${r.date_end}` : r.event_date) },
  { key: 'type', title: 'Type', value: (r) => r.event_type },
  { key: 'actors', title: 'Actors', value: (r) => [r.actor1, r.actor2, r.other_actors].filter(Boolean).join('; ') },
  { key: 'place', title: 'Place', value: (r) => r.location },
  { key: 'victims', title: 'Victims', value: (r) => r.victims.join('; ') },
  { key: 'killed', title: 'Killed', value: (r) => range(r.fatalities_low, r.fatalities_high), numeric: true },
  { key: 'civilians', title: 'Civilians killed', value: (r) => r.civilian_deaths, numeric: true },
  { key: 'injured', title: 'Injured', value: (r) => range(r.injured_low, r.injured_high), numeric: true },
  { key: 'weapon', title: 'Weapon', value: (r) => r.weapon },
  { key: 'source', title: 'Article', value: (r) => r.source || r.document_path },
  { key: 'quote', title: 'Sentence', value: (r) => r.notes },
];

export function EventsView({ backend, onOpen }: { backend: Backend; onOpen: (docId: string, annotationId: string) => void }) {
  const { api } = backend;
  const [rows, setRows] = useState<EventTableRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [filter, setFilter] = useState('');
  const [sort, setSort] = useState<{ key: string; desc: boolean }>({ key: 'date', desc: false });

  const load = useCallback(async () => {
    try {
      setRows(await api['events:list']({}));
      setError(null);
    } catch (err) {
      setError((err as Error).message);
    }
  }, [api]);

  useEffect(() => {
    void load();
    // Rows follow every change, wherever it was made.
    const offChanged = backend.on('annotations:changed', () => void load());
    const offCorpus = backend.on('corpus:changed', () => void load());
    return () => {
      offChanged();
      offCorpus();
    };
  }, [backend, load]);

  const shown = useMemo(() => {
    if (!rows) return [];
    const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
    const column = COLUMNS.find((c) => c.key === sort.key) ?? COLUMNS[0];
    const keyed = rows
      .map((r) => ({ r, cells: COLUMNS.map((c) => c.value(r)) }))
      .filter(({ cells }) => {
        const hay = cells.join(' ').toLowerCase();
        return words.every((w) => hay.includes(w));
      });
    const cmp = (a: string, b: string) => {
      if (column.numeric) return (parseFloat(a) || -1) - (parseFloat(b) || -1);
      return a.localeCompare(b);
    };
    keyed.sort((x, y) => cmp(column.value(x.r), column.value(y.r)) * (sort.desc ? -1 : 1) || x.r.event_id.localeCompare(y.r.event_id));
    return keyed;
  }, [rows, filter, sort]);

  return (
    <section className="table-view" aria-label="Events">
      <div className="table-tools">
        <h2>Events</h2>
        <input
          type="search"
          placeholder="Filter: any word in any column"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          data-testid="events-filter"
        />
        <span className="muted small">
          {rows ? `${shown.length} of ${rows.length} events` : 'Loading…'} · EVENT annotations linked (key <kbd>R</kbd>) to a DATE, LOCATION, ORG/PERSON,
          CASUALTIES and WEAPON
        </span>
      </div>
      {error && <p className="error">{error}</p>}
      {rows && rows.length === 0 && (
        <p className="muted">No events yet. Tag an event with EVENT, select it, press R and link it to its date, place, actors and victims.</p>
      )}
      {shown.length > 0 && (
        <table className="data" data-testid="events-table">
          <thead>
            <tr>
              {COLUMNS.map((c) => (
                <th key={c.key} aria-sort={sort.key === c.key ? (sort.desc ? 'descending' : 'ascending') : 'none'}>
                  <button className="linkish" onClick={() => setSort((s) => ({ key: c.key, desc: s.key === c.key ? !s.desc : false }))}>
                    {c.title} {sort.key === c.key ? (sort.desc ? '▼' : '▲') : ''}
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map(({ r, cells }) => (
              <tr
                key={r.event_id}
                tabIndex={0}
                data-event={r.annotation_id}
                title={r.problems.join('\n') || 'Open the article at this event'}
                onClick={() => onOpen(r.document_id, r.annotation_id)}
                onKeyDown={(e) => e.key === 'Enter' && onOpen(r.document_id, r.annotation_id)}
              >
                {cells.map((cell, i) => (
                  <td key={COLUMNS[i].key} data-col={COLUMNS[i].key} dir="auto">
                    {showControls(cell)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
