// The casualties engine: counts of people killed, injured, captured or missing ("up to 118 civilians were
// killed", "killing an estimated 50 IS fighters"), read by a small table-driven grammar: a quantity phrase,
// a victim noun phrase, and the outcome from a verb or noun before or after it. Pure.
import { mayStartQuantity, parseQuantity, tokenize, type Quantity, type Token } from './numbers.ts';
import { finish, segments, type Utf16Suggestion } from './text.ts';
import type { Suggestion, SuggestContext, SuggestionEngine } from './types.ts';

export type Group = 'civilians' | 'fighters' | 'soldiers' | 'children' | 'women' | 'men' | 'people';
export type Outcome = 'killed' | 'injured' | 'captured' | 'missing';

// ---- who: victim nouns ----

const HEADS: Record<Group, string[]> = {
  fighters: [
    'fighters', 'fighter', 'militants', 'militant', 'jihadists', 'jihadist', 'jihadis', 'insurgents', 'insurgent', 'rebels',
    'rebel', 'terrorists', 'terrorist', 'gunmen', 'gunman', 'extremists', 'combatants', 'guerrillas', 'guerillas',
    'militiamen', 'militiaman', 'mercenaries', 'attackers', 'assailants', 'operatives', 'commanders', 'commander',
    'islamists', 'paramilitaries', 'snipers', 'houthis', 'taliban', 'leaders', 'emirs',
  ],
  soldiers: [
    'soldiers', 'soldier', 'troops', 'servicemen', 'serviceman', 'servicemembers', 'marines', 'paratroopers', 'sailors',
    'airmen', 'policemen', 'policeman', 'policewomen', 'police', 'officers', 'officer', 'guards', 'guardsmen', 'gendarmes',
    'conscripts', 'recruits', 'commandos', 'peacekeepers', 'personnel', 'pilots', 'cadets', 'reservists', 'peshmerga',
  ],
  civilians: [
    'civilians', 'civilian', 'residents', 'villagers', 'inhabitants', 'worshippers', 'worshipers', 'passengers',
    'pedestrians', 'shoppers', 'farmers', 'fishermen', 'shepherds', 'students', 'pupils', 'teachers', 'journalists',
    'reporters', 'photographers', 'doctors', 'medics', 'nurses', 'paramedics', 'patients', 'refugees', 'migrants',
    'protesters', 'protestors', 'demonstrators', 'mourners', 'pilgrims', 'workers', 'labourers', 'laborers', 'volunteers',
    'rescuers', 'guests', 'spectators', 'relatives', 'tourists', 'drivers', 'traders', 'merchants',
  ],
  children: [
    'children', 'child', 'kids', 'boys', 'boy', 'girls', 'girl', 'minors', 'infants', 'infant', 'babies', 'baby',
    'toddlers', 'schoolchildren', 'schoolboys', 'schoolgirls', 'teenagers', 'teens', 'newborns', 'orphans',
  ],
  women: ['women', 'woman', 'mothers', 'wives', 'widows'],
  men: ['men', 'man'],
  people: ['people', 'persons', 'individuals', 'others', 'victims', 'hostages', 'prisoners', 'detainees', 'captives', 'members', 'suspects'],
};
const HEAD_GROUP = new Map<string, Group>(Object.entries(HEADS).flatMap(([g, ws]) => ws.map((w) => [w, g as Group] as const)));

/** Two-word victim nouns, read before single words ("police officers", "family members"). */
const TWO_WORD_HEADS = new Map<string, Group>([
  ['service members', 'soldiers'], ['security personnel', 'soldiers'], ['police officers', 'soldiers'],
  ['security forces', 'soldiers'], ['border guards', 'soldiers'], ['army officers', 'soldiers'],
  ['aid workers', 'civilians'], ['health workers', 'civilians'], ['rescue workers', 'civilians'],
  ['family members', 'civilians'], ['medical staff', 'civilians'], ['media workers', 'civilians'],
]);

/** Lower-case words that may stand between the number and the victim noun. */
const MODIFIERS = new Set([
  'other', 'more', 'additional', 'further', 'unarmed', 'innocent', 'suspected', 'alleged', 'armed', 'foreign', 'local',
  'young', 'elderly', 'old', 'senior', 'junior', 'top', 'displaced', 'fellow', 'government', 'regime', 'rebel', 'militia',
  'security', 'police', 'army', 'military', 'opposition', 'coalition', 'enemy', 'allied', 'jihadist', 'islamist',
  'insurgent', 'terrorist', 'militant', 'border', 'civil', 'defence', 'defense', 'aid', 'medical', 'health', 'rescue',
  'relief', 'humanitarian', 'christian', 'muslim', 'shiite', 'shia', 'sunni', 'female', 'male', 'teenage', 'underage',
  'school', 'student', 'volunteer', 'paramilitary', 'special', 'elite', 'regular', 'reserve', 'retired', 'unidentified',
  'civilian', 'government-backed', 'state', 'tribal', 'unknown', 'masked', 'hostile', 'rival', 'palestinian',
]);

