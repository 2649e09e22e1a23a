// Tests of the casualties engine on invented news sentences: figures, groups, outcomes, spans, refusals.
import { describe, expect, it } from 'vitest';
import { casualtiesEngine, suggestCasualties } from './casualties.ts';

interface Row {
  text: string;
  low: number | null;
  high: number | null;
  approx: boolean;
  group: string;
  outcome: string;
}

function casualties(text: string): Row[] {
  return suggestCasualties(text, { dct: null }).map((s) => ({ text: s.text, ...(s.attrs as Omit<Row, 'text'>) }));
}
const row = (text: string, low: number | null, high: number | null, approx: boolean, group: string, outcome: string): Row => ({ text, low, high, approx, group, outcome });

describe('figures, groups and outcomes', () => {
  it.each<[string, Row[]]>([
    ['At least 20 civilians were killed in an air strike on Saada.', [row('At least 20 civilians', 20, 20, true, 'civilians', 'killed')]],
    ['Three Ukrainian servicemen were wounded by shelling near Bakhmut.', [row('Three Ukrainian servicemen', 3, 3, false, 'soldiers', 'injured')]],
    ['RSF fighters abducted dozens of women in El Fasher.', [row('dozens of women', null, null, true, 'women', 'captured')]],
    ['Up to 40 migrants are missing after their boat capsized.', [row('Up to 40 migrants', 40, 40, true, 'civilians', 'missing')]],
    ['Between 10 and 15 Houthi fighters died in clashes near Marib.', [row('Between 10 and 15 Houthi fighters', 10, 15, false, 'fighters', 'killed')]],
    ['Two hundred and fifty people were injured in the blast.', [row('Two hundred and fifty people', 250, 250, false, 'people', 'injured')]],
    ['Seven members of the same family were killed when a shell hit their home.', [row('Seven members of the same family', 7, 7, false, 'civilians', 'killed')]],
    ['Nearly 100 Sudanese soldiers were taken prisoner.', [row('Nearly 100 Sudanese soldiers', 100, 100, true, 'soldiers', 'captured')]],
    ['Gunmen kidnapped 30 schoolchildren from a village in Zamfara.', [row('30 schoolchildren', 30, 30, false, 'children', 'captured')]],
    ['Twenty-one policemen were shot dead at a checkpoint.', [row('Twenty-one policemen', 21, 21, false, 'soldiers', 'killed')]],
    ['More than a dozen Taliban fighters were killed overnight.', [row('More than a dozen Taliban fighters', 12, 12, true, 'fighters', 'killed')]],
    ['A handful of aid workers were abducted near Juba.', [row('A handful of aid workers', null, null, true, 'civilians', 'captured')]],
    ['Scores of Yemenis were killed in the raids.', [row('Scores of Yemenis', null, null, true, 'people', 'killed')]],
    ['Ten fishermen remain missing off the coast.', [row('Ten fishermen', 10, 10, false, 'civilians', 'missing')]],
    ['The strikes destroyed a depot and an unspecified number of IS fighters were killed.', [row('an unspecified number of IS fighters', null, null, true, 'fighters', 'killed')]],
    ['Officials recorded 20 civilian deaths in January.', [row('20 civilian deaths', 20, 20, false, 'civilians', 'killed')]],
    ['The group has executed 12 hostages since March.', [row('12 hostages', 12, 12, false, 'people', 'killed')]],
    ['Some 10-15 people were injured.', [row('Some 10-15 people', 10, 15, true, 'people', 'injured')]],
    ['One soldier died of his wounds.', [row('One soldier', 1, 1, false, 'soldiers', 'killed')]],
    ['Three of them were killed instantly.', [row('Three of them', 3, 3, false, 'people', 'killed')]],
    ['The army said it had neutralised about 40 terrorists.', [row('about 40 terrorists', 40, 40, true, 'fighters', 'killed')]],
    ['Police said two or three protesters were hurt.', [row('two or three protesters', 2, 3, false, 'civilians', 'injured')]],
    ['An estimated 300 Russian troops were killed or wounded.', [row('An estimated 300 Russian troops', 300, 300, true, 'soldiers', 'killed')]],
    ['Snipers picked off 14 militiamen as they fled.', [row('14 militiamen', 14, 14, false, 'fighters', 'killed')]],
    ['He condemned the murder of eight Lebanese troops.', [row('eight Lebanese troops', 8, 8, false, 'soldiers', 'killed')]],
    ['The bodies of 14 men were found in a ditch.', [row('14 men', 14, 14, false, 'men', 'killed')]],
    ['As many as 60 worshippers were hurt when the roof collapsed.', [row('As many as 60 worshippers', 60, 60, true, 'civilians', 'injured')]],
    ['A dozen shoppers were hurt when the grenade exploded.', [row('A dozen shoppers', 12, 12, false, 'civilians', 'injured')]],
    ['Scores of worshippers were killed in the mosque.', [row('Scores of worshippers', null, null, true, 'civilians', 'killed')]],
    ['Several hundred protesters were injured in Dhaka.', [row('Several hundred protesters', null, null, true, 'civilians', 'injured')]],
    ['Four villagers were hacked to death by the attackers.', [row('Four villagers', 4, 4, false, 'civilians', 'killed')]],
    ['Two herders were burnt alive in their hut.', [row('Two herders', 2, 2, false, 'civilians', 'killed')]],
    ['Twelve passengers suffered injuries in the crash.', [row('Twelve passengers', 12, 12, false, 'civilians', 'injured')]],
    ['Seven migrants drowned off Lampedusa.', [row('Seven migrants', 7, 7, false, 'civilians', 'killed')]],
    ['Three miners are feared dead.', [row('Three miners', 3, 3, false, 'civilians', 'killed')]],
    ['Nine fishermen reported missing were found alive.', [row('Nine fishermen', 9, 9, false, 'civilians', 'missing')]],
    ['At least 9 Palestinians, among them four children, lost their lives.', [row('At least 9 Palestinians', 9, 9, true, 'people', 'killed'), row('four children', 4, 4, false, 'children', 'killed')]],
  ])('%s', (text, expected) => {
    expect(casualties(text)).toEqual(expected);
  });
});

