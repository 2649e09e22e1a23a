// Builds gold.jsonl for the held-out set from the hand-written spec below, computing every offset from the texts.
// Run: node eval/heldout/build-gold.mjs (writes eval/heldout/gold.jsonl; fails loudly on any ambiguity).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.dirname(fileURLToPath(import.meta.url));

/**
 * One entry per document. Entity names are matched at every occurrence (case-sensitive, whole word, longest name
 * first, not after a hyphen, as in the dev gold). DATE and CASUALTIES items are [text, ...values] or
 * [text, ...values, ctx]: ctx is a snippet that occurs once in the document and contains text, for repeated words.
 */
const SPEC = [
  {
    doc: 'h01_yemen.txt',
    dct: '2023-03-06',
    ignore: ['Yemeni', 'Saudi'],
    LOCATION: ['SANAA', 'Sanaa', 'Yemen', 'Saada', 'Marib', 'Hajjah', 'Riyadh'],
    ORG: ['Houthis', 'Houthi', 'Saudi-led coalition', 'Doctors Without Borders', 'Yemeni army', 'United Nations', 'UN', 'Armed Conflict Location & Event Data Project'],
    PERSON: ['Turki al-Maliki', 'Hans Grundberg'],
    DATE: [
      ['March 6, 2023', '2023-03-06'],
      ['Sunday night', '2023-03-05TNI'],
      ['Monday morning', '2023-03-06TMO'],
      ['2015', '2015'],
      ['last week', '2023-W09'],
      ['earlier this month', '2023-03'],
      ['Thursday', '2023-03-02'],
      ['Saturday', '2023-03-04'],
      ['April 2022', '2022-04'],
      ['October', '2022-10'],
      ['last month', '2023-02'],
      ['January', '2023-01'],
      ['Friday', '2023-03-03'],
    ],
    CASUALTIES: [
      ['at least 12 civilians', 12, 12, true, 'civilians', 'killed'],
      ['At least 12 civilians', 12, 12, true, 'civilians', 'killed'],
      ['dozens', null, null, true, 'civilians', 'injured'],
      ['Three children', 3, 3, false, 'children', 'killed'],
      ['31 wounded people', 31, 31, false, 'people', 'injured'],
      ['five soldiers', 5, 5, false, 'soldiers', 'killed'],
      ['Two soldiers', 2, 2, false, 'soldiers', 'captured'],
      ['more than 150,000 people', 150000, 150000, true, 'people', 'killed'],
    ],
  },
  {
    doc: 'h02_sudan.txt',
    dct: '2023-04-18',
    ignore: ['Sudanese', 'Egyptian'],
    LOCATION: ['KHARTOUM', 'Khartoum North', 'Khartoum', 'Sudan', 'Omdurman', 'North Darfur', 'Darfur', 'Nyala', 'Kabkabiya', 'Bahri', 'Merowe'],
    ORG: ['Rapid Support Forces', 'RSF', 'Sudanese Armed Forces', 'SAF', 'UN', 'World Food Programme', 'African Union'],
    PERSON: ['Volker Perthes', 'Abdel Fattah al-Burhan', 'Mohamed Hamdan Dagalo', 'Hemedti', 'Omar al-Bashir'],
    DATE: [
      ['18 April 2023', '2023-04-18'],
      ['Tuesday', '2023-04-18'],
      ['Saturday morning', '2023-04-15TMO'],
      ['Saturday', '2023-04-15', 'North Darfur, on Saturday'],
      ['Monday', '2023-04-17'],
      ['last month', '2023-03'],
      ['April 11', '2023-04-11'],
      ['late last year', '2022'],
      ['October 2021', '2021-10'],
      ['2019', '2019'],
    ],
    CASUALTIES: [
      ['death toll of 185', 185, 185, false, 'people', 'killed'],
      ['more than 1,800 people', 1800, 1800, true, 'people', 'injured'],
      ['up to 200 people', 200, 200, true, 'people', 'killed'],
      ['Three World Food Programme staff', 3, 3, false, 'people', 'killed'],
      ['An unknown number of civilians', null, null, true, 'civilians', 'missing'],
      ['more than 40 soldiers', 40, 40, true, 'soldiers', 'captured'],
    ],
  },
  {
    doc: 'h03_ukraine.txt',
    dct: '2023-01-09',
    ignore: ['Russian', 'Ukrainian', 'Iranian', 'Russia'],
    LOCATION: ['KYIV', 'Kyiv', 'Ukraine', 'Moscow', 'Bakhmut', 'Donetsk', 'Kherson', 'Kramatorsk', 'Sumy', 'Soledar', 'Crimea'],
    ORG: ['Russian Defence Ministry', 'Wagner', 'Ukrainian General Staff', 'United Nations'],
    PERSON: ['Pavlo Kyrylenko', 'Vitali Klitschko'],
    DATE: [
      ['2023-01-09', '2023-01-09'],
      ['Sunday night', '2023-01-08TNI'],
      ['Monday', '2023-01-09'],
      ['Saturday', '2023-01-07'],
      ['the first week of 2023', '2023-W01'],
      ["New Year's Eve", '2022-12-31'],
      ['last Thursday', '2023-01-05'],
      ['Friday', '2023-01-06'],
      ['2014', '2014'],
      ['February 24, 2022', '2022-02-24'],
    ],
    CASUALTIES: [
      ['Two civilians', 2, 2, false, 'civilians', 'killed'],
      ['seven others', 7, 7, false, 'civilians', 'injured'],
      ['a 67-year-old man', 1, 1, false, 'people', 'killed'],
      ['more than 600 Ukrainian servicemen', 600, 600, true, 'soldiers', 'killed'],
      ['one person', 1, 1, false, 'people', 'killed'],
      ['about 20', 20, 20, true, 'people', 'injured'],
      ['two Ukrainian soldiers', 2, 2, false, 'soldiers', 'missing'],
      ['tens of thousands of soldiers', null, null, true, 'soldiers', 'killed'],
      ['at least 6,919 civilians', 6919, 6919, true, 'civilians', 'killed'],
    ],
  },
  {
    doc: 'h04_burkina.txt',
    dct: '2022-09-08',
    ignore: [],
    LOCATION: ['OUAGADOUGOU', 'Burkina Faso', 'Djibo', 'Bourzanga', 'Sahel', 'Namsiguia', 'Seytenga', 'Niger', 'Centre-Nord', 'Mali'],
    ORG: ["Jama'at Nusrat al-Islam wal-Muslimin", 'JNIM', 'al Qaeda'],
    PERSON: ['Lionel Bilgo', 'Paul-Henri Sandaogo Damiba'],
    DATE: [
      ['Sept. 8, 2022', '2022-09-08'],
      ['this week', '2022-W36'],
      ['Tuesday', '2022-09-06'],
      ['Monday', '2022-09-05'],
      ['February', '2022-02'],
      ['last month', '2022-08'],
      ['June', '2022-06'],
      ['Wednesday', '2022-09-07'],
      ['August 20', '2022-08-20'],
      ['January', '2022-01'],
      ['2015', '2015'],
    ],
    CASUALTIES: [
      ['35 civilians', 35, 35, false, 'civilians', 'killed', 'Roadside bomb kills 35 civilians'],
      ['35 civilians', 35, 35, false, 'civilians', 'killed', 'killing 35 civilians'],
      ['Thirty-seven people', 37, 37, false, 'people', 'injured'],
      ['11 soldiers', 11, 11, false, 'soldiers', 'killed'],
      ['at least 86 people', 86, 86, true, 'people', 'killed'],
      ['more than 40 fighters', 40, 40, true, 'fighters', 'killed'],
      ['thousands', null, null, true, 'people', 'killed'],
    ],
  },
  {
    doc: 'h05_somalia.txt',
    dct: '2021-12-17',
    ignore: ['Somali', 'United States'],
    LOCATION: ['MOGADISHU', 'Mogadishu', 'Somalia', 'Lower Shabelle', 'Hodan', 'Gedo'],
    ORG: ['Al-Shabaab', 'al-Shabaab', 'AMISOM', 'African Union Mission in Somalia', 'United Nations', 'New America'],
    PERSON: ['Abdifatah Aden Hassan'],
    DATE: [
      ['17 December, 2021', '2021-12-17'],
      ['Thursday', '2021-12-16'],
      ['Earlier this month', '2021-12'],
      ['Tuesday evening', '2021-12-14TEV'],
      ['late last month', '2021-11'],
      ['2007', '2007'],
      ['2020', '2020'],
    ],
    CASUALTIES: [
      ['at least eight', 8, 8, true, 'people', 'killed', 'kills at least eight near'],
      ['at least eight people', 8, 8, true, 'people', 'killed'],
      ['three children', 3, 3, false, 'children', 'killed'],
      ['17 people', 17, 17, false, 'people', 'injured'],
      ['seven soldiers', 7, 7, false, 'soldiers', 'killed'],
      ['more than 20 militants', 20, 20, true, 'fighters', 'killed'],
      ['seven members of one family', 7, 7, false, 'people', 'killed'],
      ['two aid workers', 2, 2, false, 'people', 'captured'],
    ],
  },
  {
    doc: 'h06_myanmar.txt',
    dct: '2023-04-12',
    ignore: [],
    LOCATION: ['YANGON', 'Myanmar', 'Sagaing', 'Pazigyi', 'Kanbalu', 'Shan', 'Kachin', 'Kayah'],
    ORG: ['National Unity Government', 'NUG', 'BBC', 'Tatmadaw', "People's Defence Force", 'PDF', 'UN', 'Karenni Army', 'Assistance Association for Political Prisoners'],
    PERSON: ['Zaw Min Tun', 'Volker Türk'],
    DATE: [
      ['Wednesday, April 12, 2023', '2023-04-12'],
      ['Tuesday morning', '2023-04-11TMO'],
      ['Wednesday', '2023-04-12', 'bodies by Wednesday'],
      ['recently', 'PAST_REF'],
      ['March', '2023-03'],
      ['late 2022', '2022'],
      ['Sunday', '2023-04-09'],
      ['February 1, 2021', '2021-02-01'],
    ],
    CASUALTIES: [
      ['as many as 100', 100, 100, true, 'people', 'killed', 'kills as many as 100,'],
      ['as many as 100 people', 100, 100, true, 'people', 'killed'],
      ['53 bodies', 53, 53, false, 'people', 'killed'],
      ['an unknown number of people', null, null, true, 'people', 'missing'],
      ['22 people', 22, 22, false, 'people', 'killed'],
      ['three Buddhist monks', 3, 3, false, 'people', 'killed'],
      ['at least 60 people', 60, 60, true, 'people', 'killed'],
      ['14 soldiers', 14, 14, false, 'soldiers', 'captured'],
      ['more than 3,200 civilians', 3200, 3200, true, 'civilians', 'killed'],
    ],
  },
];

