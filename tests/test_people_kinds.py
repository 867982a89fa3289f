"""The model's person / non-person calls corrected from evidence in the article, on made-up text."""

from __future__ import annotations

import pytest

from corpus.entities import is_forename


def kinds(ex):  # type: ignore[no-untyped-def]
    return {e.name: e.kind for e in ex.entities}


def test_forenames_come_from_the_name_list() -> None:
    assert is_forename("Helen") and is_forename("Luis")
    assert not is_forename("The") and not is_forename("Asia") and not is_forename("Eversholt")


@pytest.mark.parametrize(("text", "name", "kind"), [
    ("The deal was handled by the law firm Brackwater Pendle, which declined to comment.", "Brackwater Pendle",
     "organization"),
    ("Viewers of Harbour PBS saw the match, Harbour PBS said.", "Harbour PBS", "organization"),
    ("Fossils from the Holocene period were found. The Holocene period was warm.", "Holocene", None),
    ("Ada Brennock, famous for her role in the 1969 film Easy Rider, spoke first.", "Easy Rider", None),
    ("She launched her graphic novel Angel Catbird with illustrator Tom Veller.", "Angel Catbird", None),
])
def test_names_the_text_treats_as_no_person(extract, text: str, name: str, kind: str | None) -> None:  # type: ignore[no-untyped-def]
    assert kinds(extract(text)).get(name) == kind


def test_a_person_with_a_first_name_and_a_title_is_a_person(extract) -> None:  # type: ignore[no-untyped-def]
    ex = extract("Harbour Radio head of statistics Wendell Okoro said the count was late.")
    assert kinds(ex).get("Wendell Okoro") == "person"


def test_a_surname_of_a_named_person_stays_a_person(extract) -> None:  # type: ignore[no-untyped-def]
    ex = extract("Talia Brennock won the race. Fans cheered for Brennock in Leeds.")
    assert kinds(ex)["Talia Brennock"] == "person"
    assert "Brennock" not in kinds(ex)


@pytest.mark.parametrize(("text", "name"), [
    ("A nurse in Leeds, who asked to be identified as Oyelu, said the ward was full.", "Oyelu"),
    ("His mother Lillian, 81, died on 1 May.", "Lillian"),
    ("Two nurses, Greta from Norway and Luis from Portugal, stayed by his bed.", "Luis"),
    ("Rivervale's Secretary for Trade and Industry Edward Lam said exports rose.", "Edward Lam"),
    ("The penalty was saved by Anton Vandermolen in the 80th minute.", "Anton Vandermolen"),
    ("Reformist Tang Wai-ming from the Harbour League and Newvoice's Dario Sze were elected.",
     "Tang Wai-ming"),
    ("The guests included athletes Linas Karulaitis (tennis) and Jack Pellworth (golf).", "Linas Karulaitis"),
    ("Harbour Party's Regina Tso was re-elected with 41,200 votes.", "Regina Tso"),
    ("Donor Marek J. Kowal-Brzeski said the museum would open in May.", "Marek J. Kowal-Brzeski"),
    ("Anna-Maria Kowalska-Nowak, a lawyer, said the ruling was wrong.", "Anna-Maria Kowalska-Nowak"),
])
def test_people_the_model_called_something_else(extract, text: str, name: str) -> None:  # type: ignore[no-untyped-def]
    assert kinds(extract(text)).get(name) == "person"


def test_headline_fragments_are_no_people(extract) -> None:  # type: ignore[no-untyped-def]
    ex = extract("Okafor Tells Rivervale Supporters To Vote\n\n"
                 "Ada Okafor told reporters in Rivervale on Monday that she would run.")
    people = {e.name for e in ex.entities if e.kind == "person"}
    assert people == {"Ada Okafor"}


def test_titles_and_a_nationality_name_no_one(extract) -> None:  # type: ignore[no-untyped-def]
    ex = extract("Thai King opens a new bridge after a long delay\n\n"
                 "Somchai Rattana, an aide to the King, said the bridge opened on Monday. Thai officials attended "
                 "the King's ceremony.")
    people = {e.name for e in ex.entities if e.kind == "person"}
    assert people == {"Somchai Rattana"}


