// The entity engine on made-up news sentences: actors, places, people, case rules, respellings, the analyst's names.
import { describe, expect, it } from 'vitest';
import { createEntityEngine, type EntityDictionaries } from './entities.ts';
import { nameKey, skeleton } from './normalize.ts';
import { BUNDLED_DICTIONARIES, bundledEntityEngine, entityEngine } from './resources.ts';
import type { KnownName, Suggestion } from './types.ts';

const engine = bundledEntityEngine();

/** label:text of every suggestion, in order. */
function tags(text: string, known?: KnownName[]): string[] {
  return engine.suggest(text, { dct: null, known }).map((s) => `${s.label}:${s.text}`);
}

function find(text: string, surface: string, known?: KnownName[]): Suggestion | undefined {
  return engine.suggest(text, { dct: null, known }).find((s) => s.text === surface);
}

describe('armed actors and organisations', () => {
  it('tags groups by any alias and links them to one entity', () => {
    const text = 'Daesh, also called ISIL, lost ground to the SDF while Hizbollah fighters and the Houthis watched.';
    expect(tags(text)).toEqual(['ORG:Daesh', 'ORG:ISIL', 'ORG:SDF', 'ORG:Hizbollah', 'ORG:Houthis']);
    expect(find(text, 'Daesh')?.attrs.entity).toBe('actor:islamic-state');
    expect(find(text, 'ISIL')?.attrs.entity).toBe('actor:islamic-state');
    expect(find(text, 'Hizbollah')?.attrs).toMatchObject({ entity: 'actor:hezbollah', canonical: 'Hezbollah' });
  });

  it('prefers the longest name: Kataib Hezbollah is not Hezbollah, the Coalition to Defeat ISIS is one name', () => {
    expect(tags('Kataib Hezbollah denied it.')).toEqual(['ORG:Kataib Hezbollah']);
    expect(tags('He spoke for the US-led Coalition to Defeat ISIS yesterday.')).toEqual(['ORG:Coalition to Defeat ISIS']);
  });

  it('matches all-capital acronyms only in capitals, and never the verb "is"', () => {
    expect(tags('The IS group said it is ready. Is it? ISIS is not.')).toEqual(['ORG:IS', 'ORG:ISIS']);
    expect(tags('WHY IS THE WAR NOT OVER IN THE NORTH')).toEqual([]);
    expect(tags('The un envoy and the UN envoy met.')).toEqual(['ORG:UN']);
  });

  it('tags media, monitors and agencies as ORG', () => {
    const text = 'Airwars and the Syrian Observatory for Human Rights told AFP and the Associated Press; the Pentagon declined.';
    expect(tags(text)).toEqual(['ORG:Airwars', 'ORG:Syrian Observatory for Human Rights', 'ORG:AFP', 'ORG:Associated Press', 'ORG:Pentagon']);
  });

  it('takes a capitalised common-word name only in mid-sentence ("the Coalition said", not "Coalition strikes hit")', () => {
    expect(tags('Officials said the Coalition had struck twice.')).toEqual(['ORG:Coalition']);
    expect(tags('Coalition strikes hit the town. Our coalition partners agreed.')).toEqual([]);
  });

  it('makes an ORG of a demonym and an army or ministry, never of the demonym alone', () => {
    const text = 'The Iraqi army and the Turkish Defence Ministry blamed Syrian and Kurdish militias.';
    expect(tags(text)).toEqual(['ORG:Iraqi army', 'ORG:Turkish Defence Ministry']);
    expect(find(text, 'Turkish Defence Ministry')?.attrs.entity).toBe('org:TR:defence-ministry');
  });

  it('recognises unlisted organisations by their last word', () => {
    expect(tags('The Norwegian Refugee Council and the Manbij Military Council disagreed.')).toEqual([
      'ORG:Norwegian Refugee Council',
      'ORG:Manbij Military Council',
    ]);
    expect(tags('It was reported by the Kurdistan Chronicle under Breaking News.')).toEqual(['ORG:Kurdistan Chronicle']);
  });

  it('leaves a name glued to a word by a hyphen alone (anti-IS, pro-Assad), but keeps IS-held and Hezbollah-led', () => {
    expect(tags('The anti-IS campaign and pro-Assad media.')).toEqual([]);
    expect(tags('IS-held towns and a Hezbollah-led push.')).toEqual(['ORG:IS', 'ORG:Hezbollah']);
  });
});

