// Tests of the dates engine on invented news sentences: values resolved against the dct, spans, refusals.
import { describe, expect, it } from 'vitest';
import { datesEngine, isoWeek, parseDct, suggestDates } from './dates.ts';

/** [surface, value, mod?] for each DATE suggestion. */
function dates(text: string, dct: string | null): Array<[string, string] | [string, string, string]> {
  return suggestDates(text, { dct }).map((s) => {
    const { value, mod } = s.attrs as { value: string; mod?: string };
    return mod ? [s.text, value, mod] : [s.text, value];
  });
}
const only = (text: string, dct: string | null): string[] => dates(text, dct).map((d) => d[1]);

describe('weekdays (past bias)', () => {
  // 2019-03-13 is a Wednesday.
  it.each([
    ['Houthi forces shelled the port on Monday.', '2019-03-13', '2019-03-11'],
    ['The convoy was hit on Wednesday, officials said.', '2019-03-13', '2019-03-13'],
    ['Drones struck Odesa on Thursday.', '2019-03-13', '2019-03-07'],
    ['Protesters gathered in Khartoum on Sunday.', '2019-03-13', '2019-03-10'],
  ])('%s (dct %s)', (text, dct, value) => {
    expect(only(text, dct)).toEqual([value]);
  });

  it('counts back across a month boundary', () => {
    // 2019-03-02 is a Saturday.
    expect(only('The militia withdrew on Thursday.', '2019-03-02')).toEqual(['2019-02-28']);
  });

  it('counts back across a year boundary', () => {
    // 2020-01-01 is a Wednesday.
    expect(only('Rockets hit the base on Sunday.', '2020-01-01')).toEqual(['2019-12-29']);
    expect(only('Talks collapsed on Friday.', '2021-01-02')).toEqual(['2021-01-01']);
  });

  it('looks forward when the tense says so', () => {
    expect(only('Negotiators will meet again on Friday.', '2019-03-13')).toEqual(['2019-03-15']);
    expect(only("The vote is scheduled for Monday.", '2019-03-13')).toEqual(['2019-03-18']);
    expect(only("We'll know more on Tuesday, he said.", '2019-03-13')).toEqual(['2019-03-19']);
  });

  it('takes the nearest tense marker in the clause', () => {
    expect(only('The envoy, who arrived on Monday, will travel to Aden.', '2019-03-13')).toEqual(['2019-03-11']);
    expect(only('The ministry said on Monday it will reopen the crossing.', '2019-03-13')).toEqual(['2019-03-11']);
  });

  it('reads last / next / this', () => {
    expect(dates('Fighting resumed last Friday.', '2019-03-13')).toEqual([['last Friday', '2019-03-08']]);
    expect(dates('A ceasefire starts next Tuesday.', '2019-03-13')).toEqual([['next Tuesday', '2019-03-19']]);
    expect(dates('Aid arrives this Friday.', '2019-03-13')).toEqual([['this Friday', '2019-03-15']]);
    // "last Wednesday" said on a Wednesday is a week ago, not today.
    expect(only('The strike happened last Wednesday.', '2019-03-13')).toEqual(['2019-03-06']);
  });

  it('adds parts of day', () => {
    expect(dates('Explosions were heard on Tuesday night.', '2019-03-13')).toEqual([['Tuesday night', '2019-03-12TNI']]);
    expect(dates('Shelling began on Sunday morning.', '2019-03-13')).toEqual([['Sunday morning', '2019-03-10TMO']]);
    expect(dates('Clashes erupted Monday afternoon.', '2019-03-13')).toEqual([['Monday afternoon', '2019-03-11TAF']]);
    expect(dates('The statement came on Saturday evening.', '2019-03-13')).toEqual([['Saturday evening', '2019-03-09TEV']]);
    expect(dates('It happened on the night of Sunday.', '2019-03-13')).toEqual([['night of Sunday', '2019-03-10TNI']]);
  });

  it('keeps late / early as a mod', () => {
    expect(dates('The offensive paused late on Sunday.', '2019-02-11')).toEqual([['late on Sunday', '2019-02-10', 'end']]);
    expect(dates('Troops moved in early Monday.', '2019-03-13')).toEqual([['early Monday', '2019-03-11', 'start']]);
  });

  it('reads possessives and both ends of "between ... and ..."', () => {
    expect(only("Sunday's attack killed four.", '2019-03-13')).toEqual(['2019-03-10']);
    expect(only('Between Saturday and Sunday several car bombs were destroyed.', '2019-02-11')).toEqual(['2019-02-09', '2019-02-10']);
  });

  it('refuses recurring and named days', () => {
    expect(dates('Markets close every Friday.', '2019-03-13')).toEqual([]);
    expect(dates('Thousands attended Friday prayers.', '2019-03-13')).toEqual([]);
    expect(dates('They marked Good Friday quietly.', '2019-03-13')).toEqual([]);
    expect(dates('Strikes are common on Fridays.', '2019-03-13')).toEqual([]);
  });
});

