// The reader's ProseMirror schema and how an article's text becomes a document of it.
import { Schema, type Node as PMNode } from 'prosemirror-model';
import type { TextMapping } from '../../annotations/layout.ts';

/** A title heading and paragraphs of plain text: articles are read, never edited. */
export const readerSchema = new Schema({
  nodes: {
    doc: { content: 'block+' },
    title: {
      group: 'block',
      content: 'text*',
      defining: true,
      toDOM: () => ['h1', { class: 'doc-title', dir: 'auto' }, 0],
      parseDOM: [{ tag: 'h1' }],
    },
    paragraph: {
      group: 'block',
      content: 'text*',
      // dir=auto: each paragraph takes its direction from its own text (Arabic paragraphs read right to left).
      toDOM: () => ['p', { dir: 'auto' }, 0],
      parseDOM: [{ tag: 'p' }],
    },
    text: {},
  },
  marks: {},
});

/** Build the document for a text from its mapping's blocks (an empty text gives one empty paragraph). */
export function documentFor(mapping: TextMapping): PMNode {
  const { text, blocks } = mapping;
  if (blocks.length === 0) return readerSchema.node('doc', null, [readerSchema.node('paragraph')]);
  return readerSchema.node(
    'doc',
    null,
    blocks.map((b) =>
      readerSchema.node(b.kind === 'title' ? 'title' : 'paragraph', null, [readerSchema.text(text.slice(b.from, b.to))]),
    ),
  );
}