const WORD = /[\p{L}\p{N}_]/u;

/** Every occurrence of s in text (UTF-16 offsets) not glued to a letter or digit on either side. */
function occurrences(text, s) {
  const out = [];
  for (let i = text.indexOf(s); i >= 0; i = text.indexOf(s, i + 1)) {
    const before = i > 0 ? text[i - 1] : '';
    const after = text[i + s.length] ?? '';
    if ((before && WORD.test(before)) || (after && WORD.test(after))) continue;
    out.push(i);
  }
  return out;
}

function fail(msg) {
  throw new Error(msg);
}

/** Locates a DATE or CASUALTIES surface: unique in the document, or unique inside its unique context snippet. */
function locate(text, surface, ctx, doc) {
  if (ctx) {
    const at = occurrences(text, ctx);
    if (at.length !== 1) fail(`${doc}: context ${JSON.stringify(ctx)} occurs ${at.length} times`);
    const inner = occurrences(ctx, surface);
    if (inner.length !== 1) fail(`${doc}: ${JSON.stringify(surface)} occurs ${inner.length} times in its context`);
    return at[0] + inner[0];
  }
  const at = occurrences(text, surface);
  if (at.length !== 1) fail(`${doc}: ${JSON.stringify(surface)} occurs ${at.length} times; give a context`);
  return at[0];
}