/** Words in "members of ..." that tell whose members they are. */
const MEMBER_OF: ReadonlyArray<readonly [RegExp, Group]> = [
  [/^(?:army|armed|military|forces|police|guard|guards|navy|troops|security|gendarmerie|battalion|regiment|division)$/, 'soldiers'],
  [/^(?:family|families|community|tribe|household|congregation|crew|team|staff)$/, 'civilians'],
  [/^(?:militia|militias|group|groups|rebels|brigade|brigades|front|organization|organisation|movement|faction|cell|network|gang|insurgency)$/, 'fighters'],
];

const WEEKDAY_MONTH = /^(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|july|august|september|october|november|december)$/;
/** Capitalised plurals that name people by origin or creed ("Yemenis", "Syrians", "Kurds", "Sudanese"). */
const DEMONYM_RE = /^[A-Z][a-z]+(?:ians|eans|ans|is|ese|ites|ds|bs|ks|ims|ons)$/;

/** Words that may follow a bare number ("killing 10 in Aleppo", "wounding 20.") without a victim noun. */
const BARE_FOLLOWERS = new Set([
  'and', 'or', 'in', 'on', 'at', 'near', 'when', 'after', 'before', 'during', 'including', 'while', 'as', 'with',
  'across', 'overnight', 'since', 'last', 'this', 'yesterday', 'today', 'tonight', 'were', 'was', 'are', 'have', 'had',
  'has', 'died', 'dead', 'killed', 'wounded', 'injured', 'more', 'from', 'among', 'inside', 'outside', 'according',
  'so', 'of', 'earlier', 'later', 'late', 'early', 'there', 'here', 'instantly', 'immediately', 'too', 'also',
  ',', '.', ';', ':', ')', '"', '”', '“', "'", '’', '‘', '—', '–', '-', '!', '?',
]);

/** Prepositions and adverbs of time and place: after "missing" or a bare figure they start no object. */
const PREPOSITIONS = new Set([
  'off', 'in', 'on', 'at', 'near', 'after', 'since', 'during', 'by', 'from', 'for', 'following', 'when', 'while', 'as',
  'across', 'along', 'around', 'inside', 'outside', 'under', 'over', 'amid', 'among', 'between', 'into', 'overnight',
  'today', 'yesterday', 'tonight', 'there', 'here', 'last', 'this', 'earlier', 'later', 'again', 'so', 'too', 'instantly',
]);

/** Determiners after "of" in a partitive: "five of the soldiers", "12 of his men". */
const PARTITIVE_DETERMINERS = new Set(['the', 'those', 'these', 'its', 'their', 'his', 'her', 'our', 'your', 'my']);

/** A victim noun phrase after a quantity. */
interface VictimPhrase {
  group: Group;
  /** Index of the token after the phrase. */
  next: number;
  /** No victim noun: the quantity stands alone ("killing 10"). */
  bare: boolean;
  /** The noun itself says what happened: "20 civilian deaths". */
  implied?: Outcome;
}

/** Nouns that are the outcome themselves; the modifiers before them say whose. */
const IMPLIED_HEADS = new Map<string, Outcome>([['deaths', 'killed'], ['fatalities', 'killed'], ['dead', 'killed'], ['injuries', 'injured']]);

const isCap = (t: Token): boolean => /^\p{Lu}/u.test(t.text);
const isModifier = (t: Token): boolean =>
  (isCap(t) && !WEEKDAY_MONTH.test(t.lower)) || MODIFIERS.has(t.lower) || /^[\p{L}\p{N}]+[‐-][\p{L}]/u.test(t.text);