describe('places', () => {
  it('finds countries, cities and villages of the region with GeoNames links', () => {
    const text = 'Fighting spread from Mosul in Iraq to Idlib, Aleppo and the village of Baghouz in Syria.';
    expect(tags(text)).toEqual(['LOCATION:Mosul', 'LOCATION:Iraq', 'LOCATION:Idlib', 'LOCATION:Aleppo', 'LOCATION:Baghouz', 'LOCATION:Syria']);
    expect(find(text, 'Mosul')?.attrs.entity).toBe('geonames:99072');
    expect(find(text, 'Iraq')?.attrs.entity).toBe('country:IQ');
    expect(find(text, 'Baghouz')?.attrs.entity).toBe('place:baghouz');
  });

  it('finds places in other conflicts and well-known cities elsewhere', () => {
    const text = 'Talks in Geneva and Moscow followed attacks in Kandahar, Mogadishu, Sanaa and Maiduguri.';
    expect(tags(text)).toEqual(['LOCATION:Geneva', 'LOCATION:Moscow', 'LOCATION:Kandahar', 'LOCATION:Mogadishu', 'LOCATION:Sanaa', 'LOCATION:Maiduguri']);
  });

  it('links transliteration variants to one place', () => {
    const variants = ['Deir ez-Zor', 'Deir el-Zour', 'Deir ez-Zour', 'Deir az-Zour', 'Dayr az-Zawr', 'Deir Ezzor'];
    for (const v of variants) expect(find(`Shelling hit ${v} on Monday.`, v)?.attrs.entity, v).toBe('geonames:170794');
    for (const v of ['Albu Kamal', 'Al Bukamal', 'Albukamal', 'Boukamal', 'Abu Kamal']) {
      expect(find(`The convoy reached ${v} at night.`, v)?.attrs.entity, v).toBe('geonames:174448');
    }
    expect(find('Troops entered Idleb.', 'Idleb')?.attrs.entity).toBe('geonames:169389');
    expect(find('The Hmeymim base and Hmeimim airbase.', 'Hmeymim')?.attrs.entity).toBe('place:hmeimim');
  });

  it('keeps an article that belongs to the name and drops one that does not', () => {
    expect(tags('They fled As Sukhnah for Al-Qaim and al-Bab.')).toEqual(['LOCATION:As Sukhnah', 'LOCATION:Al-Qaim', 'LOCATION:al-Bab']);
    expect(tags('An Associated Press reporter saw it.')).toEqual(['ORG:Associated Press']);
  });

  it('does not take common words, demonyms or sentence openers for places', () => {
    expect(tags('Reading the report, Much of the town was shocked. Mobile phones and Nice weather. Of course.')).toEqual([]);
    expect(tags('Syrian, Iraqi and Lebanese officials met Kurdish and Arab leaders.')).toEqual([]);
  });

  it('reads shouted and title-case datelines', () => {
    expect(tags('ERBIL, Kurdistan Region — Officials met.')).toEqual(['LOCATION:ERBIL', 'LOCATION:Kurdistan Region']);
  });

  it('takes a geographic word that is part of the name, without linking the longer name to the shorter place', () => {
    const text = 'Boko Haram raided islands of Lake Chad, and jets struck Idlib Province and the Euphrates river.';
    expect(tags(text)).toEqual(['ORG:Boko Haram', 'LOCATION:Lake Chad', 'LOCATION:Idlib Province', 'LOCATION:Euphrates']);
    expect(find(text, 'Lake Chad')?.attrs.entity).toBeUndefined();
  });

  it('does not take a town inside a longer proper noun or a ship for a place or a person', () => {
    expect(tags('Guests watched from the deck of the Admiral Essen frigate.')).toEqual([]);
    expect(tags('The novelist Michael Jackson Austin visited.').some((t) => t.startsWith('LOCATION'))).toBe(false);
  });
});

