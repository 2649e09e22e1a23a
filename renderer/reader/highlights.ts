// ProseMirror plugin that shows annotations as inline decorations kept in plugin state: changes add and
// remove single decorations and the set is mapped through transactions, never rebuilt.
import { Plugin, PluginKey, type EditorState, type Transaction } from 'prosemirror-state';
import { Decoration, DecorationSet } from 'prosemirror-view';
import type { Node as PMNode } from 'prosemirror-model';

/** One highlight, in reader positions. */
export interface Highlight {
  id: string;
  label: string;
  color: string;
  from: number;
  to: number;
  selected?: boolean;
  /** Linked to the selected annotation. */
  related?: boolean;
  /** The candidate in focus while a relation is being made. */
  candidate?: boolean;
  /** A suggestion not accepted yet: drawn dashed and unfilled. */
  pending?: boolean;
  /** Shown on hover: the label and attribute values. */
  title?: string;
}

/** A change to the highlights; `remove` names the ranges the highlights were shown at. */
export interface HighlightChange {
  add?: Highlight[];
  remove?: Array<Pick<Highlight, 'id' | 'from' | 'to'>>;
}

interface Spec {
  id: string;
  label: string;
}

const key = new PluginKey<DecorationSet>('gloss-highlights');

function decorationFor(h: Highlight): Decoration {
  return Decoration.inline(
    h.from,
    h.to,
    {
      // An explicit nodeName gives every highlight its own element, so nested and overlapping spans
      // stay visible instead of merging into one span.
      nodeName: 'span',
      class: `ann${h.selected ? ' is-selected' : ''}${h.related ? ' is-related' : ''}${h.candidate ? ' is-candidate' : ''}${h.pending ? ' is-pending' : ''}`,
      ...(h.title ? { title: h.title } : {}),
      'data-ann': h.id,
      'data-label': h.label,
      style: `--ann-color: ${h.color}`,
    },
    { id: h.id, label: h.label } satisfies Spec,
  );
}

/** The plugin, with the highlights the document opens with. */
export function highlightsPlugin(doc: PMNode, initial: Highlight[]): Plugin<DecorationSet> {
  return new Plugin<DecorationSet>({
    key,
    state: {
      init: () => DecorationSet.create(doc, initial.map(decorationFor)),
      apply(tr, set) {
        const change = tr.getMeta(key) as HighlightChange | undefined;
        let next = tr.docChanged ? set.map(tr.mapping, tr.doc) : set;
        if (!change) return next;
        if (change.remove?.length) {
          const found: Decoration[] = [];
          for (const r of change.remove) {
            found.push(...next.find(r.from, r.to, (spec: Spec) => spec.id === r.id));
          }
          next = next.remove(found);
        }
        if (change.add?.length) next = next.add(tr.doc, change.add.map(decorationFor));
        return next;
      },
    },
    props: {
      decorations: (state) => key.getState(state),
    },
  });
}

/** Attach a highlight change to a transaction. */
export function setHighlights(tr: Transaction, change: HighlightChange): Transaction {
  return tr.setMeta(key, change);
}

/** The current highlight decorations. */
export function getHighlights(state: EditorState): DecorationSet {
  return key.getState(state) ?? DecorationSet.empty;
}