def test_an_honorific_alone_is_no_name(extract) -> None:  # type: ignore[no-untyped-def]
    ex = extract("Prof Sir Alan Brecker, of the University of Rivervale, said the count was low.")
    people = {e.name for e in ex.entities if e.kind == "person"}
    assert "Sir" not in people and "Alan Brecker" in people


def test_a_platform_with_an_account_is_organization_evidence() -> None:
    from corpus.entities import _organization_evidence
    from corpus.nlp import load_nlp

    doc = load_nlp()("He wrote in a Tumbleweed post that he would resign.")
    assert _organization_evidence(doc[4:5])
    assert not _organization_evidence(load_nlp()("He wrote to Ada Okafor that he would resign.")[3:5])


def test_a_common_word_glued_before_a_name_is_cut(extract) -> None:  # type: ignore[no-untyped-def]
    ex = extract("The vote was close. Nonpartisan Paul Okoye and Mary Lin won seats. "
                 "Two nonpartisan members lost.")
    people = {e.name for e in ex.entities if e.kind == "person"}
    assert "Paul Okoye" in people and not any(n.startswith("Nonpartisan") for n in people)


def test_a_title_case_common_noun_phrase_is_no_person(extract) -> None:  # type: ignore[no-untyped-def]
    ex = extract("Space Barge Tollan landed on Monday. The space barge was full.")
    assert kinds(ex).get("Space Barge Tollan") == "organization"


def test_a_verb_with_its_particle_is_no_name(extract) -> None:  # type: ignore[no-untyped-def]
    ex = extract("Port Reopens\n\nThe port reopened on Monday, officials said.\n\n"
                 "Get Harbour Health's weekly newsletter Sign up here to get the news with Dr. Ada Okafor "
                 "every Tuesday.")
    people = {e.name for e in ex.entities if e.kind == "person"}
    assert "Sign" not in people and "Ada Okafor" in people


@pytest.mark.parametrize(("text", "name", "kind"), [
    ("Prices rose in ocean-front suburbs such as Kellow Brandt last year.", "Kellow Brandt", "place"),
    ("It funds community health centres (Kesmora) in two cities.", "Kesmora", "organization"),
])
def test_place_lists_and_local_words_are_no_people(extract, text: str, name: str, kind: str) -> None:  # type: ignore[no-untyped-def]
    assert kinds(extract(text)).get(name) == kind


def test_caption_credit_labels_and_mission_codes_are_no_people(extract) -> None:  # type: ignore[no-untyped-def]
    ex = extract("Fans met at the hall on Friday, organisers said.\n\nCosplayer Mira Dane Image: Tomas Brandt.\n\n"
                 "Image: Tomas Brandt.\n\nColumbia lifted off on STS-1, the first space shuttle mission.")
    people = {e.name for e in ex.entities if e.kind == "person"}
    assert "Tomas Brandt" in people and not any("Image" in n or any(c.isdigit() for c in n) for n in people)


def test_an_agent_that_is_an_english_word_stays_an_organization(extract) -> None:  # type: ignore[no-untyped-def]
    ex = extract("The bleaching was observed by Coral Reef Watch, which uses satellites.")
    assert kinds(ex).get("Coral Reef Watch") != "person"


def test_a_hyphen_after_a_place_is_no_given_name(extract) -> None:  # type: ignore[no-untyped-def]
    ex = extract("Hong Kong-based lender Harbour Bank said profits rose.")
    assert "person" not in kinds(ex).values()


def test_initials_and_a_surname_as_a_works_maker_are_a_person(extract) -> None:  # type: ignore[no-untyped-def]
    ex = extract("Results of the studies, published in a paper by RG Heddle in 1989, show losses.")
    assert kinds(ex).get("RG Heddle") == "person"


def mentions_as_tagged(text: str, ents: list[tuple[int, int, str]]) -> dict[str, str]:
    """The mentions' kinds of a text whose model entities are set by hand (as the model tags such text in news)."""
    from spacy.tokens import Span

    from corpus.aliases import load_curated
    from corpus.entities import find_mentions
    from corpus.extraction import context
    from corpus.nlp import load_nlp

    doc = load_nlp()(text)
    doc.ents = [Span(doc, start, end, label=label) for start, end, label in ents]
    ctx = context(doc)
    find_mentions(ctx, load_curated(), {})
    return {m.text: m.kind for m in ctx.mentions}