describe('deictic days', () => {
  it.each([
    ['Officials confirmed the toll today.', '2019-03-13'],
    ['Fighting stopped yesterday.', '2019-03-12'],
    ['The council meets tomorrow.', '2019-03-14'],
    ['Sirens sounded across Kyiv last night.', '2019-03-12TNI'],
    ['Residents fled this morning.', '2019-03-13TMO'],
    ['A curfew begins tonight.', '2019-03-13TNI'],
    ['Shells fell yesterday afternoon.', '2019-03-12TAF'],
  ])('%s', (text, value) => {
    expect(only(text, '2019-03-13')).toEqual([value]);
  });

  it('crosses a year boundary', () => {
    expect(only('The airport was shelled yesterday.', '2020-01-01')).toEqual(['2019-12-31']);
  });

  it('does not read the newspaper USA Today as a date', () => {
    expect(dates('USA Today reported the figures.', '2019-03-13')).toEqual([]);
  });
});

describe('ISO weeks and weekends', () => {
  it('reads last / this / next week (2019-03-13 is in W11)', () => {
    expect(dates('The talks stalled last week.', '2019-03-13')).toEqual([['last week', '2019-W10']]);
    expect(only('Bodies were discovered this week.', '2019-03-13')).toEqual(['2019-W11']);
    expect(only('Inspectors arrive next week.', '2019-03-13')).toEqual(['2019-W12']);
    expect(only('The deal was signed earlier this week.', '2019-03-13')).toEqual(['2019-W11']);
    expect(dates('It collapsed late last week.', '2019-03-13')).toEqual([['late last week', '2019-W10', 'end']]);
  });

  it('uses ISO week years at year boundaries', () => {
    expect(only('The siege tightened last week.', '2019-01-02')).toEqual(['2018-W52']);
    expect(only('The siege tightened last week.', '2021-01-06')).toEqual(['2020-W53']);
    expect(only('Crossings reopened this week.', '2019-12-31')).toEqual(['2020-W01']);
  });

  it('reads weekends', () => {
    expect(dates('The deal was agreed last weekend.', '2019-03-13')).toEqual([['last weekend', '2019-W10-WE']]);
    // On a Saturday, "last weekend" is the previous week's.
    expect(only('They agreed a deal last weekend.', '2017-09-02')).toEqual(['2017-W34-WE']);
    expect(only('Airstrikes intensified over the weekend.', '2019-03-11')).toEqual(['2019-W10-WE']);
    expect(only('Airstrikes intensified over the weekend.', '2019-03-10')).toEqual(['2019-W10-WE']);
    expect(only('Delegates will gather at the weekend.', '2019-03-13')).toEqual(['2019-W11-WE']);
    expect(only('Protests are planned for this weekend.', '2019-03-13')).toEqual(['2019-W11-WE']);
  });

  it('refuses stretches of time', () => {
    expect(dates('The coalition conducted nearly 100 strikes over the past week.', '2019-03-13')).toEqual([]);
    expect(dates('It follows a week-long offensive.', '2019-03-13')).toEqual([]);
    expect(dates('Prices will rise over the next month.', '2019-03-13')).toEqual([]);
  });
});

