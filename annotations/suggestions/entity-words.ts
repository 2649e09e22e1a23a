// Word lists the entity tagger reasons with: common English words, name particles, titles, speech verbs, and the cues of organisations, places and aliases. Pure.

/**
 * Common English words (lowercase). A place or person name that is one of these (GeoNames has towns called
 * Of, Much, Reading, Mobile, Surprise ...) is never tagged on its own, and a capitalised one of these next
 * to a name does not make that name part of a longer proper noun.
 */
export const COMMON_WORDS: ReadonlySet<string> = new Set(
  `a about above across after again against ago ahead all almost alone along already also although always am among an and
another any anyone anything are area areas around as at away back bad be became because become been before began behind
being below best better between beyond big both but by call called came can cannot case cause certain clear close come
could day days despite did do does doing done down during each early either else end enough even ever every far few
first for former from front full further gave get give given go going gone good got great had half has have having he
her here high him his how however i if in inside instead into is it its itself just keep kind know large last late
later least left less let like likely little long made make many may me might more most much must my near nearly need
never new next no none nor not now of off often old on once one only onto or other others our out outside over own
part past per perhaps place put rather really right said same say says second see seen several shall she should since
small so some soon still such take than that the their them then there these they this those though three through thus
to today together too took toward towards two under until up upon us very via was way we well went were what when where
whether which while who whole whom whose why will with within without would yet you your
able act action add age agency aid air alliance amid angel angels apple arch arm arms army art ash attack attacks august
aurora avenue bank banks bar bath battle bay beach bear beauty bell bend best bird black blue board body bold bone
border borders born bow box boy branch bread bridge bright brook brown bush cabinet camp camps can canal cap capital
captain car care carrier castle cat cedar center centre central chance chapel charity cherry chief child children
church circle city clay cliff club coast coastal cole college colony command commerce commission common concord
congress content cool copper coral corner council country county court cove cream creek cross crown cup dale dam dawn
deal dean deep defence defense delta desert diamond dispatch district dock dog door dove drive eagle east eastern echo
eden elm embassy energy enterprise equality eve evening fair faith fall falls family farm fashion father ferry field
fields fire fleet flint floor force forces ford forest fort fortune forum fox free freedom friendship frontier garden
gardens gate general gift glen globe glory god gold golden government governor grace grand grant green grove guard gulf
hall hamlet harbor harbour harmony harvest haven head health heart heights help heritage hill hills holy home honor
hope horn house hub hunter ice independence industry inlet iron island islands isle jade jewel joy junction justice
key king kingdom lake lakes land lands law leader lee liberty light lime line lion lodge long lord love lower luck main
major mall man manor maple march market marsh mayor meadow memorial mesa middle mill mills mine mines minister ministry
mission mobile model monitor moon morning mount mountain mountains mouth museum music nation national native navy nice
noble north northern number oak oasis ocean office officer opposition orange orchard order pace palace palm paradise
park parliament party pass patrol peace peak pearl people pilot pine plain plains planet plant plaza pleasant plenty
point police pond pool port post power premier president press pride prime prince prison progress prospect province
pure quarter queen rain ranch range reading ready record red reform regime region republic reserve resistance rest
ridge ring rise river road rock rocks rose round royal ruby rule rural safe sage saint sale salt sand sands school sea
season secretary security senate service shade shell shelter shield shore side sierra silver sky smith snow soldier
south southern spa speaker spring springs square star state station steel stone storm strand street strike strikes
success summer summit sun sunny sunrise sunset superior support surprise swan table temple terrace thunder tide tiger
time top tower town trade trail tree trinity triumph troy truth union unity university upper vale valley van victor
victory view village vine vista wall war ward water waters wave welcome well wells west western white wind winter wolf
wood woods work world worth yard young youth zion
coalition amnesty guardian independent observer hit find read mark marks buy sell sent ran run win won lost fight fought
monday tuesday wednesday thursday friday saturday sunday january february april may june july september october
november december`.split(/\s+/),
);

/**
 * Particles inside Arabic and other names (al-, el-, ez-, bin, abu ...): they may be lowercase inside a
 * capitalised name, and transliterations drop, join or respell them.
 */
export const ARTICLES: ReadonlySet<string> = new Set(
  ['al', 'el', 'il', 'ul', 'ar', 'er', 'as', 'es', 'az', 'ez', 'ad', 'ed', 'an', 'at', 'ath', 'ash', 'esh', 'adh', 'ud', 'uz', 'ut', 'l'],
);