function headAt(tokens: readonly Token[], j: number): { group: Group; next: number } | null {
  const two = tokens[j + 1] ? TWO_WORD_HEADS.get(`${tokens[j].lower} ${tokens[j + 1].lower}`) : undefined;
  if (two) return { group: two, next: j + 2 };
  const g = HEAD_GROUP.get(tokens[j]?.lower ?? '');
  if (!g) return null;
  // "Taliban fighters", "police officers": the first word is a modifier when another noun follows.
  const after = tokens[j + 1];
  if (after && (HEAD_GROUP.has(after.lower) || (IMPLIED_HEADS.has(after.lower) && after.lower !== 'dead') || (tokens[j + 2] && TWO_WORD_HEADS.has(`${after.lower} ${tokens[j + 2].lower}`)))) return null;
  return { group: g, next: j + 1 };
}

/** "members of the Syrian army" / "ISIS members": whose members, and where the phrase ends. */
function membersGroup(tokens: readonly Token[], mods: readonly Token[], next: number): { group: Group; next: number } {
  const classify = (words: readonly Token[]): Group | null => {
    for (const [re, g] of MEMBER_OF) if (words.some((w) => re.test(w.lower))) return g;
    return null;
  };
  if (tokens[next]?.lower === 'of') {
    let j = next + 1;
    if (/^(?:the|a|an|its|their|his|her|same|one)$/.test(tokens[j]?.lower ?? '')) j++;
    if (tokens[j]?.lower === 'same') j++;
    const words: Token[] = [];
    while (j < tokens.length && words.length < 6 && (isModifier(tokens[j]) || MEMBER_OF.some(([re]) => re.test(tokens[j].lower)) || /^(?:of|al|el)$/.test(tokens[j].lower))) {
      words.push(tokens[j]);
      j++;
    }
    while (words.length && words[words.length - 1].lower === 'of') words.pop();
    if (words.length) {
      const g = classify(words) ?? (words.some(isCap) ? 'fighters' : 'people');
      return { group: g, next: tokens.indexOf(words[words.length - 1]) + 1 };
    }
  }
  return { group: classify(mods) ?? (mods.some(isCap) ? 'fighters' : 'people'), next };
}

/** The victim noun phrase starting at tokens[k], after a quantity; null when what follows is not people. */
function parseVictims(tokens: readonly Token[], k: number, q: Quantity): VictimPhrase | null {
  let j = k;
  // Partitives: "five of the soldiers", "three of them".
  if (tokens[j]?.lower === 'of') {
    const det = tokens[j + 1]?.lower;
    if ((det === 'them' || det === 'whom') && !q.vague) return { group: 'people', next: j + 2, bare: false };
    if (det !== undefined && PARTITIVE_DETERMINERS.has(det)) j += 2;
    else if (!q.vague) return null;
  }
  const mods: Token[] = [];
  while (j < tokens.length && mods.length <= 4) {
    const head = headAt(tokens, j);
    if (head) {
      let { group, next } = head;
      if (tokens[j].lower === 'members') ({ group, next } = membersGroup(tokens, mods, next));
      return { ...coordinated(tokens, group, next), bare: false };
    }
    const implied = IMPLIED_HEADS.get(tokens[j].lower);
    if (implied && (mods.length > 0 || tokens[j].lower !== 'dead')) {
      const group = mods.map((m) => HEAD_GROUP.get(m.lower) ?? HEAD_GROUP.get(`${m.lower}s`)).find((g) => g) ?? 'people';
      return { group, next: j + 1, bare: false, implied };
    }
    if (!isModifier(tokens[j])) break;
    mods.push(tokens[j]);
    j++;
  }
  // A capitalised plural as the last word is the noun itself: "three Yemenis".
  const last = mods[mods.length - 1];
  if (last && DEMONYM_RE.test(last.text) && j === tokens.indexOf(last) + 1) return { ...coordinated(tokens, 'people', j), bare: false };
  if (mods.length > 0 || j !== k) return null;
  const follower = tokens[j];
  const outcomeWord = phraseAt(tokens, j, AFTER_BE) !== null || phraseAt(tokens, j, INTRANSITIVE) !== null;
  if (follower && !outcomeWord && !BARE_FOLLOWERS.has(follower.lower) && !WEEKDAY_MONTH.test(follower.lower)) return null;
  // "dozens were killed" stands alone; "many" and "several" need their noun.
  if (q.vague && !/^(?:dozens|scores|hundreds|thousands|millions)$/.test(tokens[q.next - 1].lower)) return null;
  return { group: 'people', next: j, bare: true };
}