describe('months', () => {
  it('takes the latest month not after the dct', () => {
    expect(only('The town fell in August.', '2017-09-02')).toEqual(['2017-08']);
    expect(only('The town fell in November.', '2019-03-13')).toEqual(['2018-11']);
    expect(only('The town fell in March.', '2019-03-13')).toEqual(['2019-03']);
    expect(only('Strikes resumed in May.', '2019-03-13')).toEqual(['2018-05']);
  });

  it('looks forward when the tense says so', () => {
    expect(only('Elections will be held in July.', '2019-03-13')).toEqual(['2019-07']);
    expect(only('Elections will be held in January.', '2019-03-13')).toEqual(['2020-01']);
  });

  it('reads relative months across a year boundary', () => {
    expect(dates('Mattis visited Jordan last month.', '2017-09-02')).toEqual([['last month', '2017-08']]);
    expect(only('Prices doubled last month.', '2019-01-05')).toEqual(['2018-12']);
    expect(only('Talks resume next month.', '2019-12-20')).toEqual(['2020-01']);
    expect(only('The ceasefire was agreed earlier this month.', '2019-03-13')).toEqual(['2019-03']);
  });

  it('reads month and year, and modifiers as mod', () => {
    expect(dates('That was the highest since December 2018.', '2019-02-11')).toEqual([['December 2018', '2018-12']]);
    expect(dates('He spoke in late August.', '2017-09-08')).toEqual([['late August', '2017-08', 'end']]);
    expect(dates('Fighting flared in early March.', '2019-03-13')).toEqual([['early March', '2019-03', 'start']]);
    expect(dates('The offensive began in mid-February.', '2019-03-13')).toEqual([['mid-February', '2019-02', 'mid']]);
    expect(dates('The deal was reached at the end of August.', '2017-09-15')).toEqual([['the end of August', '2017-08', 'end']]);
    expect(dates('Losses mounted in the first month of 2019.', '2019-02-11')).toEqual([['the first month of 2019', '2019-01']]);
    expect(only('Arrivals fell in the last quarter of 2018.', '2019-02-11')).toEqual(['2018-Q4']);
    expect(only('Exports grew in the first half of this year.', '2019-08-11')).toEqual(['2019-H1']);
  });

  it('refuses month words that are names or verbs', () => {
    expect(dates('They may attack again, and troops march north.', '2019-03-13')).toEqual([]);
    expect(dates('May God protect them, he said.', '2019-03-13')).toEqual([]);
    expect(dates('UN official Jan Egeland warned of famine.', '2019-03-13')).toEqual([]);
    expect(dates('Reporter June Smith filed the story.', '2019-03-13')).toEqual([]);
  });
});

describe('calendar dates (chrono)', () => {
  it.each([
    ['4 min read\n30 August, 2017\nIS fighters are being bused', '2017-08-30', '30 August, 2017', '2017-08-30'],
    ['Posted Aug. 29, 2017 by staff', '2017-09-01', 'Aug. 29, 2017', '2017-08-29'],
    ['Updated 2019-03-12 at noon', '2019-03-13', '2019-03-12', '2019-03-12'],
    ['The convoy has been stalled since August 29.', '2017-09-08', 'August 29', '2017-08-29'],
    ['Strikes on January 3 hit homes.', '2019-02-11', 'January 3', '2019-01-03'],
    ['The truce of December 28 broke down.', '2019-01-05', 'December 28', '2018-12-28'],
    ['The attack on 12 March 2019 killed nine.', '2019-03-20', '12 March 2019', '2019-03-12'],
    ['Voting is set for 3/4/2020.', '2019-03-13', '3/4/2020', '2020-03-04'],
  ])('%s', (text, dct, surface, value) => {
    expect(dates(text, dct)).toEqual([[surface, value]]);
  });

  it('reads numeric dates day first with dots, and by the reading nearer the dct with slashes', () => {
    expect(dates('Updated: 12.03.2023 at 10.15', '2023-03-13')).toEqual([['12.03.2023', '2023-03-12']]);
    expect(dates('Published 12/03/2023 09:14', '2023-03-13')).toEqual([['12/03/2023', '2023-03-12']]);
    expect(dates('Published 03/12/2023', '2023-03-13')).toEqual([['03/12/2023', '2023-03-12']]);
    expect(dates('Posted 11/02/2021', '2021-11-03')).toEqual([['11/02/2021', '2021-11-02']]);
    expect(dates('Posted 25/12/2021', '2022-01-10')).toEqual([['25/12/2021', '2021-12-25']]);
    expect(dates('Voting was held on 02-11-2021.', null)).toEqual([['02-11-2021', '2021-02-11']]);
  });

  it('leaves a clock time out of the span', () => {
    expect(dates('Updated: 10:32 GMT, 12 March 2019', '2019-03-13')).toEqual([['12 March 2019', '2019-03-12']]);
  });

  it('prefers the whole written date to the weekday or month inside it', () => {
    expect(dates('On Tuesday, March 12, rebels shelled the town.', '2019-03-13')).toEqual([['Tuesday, March 12', '2019-03-12']]);
    expect(dates('It began on the morning of March 3.', '2019-03-13')).toEqual([['morning of March 3', '2019-03-03TMO']]);
  });

  it('looks forward for an undated day in the future tense', () => {
    expect(only('The court will rule on March 20.', '2019-03-13')).toEqual(['2019-03-20']);
    expect(only('The court will rule on January 20.', '2019-12-13')).toEqual(['2020-01-20']);
  });

  it('refuses numbers that only look like dates', () => {
    expect(dates('The hotline is open 24/7.', '2019-03-13')).toEqual([]);
    expect(dates('Half the town, 1/2 of it, was destroyed.', '2019-03-13')).toEqual([]);
  });
});

