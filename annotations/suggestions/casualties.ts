// The casualties engine: counts of people killed, injured, captured or missing ("up to 118 civilians were
// killed", "killing an estimated 50 IS fighters"), read by a small table-driven grammar: a quantity phrase,
// a victim noun phrase, and the outcome from a verb or noun before or after it. Pure.
import { mayStartQuantity, numberValue, parseQuantity, tokenize, type Quantity, type Token } from './numbers.ts';
import { finish, segments, type Utf16Suggestion } from './text.ts';
import type { Suggestion, SuggestContext, SuggestionEngine } from './types.ts';

export type Group = 'civilians' | 'fighters' | 'soldiers' | 'children' | 'women' | 'men' | 'people';
export type Outcome = 'killed' | 'injured' | 'captured' | 'missing';

// ---- who: victim nouns ----

// Conventions (the corpus README lists civilians, fighters, soldiers, children, women, people; the schema adds
// men): a noun naming an armed side is fighters or soldiers; a noun naming non-combatants by what they do or
// where they are (monks, staff, aid workers, journalists, patients, pilgrims, villagers, members of a family)
// is civilians, since they are protected as such and analysts count them so; a noun that says nothing of
// who the victims were (people, others, victims, bodies, hostages) is people.
const HEADS: Record<Group, string[]> = {
  fighters: [
    'fighters', 'fighter', 'militants', 'militant', 'jihadists', 'jihadist', 'jihadis', 'insurgents', 'insurgent', 'rebels',
    'rebel', 'terrorists', 'terrorist', 'gunmen', 'gunman', 'extremists', 'extremist', 'combatants', 'combatant', 'guerrillas',
    'guerrilla', 'guerillas', 'militiamen', 'militiaman', 'mercenaries', 'mercenary', 'attackers', 'attacker', 'assailants',
    'assailant', 'operatives', 'operative', 'commanders', 'commander', 'islamists', 'paramilitaries', 'snipers', 'houthis',
    'taliban', 'leaders', 'emirs', 'bandits', 'bandit', 'raiders',
  ],
  soldiers: [
    'soldiers', 'soldier', 'troops', 'trooper', 'troopers', 'servicemen', 'serviceman', 'servicewoman', 'servicemembers',
    'marines', 'marine', 'paratroopers', 'paratrooper', 'sailors', 'sailor', 'airmen', 'policemen', 'policeman',
    'policewomen', 'policewoman', 'police', 'officers', 'officer', 'guards', 'guard', 'guardsmen', 'gendarmes', 'gendarme',
    'conscripts', 'conscript', 'recruits', 'recruit', 'commandos', 'commando', 'peacekeepers', 'peacekeeper', 'personnel',
    'pilots', 'pilot', 'cadets', 'cadet', 'reservists', 'reservist', 'peshmerga', 'legionnaires',
  ],
  civilians: [
    'civilians', 'civilian', 'residents', 'resident', 'villagers', 'villager', 'inhabitants', 'worshippers', 'worshipper',
    'worshipers', 'worshiper', 'churchgoers', 'parishioners', 'congregants', 'passengers', 'passenger', 'pedestrians',
    'pedestrian', 'shoppers', 'shopper', 'farmers', 'farmer', 'herders', 'herder', 'herdsmen', 'herdsman', 'fishermen',
    'fisherman', 'shepherds', 'shepherd', 'miners', 'miner', 'students', 'student', 'pupils', 'pupil', 'teachers', 'teacher',
    'journalists', 'journalist', 'reporters', 'reporter', 'photographers', 'photographer', 'cameramen', 'cameraman',
    'doctors', 'doctor', 'surgeons', 'surgeon', 'medics', 'medic', 'nurses', 'nurse', 'paramedics', 'paramedic', 'patients',
    'patient', 'refugees', 'refugee', 'migrants', 'migrant', 'asylum-seekers', 'protesters', 'protester', 'protestors',
    'protestor', 'demonstrators', 'demonstrator', 'activists', 'activist', 'mourners', 'pilgrims', 'pilgrim', 'workers',
    'worker', 'labourers', 'labourer', 'laborers', 'laborer', 'employees', 'employee', 'staff', 'staffers', 'staffer',
    'contractors', 'contractor', 'engineers', 'engineer', 'volunteers', 'volunteer', 'rescuers', 'rescuer', 'humanitarians',
    'vaccinators', 'officials', 'official', 'lawyers', 'lawyer', 'judges', 'judge', 'politicians', 'politician',
    'lawmakers', 'lawmaker', 'elders', 'elder', 'monks', 'monk', 'nuns', 'nun', 'priests', 'priest', 'clerics', 'cleric',
    'imams', 'imam', 'pastors', 'pastor', 'guests', 'guest', 'spectators', 'relatives', 'tourists', 'tourist', 'drivers',
    'driver', 'motorists', 'motorist', 'commuters', 'commuter', 'bystanders', 'bystander', 'onlookers', 'traders', 'trader',
    'merchants', 'merchant', 'vendors', 'vendor', 'shopkeepers', 'shopkeeper', 'customers', 'customer', 'voters', 'athletes',
    'crewmen', 'seafarers', 'interpreters', 'interpreter', 'translators', 'translator', 'passers-by', 'passersby',
    'passer-by',
  ],
  children: [
    'children', 'child', 'kids', 'kid', 'boys', 'boy', 'girls', 'girl', 'minors', 'minor', 'infants', 'infant', 'babies',
    'baby', 'toddlers', 'toddler', 'schoolchildren', 'schoolboys', 'schoolboy', 'schoolgirls', 'schoolgirl', 'teenagers',
    'teenager', 'teens', 'newborns', 'newborn', 'orphans',
  ],
  women: ['women', 'woman', 'mothers', 'mother', 'wives', 'widows', 'widow'],
  men: ['men', 'man'],
  people: [
    'people', 'person', 'persons', 'individuals', 'individual', 'others', 'victims', 'victim', 'hostages', 'hostage',
    'prisoners', 'prisoner', 'detainees', 'detainee', 'captives', 'captive', 'members', 'member', 'suspects', 'suspect',
  ],
};
const HEAD_GROUP = new Map<string, Group>(Object.entries(HEADS).flatMap(([g, ws]) => ws.map((w) => [w, g as Group] as const)));