def test_a_lone_word_that_ends_an_organization_name_is_that_organization() -> None:
    text = "Quillsoft Marlin, its main rival, gained users. It is second after Marlin in the count."
    found = mentions_as_tagged(text, [(0, 2, "ORG"), (14, 15, "PERSON")])
    assert found == {"Quillsoft Marlin": "organization", "Marlin": "organization"}


def test_a_person_after_an_organizations_possessive_in_one_entity() -> None:
    found = mentions_as_tagged("Members include Harbour Review's Jonah Pellworth and others. Pellworth wrote a column.",
                               [(2, 7, "ORG"), (11, 12, "PERSON")])
    assert found == {"Jonah Pellworth": "person", "Pellworth": "person"}


def test_a_place_listed_with_a_person_stays_a_place() -> None:
    found = mentions_as_tagged("What can you do so that Orlando or Sandy Brook never happens again?",
                               [(6, 7, "GPE"), (8, 10, "PERSON")])
    assert found["Orlando"] == "place"


@pytest.mark.parametrize("text", ["A Bush-era rule was dropped.", "She backed an Ada Okafor-style plan.",
                                  "He flew to Mar-a-Lago on Friday."])
def test_a_hyphenated_suffix_is_no_given_name(extract, text: str) -> None:  # type: ignore[no-untyped-def]
    assert not any("-" in e.name for e in extract(text).entities if e.kind == "person")


def test_an_east_asian_surname_alone_is_that_person(extract) -> None:  # type: ignore[no-untyped-def]
    ex = extract("Ruling party lawmaker Mok Kin-lai said the vote was fair. Mok added that turnout was high.")
    assert kinds(ex) == {"Mok Kin-lai": "person"}


def test_an_organizations_possessive_before_a_common_word_is_no_person() -> None:
    text = "They wrote about Harbour Review's Latino Problem. The problem is old."
    found = mentions_as_tagged(text, [(3, 8, "ORG")])
    assert "person" not in found.values()


def test_a_title_cased_headline_sentence_gives_no_untagged_name(extract) -> None:  # type: ignore[no-untyped-def]
    ex = extract("Rivervale's Marine Le Fevre Backs Okafor And Denounces Brandt.\n\n"
                 "Rivervale's party leader, Marine Le Fevre, voiced support for Ada Okafor on Monday.")
    assert not any(e.name.endswith("Backs") for e in ex.entities)


@pytest.mark.parametrize(("text", "name"), [
    ("One of the silk screens on show was the Annie Brackley screen print from 1987.", "Annie Brackley"),
    ("The museum bought the Annie Brackley portrait in May.", "Annie Brackley"),
    ("In 2014 the tax rules were changed by the Varlotti government.", "Varlotti"),
])
def test_people_a_work_depicts_or_a_government_is_named_after(extract, text: str, name: str) -> None:  # type: ignore[no-untyped-def]
    assert kinds(extract(text)).get(name) == "person"


@pytest.mark.parametrize(("text", "name"), [
    ("The Labour government said the Thai government had agreed.", "Labour"),
    ("The Labour government said the Thai government had agreed.", "Thai"),
    ("Talks with the Minsk government stalled in May.", "Minsk"),
])
def test_a_party_people_or_city_before_government_is_no_person(extract, text: str, name: str) -> None:  # type: ignore[no-untyped-def]
    assert kinds(extract(text)).get(name) not in {None, "person"}


@pytest.mark.parametrize(("text", "name", "kind"), [
    ("One shop on Jalan Munir Hassan sells rice.", "Jalan Munir Hassan", "place"),
    ('"We are dealing with Marla and the floods," said Cheryl Marsh. Guidance was updated in light of Marla-21.',
     "Marla", None),
    ("They walked along the river, visiting the Tuan Kailok commemorative marker on the bank.", "Tuan Kailok",
     "person"),
])
def test_streets_codes_and_monuments(extract, text: str, name: str, kind: str | None) -> None:  # type: ignore[no-untyped-def]
    assert kinds(extract(text)).get(name) == kind