describe('lists and bare figures', () => {
  it('carries one verb over a list with "including"', () => {
    expect(casualties('Coalition strikes on January 3 killed 13 civilians, including up to five children and three women, reports said.')).toEqual([
      row('13 civilians', 13, 13, false, 'civilians', 'killed'),
      row('up to five children', 5, 5, true, 'children', 'killed'),
      row('three women', 3, 3, false, 'women', 'killed'),
    ]);
  });

  it('gives each verb its own object', () => {
    // "others" are more of the group they are coordinated with.
    expect(casualties('The attack killed 13 soldiers and wounded 30 others.')).toEqual([
      row('13 soldiers', 13, 13, false, 'soldiers', 'killed'),
      row('30 others', 30, 30, false, 'soldiers', 'injured'),
    ]);
    expect(casualties('Israeli fire killed at least 8 and wounded 20, medics said.')).toEqual([
      row('at least 8', 8, 8, true, 'people', 'killed'),
      row('20', 20, 20, false, 'people', 'injured'),
    ]);
  });

  it('borrows the verb after a list of subjects', () => {
    expect(casualties('Fifty ISIS fighters and 20 civilians were killed in the battle.')).toEqual([
      row('Fifty ISIS fighters', 50, 50, false, 'fighters', 'killed'),
      row('20 civilians', 20, 20, false, 'civilians', 'killed'),
    ]);
  });

  it('reads bare figures after verbs and before outcome words', () => {
    expect(casualties('A civilian home was struck by coalition air strikes, killing 10.')).toEqual([row('10', 10, 10, false, 'people', 'killed')]);
    expect(casualties('The car bomb left 12 dead and 35 wounded.')).toEqual([
      row('12', 12, 12, false, 'people', 'killed'),
      row('35', 35, 35, false, 'people', 'injured'),
    ]);
    expect(casualties('The explosion left 17 people dead in the market.')).toEqual([row('17 people', 17, 17, false, 'people', 'killed')]);
    expect(casualties('Two U.S. service members were wounded.')).toEqual([row('Two U.S. service members', 2, 2, false, 'soldiers', 'injured')]);
    expect(casualties('An IS suicide bomber killed himself and 20 others.')).toEqual([row('20 others', 20, 20, false, 'people', 'killed')]);
    expect(casualties('The death toll from the quake rose to 45 on Tuesday.')).toEqual([row('45', 45, 45, false, 'people', 'killed')]);
    expect(casualties('Dozens were killed when the market was shelled.')).toEqual([row('Dozens', null, null, true, 'people', 'killed')]);
  });

  it('reaches the last item of a list after its verb', () => {
    expect(casualties('The missiles hit the targets, destroying a command centre, an ammunition depot and an unspecified number of IS fighters.')).toEqual([
      row('an unspecified number of IS fighters', null, null, true, 'fighters', 'killed'),
    ]);
    expect(casualties('The raid killed a local commander, his driver and 13 civilians.')).toEqual([
      row('a local commander', 1, 1, false, 'fighters', 'killed'),
      row('13 civilians', 13, 13, false, 'civilians', 'killed'),
    ]);
    // The last item has a verb of its own: it is a new clause, not the object.
    expect(casualties('The strike killed the commander and 12 civilians fled the town.')).toEqual([]);
  });

  it('reads military "destroyed" with people as killed', () => {
    expect(casualties('The ministry said its jets destroyed up to 200 militants near Palmyra.')).toEqual([row('up to 200 militants', 200, 200, true, 'fighters', 'killed')]);
    expect(casualties('Artillery destroyed 12 tanks and three bridges.')).toEqual([]);
  });

  it('joins two victim nouns without their own figure', () => {
    expect(casualties('Up to 30 civilians and fighters died in the siege.')).toEqual([row('Up to 30 civilians and fighters', 30, 30, true, 'people', 'killed')]);
  });

  it('reads the outcome far after a long subject', () => {
    expect(casualties('About 85 IS fighters either from the convoy or heading by vehicle to link up with it had been picked off.')).toEqual([
      row('about 85 IS fighters'.replace('about', 'About'), 85, 85, true, 'fighters', 'killed'),
    ]);
    expect(casualties('Dozens of militants linked to a convoy of buses stranded in the desert were killed in a strike.')).toEqual([
      row('Dozens of militants', null, null, true, 'fighters', 'killed'),
    ]);
  });

  it('reads the army, militias and families behind "members of"', () => {
    expect(casualties('Five members of the Syrian security forces were killed.').map((r) => r.group)).toEqual(['soldiers']);
    expect(casualties('Gunmen abducted 12 members of a Houthi militia.').map((r) => r.group)).toEqual(['fighters']);
  });
});