/** "civilians and fighters": a second victim noun joined without its own number widens the group. */
function coordinated(tokens: readonly Token[], group: Group, next: number): { group: Group; next: number } {
  const joiner = tokens[next]?.lower;
  if (joiner !== 'and' && joiner !== 'or') return { group, next };
  let j = next + 1;
  if (mayStartQuantity(tokens, j) && parseQuantity(tokens, j)) return { group, next };
  while (j < next + 4 && tokens[j] && !headAt(tokens, j) && isModifier(tokens[j])) j++;
  const other = tokens[j] ? headAt(tokens, j) : null;
  if (!other) return { group, next };
  return { group: other.group === group ? group : 'people', next: other.next };
}

// ---- what happened to them: outcome cues ----

type Cue = { words: string[]; outcome: Outcome; needsAfter?: RegExp };

/** Verbs and nouns whose object is the victims: "killed 13 civilians", "the murder of eight troops". */
const BEFORE_CUES: Cue[] = [
  ...['kill', 'kills', 'killed', 'killing', 'murdered', 'murdering', 'slaughtered', 'slaughtering', 'massacred',
    'massacring', 'executed', 'executing', 'beheaded', 'beheading', 'slew', 'eliminated', 'eliminating', 'neutralised',
    'neutralized', 'neutralising', 'neutralizing', 'liquidated', 'liquidating', 'destroyed', 'destroying'].map((w) => ({ words: [w], outcome: 'killed' as const })),
  ...[['shot', 'dead'], ['shooting', 'dead'], ['gunned', 'down'], ['gunning', 'down'], ['picked', 'off'], ['picking', 'off'],
    ['murder', 'of'], ['murders', 'of'], ['killing', 'of'], ['killings', 'of'], ['death', 'of'], ['deaths', 'of'],
    ['massacre', 'of'], ['execution', 'of'], ['executions', 'of'], ['slaying', 'of'], ['lives', 'of'], ['bodies', 'of'],
    ['dead', 'included'], ['killed', 'included'], ['dead', 'were'], ['killed', 'were']].map((words) => ({ words, outcome: 'killed' as const })),
  ...['wounded', 'wounding', 'wound', 'injured', 'injuring', 'injure', 'injures', 'maimed', 'maiming', 'hurt', 'hurting']
    .map((w) => ({ words: [w], outcome: 'injured' as const })),
  ...[['injured', 'were'], ['wounded', 'were'], ['injured', 'included'], ['wounded', 'included'], ['injuries', 'to']]
    .map((words) => ({ words, outcome: 'injured' as const })),
  ...['captured', 'capturing', 'capture', 'captures', 'abducted', 'abducting', 'abduct', 'abducts', 'kidnapped',
    'kidnapping', 'kidnap', 'kidnaps', 'seized', 'seizing'].map((w) => ({ words: [w], outcome: 'captured' as const })),
  ...[['capture', 'of'], ['abduction', 'of'], ['kidnapping', 'of'], ['abductions', 'of']].map((words) => ({ words, outcome: 'captured' as const })),
  ...['took', 'taking', 'take', 'takes', 'taken', 'held', 'holding'].map((w) => ({ words: [w], outcome: 'captured' as const, needsAfter: /^(?:prisoners?|hostages?|captives?)$/ })),
  { words: ['disappearance', 'of'], outcome: 'missing' },
];
const BEFORE_BY_LAST = new Map<string, Cue[]>();
for (const c of BEFORE_CUES) {
  const last = c.words[c.words.length - 1];
  BEFORE_BY_LAST.set(last, [...(BEFORE_BY_LAST.get(last) ?? []), c]);
}

