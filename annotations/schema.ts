// The annotation schema's rules: a schema is consistent, attribute values fit their types, relations fit
// their types' ends, and renames carry through. Pure: shared by the workspace (which enforces) and the UI
// (which explains before sending).
import { LabelDef, RelationTypeDef, type AttributeDef, type EntityRecord } from './model.ts';

/** A schema as the settings view edits it. */
export interface Schema {
  labels: LabelDef[];
  relationTypes: RelationTypeDef[];
}

/**
 * TIMEX3-style values: a day (with a part of day or a time), a month, a year, a decade or century
 * (201X, 20XX), an ISO week or weekend, a quarter, half or season, or a vague reference.
 */
const TIMEX_VALUE =
  /^(?:(?:\d{4}|\d{3}X|\d{2}XX)(?:-(?:(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01])(?:T(?:MO|AF|EV|NI|DT|[01]\d|2[0-3])(?::[0-5]\d(?::[0-5]\d)?)?)?)?|W(?:0[1-9]|[1-4]\d|5[0-3])(?:-WE|-[1-7])?|Q[1-4]|H[12]|SP|SU|FA|WI))?|PAST_REF|PRESENT_REF|FUTURE_REF)$/;

/** Is this a TIMEX3-style value Gloss understands (see the DATE label's `value`)? */
export function isTimexValue(value: string): boolean {
  if (!TIMEX_VALUE.test(value)) return false;
  // The pattern allows day 31 in every month; 2017-02-30 is no day at all.
  const day = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!day) return true;
  // setUTCFullYear, unlike Date.UTC, does not read years 0-99 as 1900-1999; day 0 is the month's last.
  const last = new Date(0);
  last.setUTCFullYear(Number(day[1]), Number(day[2]), 0);
  return Number(day[3]) <= last.getUTCDate();
}

/** Keys the reader uses for commands (link, edit, tag all, suggest, reject, find, next/previous), so no label may take them. */
export const RESERVED_KEYS = ['r', 'e', 'a', 's', 'x', '/', '[', ']'];

/** Longest free-text attribute value. */
export const MAX_TEXT_ATTRIBUTE = 10_000;

/**
 * Check a schema: unique label names and keys, enum attributes with values, unique attribute names,
 * relation types whose ends name labels of the schema. Returns readable problems (empty when fine).
 */
export function schemaProblems(schema: Schema): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  const keys = new Map<string, string>();
  for (const label of schema.labels) {
    const parsed = LabelDef.safeParse(label);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      problems.push(`Label ${label.name || '(unnamed)'}: ${issue.path.join('.') || 'value'}: ${issue.message}`);
      continue;
    }
    if (names.has(label.name)) problems.push(`Two labels are named ${label.name}`);
    names.add(label.name);
    if (label.key !== '') {
      if (RESERVED_KEYS.includes(label.key.toLowerCase())) problems.push(`${label.name}: the key ${label.key} is taken by a command (${RESERVED_KEYS.join(' ')})`);
      const other = keys.get(label.key);
      if (other) problems.push(`${label.name} and ${other} both use the key ${label.key}`);
      keys.set(label.key, label.name);
    }
    const attrNames = new Set<string>();
    for (const attr of label.attributes ?? []) {
      if (attrNames.has(attr.name)) problems.push(`${label.name} has two attributes named ${attr.name}`);
      attrNames.add(attr.name);
      // Assigning attrs.__proto__ would replace the object's prototype, not store a value.
      if (attr.name === '__proto__') problems.push(`${label.name}.${attr.name}: this name is reserved`);
      if (attr.type === 'enum' && !(attr.values && attr.values.length > 0)) {
        problems.push(`${label.name}.${attr.name} is a list but has no values`);
      }
      if (attr.type === 'enum' && attr.values && new Set(attr.values).size !== attr.values.length) {
        problems.push(`${label.name}.${attr.name} lists a value twice`);
      }
    }
  }
  const typeNames = new Set<string>();
  for (const type of schema.relationTypes) {
    const parsed = RelationTypeDef.safeParse(type);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      problems.push(`Relation ${type.name || '(unnamed)'}: ${issue.path.join('.') || 'value'}: ${issue.message}`);
      continue;
    }
    if (typeNames.has(type.name)) problems.push(`Two relation types are named ${type.name}`);
    typeNames.add(type.name);
    for (const end of [...type.from, ...type.to]) {
      if (!names.has(end)) problems.push(`Relation ${type.name} names the label ${end}, which is not in the schema`);
    }
  }
  return problems;
}

/** The attribute definitions of a label, by name. */
export function attributesOf(labels: readonly LabelDef[], label: string): AttributeDef[] {
  return labels.find((l) => l.name === label)?.attributes ?? [];
}

/**
 * Check attribute values against a label's attributes. Empty values (null, undefined, '') are dropped
 * rather than stored. Numbers must be finite (strings of digits are taken as numbers); enums one of
 * their values; dates TIMEX3-style; entities the id of a corpus entity. `low` may not exceed `high`.
 * Returns the cleaned values, or the problems found.
 */
export function checkAttrs(
  labels: readonly LabelDef[],
  label: string,
  attrs: Record<string, unknown>,
  entities?: ReadonlyMap<string, EntityRecord> | ReadonlySet<string>,
): { ok: true; attrs: Record<string, unknown> } | { ok: false; problems: string[] } {
  const defs = new Map(attributesOf(labels, label).map((d) => [d.name, d]));
  const problems: string[] = [];
  const clean: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(attrs)) {
    if (raw === null || raw === undefined || raw === '') continue;
    const def = defs.get(name);
    if (!def) {
      problems.push(`${label} has no attribute ${name}`);
      continue;
    }
    const value = coerce(def, raw);
    if (value.problem) problems.push(`${name}: ${value.problem}`);
    else if (def.type === 'entity' && entities && !entities.has(value.value as string)) {
      problems.push(`${name}: no entity ${String(value.value)} in this corpus`);
    } else clean[name] = value.value;
  }
  if (typeof clean.low === 'number' && typeof clean.high === 'number' && clean.low > clean.high) {
    problems.push(`low (${clean.low}) is greater than high (${clean.high})`);
  }
  return problems.length ? { ok: false, problems } : { ok: true, attrs: clean };
}

