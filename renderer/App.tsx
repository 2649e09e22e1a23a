// The Gloss window: document list, reader, label palette and annotation panel, and the keyboard shortcuts.
import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { AppInfo, EntityView, WorkspaceView } from '../annotations/api/contract.ts';
import type { Annotation, DocumentEntry, DocumentStatus, LabelDef, RelationTypeDef } from '../annotations/model.ts';
import type { Backend } from './api.ts';
import { DocumentSession, type SaveState } from './session.ts';
import { ANNOTATION_DRAG_TYPE, Reader, type ReaderHandle } from './reader/Reader.tsx';
import { showControls } from './display.ts';
import { DatasetDialog } from './DatasetDialog.tsx';
import { VirtualList } from './VirtualList.tsx';
import { AnnotationEditor } from './AnnotationEditor.tsx';
import { EventsView } from './EventsView.tsx';
import { EntitiesView } from './EntitiesView.tsx';
import { SchemaView } from './SchemaView.tsx';
import { FindBar } from './FindBar.tsx';
import { TagAllDialog } from './TagAllDialog.tsx';
import { runSuggestions } from './suggestions.ts';

type View = 'reader' | 'events' | 'entities' | 'schema';
const VIEWS: Array<{ id: View; title: string }> = [
  { id: 'reader', title: 'Reader' },
  { id: 'events', title: 'Events' },
  { id: 'entities', title: 'Entities' },
  { id: 'schema', title: 'Schema' },
];

/** How many opened documents keep their session (and undo history) while others are read. */
const SESSION_CACHE = 12;