describe('years, decades, ago', () => {
  it('reads years after temporal words', () => {
    expect(dates('Hundreds of air strikes on IS since 2014 have failed.', '2017-08-30')).toEqual([['2014', '2014']]);
    expect(only('The group seized Mosul in 2014.', '2017-08-30')).toEqual(['2014']);
    expect(only('The 2015 offensive stalled.', '2017-08-30')).toEqual(['2015']);
    expect(dates('Prices rose in late 2018.', '2019-02-11')).toEqual([['late 2018', '2018', 'end']]);
    expect(dates('Talks resumed in mid-2016.', '2019-02-11')).toEqual([['mid-2016', '2016', 'mid']]);
    expect(only('The economy collapsed in the 1990s.', '2019-02-11')).toEqual(['199']);
  });

  it('reads both years of a range and refuses years that are part of a name', () => {
    expect(only('The war lasted from 2014 to 2017; the 2011-2013 talks failed.', '2019-02-11')).toEqual(['2014', '2017', '2011', '2013']);
    expect(dates('The kingdom launched Vision 2030 to diversify.', '2019-02-11')).toEqual([]);
    expect(only('The year 2014 was the bloodiest. In April 2014 the city fell.', '2019-02-11')).toEqual(['2014', '2014-04']);
  });

  it('reads relative years', () => {
    expect(only('Fewer civilians died last year.', '2019-02-11')).toEqual(['2018']);
    expect(only('Aid was cut earlier this year.', '2019-02-11')).toEqual(['2019']);
    expect(only('Elections are due next year.', '2019-02-11')).toEqual(['2020']);
  });

  it('refuses counts that look like years', () => {
    expect(dates('About 2000 people fled.', '2019-02-11')).toEqual([]);
    expect(dates('The 2,000 fighters surrendered.', '2019-02-11')).toEqual([]);
    expect(dates('The army moved 1999 troops north.', '2019-02-11')).toEqual([]);
    expect(dates('Some 2012 families were displaced.', '2019-02-11')).toEqual([]);
    expect(dates('The jets took off at 2100 GMT.', '2019-02-11')).toEqual([]);
  });

  it('reads "ago" by the unit it counts', () => {
    expect(only('The town fell two days ago.', '2019-03-13')).toEqual(['2019-03-11']);
    expect(only('The town fell three weeks ago.', '2019-03-13')).toEqual(['2019-W08']);
    expect(only('The town fell a year ago.', '2019-03-13')).toEqual(['2018']);
    expect(only('The town fell 6 months ago.', '2019-03-13')).toEqual(['2018-09']);
    expect(only('The town fell several days ago.', '2019-03-13')).toEqual(['PAST_REF']);
  });
});

describe('weeks of a month or year', () => {
  // The n-th week is the ISO week holding the n-th Thursday: the week that lies mostly in the month or year.
  it.each([
    ['Aid deliveries stopped in the first week of 2023.', '2023-03-10', 'the first week of 2023', '2023-W01'],
    ['Fighting peaked in the last week of 2020.', '2021-02-01', 'the last week of 2020', '2020-W53'],
    ['The first week of September 2023 was calm.', '2023-10-02', 'The first week of September 2023', '2023-W36'],
    ['The dam was hit in the second week of June.', '2023-07-20', 'the second week of June', '2023-W23'],
    ['Talks stalled in the last week of February.', '2023-03-10', 'the last week of February', '2023-W08'],
    ['Convoys resumed in the third week of last month.', '2022-11-15', 'the third week of last month', '2022-W42'],
    ['Voting takes place in the first week of next year.', '2022-11-15', 'the first week of next year', '2023-W01'],
  ])('%s (dct %s)', (text, dct, surface, value) => {
    expect(dates(text, dct)).toEqual([[surface, value]]);
  });

  it('looks forward for a month in the future tense, and refuses a week that does not exist', () => {
    expect(only('Elections will be held in the first week of January.', '2022-11-15')).toEqual(['2023-W01']);
    // February 2022 has four Thursdays.
    expect(dates('Nothing happened in the fifth week of February 2022.', '2022-11-15')).toEqual([['February 2022', '2022-02']]);
  });
});

