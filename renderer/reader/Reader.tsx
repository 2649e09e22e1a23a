// The article reader: a ProseMirror view of the text (read-only) with the session's annotations as highlights.
import { useEffect, useRef } from 'react';
import { EditorState, TextSelection } from 'prosemirror-state';
import { EditorView } from 'prosemirror-view';
import type { Annotation, LabelDef } from '../../annotations/model.ts';
import { snapToWords } from '../../annotations/layout.ts';
import type { DocumentSession } from '../session.ts';
import { documentFor } from './schema.ts';
import { highlightsPlugin, labelColors, setHighlights, type Highlight } from './highlights.ts';

const UNKNOWN_LABEL_COLOR = '#999999';

/** Reader handle for the app: the current selection as a span, and scrolling to an annotation. */
export interface ReaderHandle {
  /** The selected text snapped to words, in code points; null when nothing is selected. */
  selectedSpan(): { start: number; end: number } | null;
  /** Clear the text selection (after tagging it). */
  collapseSelection(): void;
  /** Select [start, end) (code points) as if dragged, and show it (the find bar). */
  selectSpan(start: number, end: number): void;
  scrollTo(annotation: Annotation): void;
  focus(): void;
}

interface ReaderProps {
  session: DocumentSession;
  labels: LabelDef[];
  handle: React.MutableRefObject<ReaderHandle | null>;
  /** An annotation (dragged from the list) was dropped on the highlight of another: link them. */
  onLinkDrop?: (fromId: string, toId: string) => void;
}

/** The drag type carrying an annotation id, from the annotation list to a highlight. */
export const ANNOTATION_DRAG_TYPE = 'application/x-gloss-annotation';

/** What a highlight shows on hover: its label, attribute values and note. */
function hoverText(a: Annotation): string {
  const values = Object.entries(a.attrs ?? {})
    .filter(([, v]) => v !== null && v !== '')
    .map(([k, v]) => `${k}: ${String(v)}`);
  const head = a.pending ? `${a.label} (suggested by ${a.source ?? 'an engine'}: Enter accepts, X rejects)` : a.label;
  return [head, ...values, ...(a.note ? [`note: ${a.note}`] : [])].join('\n');
}

/** Render the session's document and keep its highlights in step with the session. */
export function Reader({ session, labels, handle, onLinkDrop }: ReaderProps) {
  const host = useRef<HTMLDivElement>(null);
  const linkDrop = useRef(onLinkDrop);
  linkDrop.current = onLinkDrop;

  useEffect(() => {
    const { mapping } = session;
    const toHighlight = (a: Annotation): Highlight => ({
      id: a.id,
      label: a.label,
      from: mapping.toPos(a.start, 'start'),
      to: mapping.toPos(a.end, 'end'),
      ...session.emphasis(a.id),
      pending: a.pending === true,
      title: hoverText(a),
    });
    const doc = documentFor(mapping);
    const state = EditorState.create({
      doc,
      plugins: [highlightsPlugin(doc, session.annotations.map(toHighlight))],
    });
    const view = new EditorView(host.current!, {
      state,
      // Editable so the caret and Shift+arrows select text by keyboard; every edit is refused below.
      editable: () => true,
      attributes: { 'aria-readonly': 'true', 'aria-label': 'Article text', spellcheck: 'false', class: 'reader-text' },
      dispatchTransaction(tr) {
        if (tr.docChanged) return;
        view.updateState(view.state.apply(tr));
      },
      handleTextInput: () => true,
      handlePaste: () => true,
      handleDrop(_view, event) {
        // Text is never dropped in; an annotation dropped on a highlight is linked to it.
        const from = event.dataTransfer?.getData(ANNOTATION_DRAG_TYPE);
        const to = (event.target as HTMLElement).closest?.('[data-ann]')?.getAttribute('data-ann');
        if (from && to && from !== to) linkDrop.current?.(from, to);
        return true;
      },
      handleKeyDown(_view, event) {
        // Let navigation and copy through; anything that would edit the text is swallowed.
        if (event.ctrlKey || event.metaKey) return !['c', 'a', 'C', 'A'].includes(event.key) && event.key.length === 1;
        return event.key.length === 1 || ['Enter', 'Backspace', 'Delete', 'Tab'].includes(event.key);
      },
      handleDOMEvents: {
        beforeinput: (_view, event) => {
          event.preventDefault();
          return true;
        },
      },
      handleClick(_view, _pos, event) {
        const target = (event.target as HTMLElement).closest?.('[data-ann]');
        const id = target?.getAttribute('data-ann') ?? null;
        // While linking, a click picks the other end.
        if (session.link && id) {
          session.moveLink(0, id);
          return true;
        }
        // A click that only places the caret selects the annotation under it (innermost span).
        if (view.state.selection.empty || id) session.select(id);
        return false;
      },
    });

    // At every commit while a contenteditable element has the focus, React walks all of it to save and
    // restore its selection (facebook/react#1350): 70 ms per edit in a 1 MB article. This element is
    // ProseMirror's, which keeps its own selection, so React is told it is no plain contenteditable, by the
    // one property it checks (the attribute, which the browser and ProseMirror use, stays "true").
    Object.defineProperty(view.dom, 'contentEditable', { get: () => 'inherit', configurable: true });

    const off = session.onChange(({ added, removed }) => {
      const tr = setHighlights(view.state.tr, {
        remove: removed.map((a) => ({ id: a.id, from: mapping.toPos(a.start, 'start'), to: mapping.toPos(a.end, 'end') })),
        add: added.filter((a) => session.get(a.id)).map(toHighlight),
      });
      view.dispatch(tr);
    });

    handle.current = {
      selectedSpan() {
        const { from, to, empty } = view.state.selection;
        if (empty) return null;
        const span = snapToWords(mapping.text, mapping.posToUtf16(from), mapping.posToUtf16(to));
        if (!span) return null;
        return { start: mapping.index.toCodePoint(span.from), end: mapping.index.toCodePoint(span.to) };
      },
      collapseSelection() {
        const { to } = view.state.selection;
        view.dispatch(view.state.tr.setSelection(TextSelection.create(view.state.doc, to)));
      },
      selectSpan(start, end) {
        const from = mapping.toPos(start, 'start');
        const to = mapping.toPos(end, 'end');
        view.dispatch(view.state.tr.setSelection(TextSelection.create(view.state.doc, from, to)).scrollIntoView());
      },
      scrollTo(a) {
        const pos = mapping.toPos(a.start, 'start');
        const { node } = view.domAtPos(pos);
        const el = node.nodeType === Node.ELEMENT_NODE ? (node as Element) : node.parentElement;
        el?.closest('[data-ann]')?.scrollIntoView({ block: 'center' }) ?? el?.scrollIntoView({ block: 'center' });
      },
      focus() {
        view.focus();
      },
    };
    return () => {
      off();
      handle.current = null;
      view.destroy();
    };
  }, [session, handle]);

  return (
    <>
      <style>{labelColors(labels, UNKNOWN_LABEL_COLOR)}</style>
      <div ref={host} className="reader-host" data-doc={session.docId} />
    </>
  );
}