/** Tokens that may sit between a cue and its victims: "killed 13 civilians, including up to five children". */
const FILLERS = new Set([
  ',', '"', '“', '”', "'", '‘', '’', '(', ')', '—', '–', '-', 'and', 'or', 'including', 'among', 'them', 'whom', 'of',
  'mostly', 'mainly', 'most', 'as', 'well', 'plus', 'along', 'with', 'alongside', 'reportedly', 'allegedly',
  'apparently', 'the', 'another', 'a', 'total', 'further', 'additional', 'also', 'all', 'both', 'an', 'some',
  'nearly', 'those',
]);
/** Participles and phrases that give the outcome after a form of "be": "were killed", "are missing". */
const AFTER_BE: ReadonlyArray<{ words: string[]; outcome: Outcome }> = [
  ...['killed', 'dead', 'murdered', 'executed', 'slain', 'slaughtered', 'massacred', 'beheaded', 'eliminated',
    'neutralised', 'neutralized', 'liquidated'].map((w) => ({ words: [w], outcome: 'killed' as const })),
  ...[['shot', 'dead'], ['gunned', 'down'], ['picked', 'off'], ['among', 'the', 'dead'], ['among', 'those', 'killed'],
    ['among', 'the', 'killed'], ['among', 'the', 'victims']].map((words) => ({ words, outcome: 'killed' as const })),
  ...['wounded', 'injured', 'hurt', 'maimed', 'hospitalised', 'hospitalized'].map((w) => ({ words: [w], outcome: 'injured' as const })),
  ...[['among', 'the', 'wounded'], ['among', 'the', 'injured'], ['taken', 'to', 'hospital']].map((words) => ({ words, outcome: 'injured' as const })),
  ...['captured', 'abducted', 'kidnapped', 'seized'].map((w) => ({ words: [w], outcome: 'captured' as const })),
  ...[['taken', 'prisoner'], ['taken', 'hostage'], ['taken', 'captive'], ['held', 'hostage'], ['held', 'captive'],
    ['taken', 'prisoners'], ['taken', 'hostages']].map((words) => ({ words, outcome: 'captured' as const })),
  ...[['missing'], ['unaccounted', 'for']].map((words) => ({ words, outcome: 'missing' as const })),
];
/** Finite verbs that give the outcome with no auxiliary: "20 people died", "three went missing". */
const INTRANSITIVE: ReadonlyArray<{ words: string[]; outcome: Outcome }> = [
  { words: ['died'], outcome: 'killed' }, { words: ['perished'], outcome: 'killed' }, { words: ['die'], outcome: 'killed' },
  { words: ['lost', 'their', 'lives'], outcome: 'killed' }, { words: ['went', 'missing'], outcome: 'missing' },
  { words: ['gone', 'missing'], outcome: 'missing' }, { words: ['disappeared'], outcome: 'missing' },
  { words: ['vanished'], outcome: 'missing' },
];
const BE = new Set(['was', 'were', 'is', 'are', 'been', 'being', 'be', 'got', 'get', 'gets', 'remain', 'remains', 'remained', "'re", '’re']);
const HAVE = new Set(['have', 'has', 'had', "'ve", '’ve']);
const MODAL = new Set(['may', 'might', 'could', 'would', 'will', 'must', 'should']);
/** Words inside a verb group: "were reportedly killed", "are feared dead", "are believed to have been killed". */
const VERB_GROUP_SKIP = new Set([
  'reportedly', 'allegedly', 'also', 'all', 'both', 'later', 'either', 'subsequently', 'apparently', 'believed', 'thought',
  'feared', 'reported', 'confirmed', 'presumed', 'said', 'still', 'now', 'then', 'eventually', 'ultimately', 'mostly',
  'mainly', 'likely', 'probably', 'possibly', 'since', 'already', 'to', 'have', 'been', 'be', 'being', 'each', 'officially',
  'initially', 'first', 'just', 'recently',
]);
const NEGATION = new Set(['not', "n't", 'never', 'no', 'none', 'nobody']);
/** Where a forward search for the verb stops: another clause begins. */
const STOPS = new Set([
  '.', '!', '?', ';', 'after', 'before', 'when', 'while', 'because', 'although', 'though', 'but', 'whereas', 'until',
  'unless', 'if', 'said', 'says', 'told', 'according', 'reported',
]);
/** Words that start a noun phrase: after "killed" they make it active ("gunmen killed three soldiers"). */
const DETERMINERS = new Set(['the', 'a', 'an', 'his', 'her', 'their', 'its', 'our', 'them', 'him', 'us', 'me', 'dozens', 'scores', 'hundreds', 'thousands']);

function matchWords(tokens: readonly Token[], i: number, words: readonly string[]): boolean {
  for (let k = 0; k < words.length; k++) if (tokens[i + k]?.lower !== words[k]) return false;
  return true;
}

function phraseAt(tokens: readonly Token[], i: number, table: ReadonlyArray<{ words: string[]; outcome: Outcome }>): { outcome: Outcome; next: number } | null {
  for (const c of table) if (matchWords(tokens, i, c.words)) return { outcome: c.outcome, next: i + c.words.length };
  return null;
}

/** Whether what follows a participle makes the clause active or the word a modifier ("missing limbs"). */
function objectFollows(tokens: readonly Token[], i: number): boolean {
  const t = tokens[i];
  if (!t) return false;
  if (DETERMINERS.has(t.lower) || headAt(tokens, i)) return true;
  if (mayStartQuantity(tokens, i) && parseQuantity(tokens, i)) return true;
  return /^\p{Ll}/u.test(t.text) && !BARE_FOLLOWERS.has(t.lower) && !PREPOSITIONS.has(t.lower) && !VERB_GROUP_SKIP.has(t.lower) && !/ly$/.test(t.lower);
}

