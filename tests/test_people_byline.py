"""Bylines: document metadata (author) and a person with the byline's role, through build and export."""

from __future__ import annotations

import json
from pathlib import Path

from corpus.build import build_index
from corpus.store import open_index, read_export


def test_byline_author_is_metadata_and_a_person(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "port.txt").write_text(
        " date 2021-06-08 Harbour reopens after storm\n\n"
        "Tomas Brandt, Harbour News maritime correspondent\n\n"
        "The harbour reopened on Tuesday after a week of repairs, officials said.\n\n"
        "Mayor Ilse Varga thanked the crews who worked through the night.\n",
        encoding="utf-8",
    )
    build_index([tmp_path / "docs"], tmp_path / "i.sqlite3")
    conn = open_index(tmp_path / "i.sqlite3")
    try:
        export = json.loads(read_export(conn).model_dump_json())
    finally:
        conn.close()
    [doc] = export["documents"]
    assert doc["author"] == "Tomas Brandt"
    people = {e["name"]: [r["text"] for r in e["roles"]] for e in export["entities"] if e["kind"] == "person"}
    assert people["Tomas Brandt"] == ["Harbour News maritime correspondent"]