describe('holidays', () => {
  it.each([
    ['Drones struck Kyiv on New Year\'s Eve.', '2023-01-03', "New Year's Eve", '2022-12-31'],
    ['Drones struck Kyiv on New Year’s Day.', '2023-01-03', 'New Year’s Day', '2023-01-01'],
    ['Shelling continued over Christmas.', '2023-03-10', 'Christmas', '2022-12-25'],
    ['A church was bombed on Christmas Eve.', '2019-01-02', 'Christmas Eve', '2018-12-24'],
    ['Fighters attacked a village on Christmas Day 2017.', '2019-01-02', 'Christmas Day 2017', '2017-12-25'],
    ['The truce will hold until Christmas.', '2023-03-10', 'Christmas', '2023-12-25'],
    ['Markets reopened after last Christmas.', '2023-12-25', 'last Christmas', '2022-12-25'],
  ])('%s (dct %s)', (text, dct, surface, value) => {
    expect(dates(text, dct)).toEqual([[surface, value]]);
  });

  it('reads Islamic holidays on the Umm al-Qura calendar', () => {
    // Eid al-Fitr 1443 fell on 2 May 2022 and Eid al-Adha 1443 on 9 July 2022 in Saudi Arabia.
    expect(dates('Clashes broke out during Eid al-Fitr.', '2022-06-01')).toEqual([['Eid al-Fitr', '2022-05-02']]);
    expect(dates('Prisoners were swapped on Eid al-Adha.', '2022-08-01')).toEqual([['Eid al-Adha', '2022-07-09']]);
    expect(only('Gunmen raided the market on Tabaski.', '2022-08-01')).toEqual(['2022-07-09']);
    expect(only('A truce is planned for Eid ul-Fitr.', '2022-04-10')).toEqual(['2022-05-02']);
    // A bare "Eid" is the latest of either.
    expect(only('The roads were closed before Eid.', '2022-08-01')).toEqual(['2022-07-09']);
    expect(dates('The offensive stalled at the start of Ramadan.', '2022-05-20')).toEqual([['the start of Ramadan', '2022-04-02']]);
  });

  it('refuses holidays that are no day', () => {
    expect(dates('Volunteers sold Christmas trees in the square.', '2022-12-10')).toEqual([]);
    expect(dates('Christmas is a public holiday in South Sudan.', '2022-12-10')).toEqual([]);
    expect(dates('The mosque fills up every Eid.', '2022-12-10')).toEqual([]);
    expect(dates('The letter was signed by Eid Mohamed.', '2022-12-10')).toEqual([]);
    // Ramadan is a month across two Gregorian months: no value fits it.
    expect(dates('Attacks usually fall during Ramadan.', '2022-12-10')).toEqual([]);
  });
});

describe('news phrasings', () => {
  it.each([
    ['Drones attacked Odesa on the night of 3 to 4 March.', '2023-03-10', 'night of 3 to 4 March', '2023-03-03TNI'],
    ['Explosions shook Dnipro on the night of March 3-4.', '2023-03-10', 'night of March 3-4', '2023-03-03TNI'],
    ['Sirens sounded on the night of Saturday to Sunday.', '2023-03-10', 'night of Saturday to Sunday', '2023-03-04TNI'],
    ['Talks resumed on 14 Feb in Jeddah.', '2023-03-10', '14 Feb', '2023-02-14'],
    ['Talks resumed on Feb. 14 in Jeddah.', '2023-03-10', 'Feb. 14', '2023-02-14'],
    ['The base was hit on Sept. 9, officials said.', '2023-03-10', 'Sept. 9', '2022-09-09'],
    ['The mine exploded two years ago.', '2023-03-10', 'two years ago', '2021'],
    ['The ceasefire collapsed the day before yesterday.', '2023-03-10', 'the day before yesterday', '2023-03-08'],
    ['Prices rose sharply at the end of last year.', '2023-03-10', 'the end of last year', '2022'],
  ])('%s', (text, dct, surface, value) => {
    expect(dates(text, dct).map((d) => d.slice(0, 2))).toEqual([[surface, value]]);
  });

  it('keeps the modifier of "the end of last year"', () => {
    expect(dates('Prices rose sharply at the end of last year.', '2023-03-10')).toEqual([['the end of last year', '2022', 'end']]);
  });

  it('does not read days counted from another event', () => {
    // "The following day" is anchored to the event just told, not to the publication date.
    expect(dates('The following day, troops withdrew.', '2023-03-10')).toEqual([]);
    expect(dates('The next day the bridge was blown up.', '2023-03-10')).toEqual([]);
    expect(dates('A day later, the convoy left.', '2023-03-10')).toEqual([]);
  });
});

