// Corpus-wide entities: finding one by name or alias (fuzzy, transliteration-tolerant), and merging and
// splitting them as batches of changes that the workspace applies and can undo. Pure.
import type { EntityRecord } from './model.ts';

/** One annotation of one document. */
export interface MentionRef {
  docId: string;
  annotationId: string;
}

/** A mention as the entities view lists it. */
export interface Mention extends MentionRef {
  label: string;
  text: string;
  start: number;
  end: number;
  /** The entity it links to (attrs.entity). */
  entity: string;
}

/**
 * A change to the entities: records created or replaced, records removed, and mentions relinked (to an
 * entity id, or null to unlink). Merges, splits and their undos are all batches.
 */
export interface EntityBatch {
  upsert: EntityRecord[];
  remove: string[];
  relink: Array<MentionRef & { entity: string | null }>;
}

/** Arabic article particles joined to a name by a hyphen (al-, el-, ez-, ad-, ash- ...). */
const PARTICLE = /\b[ae](?:l|d|dh|n|r|s|sh|t|th|z)-(?=\p{L})/giu;

/**
 * A name reduced for comparison: no diacritics, lower case, no leading "the", punctuation and hyphens
 * as spaces, single spaces.
 */
export function normalizeName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[’'`ʿʾ]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .replace(/^the /, '');
}

/**
 * A looser key for transliterated names, so Deir ez-Zor, Deir el-Zour and Deir az-Zour meet: particles
 * dropped, spaces removed, vowels and doubled letters folded.
 */
export function translitKey(name: string): string {
  return normalizeName(name.replace(PARTICLE, ''))
    .replace(/\s+/g, '')
    .replace(/ou|oo|o/g, 'u')
    .replace(/ee|ei|ai|ay/g, 'e')
    .replace(/q/g, 'k')
    .replace(/(.)\1+/g, '$1');
}

function trigrams(s: string): Set<string> {
  const padded = `  ${s} `;
  const out = new Set<string>();
  for (let i = 0; i + 3 <= padded.length; i++) out.add(padded.slice(i, i + 3));
  return out;
}

/**
 * Does `short` begin `long` as typing would (three characters or more), or as whole words? Two letters
 * cut from a word say nothing: "IS" does not begin "Israel", but it begins "IS fighters".
 */
function isPrefix(short: string, long: string): boolean {
  return long.startsWith(short) && (short.length >= 3 || long.length === short.length || long[short.length] === ' ');
}

/** Similarity of two names in [0, 1]: 1 for the same normalized or transliteration key, else trigram Dice. */
export function nameSimilarity(a: string, b: string): number {
  const na = normalizeName(a);
  const nb = normalizeName(b);
  if (!na || !nb) return 0;
  if (na === nb) return 1;
  const ka = translitKey(a);
  const kb = translitKey(b);
  if (ka === kb) return 0.95;
  if (isPrefix(na, nb) || isPrefix(nb, na)) return 0.6 + 0.3 * (Math.min(na.length, nb.length) / Math.max(na.length, nb.length));
  const ta = trigrams(ka);
  const tb = trigrams(kb);
  let shared = 0;
  for (const t of ta) if (tb.has(t)) shared++;
  return (2 * shared) / (ta.size + tb.size);
}

/** An entity found for a query, with how well its best name matched. */
export interface EntityMatch {
  entity: EntityRecord;
  score: number;
  /** The name or alias that matched best. */
  matched: string;
}

/**
 * Entities whose name or an alias resembles `query`, best first (ties: same type first, then name). Only
 * matches scoring at least `minScore` are kept.
 */
export function findEntities(
  entities: readonly EntityRecord[],
  query: string,
  options: { type?: string; limit?: number; minScore?: number } = {},
): EntityMatch[] {
  const { type, limit = 10, minScore = 0.45 } = options;
  const out: EntityMatch[] = [];
  for (const entity of entities) {
    let best = 0;
    let matched = entity.name;
    for (const name of [entity.name, ...entity.aliases]) {
      const s = nameSimilarity(query, name);
      if (s > best) {
        best = s;
        matched = name;
      }
    }
    if (best >= minScore) out.push({ entity, score: best, matched });
  }
  return out
    .sort((a, b) => b.score - a.score || Number(b.entity.type === type) - Number(a.entity.type === type) || a.entity.name.localeCompare(b.entity.name))
    .slice(0, limit);
}

/** Add names to a list of aliases, leaving out the entity's own name and names already there (by normalized form). */
function withAliases(entity: EntityRecord, names: Iterable<string>): string[] {
  const seen = new Set([normalizeName(entity.name), ...entity.aliases.map(normalizeName)]);
  const out = [...entity.aliases];
  for (const n of names) {
    const key = normalizeName(n);
    if (!key || seen.has(key)) continue;
    seen.add(key);
    out.push(n);
  }
  return out;
}