/** Lowercase words allowed inside a capitalised name (Ibn Saud, Coalition to Defeat ISIS, de Mistura). */
export const NAME_CONNECTORS: ReadonlySet<string> = new Set([
  ...ARTICLES,
  'bin', 'ibn', 'bint', 'ould', 'wuld', 'ag', 'de', 'del', 'della', 'der', 'di', 'da', 'du', 'dos', 'van', 'von', 'la', 'le', 'of', 'the', 'for', 'and', 'to', 'on', 'in',
]);

/**
 * Titles and roles written before a person's name ("Col. Ryan Dillon", "spokesman Mustafa Bali"), lowercase,
 * dots dropped; longer ones are tried first.
 */
export const TITLES: readonly string[] = [
  'president', 'vice president', 'prime minister', 'deputy prime minister', 'minister', 'foreign minister', 'defence minister',
  'defense minister', 'interior minister', 'secretary', 'secretary of state', 'defense secretary', 'defence secretary',
  'secretary general', 'secretary-general', 'undersecretary', 'ambassador', 'envoy', 'special envoy', 'king', 'queen', 'prince',
  'crown prince', 'emir', 'sheikh', 'sheik', 'sultan', 'ayatollah', 'imam', 'cleric', 'pope', 'chancellor', 'senator', 'sen',
  'rep', 'representative', 'congressman', 'congresswoman', 'governor', 'gov', 'mayor', 'general', 'gen', 'lieutenant general',
  'lt gen', 'major general', 'maj gen', 'brigadier general', 'brig gen', 'brigadier', 'colonel', 'col', 'lieutenant colonel',
  'lt col', 'major', 'maj', 'captain', 'capt', 'lieutenant', 'lt', 'sergeant', 'sgt', 'admiral', 'adm', 'vice admiral',
  'rear admiral', 'commander', 'cmdr', 'marshal', 'field marshal', 'spokesman', 'spokeswoman', 'spokesperson', 'spokesmen',
  'leader', 'chief', 'head', 'director', 'official', 'commissioner', 'judge', 'justice', 'dr', 'doctor', 'mr', 'mrs', 'ms',
  'miss', 'sir', 'dame', 'lord', 'professor', 'prof', 'analyst', 'researcher', 'reporter', 'correspondent', 'journalist',
  'photographer', 'activist', 'founder', 'chairman', 'chairwoman', 'chair', 'mufti', 'speaker', 'premier', 'emissary',
  'negotiator', 'coordinator', 'adviser', 'advisor', 'aide', 'deputy', 'presidential envoy', 'commander-in-chief',
];

/** Verbs of saying: "<Name> said", "told <ORG>". */
export const SPEECH_VERBS: ReadonlySet<string> = new Set([
  'said', 'says', 'told', 'tells', 'added', 'adds', 'explained', 'explains', 'stated', 'states', 'noted', 'notes', 'wrote', 'writes',
  'tweeted', 'tweets', 'asked', 'asks', 'warned', 'warns', 'claimed', 'claims', 'confirmed', 'confirms', 'denied', 'denies',
  'insisted', 'insists', 'announced', 'announces', 'detailed', 'details', 'argued', 'argues', 'recalled', 'recalls',
  'replied', 'replies', 'responded', 'continued', 'urged', 'urges', 'acknowledged', 'acknowledges', 'admitted', 'admits',
  'estimated', 'reported', 'reports', 'described', 'describes', 'called', 'calls',
]);

/** Roles in "<Name>, a spokesman for ..." and "<Name>, the group's leader". */
export const APPOSITION_ROLES: ReadonlySet<string> = new Set([
  'spokesman', 'spokeswoman', 'spokesperson', 'leader', 'commander', 'head', 'chief', 'director', 'official', 'minister',
  'member', 'senior', 'former', 'resident', 'analyst', 'researcher', 'fighter', 'founder', 'activist', 'journalist', 'reporter',
  'correspondent', 'officer', 'general', 'colonel', 'envoy', 'ambassador', 'president', 'governor', 'mayor', 'deputy',
  'professor', 'doctor', 'lawyer', 'father', 'mother', 'son', 'daughter', 'brother', 'sister', 'wife', 'husband', 'cousin',
  'survivor', 'witness', 'nurse', 'teacher', 'farmer', 'student', 'medic', 'worker', 'chairman', 'co-founder', 'director-general',
  'secretary', 'coordinator', 'adviser', 'advisor', 'aide', 'sheikh', 'cleric', 'militant', 'soldier', 'veteran', 'expert',
]);

/** Nouns after a name that make it a ship, not a person or a place ("the Admiral Essen frigate"). */
export const VESSEL_WORDS: ReadonlySet<string> = new Set([
  'frigate', 'destroyer', 'cruiser', 'carrier', 'submarine', 'corvette', 'warship', 'ship', 'vessel', 'tanker', 'boat', 'ferry', 'aircraft',
]);