interface Candidate {
  q: Quantity;
  victims: VictimPhrase;
  /** First token index and index after the phrase. */
  first: number;
  next: number;
}

/** Fillers that continue the subject of a passive verb. */
const APPOSITION = new Set(['including', 'among', 'whom', 'mostly', 'mainly']);

/** Whether the verb at tokens[i] follows a form of "be" (adverbs between): "have been wounded". */
function isPassive(tokens: readonly Token[], i: number): boolean {
  let k = i - 1;
  while (k >= 0 && (/ly$/.test(tokens[k].lower) || tokens[k].lower === 'also' || tokens[k].lower === 'all')) k--;
  return k >= 0 && BE.has(tokens[k].lower);
}

/** Common irregular past forms: the phrase's own verb, not a participle describing it. */
const IRREGULAR_FINITE = new Set([
  'fled', 'left', 'took', 'went', 'came', 'fought', 'ran', 'drove', 'stood', 'sat', 'crossed', 'began', 'made', 'gave',
  'swept', 'overran', 'rode', 'flew', 'sought', 'brought', 'met', 'got', 'broke', 'hid',
]);

/**
 * Whether tokens[i] is a finite verb of the phrase's own clause ("2,000 people fled the fighting"):
 * an irregular past form, or an -ed form with an object after it ("crossed the border"). "-ed" followed
 * by a preposition is usually a participle describing the phrase ("militants linked to a convoy").
 */
function isFiniteVerb(tokens: readonly Token[], i: number): boolean {
  const t = tokens[i];
  if (!/^\p{Ll}/u.test(t.text) || phraseAt(tokens, i, AFTER_BE) || phraseAt(tokens, i, INTRANSITIVE)) return false;
  if (IRREGULAR_FINITE.has(t.lower)) return true;
  if (!t.lower.endsWith('ed')) return false;
  const next = tokens[i + 1];
  return !!next && (DETERMINERS.has(next.lower) || (mayStartQuantity(tokens, i + 1) && parseQuantity(tokens, i + 1) !== null));
}

/** Words just before a figure that continue a "toll" phrase: "the death toll from the quake rose to 45". */
const TOLL_LINK = new Set(['to', 'at', 'of', 'reached', 'hit', 'passed', 'topped', 'exceeded', 'surpassed', 'is', 'was', 'stands', 'stood']);

function tollBefore(tokens: readonly Token[], first: number): boolean {
  if (!TOLL_LINK.has(tokens[first - 1]?.lower ?? '')) return false;
  for (let k = first - 2; k >= 0 && k >= first - 12; k--) {
    const w = tokens[k].lower;
    if (w === 'toll') return true;
    if (STOPS.has(w) || w === ',') return false;
  }
  return false;
}

/** The outcome from a cue before the phrase, across fillers and earlier phrases of the same list. */
function outcomeBefore(tokens: readonly Token[], c: Candidate, spans: readonly Candidate[]): { outcome: Outcome; distance: number } | null {
  if (tollBefore(tokens, c.first)) return { outcome: 'killed', distance: 1 };
  let i = c.first - 1;
  let distance = 0;
  let sawPhrase = false;
  let sawApposition = false;
  while (i >= 0 && distance < 16) {
    const t = tokens[i];
    for (const cue of BEFORE_BY_LAST.get(t.lower) ?? []) {
      const from = i - cue.words.length + 1;
      if (from < 0 || !matchWords(tokens, from, cue.words)) continue;
      if (cue.needsAfter && !cue.needsAfter.test(tokens[c.next]?.lower ?? '')) continue;
      if (NEGATION.has(tokens[from - 1]?.lower ?? '')) return null;
      // A passive verb ends its clause ("3,500 were wounded, and thousands fled") unless an apposition
      // continues its subject ("20 were killed, including five children").
      if (isPassive(tokens, from) && !sawApposition) return null;
      return { outcome: cue.outcome, distance: distance + (sawPhrase ? 4 : 0) };
    }
    const earlier = spans.find((s) => s.next - 1 === i);
    if (earlier) {
      i = earlier.first - 1;
      sawPhrase = true;
      distance++;
      continue;
    }
    if (FILLERS.has(t.lower)) {
      if (APPOSITION.has(t.lower)) sawApposition = true;
      i--;
      distance++;
      continue;
    }
    return listCue(tokens, c);
  }
  return null;
}