describe('people', () => {
  it('finds names after titles and roles, chained titles included', () => {
    const text = 'Coalition spokesman Colonel Ryan Dillon and Maj. Gen. Igor Konashenkov spoke; Prime Minister Haider al-Abadi did not.';
    expect(tags(text).filter((t) => t.startsWith('PERSON'))).toEqual(['PERSON:Ryan Dillon', 'PERSON:Igor Konashenkov', 'PERSON:Haider al-Abadi']);
  });

  it('finds names before an apposition, before a verb of saying, after "By" and from given names', () => {
    expect(tags('Bassem Aziz, a spokesman for the group, denied it.')).toEqual(['PERSON:Bassem Aziz']);
    expect(tags('Khaled Omran said the road was cut.')).toEqual(['PERSON:Khaled Omran']);
    expect(tags('Daily Courier - WORLD - By Nataliya Vasilyeva\nText.')).toContain('PERSON:Nataliya Vasilyeva');
    expect(tags('Talks with Brett McGurk went on.')).toEqual(['PERSON:Brett McGurk']);
  });

  it('propagates a surname within the document to the same person', () => {
    const text = 'Spokesman Talal Barazi arrived. Later, Barazi said the road was open and "Barazi is right," said one.';
    const people = engine.suggest(text, { dct: null }).filter((s) => s.label === 'PERSON');
    expect(people.map((p) => p.text)).toEqual(['Talal Barazi', 'Barazi', 'Barazi']);
    expect(new Set(people.map((p) => p.attrs.entity))).toEqual(new Set(['person:talal-barazi']));
  });

  it('reads a name after a title even when a place is spelled like it, and credit lines', () => {
    expect(tags("Jordan's King Abdullah met Ali Hassan in Amman.")).toEqual(['LOCATION:Jordan', 'PERSON:Abdullah', 'PERSON:Ali Hassan', 'LOCATION:Amman']);
    expect(tags('Reporting by Maher Chmaytelli; Editing by Alison Williams')).toEqual(['PERSON:Maher Chmaytelli', 'PERSON:Alison Williams']);
  });

  it('never makes a person of a place or an organisation after a title', () => {
    expect(tags('The Syrian President visited Damascus; the SDF commander Reuters interviewed.').filter((t) => t.startsWith('PERSON'))).toEqual([]);
  });

  it('joins a given name and an al- surname even when the surname names a group', () => {
    expect(tags('Abdul-Malik al-Houthi spoke.')).toEqual(['PERSON:Abdul-Malik al-Houthi']);
  });
});

describe("the analyst's names", () => {
  it('tags every occurrence of a known name with its label and entity', () => {
    const known: KnownName[] = [
      { label: 'ORG', name: 'Liwa al-Quds', entityId: 'e1' },
      { label: 'LOCATION', name: 'Jabal Bishri' },
    ];
    const text = 'Liwa al-Quds fighters crossed Jabal Bishri; Liwa al-Quds said so.';
    expect(tags(text, known)).toEqual(['ORG:Liwa al-Quds', 'LOCATION:Jabal Bishri', 'ORG:Liwa al-Quds']);
    expect(find(text, 'Jabal Bishri', known)?.attrs.entity).toBe('known:LOCATION:jabal-bishri');
    expect(find(text, 'Liwa al-Quds', known)?.attrs.entity).toBe('e1');
  });

  it("wins over the bundled label when they disagree", () => {
    const known: KnownName[] = [{ label: 'ORG', name: 'Washington' }];
    expect(tags('Washington warned Moscow.')).toEqual(['LOCATION:Washington', 'LOCATION:Moscow']);
    expect(tags('Washington warned Moscow.', known)).toEqual(['ORG:Washington', 'LOCATION:Moscow']);
  });

  it('matches known names in their own case, lowercase ones included', () => {
    const known: KnownName[] = [{ label: 'ORG', name: 'regime forces' }];
    expect(tags('Regime forces advanced, then regime forces withdrew.', known)).toEqual(['ORG:regime forces']);
  });
});