describe('words between the figure and the noun', () => {
  it.each<[string, Row[]]>([
    ['Four Jesuit priests were abducted outside Port-au-Prince.', [row('Four Jesuit priests', 4, 4, false, 'civilians', 'captured')]],
    ['Two pregnant women died when the clinic was bombed.', [row('Two pregnant women', 2, 2, false, 'women', 'killed')]],
    ['Shelling killed 19 heavily armed separatist fighters.', [row('19 heavily armed separatist fighters', 19, 19, false, 'fighters', 'killed')]],
    ['Five Norwegian Refugee Council employees were kidnapped in Tillabéri.', [row('Five Norwegian Refugee Council employees', 5, 5, false, 'civilians', 'captured')]],
    ['Four Save the Children staff were killed in the crossfire.', [row('Four Save the Children staff', 4, 4, false, 'civilians', 'killed')]],
    ['Nine embassy staff were hurt.', [row('Nine embassy staff', 9, 9, false, 'civilians', 'injured')]],
    ['Three police staff were hurt.', [row('Three police staff', 3, 3, false, 'soldiers', 'injured')]],
    ['Five Soldiers Killed In Borno Ambush', [row('Five Soldiers', 5, 5, false, 'soldiers', 'killed')]],
  ])('%s', (text, expected) => {
    expect(casualties(text)).toEqual(expected);
  });

  it('reads the outcome from a participle before the noun when the clause gives none', () => {
    expect(casualties('Medics evacuated 27 wounded passengers to Kassala.')).toEqual([row('27 wounded passengers', 27, 27, false, 'civilians', 'injured')]);
    expect(casualties('Troops freed six abducted nurses on Sunday.')).toEqual([row('six abducted nurses', 6, 6, false, 'civilians', 'captured')]);
    expect(casualties('Divers searched for two missing fishermen.')).toEqual([row('two missing fishermen', 2, 2, false, 'civilians', 'missing')]);
    // The phrase's own verb wins over the participle.
    expect(casualties('Eight wounded prisoners later died in custody.')).toEqual([row('Eight wounded prisoners', 8, 8, false, 'people', 'killed')]);
  });

  it('keeps a plural noun before a singular one as the head', () => {
    expect(casualties('Separatists have taken 11 gendarmes prisoner.')).toEqual([row('11 gendarmes', 11, 11, false, 'soldiers', 'captured')]);
  });
});