/** JSON like Python's json.dumps defaults (", " and ": " separators, non-ASCII escaped), the dev gold's style. */
function dumps(v) {
  if (Array.isArray(v)) return `[${v.map(dumps).join(', ')}]`;
  if (v && typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${dumps(k)}: ${dumps(x)}`).join(', ')}}`;
  return JSON.stringify(v).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const lines = [];
for (const d of SPEC) {
  const text = readFileSync(path.join(dir, d.doc), 'utf8');
  if (text.includes('\r')) fail(`${d.doc}: CR in text`);
  if ([...text].some((c) => c.codePointAt(0) > 0xffff)) fail(`${d.doc}: non-BMP character`);
  const annotations = [];
  const taken = [];
  const names = ['PERSON', 'ORG', 'LOCATION'].flatMap((label) => d[label].map((name) => ({ label, name })));
  names.sort((a, b) => b.name.length - a.name.length);
  for (const { label, name } of names) {
    const found = occurrences(text, name);
    if (!found.length) fail(`${d.doc}: entity ${JSON.stringify(name)} not found`);
    for (const start of found) {
      const end = start + name.length;
      if (text[start - 1] === '-') {
        console.warn(`${d.doc}: skipped ${label} ${JSON.stringify(name)} at ${start} (after a hyphen)`);
        continue;
      }
      if (taken.some(([s, e]) => s < end && start < e)) continue;
      taken.push([start, end]);
      annotations.push({ label, start, end, text: name });
    }
  }
  for (const [surface, value, ctx] of d.DATE) {
    const start = locate(text, surface, ctx, d.doc);
    annotations.push({ label: 'DATE', start, end: start + surface.length, text: surface, value });
  }
  for (const [surface, low, high, approx, group, outcome, ctx] of d.CASUALTIES) {
    const start = locate(text, surface, ctx, d.doc);
    annotations.push({ label: 'CASUALTIES', start, end: start + surface.length, text: surface, low, high, approx, group, outcome });
  }
  annotations.sort((a, b) => a.start - b.start || a.end - b.end);
  for (const a of annotations) if (text.slice(a.start, a.end) !== a.text) fail(`${d.doc}: offset check failed for ${a.text}`);
  for (const label of ['DATE', 'CASUALTIES']) {
    const spans = annotations.filter((a) => a.label === label);
    for (let i = 1; i < spans.length; i++) if (spans[i].start < spans[i - 1].end) fail(`${d.doc}: overlapping ${label} spans`);
  }
  for (const s of d.ignore) if (!occurrences(text, s).length) fail(`${d.doc}: ignore surface ${JSON.stringify(s)} not in text`);
  lines.push(dumps({ doc: d.doc, dct: d.dct, ignore: d.ignore, annotations }));
}
writeFileSync(path.join(dir, 'gold.jsonl'), `${lines.join('\n')}\n`);
console.log(`wrote ${lines.length} documents to gold.jsonl`);