describe('the engine', () => {
  it('reports code point offsets, its name and scores in [0, 1]', () => {
    const text = '🙂🙂 Strikes hit Raqqa.';
    const [s] = engine.suggest(text, { dct: null });
    expect(s).toMatchObject({ label: 'LOCATION', start: 15, end: 20, text: 'Raqqa', engine: 'entities@1' });
    expect([...text].slice(s.start, s.end).join('')).toBe('Raqqa');
    expect(s.score).toBeGreaterThan(0);
    expect(s.score).toBeLessThanOrEqual(1);
  });

  it('works from dictionaries handed in as data', () => {
    const tiny: EntityDictionaries = {
      actors: { actors: [{ id: 'actor:x', name: 'Front of X', aliases: ['FX'] }] },
      people: { givenNames: [], people: [] },
      gazetteer: { countries: [{ cc: 'ZZ', name: 'Zedland', aliases: [] }], places: [[1, 'Qaryatayn', ['Al Qaryatayn'], 'ZZ', 1, 2, 100, 1]] },
      placesExtra: { places: [] },
      demonyms: { byCountry: { ZZ: ['Zedlander'] }, groups: [] },
    };
    const small = createEntityEngine(tiny);
    expect(small.suggest('FX men left al-Qaryatayn for Zedland.', { dct: null }).map((s) => `${s.label}:${s.text}:${s.attrs.entity}`)).toEqual([
      'ORG:FX:actor:x',
      'LOCATION:al-Qaryatayn:geonames:1',
      'LOCATION:Zedland:country:ZZ',
    ]);
  });

  it('is the engine the registry runs', () => {
    expect(entityEngine.name).toBe('entities');
    expect(entityEngine.suggest('Hezbollah', { dct: null })[0]?.label).toBe('ORG');
    expect(BUNDLED_DICTIONARIES.gazetteer.places.length).toBeGreaterThan(5000);
  });
});

describe('normalization', () => {
  it('gives spelling variants one key or one skeleton', () => {
    expect(nameKey('U.S.-led coalition')).toBe(nameKey('US-led coalition'));
    expect(nameKey('Al-Qaim')).toBe(nameKey('Qaim'));
    expect(new Set(['Deir ez-Zor', 'Deir el-Zour', 'Dayr az-Zawr'].map((n) => skeleton(nameKey(n)))).size).toBe(1);
    expect(new Set(['Hizballah', 'Hezbollah', 'Hizbollah'].map((n) => skeleton(nameKey(n)))).size).toBe(1);
    expect(nameKey('Dar‘ā')).toBe('dara');
  });
});

describe('names the document defines', () => {
  it('learns an acronym from "Long Form (ACR)" and tags both everywhere, linked to one entity', () => {
    const text =
      "TPLF units withdrew. Fighters of the Tigray People's Liberation Front (TPLF) entered Alamata; the Tigray People's Liberation Front said TPLF losses were light.";
    const out = engine.suggest(text, { dct: null }).filter((s) => s.label === 'ORG');
    expect(out.map((s) => s.text)).toEqual(['TPLF', "Tigray People's Liberation Front", 'TPLF', "Tigray People's Liberation Front", 'TPLF']);
    expect(new Set(out.map((s) => s.attrs.entity)).size).toBe(1);
  });

  it('learns the reverse "ACR (Long Form)" and a long form the patterns read as a place', () => {
    const text = 'MSS (Multinational Security Support Mission) officers landed. The MSS said the Central African Republic (CAR) asked for help; CAR troops left.';
    expect(tags(text)).toEqual([
      'ORG:MSS',
      'ORG:Multinational Security Support Mission',
      'ORG:MSS',
      'LOCATION:Central African Republic',
      'LOCATION:CAR',
      'LOCATION:CAR',
    ]);
    expect(find(text, 'CAR')?.attrs.entity).toBe(find(text, 'Central African Republic')?.attrs.entity);
  });

  it('learns an unlisted name with an Arabic article, and acronyms with a lowercase letter or a translation', () => {
    expect(tags('Katibat al-Furqan (KAF) claimed it. KAF denied it later.')).toEqual(['ORG:Katibat al-Furqan', 'ORG:KAF', 'ORG:KAF']);
    expect(tags('The Nigerien Armed Forces (FAN) said. FAN troops left.').filter((t) => t.endsWith('FAN'))).toEqual(['ORG:FAN', 'ORG:FAN']);
    expect(tags('The National Liberation Army (ELN) refused. The ELN negotiators left.')).toEqual(['ORG:National Liberation Army', 'ORG:ELN', 'ORG:ELN']);
  });

  it('learns nothing from datelines, plural terms or words that do not abbreviate the name before them', () => {
    expect(tags('KHARTOUM (AFP) — The army said.')).toEqual(['LOCATION:KHARTOUM', 'ORG:AFP']);
    expect(tags('Unmanned Aerial Vehicles (UAVs) and Improvised Explosive Devices (IEDs) were used by Daesh (ISIS).').filter((t) => !t.endsWith('ISIS') && !t.endsWith('Daesh'))).toEqual([]);
    expect(tags('Residents of Mosul (the city) fled. The Kurdistan Democratic Party (2019) won.')).toEqual(['LOCATION:Mosul', 'ORG:Kurdistan Democratic Party']);
  });

  it('takes the name after "known as", "nicknamed" or "alias" following a person as that person, everywhere', () => {
    const text = 'Gangs led by Jimmy Chérizier, a former police officer known as Barbecue, advanced. Barbecue said so.';
    expect(tags(text).filter((t) => t.startsWith('PERSON'))).toEqual(['PERSON:Jimmy Chérizier']);
    const aliased = 'The commander Jimmy Chérizier, known as Barbecue, advanced. Barbecue said so. Ali Hassan Majeed, nicknamed Chemical Ali, was hanged.';
    const people = engine.suggest(aliased, { dct: null }).filter((s) => s.label === 'PERSON');
    expect(people.map((p) => p.text)).toEqual(['Jimmy Chérizier', 'Barbecue', 'Barbecue', 'Ali Hassan Majeed', 'Chemical Ali']);
    expect(people[1].attrs).toMatchObject({ entity: people[0].attrs.entity, canonical: 'Jimmy Chérizier' });
    // Not after a person: a description, not an alias.
    expect(tags('The man, nicknamed Chupacabra, fled. The region, known as the Sahel, is vast.').filter((t) => t.startsWith('PERSON'))).toEqual([]);
  });
});