describe('counts of one', () => {
  it.each<[string, Row[]]>([
    ['A 71-year-old farmer was shot dead near Ouahigouya.', [row('A 71-year-old farmer', 1, 1, false, 'civilians', 'killed')]],
    ['Mortar fire killed a boy in Kostiantynivka.', [row('a boy', 1, 1, false, 'children', 'killed')]],
    ['An elderly woman was wounded by shrapnel.', [row('An elderly woman', 1, 1, false, 'women', 'injured')]],
    ['Bandits abducted a Catholic priest in Kaduna.', [row('a Catholic priest', 1, 1, false, 'civilians', 'captured')]],
    ['One person died and 14 were hurt.', [row('One person', 1, 1, false, 'people', 'killed'), row('14', 14, 14, false, 'people', 'injured')]],
    ['Another peacekeeper died of his injuries on Friday.', [row('Another peacekeeper', 1, 1, false, 'soldiers', 'killed')]],
    ['A 9-year-old was among the dead.', [row('A 9-year-old', 1, 1, false, 'children', 'killed')]],
    ['The strike killed an ISWAP commander known as Abu Musab.', [row('an ISWAP commander', 1, 1, false, 'fighters', 'killed')]],
    ['A teacher and a pupil were hurt.', [row('A teacher', 1, 1, false, 'civilians', 'injured'), row('a pupil', 1, 1, false, 'civilians', 'injured')]],
  ])('%s', (text, expected) => {
    expect(casualties(text)).toEqual(expected);
  });

  it.each([
    'A drone destroyed a civilian car near Zaporizhzhia.',
    'A soldier told reporters the road was open.',
    'The prisoner exchange took place at the border.',
    'A pilot project to clear mines began in Kandahar.',
    'A woman whose brother was killed spoke at the hearing.',
    'A police station was destroyed, killing nobody.',
    'The victim, a father of four, was killed instantly.',
    'The number of displaced rose to 2 million.',
  ])('refuses %s', (text) => {
    expect(casualties(text)).toEqual([]);
  });
});

describe('nouns and tolls that name the outcome', () => {
  it.each<[string, Row[]]>([
    ['Divers recovered 38 bodies from the lake.', [row('38 bodies', 38, 38, false, 'people', 'killed')]],
    ['Forensic teams have exhumed some 120 corpses.', [row('some 120 corpses', 120, 120, true, 'people', 'killed')]],
    ['The death toll of 412 makes it the worst flood in decades.', [row('412', 412, 412, false, 'people', 'killed')]],
    ['The toll climbed to 96 on Saturday as rescuers dug through rubble.', [row('96', 96, 96, false, 'people', 'killed')]],
    ['The quake\'s death toll has passed 2,300.', [row('2,300', 2300, 2300, false, 'people', 'killed')]],
    // The toll names its outcome; the injured of the next clause do not change it.
    ['Officials put the death toll at 61, with 150 injured.', [row('61', 61, 61, false, 'people', 'killed'), row('150', 150, 150, false, 'people', 'injured')]],
    ['The number of people killed in the floods rose to 88.', [row('88', 88, 88, false, 'people', 'killed')]],
    ['The number of injured has reached 310.', [row('310', 310, 310, false, 'people', 'injured')]],
  ])('%s', (text, expected) => {
    expect(casualties(text)).toEqual(expected);
  });
});

describe('coordinated figures', () => {
  it.each<[string, Row[]]>([
    ['Six fishermen were killed and dozens wounded off Hodeidah.', [
      row('Six fishermen', 6, 6, false, 'civilians', 'killed'), row('dozens', null, null, true, 'civilians', 'injured'),
    ]],
    ['Two gendarmes were killed and nine others were wounded.', [
      row('Two gendarmes', 2, 2, false, 'soldiers', 'killed'), row('nine others', 9, 9, false, 'soldiers', 'injured'),
    ]],
    ['The ambush killed 23 militiamen and wounded 40.', [
      row('23 militiamen', 23, 23, false, 'fighters', 'killed'), row('40', 40, 40, false, 'fighters', 'injured'),
    ]],
    // A list of several groups says nothing about the figure after it.
    ['The blast killed 12 soldiers and three civilians, and wounded 40.', [
      row('12 soldiers', 12, 12, false, 'soldiers', 'killed'), row('three civilians', 3, 3, false, 'civilians', 'killed'), row('40', 40, 40, false, 'people', 'injured'),
    ]],
    // After children, "others" are not children.
    ['Two children and four others drowned when the boat sank.', [
      row('Two children', 2, 2, false, 'children', 'killed'), row('four others', 4, 4, false, 'people', 'killed'),
    ]],
    // A new clause ("officials said") ends the coordination.
    ['Nine herders were killed, officials said, and 30 were wounded.', [
      row('Nine herders', 9, 9, false, 'civilians', 'killed'), row('30', 30, 30, false, 'people', 'injured'),
    ]],
  ])('%s', (text, expected) => {
    expect(casualties(text)).toEqual(expected);
  });
});