/** Two-word victim nouns, read before single words ("police officers", "family members"). */
const TWO_WORD_HEADS = new Map<string, Group>([
  ['service members', 'soldiers'], ['service member', 'soldiers'], ['security personnel', 'soldiers'],
  ['police officers', 'soldiers'], ['police officer', 'soldiers'], ['security forces', 'soldiers'],
  ['border guards', 'soldiers'], ['army officers', 'soldiers'], ['aid workers', 'civilians'], ['aid worker', 'civilians'],
  ['health workers', 'civilians'], ['health worker', 'civilians'], ['rescue workers', 'civilians'],
  ['family members', 'civilians'], ['family member', 'civilians'], ['medical staff', 'civilians'],
  ['media workers', 'civilians'], ['crew members', 'civilians'], ['crew member', 'civilians'],
]);

/**
 * Nouns that name a role in some body rather than a side ("staff", "members", "officials", "personnel"):
 * the words around them say whose ("army staff", "members of a militia", "World Food Programme staff").
 * Their default group applies when those words tell nothing.
 */
const ROLE_HEADS = new Map<string, Group>([
  ['members', 'people'], ['member', 'people'], ['staff', 'civilians'], ['staffers', 'civilians'], ['staffer', 'civilians'],
  ['employees', 'civilians'], ['employee', 'civilians'], ['workers', 'civilians'], ['worker', 'civilians'],
  ['officials', 'civilians'], ['official', 'civilians'], ['personnel', 'soldiers'],
]);

/** Nouns that read the same as modifiers and as plurals: "police officers", "Taliban commander". */
const INVARIANT = new Set(['police', 'taliban', 'peshmerga', 'staff', 'personnel']);