/** Words that may follow a place's name without making it part of another proper noun (Idlib Province, the Euphrates River). */
export const PLACE_HEADS: ReadonlySet<string> = new Set([
  'province', 'governorate', 'region', 'district', 'city', 'town', 'village', 'county', 'state', 'river', 'valley', 'desert',
  'airport', 'airbase', 'base', 'camp', 'border', 'crossing', 'countryside', 'area', 'front', 'plain', 'plains', 'mountains', 'dam',
]);

/**
 * Words that never make a person's name, though they follow titles ("General Staff", "General Assembly")
 * or stand capitalised in organisations' names. Kept apart from COMMON_WORDS, which also filters the gazetteer.
 */
export const NOT_NAME_WORDS: ReadonlySet<string> = new Set([
  'staff', 'assembly', 'directorate', 'secretariat', 'headquarters', 'command', 'prosecutor', 'prosecution', 'inspectorate',
  'presidency', 'cabinet', 'authorities', 'administration',
  // Buildings named after people: "the Ali Hassan Mosque".
  'mosque', 'hospital', 'church', 'cathedral', 'school', 'stadium', 'hotel', 'highway', 'airport', 'bridge', 'market', 'camp',
  'university', 'college', 'clinic', 'square', 'street', 'road', 'avenue', 'boulevard', 'shrine', 'tomb',
]);

/**
 * Words that open a sentence without being part of the name after them: determiners, numbers, quantifiers,
 * pronouns, conjunctions, prepositions and sentence adverbs ("Three World Food Programme staff",
 * "Throughout Syria"). Lowercase.
 */
export const SENTENCE_OPENERS: ReadonlySet<string> = new Set(
  `the a an this that these those some many most several all both each every any no other another such its their his her our
my your when while after before as if but and or so because although though since until once where whether then now also yet
still even only just meanwhile why how what which who whom whose at in on of for to from by with without into onto over under
about against between among amid amidst amongst during despite through throughout across around near inside outside within
beyond via per like unlike including following according besides beside behind toward towards upon elsewhere nationwide
yesterday today tonight tomorrow earlier later overnight separately overall recently instead there here not nor
one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen
twenty thirty forty fifty sixty seventy eighty ninety hundred hundreds thousand thousands million millions dozen dozens
first second third fourth fifth former senior top local more fewer few half`.split(/\s+/),
);

/**
 * Last words that make a run of capitalised words an organisation's name ("Rapid Support Forces", "Norwegian
 * Refugee Council", "Armed Conflict Location & Event Data Project"). "Staff" only after "General" (see entities.ts).
 */
export const ORG_HEAD_NOUNS: ReadonlySet<string> = new Set([
  'council', 'committee', 'organization', 'organisation', 'agency', 'forces', 'force', 'brigade', 'brigades', 'front', 'movement',
  'party', 'network', 'observatory', 'command', 'corps', 'division', 'battalion', 'battalions', 'regiment', 'union', 'mission',
  'commission', 'institute', 'foundation', 'authority', 'administration', 'ministry', 'department', 'police', 'guard', 'guards',
  'army', 'militia', 'militias', 'association', 'society', 'crescent', 'fund', 'programme', 'program', 'project', 'tribunal',
  'assembly', 'parliament', 'group', 'coalition', 'government', 'office', 'university', 'service', 'services', 'bureau',
  'directorate', 'court', 'alliance', 'federation', 'league', 'units', 'legion', 'centre', 'center', 'staff',
  // Newspapers and agencies: Truro Daily News, Kurdistan Chronicle.
  'news', 'times', 'post', 'herald', 'tribune', 'gazette', 'journal', 'chronicle', 'telegraph',
]);

/** Heads after which "in <Place>" still belongs to the name ("African Union Mission in Somalia"). */
export const ORG_HEADS_WITH_IN: ReadonlySet<string> = new Set(['mission', 'missions', 'operation']);

/** Lowercase words joining an organisation's head to the rest of its name ("Association for Political Prisoners"). */
export const ORG_COMPLEMENT_WORDS: ReadonlySet<string> = new Set(['of', 'for', 'to', 'on', 'against', 'de', 'du', 'des', 'pour']);

/** Possessors that stay inside an organisation's name ("Tigray People's Liberation Front", "Women's Protection Units"). */
export const ORG_POSSESSORS: ReadonlySet<string> = new Set([
  'people', 'peoples', 'workers', 'women', 'men', 'youth', 'martyrs', 'children', 'citizens', 'nation', 'nations', 'farmers',
  'mujahideen', 'patriots', 'veterans', 'students', 'journalists', 'doctors', 'lawyers', 'mothers', 'soldiers', 'god',
]);

