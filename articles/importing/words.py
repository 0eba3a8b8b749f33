"""Word lists the reader knows English news by. Extend these when a new source brings new words."""

from __future__ import annotations

import re


def _words(text):
    return frozenset(text.split())


def _phrases(text):
    return frozenset(phrase.strip() for phrase in text.replace("\n", "").split("|") if phrase.strip())


def _forms(*rows):
    """{word form: verb to record}. Participles record the past tense: "saying" → "said".

    A row is "past present participle [base]"; "-" leaves a form out where it is more often a noun
    ("the United States", "scientific notes"). The base form covers "officials say", "they warn".
    """
    table = {}
    for row in rows:
        past, present, participle, *base = row.split()
        if past == "-":
            table[present] = present
            continue
        table[past] = past
        if present != "-":
            table[present] = present
        if participle != "-":
            table[participle] = past
        for form in base:
            table[form] = form
    return table


SPEECH_VERBS = _forms(
    "said says saying say",
    "told tells telling tell",
    "added adds adding add",
    "insisted insists insisting insist",
    "warned warns warning warn",
    "explained explains explaining explain",
    "noted - noting",
    "stressed stresses stressing stress",
    "argued argues arguing argue",
    "asked asks asking ask",
    "replied replies replying reply",
    "claimed - claiming",
    "continued continues continuing",
    "wrote writes writing write",
    "tweeted tweets tweeting tweet",
    "announced announces announcing announce",
    "declared declares declaring declare",
    "acknowledged acknowledges acknowledging acknowledge",
    "admitted admits admitting admit",
    "cautioned cautions cautioning caution",
    "urged urges urging urge",
    "recalled recalls recalling recall",
    "suggested suggests suggesting suggest",
    "concluded concludes concluding conclude",
    "emphasized emphasizes emphasizing emphasize",
    "emphasised emphasises emphasising emphasise",
    "vowed vows vowing vow",
    "promised - promising",
    "confirmed confirms confirming confirm",
    "denied denies denying deny",
    "countered counters countering",
    "observed observes observing observe",
    "remarked - remarking",
    "responded responds responding respond",
    "joked jokes joking joke",
    "quipped quips quipping quip",
    "complained complains complaining complain",
    "conceded concedes conceding concede",
    "predicted predicts predicting predict",
    "described describes describing describe",
    "called calls calling",
    "pledged pledges pledging pledge",
    "maintained maintains maintaining maintain",
    "stated - stating state",
    "reiterated reiterates reiterating reiterate",
    "testified testifies testifying testify",
    "boasted boasts boasting",
    "lamented laments lamenting lament",
    "shouted shouts shouting shout",
    "commented comments commenting comment",
    "reasoned - -",
    "echoed echoes echoing echo",
    "revealed reveals revealing reveal",
    "reported - -",
    "mentioned mentions mentioning mention",
    "indicated indicates indicating indicate",
    "advised advises advising advise",
    "exclaimed exclaims exclaiming exclaim",
    "yelled yells yelling yell",
    "wondered wonders wondering wonder",
    "demanded demands demanding demand",
    "posted - -",
    "characterized characterizes characterizing",
    "characterised characterises characterising",
    "read reads -",
    "chanted chants chanting chant",
    "disagreed disagrees disagreeing disagree",
    "alleged alleges alleging allege",
    "informed informs informing inform",
    "talked - -",
    "sang sings singing",
    "- notes -",
    "- claims -",
    "- remarks -",
    "- states -",
    "- calls -",
    "- call -",
    "- reports -",
    "- promises -",
)
# Verbs that only introduce words when a quotation follows them: "the statement read, “…”"; most are
# more often nouns ("scientific notes", "the United States").
QUOTE_ONLY_VERBS = _words("read reads notes claims remarks states calls call reports promises")
# "said Ms Smith" reads naturally; "told Ms Smith" names the listener, not the speaker.
INVERTIBLE = _words(
    "chanted shouted commented tweeted posted exclaimed "
    "said says added adds continued continues wrote writes explained explains insisted insists warned "
    "warns noted notes recalled recalls replied replies argued argues stressed stresses declared "
    "announced cautioned concluded observed remarked responded quipped joked countered conceded "
    "admitted acknowledged asked"
)
PRONOUNS = {"he": "he", "she": "she", "they": "they", "it": "it"}
ADVERBS = _words(
    "also later then again has had have was is once previously earlier repeatedly reportedly "
    "meanwhile further subsequently recently would will could did does just only has already "
    "still separately publicly privately"
)
DETERMINERS = _words("a an the one another two three several some many two other")
# Nouns that make an unnamed source: "a senior official", "two people familiar with the talks".
SOURCE_NOUNS = _words(
    "official officials source sources spokesperson spokesman spokeswoman diplomat diplomats aide "
    "aides adviser advisers advisor officer officers commander commanders soldier soldiers resident "
    "residents witness witnesses analyst analysts expert experts person people member members "
    "lawmaker lawmakers executive executives employee employees worker workers doctor doctors nurse "
    "man woman teenager survivor survivors volunteer volunteers police investigator investigators "
    "minister ministers president leader negotiator negotiators representative representatives"
)
# Groups quoted as one voice: "critics say", "protesters chanted".
GROUP_NOUNS = _words(
    "critics opponents supporters protesters demonstrators campaigners activists observers lawyers "
    "prosecutors authorities scientists researchers economists voters fans parents teachers students "
    "locals villagers farmers"
)
# Capitalised words that open a sentence or name a time, never a speaker.
NOT_NAMES = _words(
    "the a an but and or so yet if when while after before although though as since because however "
    "meanwhile still also in on at for from with by of to some many most several both all even only "
    "then now later earlier this that these those there here it its we i you he she they his her their "
    "our my asked according speaking monday tuesday wednesday thursday friday saturday sunday january "
    "february march april may june july august september october november december today yesterday "
    "last next instead indeed no yes"
)
TITLE_WORDS = _words(
    "president vice prime minister deputy secretary general gen sen senator rep representative governor "
    "gov mayor chancellor king queen prince princess dr mr mrs ms miss mx sir dame lord lady judge "
    "justice chief foreign defense defence interior finance health commander colonel col lt lieutenant "
    "major maj captain capt sgt sergeant admiral adm pope bishop archbishop cardinal father rabbi imam "
    "ambassador spokesman spokeswoman spokesperson chairman chairwoman chair director adviser advisor "
    "professor prof coach officer commissioner attorney speaker leader senior state home economy "
    "education labor labour trade energy agriculture transport culture security national staff joint "
    "chiefs head ceo founder executive premier emir sheikh crown supreme pastor reverend rev inspector "
    "superintendent detective det sheriff councillor councilman councilwoman mp mep lawmaker "
    "congressman congresswoman dean principal manager treasurer chancellor governor-general mufti "
    "undersecretary under-secretary secretary-general vice-president qc sc kc cpl const constable "
    "supt superintendent insp pte cmdr cdr brig cllr prosecutor"
)
HONORIFICS = _words("mr mrs ms miss mx dr sir dame")
# Titles and family words that give a person's gender: "Mr", "his wife Jane Roe", "the actress".
MALE_TITLES = _words(
    "mr sir king prince lord father congressman spokesman chairman councilman husband son brother man boy "
    "actor grandfather uncle nephew widower"
)
FEMALE_TITLES = _words(
    "mrs ms miss dame queen princess lady congresswoman spokeswoman chairwoman councilwoman wife mother "
    "daughter sister woman girl actress grandmother aunt niece widow"
)
ORGANISATION_WORDS = _words(
    "times post news press herald journal tribune gazette guardian telegraph weekly daily chronicle "
    "federation republic kingdom emirates brigade "
    "observer courier globe mail inquirer television radio broadcasting corporation institution "
    "authority authorities administration ministries agencies services district municipality "
    "ministry department office council agency kremlin pentagon government police army forces company "
    "inc corp group party committee commission union bank court university service command institute "
    "association organization organisation foundation center centre embassy military navy nato un "
    "house"
)
NAME_PARTICLES = _words("de da van von der den bin al la le du dos del di")
# Words that stay inside a title: "Secretary of State", "Minister for Foreign Affairs".
TITLE_LINKS = _words("of for the")
ABBREVIATIONS = _words(
    "mr mrs ms dr st gen sen rep gov col lt maj capt sgt adm prof rev det no vs jr sr cpl const supt insp "
    "pte pc cmdr cdr fr hon atty brig cllr"
)
OCCASION_PREPOSITIONS = _words("in at during on via through")
OCCASION_DROP = _words("a an the his her their its")
# What makes "in a televised address" an occasion and "in the besieged city" not.
OCCASION_NOUNS = _words(
    "interview interviews address speech statement statements conference briefing post video message "
    "tweet letter podcast broadcast remarks hearing meeting summit rally call television tv radio twitter "
    "facebook telegram instagram session appearance documentary op-ed essay memo testimony debate "
    "newsletter sermon"
)
OUTLETS_TOLD = _words("reporters journalists lawmakers")