describe('organisations read from their head noun', () => {
  it('reads capitalised names ending in an organisation noun, with "of", "for", "to", "&" and "and" inside', () => {
    expect(tags('The Centre for Democracy and Development and the Committee to Protect Journalists objected.')).toEqual([
      'ORG:Centre for Democracy and Development',
      'ORG:Committee to Protect Journalists',
    ]);
    expect(tags('A report by the Peace and Security Council and the Uppsala Conflict Data Program said.')).toEqual(['ORG:Peace and Security Council', 'ORG:Uppsala Conflict Data Program']);
    expect(tags('Data from the Armed Conflict Tracking & Mapping Project showed it.')).toEqual(['ORG:Armed Conflict Tracking & Mapping Project']);
    expect(tags("The Kurdistan Workers' Party and the Oromo People's Democratic Organisation met.")).toEqual(["ORG:Kurdistan Workers' Party", "ORG:Oromo People's Democratic Organisation"]);
  });

  it('keeps "in <Place>" after a mission, as one name', () => {
    expect(tags('Observers of the European Union Mission in Armenia and the Southern African Development Community Mission in Mozambique left.')).toEqual([
      'ORG:European Union Mission in Armenia',
      'ORG:Southern African Development Community Mission in Mozambique',
    ]);
    // Other heads: the place is a place.
    expect(tags('The Wagner Group in Mali said.')).toEqual(['ORG:Wagner Group', 'LOCATION:Mali']);
  });

  it('leaves out what stands before "of", sentence-opening numbers, and leaders after "of"', () => {
    expect(tags('Recruits of the Wagner Group fled.')).toEqual(['ORG:Wagner Group']);
    expect(tags('Two Norwegian Refugee Council workers were hurt. Several Army officers defected.')).toEqual(['ORG:Norwegian Refugee Council']);
    expect(tags('Jürgen Weber of the Norwegian Refugee Council spoke.')).toEqual(['ORG:Norwegian Refugee Council']);
    expect(tags('The Libyan National Army of Khalifa Haftar advanced.')).toContain('ORG:Libyan National Army');
    expect(tags('The Ministry of Defence on Thursday denied it.')).toEqual(['ORG:Ministry of Defence']);
  });

  it('tags "al Qaeda" with its lowercase particle, and the General Staff but never a person named Staff', () => {
    expect(tags('Both al Qaeda in the Islamic Maghreb and al-Qaeda’s core stayed silent.')).toEqual(['ORG:al Qaeda in the Islamic Maghreb', 'ORG:al-Qaeda']);
    expect(tags('The Armenian General Staff said. General Staff officers met. The Joint Staff denied it.')).toEqual(['ORG:Armenian General Staff', 'ORG:General Staff']);
  });

  it('does not read descriptions or headlines as organisations', () => {
    expect(tags('Security forces fired tear gas. Government Forces said it was calm. Police said so.')).toEqual([]);
    expect(tags('Security Forces Clash With Protesters In Capital')).toEqual([]);
    expect(tags('Many Forces were present. Some Party leaders objected. The council said it would vote.')).toEqual([]);
  });
});

