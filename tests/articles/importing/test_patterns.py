"""How English news names its speakers, one pattern at a time, in stories written for these tests."""

from textwrap import dedent

import pytest

from articles.importing import ANONYMOUS, ORGANISATION, PERSON, REVIEW_BELOW, parse


def story(text):
    paragraphs = dedent(text).strip().split("\n\n")
    return parse("\n\n".join(" ".join(p.split("\n")) for p in paragraphs) + "\n")


def speakers(parsed):
    return [q.speaker.name if q.speaker else None for q in parsed.quotes]


PATTERNS = {
    "a description then a pronoun goes to the person of that age, not the other player": (
        """Transfer done

        Tom Bell, 31, joined from Northtown on Friday. Sam Reed, 24, stayed.

        The 31-year-old striker said the move suited him. “They create chances,” he said.""",
        ["Tom Bell"],
    ),
    "a quote introduced by its source after the words": (
        """Plant closes

        Chief Executive Mark Dunn announced the closure on Monday.

        “We had no choice,” he was quoted as saying in the press release.""",
        ["Mark Dunn"],
    ),
    "a second person introduced mid-story takes the next she": (
        """Clinic opens

        Dr. Alan Price opened the clinic on Monday. “It is a good day,” he said.

        Jane Roe, a nurse who has worked in the town for 20 years, welcomed the news. “We waited a long
        time,” she said.""",
        ["Alan Price", "Jane Roe"],
    ),
    "asides between the name and the verb are skipped": (
        """Crane falls

        After the storm, Ada Okafor, the city's chief engineer, said, “The crane was not secured.”

        Cyrus Webb, curator of the museum at Northgate University, Eastville, said, “We lost a wall.”

        Bo Lind, in remarks to local radio, said “Nobody was hurt.”""",
        ["Ada Okafor", "Cyrus Webb", "Bo Lind"],
    ),
    "the speaker after the quote, behind their title": (
        """Council meets

        “Cities must plan for floods,” the region's chief planner for water, Ada Okafor, told the council.
        “We cannot wait,” she added.""",
        ["Ada Okafor", "Ada Okafor"],
    ),
    "a quote standing alone continues the last speaker": (
        """Mayor speaks

        Mayor Ann Lee spoke to residents on Tuesday. “We are rebuilding,” Lee said.

        “Every street will be cleared.”""",
        ["Ann Lee", "Ann Lee"],
    ),
    "a quote standing alone after a person is introduced is theirs": (
        """Children at work

        Lina Haddad is a refugee who sells bread at a market.

        “I work so my brother can go to school.”""",
        ["Lina Haddad"],
    ),
    "a sentence of quotation after a sentence reporting the same person's words": (
        """Study published

        Professor Ivo Marsh noted the findings matter for farmers. “Nobody had looked at this before.”""",
        ["Ivo Marsh"],
    ),
    "a statement belongs to whoever it is said to be from": (
        """Recall

        Carla Voss's statement added, “We acted as soon as we knew.” The Example Party statement read,
        “We will vote against.”""",
        ["Carla Voss", "Example Party"],
    ),
    "a colon hands the quote to the subject behind their title": (
        """Vote result

        Party leader Rosa Jung was blunt: “We lost badly.”""",
        ["Rosa Jung"],
    ),
    "a coordinated second verb keeps the sentence's subject": (
        """Concert ends early

        Singer Kay Morrow fell ill on stage. She tried to sing but instead said “I cannot go on.”""",
        ["Kay Morrow"],
    ),
    "a dash after a pull quote names its speaker": (
        """Festival

        “It was the best night of my life.” — Lena Fisk, winner of the prize""",
        ["Lena Fisk"],
    ),
    "a misspelt surname is still the person named before": (
        """Salt rules

        Lydia Buchtmann, of the food agency, spoke on Monday. “We will look again,” Ms Bauchtman said.""",
        ["Lydia Buchtmann"],
    ),
    "brackets and a time between name and verb are skipped": (
        """Vote due

        “This bill is a mistake,” Jane Roe (Green) said on Monday. Roe on Tuesday said: “I will vote no.”""",
        ["Jane Roe", "Jane Roe"],
    ),
    "an inverted verb with a description then a name": (
        """Fair returns

        “The fair is back,” said the mayor, Ann Lee, on Saturday.""",
        ["Ann Lee"],
    ),
    "a passive speech verb does not make its subject a speaker": (
        """Floods

        Governor Ivan Petrov said two were confirmed dead in floods that reached “emergency” levels.""",
        ["Ivan Petrov"],
    ),
    "a title inside a place's name is split from the person": (
        """Probe

        “This is a scandal,” said Northtown Centre MP Paul Drew.""",
        ["Paul Drew"],
    ),
    "words credited to a newspaper after them": (
        """Inquest

        By then, “the roof was gone and the walls were falling”, according to the Eastville Chronicle.""",
        ["Eastville Chronicle"],
    ),
    "an agency quoting another gives the words to the one quoted": (
        """Alert

        According to the Westland news agency, quoting the army's own agency Central Press Service (CPS),
        troops were told to prepare for a “state of readiness”.""",
        ["Central Press Service"],
    ),
    "the one named after 'by' spoke": (
        """Dam

        Mayor Ann Lee met engineers on Monday. She was told by Fire Chief Ivo Marsh of “a grave risk”.
        The leak was described by Example Bulletin as “hard to explain”.""",
        ["Ivo Marsh", "Example Bulletin"],
    ),
    "according to an organisation's role and a name": (
        """Wall

        According to Northgate University historian Mia Stone, “the wall is older than we thought.”""",
        ["Mia Stone"],
    ),
    "an inverted verb before roles, a title and an affiliation": (
        """Find

        “We saw it first,” said study co-author Professor Lee Park of Eastville University. “It was
        brilliant,” said Example University, Northtown's chancellor, Ravi Mehta.""",
        ["Lee Park", "Ravi Mehta"],
    ),
    "letters after a name and an organisation after 'of the' are not the name": (
        """Sentences

        Judge Alan Reed QC said they showed “no remorse”. Tom Vance of the Center for Clean Water said
        “the river is safe.” The Senate Majority Leader, Rosa Diaz, said “We will vote.”""",
        ["Alan Reed", "Tom Vance", "Rosa Diaz"],
    ),
    "a verb in the next sentence or the next clause does not take the quote": (
        """Storm

        Ann Lee told reporters the dam “will hold.” Police spokesman Ivo Marsh said a road was closed.

        Ann Lee called it an “appalling loss” while Minister Ivo Marsh wrote he had ordered checks.""",
        ["Ann Lee", "Ann Lee"],
    ),
    "a statement or a post belongs to whoever it is from": (
        """Rebuild

        Mayor Ann Lee spoke on Monday. The council issued the following statement from the mayor: “We
        will rebuild.” “Roads are closed,” according to a tweet on Monday by Chief Ivo Marsh.""",
        ["Ann Lee", "Ivo Marsh"],
    ),
    "a participle with its own subject": (
        """Collapse

        Engineer Ivo Marsh inspected the site.

        Work stopped on Tuesday, with Marsh describing the “real danger” of a collapse.""",
        ["Ivo Marsh"],
    ),
    "a family named in the plural is not the he who speaks": (
        """Trial

        Tom Vale, 42, and his wife Ann Vale, 37, were charged in May.

        However, despite warnings, the Vales continued to refuse treatment.

        His sister pleaded with him, but he replied “I will not do that”.""",
        ["Tom Vale"],
    ),
}