export function App({ backend }: { backend: Backend }) {
  const { api } = backend;
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [workspace, setWorkspace] = useState<WorkspaceView | null>(null);
  const [docId, setDocId] = useState<string | null>(null);
  const [session, setSession] = useState<DocumentSession | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [problemsSeen, setProblemsSeen] = useState(false);
  /** Bumped when files changed on disk, so the current article is re-read if its session was dropped. */
  const [reloads, setReloads] = useState(0);
  const [dataset, setDataset] = useState<'export' | 'import' | null>(null);
  const [view, setView] = useState<View>('reader');
  const [entities, setEntities] = useState<EntityView[]>([]);
  const [finding, setFinding] = useState(false);
  const [tagAll, setTagAll] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const sessions = useRef(new Map<string, DocumentSession>());
  const reader = useRef<ReaderHandle | null>(null);
  const editor = useRef<HTMLElement | null>(null);
  /** An annotation to select and show once its document is open (from the events table or entities view). */
  const pendingFocus = useRef<{ docId: string; annotationId: string } | null>(null);

  const loadEntities = useCallback(() => {
    api['entities:list']({}).then(setEntities, () => undefined);
  }, [api]);

  /** Open an article at one of its annotations. */
  const openAt = useCallback((id: string, annotationId: string) => {
    pendingFocus.current = { docId: id, annotationId };
    setView('reader');
    setDocId(id);
    setReloads((n) => n + 1);
  }, []);

  /** Annotations of other articles changed (entities merged, tags added corpus-wide): re-read them when opened. */
  const dropOtherSessions = useCallback(() => {
    for (const id of [...sessions.current.keys()]) if (id !== docId) sessions.current.delete(id);
    void api['workspace:get']({}).then((ws) => ws && setWorkspace(ws));
  }, [api, docId]);

  const loadWorkspace = useCallback(async () => {
    try {
      const [i, ws] = await Promise.all([api['app:info']({}), api['workspace:get']({})]);
      sessions.current.clear();
      setSession(null);
      setInfo(i);
      setWorkspace(ws);
      setDocId(ws?.documents[0]?.id ?? null);
      setError(null);
      if (ws) api['entities:list']({}).then(setEntities, () => undefined);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setLoading(false);
    }
  }, [api]);

  /** Files changed on disk: take the new document list; re-open the current article if its text changed. */
  const refreshCorpus = useCallback(async () => {
    let ws: WorkspaceView | null;
    try {
      ws = await api['workspace:get']({});
    } catch {
      return;
    }
    if (!ws) return;
    const byId = new Map(ws.documents.map((d) => [d.id, d]));
    for (const [id, s] of sessions.current) {
      if (byId.get(id)?.hash !== s.doc.entry.hash) sessions.current.delete(id);
    }
    setWorkspace(ws);
    setDocId((current) => (current && byId.has(current) ? current : (ws.documents[0]?.id ?? null)));
    setSession((current) => (current && sessions.current.get(current.docId) === current ? current : null));
    setReloads((n) => n + 1);
  }, [api]);

  useEffect(() => {
    void loadWorkspace();
    const offOpened = backend.on('workspace:opened', () => void loadWorkspace());
    const offChanged = backend.on('corpus:changed', () => void refreshCorpus());
    const offMenu = backend.on('menu:dataset', (mode) => setDataset(mode));
    return () => {
      offOpened();
      offChanged();
      offMenu();
    };
  }, [backend, loadWorkspace, refreshCorpus]);

  useEffect(() => {
    if (!docId || !info) return;
    const cached = sessions.current.get(docId);
    if (cached) {
      setSession(cached);
      return;
    }
    let cancelled = false;
    api['document:load']({ docId }).then(
      (doc) => {
        if (cancelled) return;
        const s = new DocumentSession(api, doc, info.author);
        sessions.current.set(docId, s);
        while (sessions.current.size > SESSION_CACHE) sessions.current.delete(sessions.current.keys().next().value!);
        setSession(s);
        setError(null);
      },
      (err: Error) => !cancelled && setError(`Cannot open this article: ${err.message}`),
    );
    return () => {
      cancelled = true;
    };
  }, [api, docId, info, reloads]);

  useSyncExternalStore(session?.subscribe ?? noopSubscribe, () => session?.version ?? 0);

  // Coming from the events table or the entities view: select and show the annotation once it is there.
  useEffect(() => {
    const focus = pendingFocus.current;
    if (!session || !focus || focus.docId !== session.docId || view !== 'reader') return;
    pendingFocus.current = null;
    session.select(focus.annotationId);
    const a = session.get(focus.annotationId);
    if (a) setTimeout(() => reader.current?.scrollTo(a), 0);
  }, [session, view]);

  /** Put a store file back from a backup, then re-read everything that may have changed. */
  const restoreBackup = useCallback(
    async (id: string, file: string) => {
      try {
        const ws = await api['backups:restore']({ id, file });
        sessions.current.clear();
        setSession(null);
        setWorkspace(ws);
        setReloads((n) => n + 1);
      } catch (err) {
        setError(`Could not restore: ${(err as Error).message}`);
      }
    },
    [api],
  );

  // Pending saves go to disk when the window loses focus or the page goes away.
  useEffect(() => {
    const flush = () => void api['workspace:flush']({}).catch(() => undefined);
    const onVisibility = () => document.visibilityState === 'hidden' && flush();
    window.addEventListener('blur', flush);
    window.addEventListener('pagehide', flush);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      window.removeEventListener('blur', flush);
      window.removeEventListener('pagehide', flush);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [api]);

  /** Change a document's review status and show the saved entry. */
  const setStatus = useCallback(
    async (id: string, status: DocumentStatus) => {
      try {
        const entry = await api['document:setStatus']({ docId: id, status });
        setWorkspace((ws) => ws && { ...ws, documents: ws.documents.map((d) => (d.id === id ? entry : d)) });
      } catch (err) {
        setError(`Could not save the status: ${(err as Error).message}`);
      }
    },
    [api],
  );

  const labels = workspace?.labels ?? [];
  const relationTypes: RelationTypeDef[] = workspace?.relationTypes ?? [];

  /** Set or clear the publication date of a document. */
  const setDate = useCallback(
    async (id: string, dct: string | null) => {
      try {
        const entry = await api['document:setDate']({ docId: id, dct });
        setWorkspace((ws) => ws && { ...ws, documents: ws.documents.map((d) => (d.id === id ? entry : d)) });
      } catch (err) {
        setError(`Could not save the date: ${(err as Error).message}`);
      }
    },
    [api],
  );

  const [suggesting, setSuggesting] = useState(false);

  /**
   * Run the suggestion engines over the open article in the worker, and store what they propose as
   * pending annotations (the store leaves out what is annotated or was rejected already).
   */
  const suggestHere = useCallback(async () => {
    if (!session || suggesting) return;
    setSuggesting(true);
    setNotice('Looking for dates, casualty figures and known names…');
    try {
      const corpusNames = await api['suggestions:known']({});
      // What the analyst tagged in this article counts as known too (learned as they work).
      const own = session.annotations
        .filter((a) => !a.pending && ['PERSON', 'ORG', 'LOCATION'].includes(a.label))
        .map((a) => ({ label: a.label, name: a.text, ...(typeof a.attrs?.entity === 'string' ? { entityId: a.attrs.entity } : {}) }));
      const found = await runSuggestions(session.doc.text, session.doc.entry.dct, [...corpusNames, ...own]);
      const stored = await api['suggestions:add']({
        docId: session.docId,
        suggestions: found.map((f) => ({ ...f, attrs: f.attrs as Record<string, string | number | boolean | null> })),
      });
      session.addPending(stored);
      setNotice(
        stored.length
          ? `${stored.length} suggestion${stored.length === 1 ? '' : 's'}: Tab moves through them, Enter or Space accepts, X rejects.`
          : 'No new suggestions for this article.',
      );
      if (stored.length) {
        const first = session.nextPending(1);
        if (first) reader.current?.scrollTo(first);
        loadEntities();
      }
    } catch (err) {
      setNotice(`Suggestions failed: ${(err as Error).message}`);
    } finally {
      setSuggesting(false);
    }
  }, [api, session, suggesting, loadEntities]);

  /** Accept or reject the selected suggestion and go on to the next one. */
  const review = useCallback(
    (accept: boolean) => {
      if (!session?.selectedId) return;
      const id = session.selectedId;
      const a = session.get(id);
      if (!a?.pending) return;
      const next = session.suggestions.find((x) => x.start > a.start || (x.start === a.start && x.id !== a.id && x.end < a.end));
      session.resolve(accept ? [id] : [], accept ? [] : [id]);
      if (next) {
        session.select(next.id);
        reader.current?.scrollTo(next);
      }
    },
    [session],
  );

  /**
   * Link two annotations dropped one on the other: at once when one relation type fits, else through
   * link mode with the target in focus, so a number picks the type.
   */
  const linkByDrop = useCallback(
    (fromId: string, toId: string) => {
      if (!session) return;
      const a = session.get(fromId);
      const b = session.get(toId);
      if (!a || !b) return;
      const fits = session.linkTypes(relationTypes, a, b);
      if (fits.length === 0) return setNotice(`No relation type links ${a.label} and ${b.label} (see Schema).`);
      if (fits.length === 1) return setNotice(session.relate(relationTypes, fits[0].type, fits[0].from, fits[0].to));
      session.select(fromId);
      if (session.startLink(relationTypes)) session.moveLink(0, toId);
    },
    [session, relationTypes],
  );

  /** Focus the first field of the selected annotation's editor. */
  const editFields = useCallback(() => {
    const field = editor.current?.querySelector<HTMLElement>('input, select, textarea');
    field?.focus();
  }, []);
  const counts = useMemo(() => countsFrom(workspace?.documents ?? [], sessions.current), [workspace, session?.version]);

  const tag = useCallback(
    (label: LabelDef) => {
      if (!session) return;
      const span = reader.current?.selectedSpan();
      if (span) {
        session.create(label.name, span.start, span.end);
        reader.current?.collapseSelection();
      } else if (session.selectedId) {
        session.relabel(session.selectedId, label.name);
      }
    },
    [session],
  );

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT')) return;
      if (!session || view !== 'reader' || tagAll || dataset) return;
      const mod = event.ctrlKey || event.metaKey;
      if (session.link) {
        // Picking the other end of a relation: Tab moves, Enter (or the type's number) links, Esc stops.
        event.preventDefault();
        event.stopPropagation();
        if (event.key === 'Tab') {
          session.moveLink(event.shiftKey ? -1 : 1);
          const a = session.get(session.link.candidates[session.link.index]);
          if (a) reader.current?.scrollTo(a);
        } else if (event.key === 'Enter' || /^[1-9]$/.test(event.key)) {
          const problem = session.finishLink(relationTypes, event.key === 'Enter' ? 0 : Number(event.key) - 1);
          setNotice(problem);
        } else if (event.key === 'Escape') {
          session.cancelLink();
        }
        return;
      }
      if (event.key === 'Tab' && !mod && session.suggestions.length > 0) {
        event.preventDefault();
        const a = session.nextPending(event.shiftKey ? -1 : 1);
        if (a) reader.current?.scrollTo(a);
        return;
      }
      if (!mod && !event.altKey && event.key.toLowerCase() === 's' && !event.shiftKey) {
        event.preventDefault();
        void suggestHere();
        return;
      }
      const selectedPending = session.selectedId ? session.get(session.selectedId)?.pending === true : false;
      if (selectedPending && !mod && !reader.current?.selectedSpan() && (event.key === 'Enter' || event.key === ' ' || event.key.toLowerCase() === 'x')) {
        event.preventDefault();
        review(event.key.toLowerCase() !== 'x');
        return;
      }
      if ((mod && event.key === 'f') || (!mod && event.key === '/')) {
        event.preventDefault();
        setFinding(true);
        return;
      }
      if (mod && !event.altKey && (event.key === 'z' || event.key === 'Z')) {
        event.preventDefault();
        if (event.shiftKey) session.redo();
        else session.undo();
        return;
      }
      if (mod && !event.altKey && event.key === 'y') {
        event.preventDefault();
        session.redo();
        return;
      }
      if (mod || event.altKey) return;
      if (event.key === 'Delete' || event.key === 'Backspace') {
        event.preventDefault();
        if (session.selectedId) session.remove(session.selectedId);
        return;
      }
      if (event.key === 'Escape') {
        session.select(null);
        return;
      }
      const label = labels.find((l) => l.key !== '' && l.key === event.key);
      if (label) {
        event.preventDefault();
        tag(label);
        return;
      }
      if (event.key === ']' || event.key === '[') {
        event.preventDefault();
        const a = session.selectAdjacent(event.key === ']' ? 1 : -1);
        if (a) reader.current?.scrollTo(a);
        return;
      }
      if (!session.selectedId || event.shiftKey) return;
      const key = event.key.toLowerCase();
      if (key === 'r') {
        event.preventDefault();
        setNotice(session.startLink(relationTypes) ? null : 'No annotation of this article can be linked to this one (see the relation types in Schema).');
      } else if (key === 'e' || (event.key === 'Enter' && !reader.current?.selectedSpan())) {
        event.preventDefault();
        editFields();
      } else if (key === 'a') {
        event.preventDefault();
        setTagAll(true);
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [session, labels, tag, view, relationTypes, editFields, tagAll, dataset, suggestHere, review]);

  if (loading) return <div className="splash">Opening…</div>;
  if (!workspace) {
    return (
      <div className="splash">
        <h1>Gloss</h1>
        {error ? <p className="error">{error}</p> : <p>No folder is open.</p>}
        {info?.shell === 'electron' && (
          <button onClick={() => api['workspace:openDialog']({}).then(() => loadWorkspace())}>Open folder…</button>
        )}
      </div>
    );
  }

  const current = workspace.documents.find((d) => d.id === docId) ?? null;
  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">Gloss</span>
        <span className="folder" title={workspace.folder}>
          {workspace.name}
        </span>
        <nav className="tabs" aria-label="Views">
          {VIEWS.map((v) => (
            <button
              key={v.id}
              className={view === v.id ? 'tab is-current' : 'tab'}
              aria-current={view === v.id ? 'page' : undefined}
              onClick={() => {
                setView(v.id);
                if (v.id === 'reader') loadEntities();
              }}
              data-view={v.id}
            >
              {v.title}
            </button>
          ))}
        </nav>
        <span className="store" title={workspace.store.dir} data-testid="store-location">
          {workspace.store.kind === 'folder'
            ? 'Annotations saved in the folder (.gloss)'
            : 'Folder is read-only: annotations saved in your user data folder'}
        </span>
        {info?.shell === 'electron' && (
          <button className="ghost" onClick={() => api['workspace:openDialog']({}).then((ws) => ws && loadWorkspace())}>
            Open folder…
          </button>
        )}
        <button className="ghost push" onClick={() => setDataset('import')} data-testid="open-import">
          Import…
        </button>
        <button className="ghost" onClick={() => setDataset('export')} data-testid="open-export">
          Export…
        </button>
        <SaveIndicator state={session?.saveState ?? { status: 'saved' }} />
      </header>
      {dataset && (
        <DatasetDialog
          mode={dataset}
          backend={backend}
          labels={labels}
          desktop={info?.shell === 'electron'}
          onClose={(changed) => {
            setDataset(null);
            if (changed) void refreshCorpus();
          }}
        />
      )}
      <aside className="doclist" aria-label="Articles">
        <VirtualList
          items={workspace.documents}
          keyOf={(d) => d.id}
          rowHeight={58}
          render={(d) => (
            <button
              className={d.id === docId ? 'doc is-current' : 'doc'}
              onClick={() => {
                setDocId(d.id);
                setView('reader');
              }}
              title={d.path}
              data-path={d.path}
            >
              <span className="doc-title" dir="auto">
                {showControls(d.title || d.path)}
              </span>
              <span className="doc-meta">
                <bdi className="doc-path">{showControls(d.path)}</bdi>
                <span className={`status-dot status-${d.status ?? 'new'}`} title={STATUS_LABELS[d.status ?? 'new']} />
                <span className="count" aria-label="annotations">
                  {counts.get(d.id) ?? d.annotationCount}
                </span>
              </span>
            </button>
          )}
        />
        <Progress documents={workspace.documents} />
        <CorpusNotes workspace={workspace} />
      </aside>
      {view !== 'reader' && (
        <main className="wide-view">
          {view === 'events' && <EventsView backend={backend} onOpen={openAt} />}
          {view === 'entities' && (
            <EntitiesView
              backend={backend}
              onOpen={openAt}
              onChanged={() => {
                dropOtherSessions();
                sessions.current.delete(docId ?? '');
                setSession(null);
                setReloads((n) => n + 1);
                loadEntities();
              }}
            />
          )}
          {view === 'schema' && (
            <SchemaView
              backend={backend}
              workspace={workspace}
              onSaved={(ws) => {
                sessions.current.clear();
                setSession(null);
                setWorkspace(ws);
                setReloads((n) => n + 1);
              }}
            />
          )}
        </main>
      )}
      <main className="reader" hidden={view !== 'reader'}>
        {error && <p className="error banner">{error}</p>}
        {workspace.problems.length > 0 && !problemsSeen && (
          <div className="banner warning" role="alert">
            {workspace.problems.map((p) => (
              <p key={p.movedTo}>
                Store file {p.file} could not be read ({p.reason}). It was kept aside as {p.movedTo}; nothing was overwritten.{' '}
                {p.backup && (
                  <button className="ghost" data-testid="restore-backup" onClick={() => void restoreBackup(p.backup!.id, p.file)}>
                    Restore the copy from {new Date(p.backup.created).toLocaleString()}
                  </button>
                )}
              </p>
            ))}
            <button className="ghost" onClick={() => setProblemsSeen(true)}>
              Dismiss
            </button>
          </div>
        )}
        {current && session && session.docId === current.id ? (
          <>
            <DocumentHeader
              entry={current}
              onStatus={(status) => void setStatus(current.id, status)}
              onDate={(dct) => void setDate(current.id, dct)}
            />
            {finding && (
              <FindBar
                session={session}
                onSelect={(start, end) => reader.current?.selectSpan(start, end)}
                onClose={() => {
                  setFinding(false);
                  reader.current?.focus();
                }}
              />
            )}
            <Reader session={session} labels={labels} handle={reader} onLinkDrop={linkByDrop} />
            {tagAll && session.selectedId && session.get(session.selectedId) && (
              <TagAllDialog
                api={api}
                session={session}
                annotation={session.get(session.selectedId)!}
                onClose={(elsewhere) => {
                  setTagAll(false);
                  if (elsewhere > 0) {
                    dropOtherSessions();
                    setNotice(`Tagged ${elsewhere} occurrence${elsewhere === 1 ? '' : 's'} in other articles.`);
                  }
                  reader.current?.focus();
                }}
              />
            )}
          </>
        ) : (
          <p className="muted">{workspace.documents.length ? 'Opening…' : 'This folder has no .txt or .md articles.'}</p>
        )}
      </main>
      <aside className="panel" aria-label="Labels and annotations" hidden={view !== 'reader'}>
        <Palette labels={labels} onPick={tag} session={session} />
        {notice && (
          <p className="notice small" role="status" data-testid="notice">
            {notice}{' '}
            <button className="ghost tiny" onClick={() => setNotice(null)}>
              ×
            </button>
          </p>
        )}
        {session?.link && <LinkBanner session={session} relationTypes={relationTypes} />}
        {session && <SuggestionsPanel session={session} running={suggesting} onRun={() => void suggestHere()} />}
        {session && (
          <AnnotationList
            session={session}
            labels={labels}
            onPick={(a) => {
              session.select(a.id);
              reader.current?.scrollTo(a);
            }}
            onLinkDrop={linkByDrop}
            editor={(selected) => (
              <AnnotationEditor
                api={api}
                session={session}
                annotation={selected}
                labels={labels}
                relationTypes={relationTypes}
                entities={entities}
                onEntitiesChanged={loadEntities}
                onPick={(a) => {
                  session.select(a.id);
                  reader.current?.scrollTo(a);
                }}
                onDone={() => reader.current?.focus()}
                editorRef={editor}
              />
            )}
          />
        )}
        <Shortcuts />
      </aside>
    </div>
  );
}