describe('conventions', () => {
  // Family members and aid workers are non-combatants: civilians, like the other civilian nouns.
  it('counts members of a family and aid workers as civilians', () => {
    expect(casualties('Eleven members of one family died when their house collapsed.')).toEqual([row('Eleven members of one family', 11, 11, false, 'civilians', 'killed')]);
    expect(casualties('Three aid workers were abducted in Darfur.')).toEqual([row('Three aid workers', 3, 3, false, 'civilians', 'captured')]);
    expect(casualties('Two World Health Organization staff were killed.')).toEqual([row('Two World Health Organization staff', 2, 2, false, 'civilians', 'killed')]);
  });

  it('counts nouns that say nothing of who the victims were as people', () => {
    expect(casualties('Fourteen victims were buried on Monday after the shooting killed them.').map((r) => r.group)).toEqual([]);
    expect(casualties('Seven hostages were executed.')).toEqual([row('Seven hostages', 7, 7, false, 'people', 'killed')]);
  });
});

describe('refusals', () => {
  it.each([
    'About 400 militants and civilians crossed into the province on Wednesday.',
    'The army destroyed 17 vehicles and killed nobody.',
    'Russia fired seven cruise missiles at targets near the city.',
    'The coalition conducted nearly 100 strikes in the valley, killing fighters.',
    'Reports indicate more than 300 ISIS fighters with small arms are on the buses.',
    'The 17-vehicle convoy split in two last week.',
    'The coalition abandoned its 52-month record of reporting deaths.',
    'No civilians were killed in the raid.',
    'Around 2,000 people fled the fighting, and many were wounded.',
    'In 2014 fighters captured the city.',
    'Among them were fighters, many of whom had missing limbs or new wounds.',
    'Most of the 13 incidents tracked by the group were in Idlib.',
    'Thousands of civilians have been displaced by the fighting.',
    'Two Israeli hostages were released on Friday.',
    'The 308 IS fighters and 331 civilians in the convoy are now stranded in the desert after strikes hit a road.',
    'About 500 people including 150 ISIS fighters left the town as forces closed in.',
    'The convoy of 20 trucks was hit, killing the driver.',
    'Officials said 30 per cent of the wounded were children.',
    'They were killed by 20 gunmen who stormed the village.',
    'The army deployed about 15,000 troops to the region after the attack.',
    'Nearly three million people have been displaced since the war began.',
    'Four drones were shot down and 12 airstrikes hit the capital.',
    'Eighteen armoured vehicles were destroyed in the counter-attack.',
    'Some 40 displaced families were living in tents.',
    'About 5,000 mourners gathered for the funeral of the slain general.',
  ])('%s', (text) => {
    expect(casualties(text)).toEqual([]);
  });

  it('reads no distance as a count', () => {
    expect(casualties('The strike killed a commander 3 km from the border.')).toEqual([row('a commander', 1, 1, false, 'fighters', 'killed')]);
  });

  it('does not take the killers for the victims', () => {
    expect(casualties('Five gunmen killed three soldiers at a checkpoint.')).toEqual([row('three soldiers', 3, 3, false, 'soldiers', 'killed')]);
  });
});

describe('engine contract', () => {
  it('returns code point offsets, the text, the engine tag and scores, sorted by start', () => {
    const text = '🔥 Shelling killed 4 children. 🙏 Later, 7 soldiers were wounded.';
    const out = casualtiesEngine.suggest(text, { dct: '2022-03-01' });
    const cps = [...text];
    expect(out.map((s) => s.text)).toEqual(['4 children', '7 soldiers']);
    for (const s of out) {
      expect(cps.slice(s.start, s.end).join('')).toBe(s.text);
      expect(s.label).toBe('CASUALTIES');
      expect(s.engine).toBe('casualties@1');
      expect(s.score).toBeGreaterThan(0);
      expect(s.score).toBeLessThanOrEqual(1);
    }
  });

  it('scores a clear verb object above a figure without a noun', () => {
    const [withNoun] = suggestCasualties('The raid killed 6 civilians.', { dct: null });
    const [bare] = suggestCasualties('The raid killed 6.', { dct: null });
    expect(withNoun.score).toBeGreaterThan(bare.score);
  });
});