/**
 * Administrative words after a name that make it a place: "Borno state", "Beni territory", "Idlib governorate"
 * (and their plurals: "the Amhara and Afar regions").
 */
export const PLACE_CUES_AFTER: ReadonlySet<string> = new Set([
  'region', 'regions', 'province', 'provinces', 'state', 'states', 'district', 'districts', 'township', 'townships',
  'governorate', 'governorates', 'county', 'counties', 'territory', 'municipality', 'prefecture', 'oblast', 'commune',
  'subdistrict', 'sub-district', 'locality', 'department', 'emirate', 'wilaya',
]);

/** Words before "of <Name>" that make the name a place: "the town of Bria", "the Darfur city of Geneina". */
export const PLACE_CUES_BEFORE: ReadonlySet<string> = new Set([
  'town', 'towns', 'village', 'villages', 'city', 'cities', 'hamlet', 'hamlets', 'settlement', 'settlements', 'district',
  'districts', 'region', 'province', 'governorate', 'township', 'neighbourhood', 'neighborhood', 'neighbourhoods',
  'neighborhoods', 'suburb', 'suburbs', 'port', 'commune', 'municipality', 'county', 'island', 'islands', 'oasis', 'localities',
  'locality', 'state', 'capital', 'outskirts',
]);

/** Nouns in "<Name>, a village in ..." that make the name a place. */
export const PLACE_APPOSITION_NOUNS: ReadonlySet<string> = new Set([
  'town', 'village', 'city', 'hamlet', 'settlement', 'district', 'region', 'province', 'governorate', 'township',
  'neighbourhood', 'neighborhood', 'suburb', 'port', 'commune', 'municipality', 'county', 'island', 'oasis', 'locality', 'capital',
]);

/**
 * What may follow the noun of "<Name>, a village ..." for the name to be the place: a preposition, a
 * direction, a relative word or punctuation; not a noun ("a village elder", "a town official").
 */
export const PLACE_APPOSITION_FOLLOWERS: ReadonlySet<string> = new Set([
  'in', 'near', 'on', 'of', 'about', 'some', 'north', 'south', 'east', 'west', 'northeast', 'northwest', 'southeast',
  'southwest', 'north-east', 'north-west', 'south-east', 'south-west', 'outside', 'close', 'along', 'where', 'which', 'that',
  'located', 'just', 'roughly', 'around', 'approximately', 'bordering', 'across', 'between', 'inside', 'within', 'under',
  'held', 'controlled', 'with', 'by', 'at', 'home', 'known', 'previously', 'once', 'and', 'upstream', 'downstream',
]);

/**
 * Capitalised words before a place that do not make it part of another name ("Northern Syria", "Greater
 * Idlib", "Rural Damascus").
 */
export const PLACE_MODIFIERS: ReadonlySet<string> = new Set([
  'north', 'south', 'east', 'west', 'northern', 'southern', 'eastern', 'western', 'central', 'northeastern', 'northwestern',
  'southeastern', 'southwestern', 'north-east', 'north-west', 'south-east', 'south-west', 'upper', 'lower', 'greater',
  'inner', 'outer', 'rural', 'old', 'occupied', 'liberated', 'downtown', 'mainland', 'coastal', 'metropolitan',
  // Colours name rivers and seas: the Blue Nile, the White Nile.
  'blue', 'white', 'red', 'black', 'green', 'yellow',
]);

/** Words between a person's name and an alias that is theirs too ("Ahmed Salah, known as Abu Tira"). */
export const ALIAS_CUES: readonly string[][] = [
  ['known', 'as'], ['also', 'known', 'as'], ['better', 'known', 'as'], ['widely', 'known', 'as'], ['popularly', 'known', 'as'],
  ['commonly', 'known', 'as'], ['nicknamed'], ['alias'], ['aka'], ['a', 'k', 'a'], ['also', 'called'], ['dubbed'],
];

/** Titles that are also surnames when they end a name ("Mohamed Aden Sheikh died"). */
export const SURNAME_TITLES: ReadonlySet<string> = new Set(['sheikh', 'sheik', 'sultan', 'emir', 'imam', 'mufti', 'king']);

/** Weekdays and months: capitalised words that follow a place without being part of its name ("in Raqqa Thursday"). */
export const CALENDAR_WORDS: ReadonlySet<string> = new Set(
  'monday tuesday wednesday thursday friday saturday sunday january february march april may june july august september october november december'.split(' '),
);
