"""Transcript and broadcast speaker labels name a person and the role the label states (made-up text)."""

from __future__ import annotations


def people(ex):  # type: ignore[no-untyped-def]
    return {e.name: e.roles for e in ex.entities if e.kind == "person"}


BRIEFING = ("Briefing on the harbour talks\n\n"
            "MODERATOR: Good afternoon everyone, and thank you for coming to the briefing today.\n\n"
            "SECRETARY WALLACE: Thank you. We have reached an agreement with the port authority.\n\n"
            "(SOUNDBITE) (English) FOREIGN MINISTER OLUWASEUN ADEYEMI, SAYING: We welcome the agreement.\n\n"
            "UNIDENTIFIED MALE: When will the cranes arrive at the harbour?\n\n"
            "SECRETARY WALLACE: Next month, if the weather holds.")


def test_a_label_names_the_person_and_the_role(extract) -> None:  # type: ignore[no-untyped-def]
    found = people(extract(BRIEFING))
    assert found == {"Wallace": ["Secretary"], "Oluwaseun Adeyemi": ["Foreign Minister"]}


def test_a_soundbite_cue_is_no_organization(extract) -> None:  # type: ignore[no-untyped-def]
    ex = extract(BRIEFING)
    assert not any("SOUNDBITE" in e.name.upper() for e in ex.entities)
    names = {e.key: e.name for e in ex.entities}
    [q] = [q for q in ex.quotes if "welcome the agreement" in q.text]
    assert names[q.speaker_key] == "Oluwaseun Adeyemi"  # type: ignore[index]


def test_a_label_joins_the_full_name_of_the_body(extract) -> None:  # type: ignore[no-untyped-def]
    ex = extract("Port talks\n\nSecretary Ada Wallace met the port authority on Monday.\n\n"
                 "SECRETARY WALLACE: We have an agreement.\n\nQUESTIONER: When do the cranes arrive?")
    assert people(ex) == {"Ada Wallace": ["Secretary"]}


def test_a_role_after_the_name(extract) -> None:  # type: ignore[no-untyped-def]
    ex = extract("Evening news\n\n"
                 "(SOUNDBITE OF ARCHIVED RECORDING) WANDA PIKE, PORT DIRECTOR, SAYING: The cranes broke down.\n\n"
                 "JANE DOBRESCU (D-OHIO): The port needs money now.")
    assert people(ex) == {"Wanda Pike": ["Port Director"], "Jane Dobrescu": []}


def test_an_abbreviated_title_is_no_part_of_the_name(extract) -> None:  # type: ignore[no-untyped-def]
    ex = extract("Hearing transcript\n\n"
                 "SEN. ELIZA WARDENFIELD (D-MA): The committee will come to order.\n\n"
                 "DR. ANA RUIZOVA: The cases are falling this week.\n\n"
                 "CROWD: (Chanting)")
    assert set(people(ex)) == {"Eliza Wardenfield", "Ana Ruizova"}