/** Words that show a list item is a clause of its own, not a noun phrase. */
const CLAUSE_WORDS = new Set(['who', 'which', 'that', 'where', 'whose', 'by', 'but', 'then']);

/**
 * The last item of a list whose verb comes first: "destroying a command centre, an ammunition depot and
 * an unspecified number of IS fighters". The items between the verb and the phrase must hold no verb
 * of their own, and the phrase must not start a clause ("... and 12 civilians fled").
 */
function listCue(tokens: readonly Token[], c: Candidate): { outcome: Outcome; distance: number } | null {
  if (tokens[c.first - 1]?.lower !== 'and' || startsClause(tokens, c.next)) return null;
  for (let i = c.first - 2; i >= 0 && i >= c.first - 22; i--) {
    const t = tokens[i];
    for (const cue of BEFORE_BY_LAST.get(t.lower) ?? []) {
      const from = i - cue.words.length + 1;
      if (from >= 0 && !cue.needsAfter && matchWords(tokens, from, cue.words) && !isPassive(tokens, from) && !NEGATION.has(tokens[from - 1]?.lower ?? '')) {
        return { outcome: cue.outcome, distance: 10 };
      }
    }
    const w = t.lower;
    if (STOPS.has(w) || CLAUSE_WORDS.has(w) || BE.has(w) || HAVE.has(w) || MODAL.has(w) || NEGATION.has(w)) return null;
    if (/^\p{Ll}/u.test(t.text) && /(?:ed|ing)$/.test(w)) return null;
  }
  return null;
}

/** Whether a verb follows the phrase at once (adverbs aside): the phrase is a subject. */
function startsClause(tokens: readonly Token[], i: number): boolean {
  while (tokens[i] && /ly$/.test(tokens[i].lower)) i++;
  const t = tokens[i];
  if (!t) return false;
  return BE.has(t.lower) || HAVE.has(t.lower) || MODAL.has(t.lower) || isFiniteVerb(tokens, i) || phraseAt(tokens, i, INTRANSITIVE) !== null;
}

/**
 * The outcome from the verb after the phrase: "were killed", "had been picked off", "died", "12 dead".
 * Stops at the next clause or quantity; returns `chained` when a list continues ("20 soldiers and 30
 * civilians were killed"), so the caller can borrow the next phrase's outcome.
 */
function outcomeAfter(tokens: readonly Token[], c: Candidate, starts: ReadonlySet<number>): { outcome: Outcome; distance: number } | 'chained' | null {
  let listOnly = true;
  for (let i = c.next, n = 0; i < tokens.length && n < 30; i++, n++) {
    const t = tokens[i];
    if (starts.has(i)) return listOnly ? 'chained' : null;
    if (STOPS.has(t.lower)) return null;
    // ", and many were wounded": a new clause, or another figure with its own verb.
    if (t.lower === ',' && /^(?:and|but|or|while|as|yet)$/.test(tokens[i + 1]?.lower ?? '')) return null;
    if (n > 0 && mayStartQuantity(tokens, i) && parseQuantity(tokens, i)) return null;
    if (isFiniteVerb(tokens, i)) return null;
    if (!/^(?:,|and|or|as|well|plus|including|among|them|whom|of|mostly|mainly)$/.test(t.lower)) listOnly = false;
    if (NEGATION.has(t.lower)) return null;
    const intrans = phraseAt(tokens, i, INTRANSITIVE);
    if (intrans) return { outcome: intrans.outcome, distance: n };
    const w = t.lower;
    if (BE.has(w) || HAVE.has(w) || MODAL.has(w)) {
      let j = i + 1;
      let sawBe = BE.has(w);
      while (j < tokens.length && j < i + 7 && VERB_GROUP_SKIP.has(tokens[j].lower)) {
        if (BE.has(tokens[j].lower)) sawBe = true;
        j++;
      }
      if (NEGATION.has(tokens[j]?.lower ?? '')) return null;
      const intr = phraseAt(tokens, j, INTRANSITIVE);
      if (intr) return { outcome: intr.outcome, distance: n };
      const part = sawBe ? phraseAt(tokens, j, AFTER_BE) : null;
      if (part && !objectFollows(tokens, part.next)) return { outcome: part.outcome, distance: n };
      // The first verb group of the clause decides: "are now stranded" is no outcome.
      return null;
    }
    // A participle right after the phrase: "13 civilians killed in", "20 dead", "five reportedly wounded".
    if (n <= 1 || (n <= 3 && tokens.slice(c.next, i).every((x) => /ly$/.test(x.lower)))) {
      const part = phraseAt(tokens, i, AFTER_BE);
      if (part && !objectFollows(tokens, part.next)) return { outcome: part.outcome, distance: n };
    }
  }
  return null;
}

