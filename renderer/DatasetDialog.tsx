// Export and import dialogs: choose a format and options, watch the progress, read the summary.
import { useEffect, useState } from 'react';
import type { ExportRunResult, FormatInfo, GlossApi, ImportRunResult, TaskProgress } from '../annotations/api/contract.ts';
import type { LabelDef } from '../annotations/model.ts';
import type { Backend } from './api.ts';

type Mode = 'export' | 'import';

interface Props {
  mode: Mode;
  backend: Backend;
  labels: LabelDef[];
  /** Whether files can be picked (desktop): the browser shell exports into the store and imports by command. */
  desktop: boolean;
  onClose: (changed: boolean) => void;
}

/** A modal dialog for one export or import run. */
export function DatasetDialog({ mode, backend, labels, desktop, onClose }: Props) {
  const api: GlossApi = backend.api;
  const [formats, setFormats] = useState<FormatInfo[]>([]);
  const [format, setFormat] = useState('');
  const [documents, setDocuments] = useState<'all' | 'done'>('all');
  const [chosen, setChosen] = useState<Set<string>>(() => new Set(labels.map((l) => l.name)));
  const [includePending, setIncludePending] = useState(false);
  const [running, setRunning] = useState(false);
  const [progress, setProgress] = useState<TaskProgress | null>(null);
  const [result, setResult] = useState<ExportRunResult | ImportRunResult | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api['formats:list']({}).then((all) => {
      const usable = all.filter((f) => (mode === 'export' ? f.export : f.import));
      setFormats(usable);
      setFormat((current) => current || usable[0]?.name || '');
    }, (err: Error) => setError(err.message));
  }, [api, mode]);

  useEffect(() => backend.on('task:progress', (p) => setProgress(p as TaskProgress)), [backend]);

  const run = async () => {
    setRunning(true);
    setError(null);
    setProgress(null);
    try {
      const value =
        mode === 'export'
          ? await api['export:run']({
              format,
              options: {
                documents,
                labels: chosen.size === labels.length ? undefined : [...chosen],
                includePending,
              },
            })
          : await api['import:run']({ format });
      setResult(value);
      if (value === null) onClose(false);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setRunning(false);
    }
  };

  const title = mode === 'export' ? 'Export annotations' : 'Import annotations';
  return (
    <div className="modal-backdrop" role="presentation">
      <div className="modal" role="dialog" aria-modal="true" aria-label={title} data-testid={`${mode}-dialog`}>
        <h2>{title}</h2>
        {result ? (
          <Summary mode={mode} result={result} />
        ) : (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void run();
            }}
          >
            <label className="field">
              Format
              <select value={format} onChange={(e) => setFormat(e.target.value)} disabled={running} data-testid="format">
                {formats.map((f) => (
                  <option key={f.name} value={f.name}>
                    {f.name}: {f.description}
                  </option>
                ))}
              </select>
            </label>
            {mode === 'export' ? (
              <>
                <fieldset disabled={running}>
                  <legend>Documents</legend>
                  <label>
                    <input type="radio" checked={documents === 'all'} onChange={() => setDocuments('all')} /> All
                  </label>
                  <label>
                    <input type="radio" checked={documents === 'done'} onChange={() => setDocuments('done')} /> Only those
                    marked done
                  </label>
                </fieldset>
                <fieldset disabled={running} className="label-choice">
                  <legend>Labels</legend>
                  {labels.map((l) => (
                    <label key={l.name}>
                      <input
                        type="checkbox"
                        checked={chosen.has(l.name)}
                        onChange={(e) => {
                          const next = new Set(chosen);
                          if (e.target.checked) next.add(l.name);
                          else next.delete(l.name);
                          setChosen(next);
                        }}
                      />{' '}
                      {l.name}
                    </label>
                  ))}
                </fieldset>
                <label className="field-inline">
                  <input type="checkbox" checked={includePending} onChange={(e) => setIncludePending(e.target.checked)} />{' '}
                  Include suggestions that were never accepted
                </label>
                {!desktop && <p className="muted small">The export is written into the folder's .gloss/exports/; its place is shown at the end.</p>}
              </>
            ) : (
              !desktop && (
                <p className="muted small">
                  The browser cannot hand files to Gloss. Import from a terminal: <code>npx gloss import FILE --into FOLDER</code>.
                </p>
              )
            )}
            {running && (
              <p className="running">
                <progress max={progress?.total || undefined} value={progress ? progress.done : undefined} />{' '}
                {progress ? `${progress.done} of ${progress.total} documents` : 'Working…'}
              </p>
            )}
            {error && <p className="error">{error}</p>}
            <div className="actions">
              <button type="button" className="ghost" onClick={() => onClose(false)} disabled={running}>
                Cancel
              </button>
              <button type="submit" disabled={running || !format || (mode === 'import' && !desktop) || chosen.size === 0}>
                {mode === 'export' ? 'Export' : 'Choose file and import…'}
              </button>
            </div>
          </form>
        )}
        {result && (
          <div className="actions">
            <button onClick={() => onClose(mode === 'import')} data-testid="close-summary">
              Close
            </button>
          </div>
        )}
      </div>
    </div>
  );
}

function Summary({ mode, result }: { mode: Mode; result: ExportRunResult | ImportRunResult }) {
  const problems = result.problems;
  return (
    <div className="summary" data-testid="summary">
      {mode === 'export' ? (
        <p>
          Exported {(result as ExportRunResult).annotations} annotations from {result.documents} documents to{' '}
          <code>{(result as ExportRunResult).location}</code>.
        </p>
      ) : (
        <p>
          Imported {(result as ImportRunResult).annotations} annotations into {result.documents} documents (
          {(result as ImportRunResult).created} new articles); {(result as ImportRunResult).refused} refused.
        </p>
      )}
      {problems.length > 0 && (
        <details open>
          <summary>{problems.length} problems</summary>
          <ul>
            {problems.slice(0, 200).map((p, i) => (
              <li key={i}>
                <code>
                  {p.file}
                  {p.line ? `:${p.line}` : ''}
                </code>{' '}
                {p.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