function noopSubscribe(): () => void {
  return () => undefined;
}

/** Live counts for documents with an open session; the index's counts for the others. */
function countsFrom(documents: DocumentEntry[], sessions: Map<string, DocumentSession>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const d of documents) counts.set(d.id, sessions.get(d.id)?.annotations.length ?? d.annotationCount);
  return counts;
}

function SaveIndicator({ state }: { state: SaveState }) {
  const text = state.status === 'saved' ? 'Saved' : state.status === 'saving' ? 'Saving…' : state.message;
  return (
    <span className={`save save-${state.status}`} role="status" aria-live="polite" data-testid="save-state">
      {text}
    </span>
  );
}

const STATUS_LABELS: Record<DocumentStatus, string> = { new: 'New', 'in-progress': 'In progress', done: 'Done' };

function DocumentHeader({ entry, onStatus, onDate }: { entry: DocumentEntry; onStatus: (s: DocumentStatus) => void; onDate: (dct: string | null) => void }) {
  return (
    <div className="doc-header">
      <label className="status-pick">
        Status{' '}
        <select
          value={entry.status ?? 'new'}
          onChange={(e) => onStatus(e.target.value as DocumentStatus)}
          data-testid="doc-status"
        >
          {Object.entries(STATUS_LABELS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <bdi>{showControls(entry.path)}</bdi>
      <label className="dct" title={entry.dct ? `${formatDate(entry.dct)} (${entry.dctSource === 'user' ? 'set by you' : 'found in the text'}); relative dates are read against it` : 'Relative dates are read against the publication date'}>
        Published{' '}
        <input
          type="date"
          value={entry.dct ?? ''}
          data-testid="doc-date"
          onChange={(e) => onDate(e.target.value === '' ? null : e.target.value)}
        />
        {!entry.dct && <span className="muted"> unknown</span>}
      </label>
      <span>{entry.encoding}</span>
      <span>{entry.length.toLocaleString()} characters</span>
    </div>
  );
}

function formatDate(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString(undefined, { dateStyle: 'long', timeZone: 'UTC' });
}

function Progress({ documents }: { documents: DocumentEntry[] }) {
  if (documents.length === 0) return null;
  const done = documents.filter((d) => d.status === 'done').length;
  const started = documents.filter((d) => d.status === 'in-progress').length;
  return (
    <p className="progress" data-testid="progress">
      <progress max={documents.length} value={done} /> {done} of {documents.length} done
      {started > 0 ? `, ${started} in progress` : ''}
    </p>
  );
}

function CorpusNotes({ workspace }: { workspace: WorkspaceView }) {
  if (workspace.skipped.length === 0) return null;
  return (
    <details className="skipped">
      <summary>
        {workspace.skipped.length} file{workspace.skipped.length === 1 ? '' : 's'} not opened
      </summary>
      <ul>
        {workspace.skipped.map((s) => (
          <li key={s.path}>
            <bdi>
              <code>{showControls(s.path)}</code>
            </bdi>
            : {s.reason}
          </li>
        ))}
      </ul>
    </details>
  );
}

function Palette({
  labels,
  onPick,
  session,
}: {
  labels: LabelDef[];
  onPick: (l: LabelDef) => void;
  session: DocumentSession | null;
}) {
  // Counted again only when the annotations change (the list is a new array then), not on every selection,
  // and after the change is on screen (a deferred render): counting 50,000 takes most of a frame.
  const annotations = useDeferredValue(session?.annotations);
  const perLabel = useMemo(() => {
    const counts = new Map<string, number>();
    for (const a of annotations ?? []) counts.set(a.label, (counts.get(a.label) ?? 0) + 1);
    return counts;
  }, [annotations]);
  return (
    <section className="palette">
      <h2>Labels</h2>
      <ul>
        {labels.map((l) => (
          <li key={l.name}>
            <button
              className="label"
              title={l.description}
              // Keep the reader's text selection: do not take focus on mouse down.
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => onPick(l)}
              style={{ ['--ann-color' as string]: l.color }}
            >
              <kbd>{l.key}</kbd>
              <span className="swatch" />
              <span className="name">{l.name}</span>
              <span className="n">{perLabel.get(l.name) ?? 0}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Suggest (S), and the pending suggestions per label with accept-all and reject-all. */
function SuggestionsPanel({ session, running, onRun }: { session: DocumentSession; running: boolean; onRun: () => void }) {
  const perLabel = new Map<string, string[]>();
  for (const a of session.suggestions) perLabel.set(a.label, [...(perLabel.get(a.label) ?? []), a.id]);
  return (
    <section className="suggestions" data-testid="suggestions">
      <button className="ghost" onClick={onRun} disabled={running} title="Dates, casualty figures and known names, proposed offline (key S)">
        {running ? 'Suggesting…' : 'Suggest'} <kbd>S</kbd>
      </button>
      {perLabel.size > 0 && (
        <table>
          <tbody>
            {[...perLabel].map(([label, ids]) => (
              <tr key={label} data-suggested={label}>
                <td>{label}</td>
                <td className="n">{ids.length}</td>
                <td>
                  <button className="ghost tiny" onClick={() => session.resolve(ids, [])} data-testid={`accept-all-${label}`}>
                    Accept all
                  </button>{' '}
                  <button className="ghost tiny" onClick={() => session.resolve([], ids)} data-testid={`reject-all-${label}`}>
                    Reject all
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {perLabel.size > 0 && (
        <div className="muted small">
          <kbd>Tab</kbd> next suggestion · <kbd>Enter</kbd>/<kbd>Space</kbd> accept · <kbd>X</kbd> reject
        </div>
      )}
    </section>
  );
}

/** While a relation is being made: the candidate in focus and the types that would link it. */
function LinkBanner({ session, relationTypes }: { session: DocumentSession; relationTypes: RelationTypeDef[] }) {
  const link = session.link!;
  const source = session.get(link.source);
  const target = session.get(link.candidates[link.index]);
  if (!source || !target) return null;
  const fits = session.linkTypes(relationTypes, source, target);
  return (
    <div className="link-banner" role="status" data-testid="link-banner">
      <div>
        Link <strong>{source.label}</strong> “<bdi>{showControls(source.text)}</bdi>” to <strong>{target.label}</strong> “
        <bdi>{showControls(target.text)}</bdi>” ({link.index + 1} of {link.candidates.length})
      </div>
      <ol className="fits">
        {fits.map((f, i) => (
          <li key={f.type + f.from}>
            <kbd>{i === 0 ? 'Enter' : i + 1}</kbd> {f.from === source.id ? `${source.label} —${f.type}→ ${target.label}` : `${target.label} —${f.type}→ ${source.label}`}
          </li>
        ))}
      </ol>
      <div className="muted small">
        <kbd>Tab</kbd> next candidate · <kbd>Shift+Tab</kbd> previous · click one · <kbd>Esc</kbd> stop
      </div>
    </div>
  );
}

function AnnotationList({
  session,
  labels,
  onPick,
  onLinkDrop,
  editor,
}: {
  session: DocumentSession;
  labels: LabelDef[];
  onPick: (a: Annotation) => void;
  onLinkDrop: (fromId: string, toId: string) => void;
  editor: (selected: Annotation) => React.ReactNode;
}) {
  const colors = new Map(labels.map((l) => [l.name, l.color]));
  const selected = session.selectedId ? session.get(session.selectedId) : undefined;
  return (
    <section className="annotations">
      <h2>
        Annotations <span className="n">{session.annotations.length}</span>
      </h2>
      {selected && editor(selected)}
      {session.annotations.length === 0 ? (
        <p className="muted small">Select text in the article and press a label key (1–{labels.length}).</p>
      ) : (
        <VirtualList
          className="ann-list"
          items={session.annotations}
          keyOf={(a) => a.id}
          rowHeight={28}
          render={(a) => (
            <button
              className={`ann-item${a.id === session.selectedId ? ' is-selected' : ''}${a.pending ? ' is-pending' : ''}`}
              title={a.pending ? `Suggested by ${a.source ?? 'an engine'}` : undefined}
              onClick={() => onPick(a)}
              data-ann-item={a.id}
              draggable
              onDragStart={(e) => {
                e.dataTransfer.setData(ANNOTATION_DRAG_TYPE, a.id);
                e.dataTransfer.effectAllowed = 'link';
              }}
              onDragOver={(e) => e.dataTransfer.types.includes(ANNOTATION_DRAG_TYPE) && e.preventDefault()}
              onDrop={(e) => {
                const from = e.dataTransfer.getData(ANNOTATION_DRAG_TYPE);
                if (from && from !== a.id) {
                  e.preventDefault();
                  onLinkDrop(from, a.id);
                }
              }}
            >
              <span className="chip" style={{ ['--ann-color' as string]: colors.get(a.label) ?? '#999' }}>
                {a.label}
              </span>
              <bdi className="quote">{showControls(a.text)}</bdi>
            </button>
          )}
        />
      )}
      {(session.doc.reanchored ?? 0) > 0 && (
        <p className="muted small" data-testid="reanchored">
          The article changed on disk; {session.doc.reanchored} annotation{session.doc.reanchored === 1 ? ' was' : 's were'} moved
          to follow its text.
        </p>
      )}
      {session.doc.orphans.length > 0 && (
        <details className="orphans" open>
          <summary>{session.doc.orphans.length} annotations no longer match the text (the file changed)</summary>
          <ul>
            {session.doc.orphans.map((a) => (
              <li key={a.id}>
                {a.label} “{a.text}” (was at {a.start}–{a.end})
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

function Shortcuts() {
  return (
    <details className="shortcuts">
      <summary>Keyboard</summary>
      <dl>
        <dt>1–7</dt>
        <dd>Tag the selected text (or relabel the selected annotation)</dd>
        <dt>Delete</dt>
        <dd>Remove the selected annotation</dd>
        <dt>Ctrl+Z / Ctrl+Shift+Z</dt>
        <dd>Undo / redo</dd>
        <dt>Esc</dt>
        <dd>Deselect</dd>
        <dt>Shift+arrows</dt>
        <dd>Select text by keyboard</dd>
        <dt>/ or Ctrl+F</dt>
        <dd>Find in the article; Enter selects the next match</dd>
        <dt>E or Enter</dt>
        <dd>Edit the selected annotation's values and note (Esc: back)</dd>
        <dt>] / [</dt>
        <dd>Select the next / previous annotation</dd>
        <dt>R</dt>
        <dd>Link the selected annotation: Tab to the other end, Enter</dd>
        <dt>A</dt>
        <dd>Tag all occurrences of the selected annotation's text</dd>
        <dt>S</dt>
        <dd>Suggest dates, casualty figures and names (dashed)</dd>
        <dt>Tab / Enter, Space / X</dt>
        <dd>Next suggestion / accept / reject</dd>
      </dl>
    </details>
  );
}