CAPTION_VERBS = _words(
    "fire fires walk walks stand stands hold holds look looks gather gathers sit sits carry carries "
    "ride rides wait waits attend attends inspect inspects speak speaks arrive arrives march marches "
    "pray prays mourn mourns work works gesture gestures pose poses react reacts watch watches patrol "
    "patrols run runs drive drives clear clears rest rests prepare prepares leave leaves play plays "
    "take takes lay lays burn burns rise rises queue queues cross crosses hug hugs embrace embraces "
    "celebrate celebrates protest protests wave waves greet greets search searches remove removes load "
    "loads unload unloads repair repairs train trains evacuate evacuates flee flees shelter shelters "
    "pass passes examine examines sits lies stand"
)
CAPTION_CUES = (
    "pictured",
    "is seen",
    "are seen",
    "getty images",
    "photo:",
    "photograph:",
    "ap photo",
    "/afp",
)

TOKEN = re.compile(r"\w[\w’'\-]*(?:\.[a-z]{2,}){0,3}|[^\w\s]")
OPENERS = "“„‟«"
CLOSERS = "”»"
TERMINALS = frozenset(".!?…")
STOPS = frozenset(".!?;:…()[]—")

MONTHS = _words("january february march april may june july august september october november december")
# Words that open a sentence or clause before its subject: "After the match, …", "Speaking to reporters, …".
OPENER_WORDS = (
    NOT_NAMES - _words("the a an this that these those it its we i you he she they his her their our my")
) | _words(
    "despite amid amidst among under over without within through throughout following regarding unlike "
    "like about against between beyond near into onto upon via per across around behind beside besides "
    "toward towards once upon whether where why how what"
)
# Nouns that, as the head of "the …", name an organisation: "the city reasoned", "the ministry said".
ORGANISATION_HEADS = _words(
    "city town village council company firm ministry department government agency office police club team "
    "party committee church museum university school hospital court board union group organisation "
    "organization authority commission embassy army military navy administration newspaper paper "
    "magazine network channel broadcaster station service institute association foundation campaign "
    "coalition alliance federation league bank regulator watchdog airline carrier operator utility "
    "detachment force unit department prosecutor's brigade"
)
# Nouns that make "the …" a person: "the mayor", "the 26-year-old", "the striker".
PERSON_HEADS = TITLE_WORDS | _words(
    "man woman boy girl mother father son daughter wife husband brother sister player striker midfielder "
    "defender goalkeeper coach manager captain driver pilot singer actor actress author writer artist "
    "curator teacher student pupil farmer owner victim suspect defendant witness lawyer judge doctor nurse "
    "scientist researcher professor economist analyst official spokesperson spokesman spokeswoman mayor "
    "veteran candidate winner champion survivor resident neighbour neighbor father-of-two mother-of-two "
    "organizer organiser founder co-founder owner activist campaigner organizer volunteer member "
    "shopkeeper fisherman banker entrepreneur engineer economist historian photographer filmmaker "
    "director producer presenter host commentator columnist editor reporter correspondent chef "
    "councillor councilor trustee governor senator representative deputy challenger opponent rival "
    "incumbent prosecutor agent diplomat soldier officer sheriff eyewitness scholar co-author biologist "
    "physicist chemist ecologist archaeologist astronaut fellow assemblyman assemblywoman"
)
# A statement speaks for whoever it belongs to: "Doe's statement added", "the Example Party statement read".
STATEMENT_NOUNS = _words(
    "statement statements letter post tweet message release report analysis website blog account "
    "announcement email e-mail memo filing note notice editorial bulletin newsletter"
)