/** Plural victim nouns (and nouns with no singular). */
const PLURAL_RE = /(?:[^su]s|men|people|police|children|peshmerga|taliban|personnel|staff)$/;
/** Nouns that count people one by one: only these follow "a", "an" or "another" as a count of one. */
const SINGULAR = new Set(Object.values(HEADS).flat().filter((w) => !PLURAL_RE.test(w)));

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

/** Words around a role noun ("members of ...", "army staff") that tell whose members or staff they are. */
const MEMBER_OF: ReadonlyArray<readonly [RegExp, Group]> = [
  [/^(?:army|armed|military|forces|police|guard|guards|navy|troops|security|gendarmerie|battalion|regiment|division)$/, 'soldiers'],
  [/^(?:family|families|community|tribe|household|congregation|crew|team|staff|aid|humanitarian|relief|medical|health|hospital|clinic|school|university|charity|ngo|media|news|press|church|mosque|parliament)$/, 'civilians'],
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
  /** The head noun, lower case ("man", "fighters"); absent for a bare figure. */
  head?: string;
  /** The noun itself says what happened: "20 civilian deaths", "53 bodies". */
  implied?: Outcome;
  /** A participle before the noun says what happened: "31 wounded people". */
  described?: Outcome;
}

/** Nouns that are the outcome themselves; the modifiers before them say whose. */
const IMPLIED_HEADS = new Map<string, Outcome>([
  ['deaths', 'killed'], ['fatalities', 'killed'], ['dead', 'killed'], ['bodies', 'killed'], ['corpses', 'killed'],
  ['injuries', 'injured'],
]);

/** Participles that say what happened when they stand before the victim noun: "31 wounded people", "two missing fishermen". */
const OUTCOME_MODIFIERS = new Map<string, Outcome>([
  ['wounded', 'injured'], ['injured', 'injured'], ['dead', 'killed'], ['slain', 'killed'], ['missing', 'missing'],
  ['abducted', 'captured'], ['kidnapped', 'captured'], ['captured', 'captured'],
]);

/** "a 67-year-old", "two 15-year-olds": an age that is itself the noun. */
const AGE_RE = /^([\p{L}\p{N}]+)[‐-]years?[‐-]olds?$/u;

const isCap = (t: Token): boolean => /^\p{Lu}/u.test(t.text);
const isModifier = (t: Token): boolean =>
  (isCap(t) && !WEEKDAY_MONTH.test(t.lower)) || MODIFIERS.has(t.lower) || /^[\p{L}\p{N}]+[‐-][\p{L}]/u.test(t.text);

/**
 * A lower-case word outside the closed lists that may still describe the victims: "three Buddhist monks",
 * "two pregnant women", "heavily armed men". Plural-looking words are nouns heading a phrase of their own
 * ("12 vehicles carrying people"), and verbs, prepositions and outcome words end the phrase.
 */