function coerce(def: AttributeDef, raw: unknown): { value?: unknown; problem?: string } {
  switch (def.type) {
    case 'number': {
      const n = typeof raw === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(raw) ? Number(raw) : raw;
      if (typeof n !== 'number' || !Number.isFinite(n)) return { problem: `"${String(raw)}" is not a number` };
      if (n < 0) return { problem: 'must not be negative' };
      return { value: n };
    }
    case 'boolean':
      if (typeof raw !== 'boolean') return { problem: 'must be true or false' };
      return { value: raw };
    case 'enum':
      if (typeof raw !== 'string' || !def.values?.includes(raw)) {
        return { problem: `"${String(raw)}" is not one of ${(def.values ?? []).join(', ')}` };
      }
      return { value: raw };
    case 'date':
      if (typeof raw !== 'string' || !isTimexValue(raw.trim())) {
        return { problem: `"${String(raw)}" is not a date value (e.g. 2017-08-30, 2017-08, 2017-W35, 2017-W34-WE, 2019-02-11TNI, PAST_REF)` };
      }
      return { value: raw.trim() };
    case 'entity':
      if (typeof raw !== 'string' || !/^[A-Za-z0-9_:.-]{1,64}$/.test(raw)) return { problem: 'not an entity id' };
      return { value: raw };
    case 'text':
      if (typeof raw !== 'string') return { problem: 'must be text' };
      if (raw.length > MAX_TEXT_ATTRIBUTE) return { problem: `longer than ${MAX_TEXT_ATTRIBUTE} characters` };
      return { value: raw };
  }
}

/** The relation types that may link an annotation labelled `from` to one labelled `to`. */
export function relationTypesFor(types: readonly RelationTypeDef[], from: string, to: string): RelationTypeDef[] {
  return types.filter((t) => (t.from.length === 0 || t.from.includes(from)) && (t.to.length === 0 || t.to.includes(to)));
}

/** Why a relation of `type` cannot go from a `from` annotation to a `to` one, or null when it can. */
export function relationProblem(types: readonly RelationTypeDef[], type: string, from: string, to: string): string | null {
  const def = types.find((t) => t.name === type);
  if (!def) return `Unknown relation type ${type}`;
  if (def.from.length > 0 && !def.from.includes(from)) return `A ${type} relation starts at ${def.from.join(' or ')}, not ${from}`;
  if (def.to.length > 0 && !def.to.includes(to)) return `A ${type} relation points to ${def.to.join(' or ')}, not ${to}`;
  return null;
}

/**
 * Fill in what a workspace made before typed attributes lacks: labels with a default's name and no
 * attributes take the default's attributes, and a workspace with no relation types gets the defaults
 * (whose ends are kept only where the labels exist). Labels the analyst defined are left as they are.
 */
export function upgradeSchema(current: { labels: LabelDef[]; relationTypes?: RelationTypeDef[] }, defaults: Schema): Schema {
  const byName = new Map(defaults.labels.map((l) => [l.name, l]));
  const labels = current.labels.map((l) => {
    const d = byName.get(l.name);
    return l.attributes === undefined && d?.attributes ? { ...l, attributes: d.attributes } : l;
  });
  if (current.relationTypes) return { labels, relationTypes: current.relationTypes };
  const names = new Set(labels.map((l) => l.name));
  const relationTypes = defaults.relationTypes
    .map((t) => ({ ...t, from: t.from.filter((n) => names.has(n)), to: t.to.filter((n) => names.has(n)) }))
    // A type whose ends all named labels this workspace lacks would link anything: drop it instead.
    .filter((t, i) => (defaults.relationTypes[i].from.length === 0 || t.from.length > 0) && (defaults.relationTypes[i].to.length === 0 || t.to.length > 0));
  return { labels, relationTypes };
}

/** A schema written to or read from a file (the settings view's export and import). */
export const SCHEMA_FILE_FORMAT = 'gloss-schema';

/** The JSON of a schema file. */
export function schemaToJson(schema: Schema): string {
  return JSON.stringify({ format: SCHEMA_FILE_FORMAT, version: 1, labels: schema.labels, relationTypes: schema.relationTypes }, null, 2) + '\n';
}

/** Read a schema file (or a bare array of labels, as resources/labels.json is); throws a readable error. */
export function schemaFromJson(json: string): Schema {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    throw new Error(`Not JSON: ${(err as Error).message}`);
  }
  const obj = Array.isArray(raw) ? { labels: raw, relationTypes: [] } : (raw as Record<string, unknown>);
  if (!obj || typeof obj !== 'object' || !Array.isArray(obj.labels)) throw new Error('A schema file holds "labels" (and "relationTypes")');
  const labels = LabelDef.array().safeParse(obj.labels);
  if (!labels.success) throw new Error(`labels: ${labels.error.issues[0].path.join('.')}: ${labels.error.issues[0].message}`);
  const types = RelationTypeDef.array().safeParse(obj.relationTypes ?? []);
  if (!types.success) throw new Error(`relationTypes: ${types.error.issues[0].path.join('.')}: ${types.error.issues[0].message}`);
  const schema = { labels: labels.data, relationTypes: types.data };
  const problems = schemaProblems(schema);
  if (problems.length) throw new Error(problems.join('; '));
  return schema;
}