/**
 * Merge entities `fromIds` into `intoId`: their names and aliases (and the texts of their mentions) become
 * aliases of the one kept, their notes are appended, their mentions link to it, and they are removed.
 */
export function mergeBatch(entities: readonly EntityRecord[], intoId: string, fromIds: readonly string[], mentions: readonly Mention[]): EntityBatch {
  const byId = new Map(entities.map((e) => [e.id, e]));
  const into = byId.get(intoId);
  if (!into) throw new Error(`No entity ${intoId}`);
  const from = [...new Set(fromIds)].filter((id) => id !== intoId).map((id) => {
    const e = byId.get(id);
    if (!e) throw new Error(`No entity ${id}`);
    return e;
  });
  const gone = new Set(from.map((e) => e.id));
  const moving = mentions.filter((m) => gone.has(m.entity));
  const names = [...from.flatMap((e) => [e.name, ...e.aliases]), ...moving.map((m) => m.text)];
  const notes = [into.note, ...from.map((e) => e.note)].filter((n): n is string => !!n && n.trim() !== '');
  const merged: EntityRecord = { ...into, aliases: withAliases(into, names) };
  if (notes.length) merged.note = notes.join('\n\n');
  return {
    upsert: [merged],
    remove: [...gone],
    relink: moving.map((m) => ({ docId: m.docId, annotationId: m.annotationId, entity: intoId })),
  };
}

/**
 * Split the `moving` mentions of entity `id` off into a new entity (`newId`, `name`) of the same type.
 * The texts of the moved mentions become the new entity's aliases; aliases of the old one that only
 * those mentions used move with them.
 */
export function splitBatch(
  entities: readonly EntityRecord[],
  id: string,
  moving: readonly MentionRef[],
  mentions: readonly Mention[],
  created: { id: string; name: string },
): EntityBatch {
  const entity = entities.find((e) => e.id === id);
  if (!entity) throw new Error(`No entity ${id}`);
  if (entities.some((e) => e.id === created.id)) throw new Error(`An entity ${created.id} exists already`);
  const key = (m: MentionRef) => `${m.docId}\u0000${m.annotationId}`;
  const movingKeys = new Set(moving.map(key));
  const own = mentions.filter((m) => m.entity === id);
  const moved = own.filter((m) => movingKeys.has(key(m)));
  if (moved.length !== movingKeys.size) throw new Error(`Some of those mentions do not link to ${entity.name}`);
  const stayingTexts = new Set(own.filter((m) => !movingKeys.has(key(m))).map((m) => normalizeName(m.text)));
  const movedTexts = new Set(moved.map((m) => normalizeName(m.text)));
  const fresh: EntityRecord = { id: created.id, name: created.name, type: entity.type, aliases: [] };
  fresh.aliases = withAliases(fresh, moved.map((m) => m.text));
  const kept = entity.aliases.filter((a) => !(movedTexts.has(normalizeName(a)) && !stayingTexts.has(normalizeName(a))));
  return {
    upsert: [{ ...entity, aliases: kept }, fresh],
    remove: [],
    relink: moved.map((m) => ({ docId: m.docId, annotationId: m.annotationId, entity: created.id })),
  };
}

/**
 * The batch that undoes `batch`, given the entities before it and the entity each relinked mention had
 * (null: none).
 */
export function inverseBatch(before: readonly EntityRecord[], batch: EntityBatch, previousLinks: ReadonlyMap<string, string | null>): EntityBatch {
  const byId = new Map(before.map((e) => [e.id, e]));
  const upsert: EntityRecord[] = [];
  const remove: string[] = [];
  for (const e of batch.upsert) {
    const old = byId.get(e.id);
    if (old) upsert.push(old);
    else remove.push(e.id);
  }
  for (const id of batch.remove) {
    const old = byId.get(id);
    if (old) upsert.push(old);
  }
  const relink = batch.relink.map((r) => ({
    docId: r.docId,
    annotationId: r.annotationId,
    entity: previousLinks.get(`${r.docId}\u0000${r.annotationId}`) ?? null,
  }));
  return { upsert, remove, relink };
}

/** The key of a mention in `previousLinks`. */
export function mentionKey(m: MentionRef): string {
  return `${m.docId}\u0000${m.annotationId}`;
}

/** A new entity id from a name: readable, and unique among `taken`. */
export function entityIdFor(name: string, taken: ReadonlySet<string>): string {
  const base = normalizeName(name).replace(/\s+/g, '-').replace(/[^a-z0-9-]/g, '').slice(0, 48) || 'entity';
  let id = `e:${base}`;
  for (let n = 2; taken.has(id); n++) id = `e:${base}-${n}`;
  return id;
}