function looseModifier(tokens: readonly Token[], j: number): boolean {
  const t = tokens[j];
  const w = t.lower;
  return /^\p{Ll}[\p{Ll}'’‐-]+$/u.test(t.text) && w.length > 2 && !/[^su]s$/.test(w) && !closedWords().has(w) && !mayStartQuantity(tokens, j);
}

/** Irregular participles that may follow a victim noun: "a commander known as ...", "a boy hit by ...". */
const PARTICIPLES = new Set(['held', 'left', 'found', 'caught', 'hit', 'born', 'led', 'sent', 'brought', 'kept', 'met', 'run', 'put', 'set']);

/** Whether a lower-case noun follows: "a civilian car", "one prisoner exchange" are no count of people. */
function nounFollows(tokens: readonly Token[], j: number): boolean {
  const t = tokens[j];
  return !!t && looseModifier(tokens, j) && !/(?:ing|ed|ly|en|wn)$/.test(t.lower) && !OUTCOME_MODIFIERS.has(t.lower) && !PARTICIPLES.has(t.lower);
}

function ageGroup(token: Token): Group | null {
  const m = AGE_RE.exec(token.lower);
  if (!m) return null;
  const age = numberValue(m[1]);
  return age === null ? null : age < 18 ? 'children' : 'people';
}

function headAt(tokens: readonly Token[], j: number): { group: Group; next: number } | null {
  const two = tokens[j + 1] ? TWO_WORD_HEADS.get(`${tokens[j].lower} ${tokens[j + 1].lower}`) : undefined;
  if (two) return { group: two, next: j + 2 };
  const t = tokens[j];
  if (!t) return null;
  const after = tokens[j + 1];
  const age = ageGroup(t);
  // "a 12-year-old was hurt": the age is the noun only when no other word of the phrase follows.
  if (age) return after && (isModifier(after) || HEAD_GROUP.has(after.lower) || looseModifier(tokens, j + 1)) ? null : { group: age, next: j + 1 };
  const g = HEAD_GROUP.get(t.lower);
  if (!g) return null;
  // "Taliban fighters", "police officers": the first word is a modifier when another noun follows, unless
  // a plural stands before a singular ("taken nine gendarmes prisoner").
  if (after && SINGULAR.has(after.lower) && PLURAL_RE.test(t.lower) && !INVARIANT.has(t.lower)) return { group: g, next: j + 1 };
  if (after && (HEAD_GROUP.has(after.lower) || (IMPLIED_HEADS.has(after.lower) && after.lower !== 'dead') || (tokens[j + 2] && TWO_WORD_HEADS.has(`${after.lower} ${tokens[j + 2].lower}`)))) return null;
  return { group: g, next: j + 1 };
}

/**
 * "members of the Syrian army", "ISIS members", "World Food Programme staff": whose members or staff, and
 * where the phrase ends. Members of a capitalised body are fighters (armed groups are named; families are
 * not); staff, employees and officials are civilians unless an armed body is named.
 */
function roleGroup(tokens: readonly Token[], mods: readonly Token[], next: number, head: string): { group: Group; next: number } {
  const classify = (words: readonly Token[]): Group | null => {
    for (const [re, g] of MEMBER_OF) if (words.some((w) => re.test(w.lower))) return g;
    return null;
  };
  const fallback = (words: readonly Token[]): Group => {
    const g = ROLE_HEADS.get(head)!;
    return g === 'people' && words.some(isCap) ? 'fighters' : g;
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
    if (words.length) return { group: classify(words) ?? fallback(words), next: tokens.indexOf(words[words.length - 1]) + 1 };
  }
  return { group: classify(mods) ?? fallback(mods), next };
}

/** Whether capitalised words from tokens[j] lead to a victim noun within a few words. */
function headInName(tokens: readonly Token[], j: number): boolean {
  for (let k = j; k < j + 4 && k < tokens.length; k++) {
    if (headAt(tokens, k)) return true;
    if (!isCap(tokens[k])) return false;
  }
  return false;
}

/** Small words that may stand inside a capitalised name before the victim noun. */
const NAME_LINKS = new Set(['the', 'of', 'for', 'and', 'de', 'du', 'des', 'sans', 'al', 'el']);

/** Whether tokens[j] says what happened on its own: "12 dead", "35 wounded", "three died". */
function outcomeWordAt(tokens: readonly Token[], j: number): boolean {
  return phraseAt(tokens, j, AFTER_BE) !== null || phraseAt(tokens, j, INTRANSITIVE) !== null;
}

/**
 * The victim noun phrase starting at tokens[k], after a quantity; null when what follows is not people.
 * `anyFollower`: a bare figure may stand before any word (its noun is implied: "the toll rose to 57 ...").
 */
function parseVictims(tokens: readonly Token[], k: number, q: Quantity, anyFollower = false): VictimPhrase | null {
  let j = k;
  // Partitives: "five of the soldiers", "three of them".
  if (tokens[j]?.lower === 'of') {
    const det = tokens[j + 1]?.lower;
    if ((det === 'them' || det === 'whom') && !q.vague) return { group: 'people', next: j + 2, bare: false, head: det };
    if (det !== undefined && PARTITIVE_DETERMINERS.has(det)) j += 2;
    else if (!q.vague) return null;
  }
  const start = j;
  const mods: Token[] = [];
  let loose = 0;
  let described: Outcome | undefined;
  while (j < tokens.length && mods.length <= 4) {
    let head = headAt(tokens, j);
    // "Norwegian Refugee Council employees": a capitalised noun inside a name is no head when the name
    // goes on to one ("Five Soldiers Killed In Attack" keeps its head).
    if (head && isCap(tokens[j]) && tokens[head.next] && isCap(tokens[head.next]) && headInName(tokens, head.next)) head = null;
    if (head) {
      let { group, next } = head;
      const word = tokens[next - 1].lower;
      if (ROLE_HEADS.has(word) && next === j + 1) ({ group, next } = roleGroup(tokens, mods, next, word));
      return { ...coordinated(tokens, group, next), bare: false, head: word, described };
    }
    const implied = IMPLIED_HEADS.get(tokens[j].lower);
    if (implied && (mods.length > 0 || tokens[j].lower !== 'dead')) {
      const group = mods.map((m) => HEAD_GROUP.get(m.lower) ?? HEAD_GROUP.get(`${m.lower}s`)).find((g) => g) ?? 'people';
      return { group, next: j + 1, bare: false, head: tokens[j].lower, implied };
    }
    const outcome = OUTCOME_MODIFIERS.get(tokens[j].lower);
    // "Save the Children staff", "Doctors of the World volunteers": small words inside a name.
    const inName = NAME_LINKS.has(tokens[j].lower) && mods.length > 0 && isCap(mods[mods.length - 1]) && !!tokens[j + 1] && isCap(tokens[j + 1]);
    if (outcome) described = outcome;
    else if (!inName && !isModifier(tokens[j])) {
      if (loose >= 2 || !looseModifier(tokens, j)) break;
      loose++;
    }
    mods.push(tokens[j]);
    j++;
  }
  // A capitalised plural as the last word is the noun itself: "three Yemenis".
  const last = mods[mods.length - 1];
  if (last && DEMONYM_RE.test(last.text) && j === tokens.indexOf(last) + 1) return { ...coordinated(tokens, 'people', j), bare: false, head: last.lower };
  // No noun: a bare figure, unless the words after it were meant to lead to one. An outcome word right
  // after the figure is no modifier then: "12 dead and 35 wounded".
  if ((mods.length > 0 || j !== k) && (start !== k || !(outcomeWordAt(tokens, k) || BARE_FOLLOWERS.has(tokens[k].lower)))) return null;
  j = k;
  const follower = tokens[j];
  if (!anyFollower && follower && !outcomeWordAt(tokens, j) && !BARE_FOLLOWERS.has(follower.lower) && !WEEKDAY_MONTH.test(follower.lower)) return null;
  // "dozens were killed" stands alone; "many" and "several" need their noun.
  if (q.vague && !/^(?:dozens|scores|hundreds|thousands|millions|dozen|hundred|thousand)$/.test(tokens[q.next - 1].lower)) return null;
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
  // "beaten to death", "burned to death".
  ...['beaten', 'stabbed', 'burned', 'burnt', 'hacked', 'stoned', 'crushed', 'tortured', 'starved', 'trampled', 'shot']
    .map((w) => ({ words: [w, 'to', 'death'], outcome: 'killed' as const })),
  ...['burned', 'burnt', 'buried'].map((w) => ({ words: [w, 'alive'], outcome: 'killed' as const })),
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
  { words: ['drowned'], outcome: 'killed' }, { words: ['succumbed'], outcome: 'killed' },
  ...['sustained', 'suffered'].flatMap((v) => ['injuries', 'wounds'].map((n) => ({ words: [v, n], outcome: 'injured' as const }))),
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
  /** What the tally the figure ends names ("the death toll rose to 57": killed), whatever the clause says. */
  toll: Outcome | null;
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

/** Outcome words inside a tally: "the number of people killed", "the number of injured". */
const TALLY_OUTCOMES = new Map<string, Outcome>([
  ['dead', 'killed'], ['killed', 'killed'], ['deaths', 'killed'], ['fatalities', 'killed'], ['injured', 'injured'],
  ['wounded', 'injured'], ['injuries', 'injured'], ['missing', 'missing'], ['abducted', 'captured'], ['kidnapped', 'captured'],
]);

/**
 * The outcome a tally before the figure names: "the death toll from the quake rose to 45" (killed), "the
 * number of people wounded reached 300" (injured); null when the figure ends no tally.
 */
function tollBefore(tokens: readonly Token[], first: number): Outcome | null {
  if (!TOLL_LINK.has(tokens[first - 1]?.lower ?? '')) return null;
  let named: Outcome | null = null;
  for (let k = first - 2; k >= 0 && k >= first - 12; k--) {
    const w = tokens[k].lower;
    if (w === 'toll') return 'killed';
    if (named && (w === 'number' || w === 'tally') && tokens[k + 1]?.lower === 'of') return named;
    named ??= TALLY_OUTCOMES.get(w) ?? null;
    if (STOPS.has(w) || w === ',') return null;
  }
  return null;
}

/** The outcome from a cue before the phrase, across fillers and earlier phrases of the same list. */
function outcomeBefore(tokens: readonly Token[], c: Candidate, spans: readonly Candidate[]): { outcome: Outcome; distance: number } | null {
  if (c.toll) return { outcome: c.toll, distance: 1 };
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
    // "women whose sons were killed": the verb is about someone else.
    // "reported" ends the phrase's clause ("12 soldiers, the army reported") except before an outcome.
    if ((STOPS.has(t.lower) && !(t.lower === 'reported' && phraseAt(tokens, i + 1, AFTER_BE))) || t.lower === 'whose') return null;
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
    // "12 people reported missing", "three feared dead", "two still missing".
    if (n <= 1 || (n <= 3 && tokens.slice(c.next, i).every((x) => /ly$/.test(x.lower) || VERB_GROUP_SKIP.has(x.lower)))) {
      const part = phraseAt(tokens, i, AFTER_BE);
      if (part && !objectFollows(tokens, part.next)) return { outcome: part.outcome, distance: n };
    }
  }
  return null;
}

/** A year after "in", "since" ... is a date, not a count. */
const YEAR_PREP = new Set(['in', 'since', 'during', 'until', 'till', 'by', 'of', 'from', 'before', 'after', 'through', 'early', 'late', 'mid']);
/** Cheap test for a segment that may report casualties. */
const CUE_RE = /kill|destroy|dead|death|fatalit|die|wound|injur|hurt|maim|captur|abduct|kidnap|missing|murder|slain|slew|slaughter|massacr|execut|behead|picked off|gunned|perish|lives|hostage|prisoner|captive|neutrali|eliminat|liquidat|toll|bodies|corpse|drown|succumb|alive|seiz|disappear|vanish|unaccounted|hospital|shot/i;

let closed: Set<string> | null = null;

/**
 * Lower-case words that never describe victims between a figure and its noun: the grammar's own
 * function words, verbs and outcome words, and units and measures. Built once, on first use.
 */
function closedWords(): Set<string> {
  if (closed) return closed;
  closed = new Set([
    ...BARE_FOLLOWERS, ...PREPOSITIONS, ...STOPS, ...DETERMINERS, ...FILLERS, ...CLAUSE_WORDS, ...BE, ...HAVE, ...MODAL,
    ...NEGATION, ...VERB_GROUP_SKIP, ...IRREGULAR_FINITE, ...TOLL_LINK, ...YEAR_PREP, ...PARTITIVE_DETERMINERS,
    ...BEFORE_CUES.flatMap((c) => c.words), ...AFTER_BE.flatMap((c) => c.words), ...INTRANSITIVE.flatMap((c) => c.words),
    'than', 'per', 'cent', 'percent', 'what', 'how', 'why', 'it', 'they', 'he', 'she', 'we', 'you', 'these', 'such',
    'each', 'every', 'any', 'via', 'against', 'within', 'without', 'through', 'throughout', 'toward', 'towards', 'upon',
    'onto', 'because', 'yet', 'then', 'ago', 'apiece', 'alone', 'together', 'aboard', 'abroad', 'away', 'out', 'back',
    'down', 'up', 'year', 'month', 'week', 'day', 'hour', 'minute', 'night', 'morning', 'afternoon', 'evening', 'time',
    'dozen', 'hundred', 'thousand', 'million', 'billion', 'score', 'toll', 'death', 'injury', 'attack', 'strike',
    'blast', 'explosion', 'raid', 'fire', 'shelling', 'bombing',
  ]);
  return closed;
}

/** Words that count one victim when no figure follows: "a woman", "an elderly man", "another soldier". */
const ONE_WORDS = new Set(['a', 'an', 'another', 'one']);

/** A count of one read from "a" or "another" before a singular noun. */
function countOfOne(tokens: readonly Token[], i: number): Quantity {
  return { start: tokens[i].start, end: tokens[i].end, low: 1, high: 1, approx: false, vague: false, bound: null, first: i, next: i + 1 };
}

/** A cheap test before reading a count of one: a singular victim noun within the next few words. */
function singularAhead(tokens: readonly Token[], j: number): boolean {
  for (let k = j; k < j + 6 && k < tokens.length; k++) {
    const w = tokens[k].lower;
    if (SINGULAR.has(w) || (w.endsWith('old') && AGE_RE.test(w))) return true;
  }
  return false;
}

function candidatesIn(tokens: readonly Token[]): Candidate[] {
  const out: Candidate[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const w = tokens[i].lower;
    const one = ONE_WORDS.has(w);
    if (!one && !mayStartQuantity(tokens, i)) continue;
    const prev = tokens[i - 1]?.lower ?? '';
    if (NEGATION.has(prev) || prev === 'any' || prev === 'every' || prev === 'each') continue;
    let q = w === 'another' ? null : parseQuantity(tokens, i);
    // "a woman", "another soldier": a count of one, when what follows is a singular victim noun.
    const single = !q && one && singularAhead(tokens, i + 1) && !(mayStartQuantity(tokens, i + 1) && parseQuantity(tokens, i + 1));
    if (single) q = countOfOne(tokens, i);
    if (!q) continue;
    const lastTok = tokens[q.next - 1];
    if (q.low !== null && q.low === q.high && /^(?:19|20)\d\d$/.test(lastTok.text) && YEAR_PREP.has(prev)) continue;
    if (tokens[q.next]?.text === '%') continue;
    const toll = single ? null : tollBefore(tokens, i);
    const victims = parseVictims(tokens, q.next, q, toll !== null);
    if (!victims) continue;
    // "a father of four", "a convoy of 20": a bare figure after "of" counts the noun before it, unless
    // that noun is an outcome ("the deaths of 12", "the killing of 20").
    if (victims.bare && prev === 'of' && !toll && !(BEFORE_BY_LAST.get('of') ?? []).some((c) => matchWords(tokens, i - c.words.length, c.words))) continue;
    if (q.low === 1 && q.high === 1 && !q.approx) {
      // One victim: the noun must count one person ("a man", not "a police" or "one staff"), and must not
      // describe a thing ("a civilian car", "one prisoner exchange").
      const h = victims.head;
      if (single && (victims.bare || !h || !(SINGULAR.has(h) || (AGE_RE.test(h) && !h.endsWith('s'))))) continue;
      if (!victims.bare && nounFollows(tokens, victims.next)) continue;
    }
    out.push({ q, victims, first: i, next: victims.bare ? q.next : victims.next, toll });
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
    const groups = inheritedGroups(tokens, cands);
    for (const c of cands) {
      if (denied(tokens, c.first)) continue;
      const before = outcomeBefore(tokens, c, cands);
      const fwd = after.get(c);
      const forward = fwd && fwd !== 'chained' ? fwd : null;
      const pick = pickOutcome(c, before, forward);
      if (!pick) continue;
      const score = Math.max(0.3, 0.85 - (c.victims.bare ? 0.15 : 0) - Math.min(0.25, pick.distance * 0.02));
      found.push({
        label: 'CASUALTIES',
        start: c.q.start,
        end: tokens[c.next - 1].end,
        attrs: { low: c.q.low, high: c.q.high, approx: c.q.approx, group: groups.get(c) ?? c.victims.group, outcome: pick.outcome },
        score: Math.round(score * 100) / 100,
      });
    }
  }
  return finish(text, found, `${casualtiesEngine.name}@${casualtiesEngine.version}`);
}

type Found = { outcome: Outcome; distance: number };

/**
 * The outcome of a phrase. What the phrase names itself wins over any verb, since the verb may belong to a
 * neighbouring clause: "20 civilian deaths", "53 bodies", "the death toll rose to 57". A participle
 * before the noun ("31 wounded people") yields only to the phrase's own verb ("12 wounded soldiers died")
 * or a verb governing it directly ("killing three wounded prisoners"). Otherwise the nearer cue wins.
 */
function pickOutcome(c: Candidate, before: Found | null, forward: Found | null): Found | null {
  const implied = c.victims.implied ?? c.toll;
  if (implied) return { outcome: implied, distance: 0 };
  const described = c.victims.described;
  if (described && !(forward && forward.distance <= 3) && !(before && before.distance === 0)) return { outcome: described, distance: 0 };
  return before && (!forward || before.distance <= forward.distance) ? before : forward;
}

/** Words that may join two phrases of one list: "12 soldiers, three civilians and 20 others". */
const LIST_JOINERS = new Set([',', 'and', 'or', 'including', 'among', 'them', 'whom', 'as', 'well', 'plus', 'mostly', 'mainly']);
/** Groups that are sides of a conflict: what "others" after them stands for. */
const SIDES = new Set<Group>(['civilians', 'fighters', 'soldiers']);

/**
 * Groups for figures with no noun of their own, coordinated with an earlier phrase of the same sentence:
 * "12 civilians were killed and dozens wounded" (civilians), "two soldiers died and seven others were
 * hurt" (soldiers: "others" are more of the same, when the earlier noun names a side; after "three
 * children", "others" are not children). After a list of several groups ("five soldiers and two
 * civilians ... and 20 others") the group stays people; after "including" the list's first phrase decides.
 */
function inheritedGroups(tokens: readonly Token[], cands: readonly Candidate[]): Map<Candidate, Group> {
  const out = new Map<Candidate, Group>();
  const joined = (a: Candidate, b: Candidate): boolean => {
    for (let i = a.next; i < b.first; i++) if (!LIST_JOINERS.has(tokens[i].lower)) return false;
    return true;
  };
  for (let k = 1; k < cands.length; k++) {
    const c = cands[k];
    const others = c.victims.head === 'others';
    if (c.toll || !(c.victims.bare || others)) continue;
    let p = k - 1;
    const gap = c.first - cands[p].next;
    if (gap > 10) continue;
    let link = false;
    let broken = false;
    for (let i = cands[p].next; i < c.first; i++) {
      const w = tokens[i].lower;
      if (w === 'and' || w === ',') link = true;
      if (STOPS.has(w) || w === ':' || w === 'whose' || (w === ',' && /^(?:but|while|as|yet|whereas)$/.test(tokens[i + 1]?.lower ?? ''))) broken = true;
    }
    if (!link || broken) continue;
    // The list the earlier phrase ends.
    const list = [cands[p]];
    let including = false;
    while (p > 0 && joined(cands[p - 1], cands[p])) {
      for (let i = cands[p - 1].next; i < cands[p].first; i++) if (APPOSITION.has(tokens[i].lower)) including = true;
      list.unshift(cands[--p]);
    }
    const groupOf = (x: Candidate): Group => out.get(x) ?? x.victims.group;
    const first = groupOf(list[0]);
    const group = including || list.every((x) => groupOf(x) === first) ? first : 'people';
    if (group === 'people' || (others && !SIDES.has(group))) continue;
    out.set(c, group);
  }
  return out;
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