@pytest.mark.parametrize("case", PATTERNS)
def test_speaker_pattern(case):
    text, expected = PATTERNS[case]
    assert speakers(story(text)) == expected


def test_titles_are_separated_from_names_and_kept_as_titles():
    parsed = story("""
        March planned

        Organizer Jane Roe said the march would go ahead. “We will walk,” Roe said.

        “I will be there,” said Environment Agency spokesperson Ben Ito.
    """)
    roe, ito = (q.speaker for q in parsed.quotes)
    assert (roe.name, roe.title) == ("Jane Roe", "Organizer")
    assert (ito.name, ito.title) == ("Ben Ito", "Environment Agency spokesperson")


def test_organisations_speak_as_organisations_and_descriptions_refer_back_to_them():
    parsed = story("""
        Power cut

        “Crews are working through the night,” the Eastfield Power Authority said in a statement. The
        authority added: “We expect power back by noon.”

        “The outage was not our fault,” the company said. “Stay off the roads,” Eastfield Police said.
    """)
    authority, again, company, police = (q.speaker for q in parsed.quotes)
    assert authority is again and authority.kind == ORGANISATION
    assert company.kind == ORGANISATION and company.name == "the company"
    assert (police.name, police.kind) == ("Eastfield Police", ORGANISATION)


def test_unnamed_sources_are_anonymous_speakers_with_the_story_s_description():
    parsed = story("""
        Talks stall

        “There is no deal yet,” a NATO military official told reporters. When a refugee official said
        “We have arranged everything,” the community said “We won't go!”

        “We want our jobs back,” chanted workers outside the plant.
    """)
    names = [(q.speaker.name, q.speaker.kind) for q in parsed.quotes]
    assert names == [
        ("a NATO military official", ANONYMOUS),
        ("a refugee official", ANONYMOUS),
        ("the community", ANONYMOUS),
        ("workers", ANONYMOUS),
    ]