/** A year after "in", "since" ... is a date, not a count. */
const YEAR_PREP = new Set(['in', 'since', 'during', 'until', 'till', 'by', 'of', 'from', 'before', 'after', 'through', 'early', 'late', 'mid']);
/** Cheap test for a segment that may report casualties. */
const CUE_RE = /kill|destroy|dead|death|fatalit|die|wound|injur|hurt|maim|captur|abduct|kidnap|missing|murder|slain|slew|slaughter|massacr|execut|behead|picked off|gunned|perish|lives|hostage|prisoner|captive|neutrali|eliminat|liquidat|toll|bodies|seiz|disappear|vanish|unaccounted|hospital|shot/i;

function candidatesIn(tokens: readonly Token[]): Candidate[] {
  const out: Candidate[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (!mayStartQuantity(tokens, i)) continue;
    const prev = tokens[i - 1]?.lower ?? '';
    if (NEGATION.has(prev) || prev === 'any' || prev === 'every' || prev === 'each') continue;
    const q = parseQuantity(tokens, i);
    if (!q) continue;
    const lastTok = tokens[q.next - 1];
    if (q.low !== null && q.low === q.high && /^(?:19|20)\d\d$/.test(lastTok.text) && YEAR_PREP.has(prev)) continue;
    if (tokens[q.next]?.text === '%') continue;
    const victims = parseVictims(tokens, q.next, q);
    if (!victims) continue;
    out.push({ q, victims, first: i, next: victims.bare ? q.next : victims.next });
    i = (victims.bare ? q.next : victims.next) - 1;
  }
  return out;
}

/** Casualty suggestions: CASUALTIES spans with low, high, approx, group and outcome. */
export function suggestCasualties(text: string, _ctx: SuggestContext): Suggestion[] {
  const found: Utf16Suggestion[] = [];
  for (const seg of segments(text, 1000)) {
    if (!CUE_RE.test(text.slice(seg.start, seg.end))) continue;
    const tokens = tokenize(text, seg.start, seg.end);
    const cands = candidatesIn(tokens);
    const starts = new Set(cands.map((c) => c.first));
    const after = new Map<Candidate, ReturnType<typeof outcomeAfter>>();
    // Right to left, so a list ("20 soldiers and 30 civilians were killed") can borrow the later verb.
    for (let k = cands.length - 1; k >= 0; k--) {
      const a = outcomeAfter(tokens, cands[k], starts);
      after.set(cands[k], a === 'chained' ? (k + 1 < cands.length ? chainedOutcome(after.get(cands[k + 1])) : null) : a);
    }
    for (const c of cands) {
      if (denied(tokens, c.first)) continue;
      const before = outcomeBefore(tokens, c, cands);
      const fwd = after.get(c);
      const forward = fwd && fwd !== 'chained' ? fwd : null;
      const implied = c.victims.implied ? { outcome: c.victims.implied, distance: 0 } : null;
      const pick = implied ?? (before && (!forward || before.distance <= forward.distance) ? before : forward);
      if (!pick) continue;
      const score = Math.max(0.3, 0.85 - (c.victims.bare ? 0.15 : 0) - Math.min(0.25, pick.distance * 0.02));
      found.push({
        label: 'CASUALTIES',
        start: c.q.start,
        end: tokens[c.next - 1].end,
        attrs: { low: c.q.low, high: c.q.high, approx: c.q.approx, group: c.victims.group, outcome: pick.outcome },
        score: Math.round(score * 100) / 100,
      });
    }
  }
  return finish(text, found, `${casualtiesEngine.name}@${casualtiesEngine.version}`);
}

/** "denying that 40 civilians were hurt": a figure someone denies is not proposed. */
function denied(tokens: readonly Token[], first: number): boolean {
  for (let k = first - 1; k >= 0 && k >= first - 8; k--) {
    const w = tokens[k].lower;
    if (w === '.' || w === ';') return false;
    if (/^den(?:y|ies|ied|ying)$/.test(w)) return true;
  }
  return false;
}

function chainedOutcome(a: ReturnType<typeof outcomeAfter> | undefined): { outcome: Outcome; distance: number } | null {
  return a && a !== 'chained' ? a : null;
}

/** The casualties engine. */
export const casualtiesEngine: SuggestionEngine = {
  name: 'casualties',
  version: 1,
  suggest: suggestCasualties,
};