describe('places the text points at', () => {
  it('reads a name before an administrative word as a place', () => {
    expect(tags('Jets struck Cabo Delgado province and Gwoza district in Borno state, and the Lake Chad region.')).toEqual([
      'LOCATION:Cabo Delgado',
      'LOCATION:Gwoza',
      'LOCATION:Borno',
      'LOCATION:Lake Chad',
    ]);
    expect(tags('Fighting spread to the Amhara and Afar regions and to Kachin State.')).toEqual(['LOCATION:Amhara', 'LOCATION:Afar', 'LOCATION:Kachin State']);
  });

  it('reads "the town of X", "the <Region> city of X" and "X, a village in ..."', () => {
    expect(tags('Shells hit the town of Jermuk, the Cameroon-side village of Kerawa and the villages of Ngala and Banki.')).toEqual([
      'LOCATION:Jermuk',
      'LOCATION:Cameroon',
      'LOCATION:Kerawa',
      'LOCATION:Ngala',
      'LOCATION:Banki',
    ]);
    expect(tags('Gunmen raided Zabarmari, a farming village near Maiduguri, and Dikwa, a town of 20,000.')).toEqual([
      'LOCATION:Zabarmari',
      'LOCATION:Maiduguri',
      'LOCATION:Dikwa',
    ]);
    expect(tags("Mosul's Old City was in ruins; the Kivu city of Uvira fell.")).toEqual(['LOCATION:Mosul', 'LOCATION:Old City', 'LOCATION:Uvira']);
  });

  it('keeps the link of a place the dictionaries know', () => {
    expect(find('They fled the city of Mosul.', 'Mosul')?.attrs.entity).toBe('geonames:99072');
  });

  it('takes no sentence opener, demonym, adjective or person for a place', () => {
    expect(tags('Member states met. The Turkish state and the Islamic state collapsed. The state of emergency ended.')).toEqual([]);
    expect(tags('Ahmed Kabiru, a village elder, and Mariam Tukur, a town council member, spoke.').filter((t) => t.startsWith('LOCATION'))).toEqual([]);
    expect(tags('Yesterday, a village near the border was shelled. The Gulf region and the Middle East region.').filter((t) => !t.includes('Gulf') && !t.includes('Middle East'))).toEqual([]);
  });
});

describe('places inside longer names', () => {
  it('does not pick a place out of a person’s name, and reads the name', () => {
    expect(tags('Yusuf Aden Warsame was among the dead.')).toEqual(['PERSON:Yusuf Aden Warsame']);
    expect(tags('He met Omar al-Bashir and Mohamed Aden Sheikh.')).toEqual(['PERSON:Omar al-Bashir', 'PERSON:Mohamed Aden Sheikh']);
  });

  it('drops a place next to a capitalised word that is not a place word, but keeps modifiers, heads and weekdays', () => {
    expect(tags('She works for New America and met Jordan Peterson at the Syria Campaign.')).toEqual([]);
    expect(tags('The council met in New York.')).toEqual(['LOCATION:New York']);
    expect(tags('Troops crossed the Blue Nile into Greater Idlib; Aleppo Citadel and Raqqa Province were hit in Mosul Thursday.')).toEqual([
      'LOCATION:Nile',
      'LOCATION:Idlib',
      'LOCATION:Aleppo',
      'LOCATION:Raqqa Province',
      'LOCATION:Mosul',
    ]);
    expect(tags('Syria Iraq and Jordan signed.')).toEqual(['LOCATION:Syria', 'LOCATION:Iraq', 'LOCATION:Jordan']);
  });
});

describe('letters beyond ASCII', () => {
  it('reads whole names in any Latin script, composed or decomposed, and does not take a surname for a demonym', () => {
    expect(tags('Nordic envoy Ólafur Ragnar Grímsson said. Ayşe Türk, a spokeswoman, agreed; Türk said more.')).toEqual([
      'PERSON:Ólafur Ragnar Grímsson',
      'PERSON:Ayşe Türk',
      'PERSON:Türk',
    ]);
    const decomposed = 'Ays\u0327e Tu\u0308rk, a spokeswoman, agreed.';
    expect(tags(decomposed)).toEqual(['PERSON:Ays\u0327e Tu\u0308rk']);
    expect(tags('A Turk, a spokesman, agreed.').filter((t) => t.startsWith('PERSON'))).toEqual([]);
  });
});