describe('vague past references', () => {
  it.each([
    ['Militias have recently moved south.', 'recently'],
    ['Dozens of lorries moved people in recent weeks.', 'in recent weeks'],
    ['Such attacks have been rare in the past.', 'in the past'],
    ['The ministry had denied the report earlier.', 'earlier'],
  ])('%s', (text, surface) => {
    expect(dates(text, '2019-03-13')).toEqual([[surface, 'PAST_REF']]);
  });

  it('does not read durations or anaphoric references as PAST_REF', () => {
    expect(dates('Over the past two days planes destroyed nine pieces of hardware.', '2019-03-13')).toEqual([]);
    expect(dates('In the past decade the town changed hands four times.', '2019-03-13')).toEqual([]);
    expect(dates('Two days earlier, the bridge was blown up.', '2019-03-13')).toEqual([]);
    expect(dates('The toll was higher than earlier estimates.', '2019-03-13')).toEqual([]);
  });
});

describe('durations are not dates', () => {
  it.each([
    'For four months, monitors tracked no allegations.',
    'The coalition abandoned its 52-month record.',
    'After three years of war the city lay in ruins.',
    'The siege lasted ten days.',
    'For years civilians have lived among fighters.',
    'Days later, another report claimed a home was struck.',
    'It was the first rise in six months.',
  ])('%s', (text) => {
    expect(dates(text, '2019-02-11')).toEqual([]);
  });
});

describe('without a dct', () => {
  it('keeps absolute dates and drops relative ones', () => {
    const text = 'On Monday, a week after the 30 August, 2017 deal, troops left. The group seized Mosul in 2014. It struck last week and in August.';
    expect(only(text, null)).toEqual(['2017-08-30', '2014']);
    expect(only('The border reopened in December 2018.', null)).toEqual(['2018-12']);
  });

  it('treats a malformed dct as none', () => {
    expect(parseDct('2019-02-30')).toBeNull();
    expect(parseDct('yesterday')).toBeNull();
    expect(only('Fighting resumed on Monday.', 'not a date')).toEqual([]);
  });
});

describe('engine contract', () => {
  it('returns code point offsets, the text, the engine tag and scores, sorted by start', () => {
    const text = '🙂 Strikes hit Idlib on Monday and on Tuesday.';
    const out = datesEngine.suggest(text, { dct: '2019-03-13' });
    expect(out.map((s) => s.text)).toEqual(['Monday', 'Tuesday']);
    const cps = [...text];
    for (const s of out) {
      expect(cps.slice(s.start, s.end).join('')).toBe(s.text);
      expect(s.label).toBe('DATE');
      expect(s.engine).toBe('dates@1');
      expect(s.score).toBeGreaterThan(0);
      expect(s.score).toBeLessThanOrEqual(1);
    }
    expect(out[0].start).toBeLessThan(out[1].start);
  });

  it('computes ISO weeks', () => {
    const day = (y: number, m: number, d: number): number => Date.UTC(y, m - 1, d) / 86_400_000;
    expect(isoWeek(day(2017, 8, 30))).toEqual({ year: 2017, week: 35 });
    expect(isoWeek(day(2021, 1, 1))).toEqual({ year: 2020, week: 53 });
    expect(isoWeek(day(2019, 12, 30))).toEqual({ year: 2020, week: 1 });
  });

  it('handles a long single-line text', () => {
    const sentence = 'Shells hit the market on Monday and more fell in late August. ';
    const out = suggestDates(sentence.repeat(2000), { dct: '2017-09-06' });
    expect(out).toHaveLength(4000);
    expect(out.every((s) => (s.attrs.value === '2017-09-04' && s.text === 'Monday') || (s.attrs.value === '2017-08' && s.text === 'late August'))).toBe(true);
  });
});