def test_names_in_quotation_marks_are_not_anybody_s_words():
    parsed = story("""
        Museum opens

        The museum opened its show “Cowboys and Indians” on the site called “Hope”. Director Ana Roe said
        the title was “a provocation”.

        “Museum reopens after flood” — The Example Times, May 2, 2020
    """)
    found = {q.text: q.speaker.name if q.speaker else None for q in parsed.quotes}
    assert found == {
        "Cowboys and Indians": None,
        "Hope": None,
        "a provocation": "Ana Roe",
        "Museum reopens after flood": None,
    }


def test_a_person_is_a_person_kind_and_pronouns_learn_their_gender():
    parsed = story("""
        Two speak

        Ms Ann Lee met Mr Ben Ito on Monday. “We agreed,” Lee said. “She is right,” Ito said.

        “It was a long day,” she said.
    """)
    lee, ito, again = (q.speaker for q in parsed.quotes)
    assert lee.kind == ito.kind == PERSON
    assert again is lee


def test_unsure_attributions_fall_below_the_review_threshold():
    parsed = story("""
        Match report

        Arsenal won 2-0. Striker Joe Kant, who scored twice, was modest. “The team did the work,” the
        22-year-old said.
    """)
    (quote,) = parsed.quotes
    assert quote.speaker.name == "Joe Kant"
    assert quote.confidence < REVIEW_BELOW and quote.needs_review


def test_someone_speaking_for_a_person_is_not_that_person():
    parsed = story("""
        Court hearing

        Jane Roe appeared in court on Monday. “My client is innocent,” Roe's lawyer said.
    """)
    (quote,) = parsed.quotes
    assert quote.speaker.name == "Roe's lawyer" and quote.speaker.kind == ANONYMOUS


def test_words_quoted_from_a_source_are_the_source_s():
    parsed = story("""
        Border tension

        The army was put on alert, the Example Times reported, quoting the defence ministry spokesman Ivo
        Marsh, who called it “a precaution”.
    """)
    (quote,) = parsed.quotes
    assert quote.speaker.name == "Ivo Marsh"


def test_british_and_canadian_forms_of_title_and_name():
    parsed = story("""
        Bypass row

        Conservative MP for Northtown Jane Roe said the bypass was overdue. ‘People have waited 20
        years,’ she said.

        ‘It is a scandal,’ said Labour’s transport spokesman, Ben Ito.

        ‘The road was icy,’ Cpl. Dana Moss said in a news release.
    """)
    found = [(q.speaker.name, q.speaker.title) for q in parsed.quotes]
    assert found == [
        ("Jane Roe", "Conservative MP for Northtown"),
        ("Ben Ito", "Labour’s transport spokesman"),
        ("Dana Moss", "Cpl."),
    ]


def test_a_description_before_a_name_introduces_that_person():
    parsed = story("""
        Candidates debate

        The riding's MP, Tom Hale, defended the plan. “It works,” Hale told the crowd. His challenger, Ana
        Ruiz, disagreed. “It does not,” the 41-year-old said.
    """)
    hale, ruiz = (q.speaker for q in parsed.quotes)
    assert (hale.name, hale.title) == ("Tom Hale", "Riding's MP")
    assert (ruiz.name, ruiz.title) == ("Ana Ruiz", "Challenger")


def test_an_organisation_speaks_through_its_statement_and_a_named_role():
    parsed = story("""
        Tax change

        The finance ministry, in a statement, said: “The change is temporary.”

        “It will end in May,” according to a statement from the revenue agency.

        Senator Paul Grant questioned the director, Lisa Wong, for an hour. “We did everything right,”
        she said.
    """)
    found = [(q.speaker.name, q.speaker.kind) for q in parsed.quotes]
    assert found == [
        ("The finance ministry", ORGANISATION),
        ("the revenue agency", ORGANISATION),
        ("Lisa Wong", PERSON),
    ]


def test_a_described_subject_speaks_through_a_participle():
    parsed = story("""
        Site attacked

        One poster admitted to being part of the effort, writing in a blog post “I joined in because it
        was fun.”

        A local shopkeeper was angry, saying “Nobody told us anything.”
    """)
    found = [(q.speaker.name, q.speaker.kind) for q in parsed.quotes]
    assert found == [("One poster", ANONYMOUS), ("A local shopkeeper", ANONYMOUS)]


def test_an_organisation_named_with_and_speaks_through_its_spokesperson():
    parsed = story(
        """Crash

        A Northshire Fire and Rescue Service spokesperson said two people were cut free. “Crews worked
        for an hour,” the spokesperson continued."""
    )
    (quote,) = parsed.quotes
    assert quote.speaker.name.casefold() == "a northshire fire and rescue service spokesperson"
    assert quote.speaker.kind == ANONYMOUS
