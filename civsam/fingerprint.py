"""An activity's fingerprint: what makes the same meeting typed again recognisable, IDs aside.

It is sha256 of json.dumps(content, sort_keys=True), where the content is what the row says
(CONTENT_FIELDS), its organisations' name keys sorted and its responsible's name key. Stored
fingerprints depend on that text, so it never changes; the importer recognises a row it has stored
before by it, and the demo gives its activities fingerprints the same way. The text is composed here
column by column, as json.dumps would write it, from the encoding of each distinct value: a log
repeats its dates, places and partners on thousands of rows (tests/test_properties.py checks that it
is json.dumps's text).
"""

import datetime as dt
import hashlib
import json
from json.encoder import encode_basestring_ascii

from civsam.keys import each_distinct, name_key

# what a row says about an activity, its ID aside
CONTENT_FIELDS = ("date", "type", "title", "municipality_code", "county", "hours", "participants", "cost_sek",
                  "project", "youth", "comment")
KEYS = sorted((*CONTENT_FIELDS, "organisations", "responsible"))
TEXT = "{{" + ", ".join(f'"{key}": {{}}' for key in KEYS) + "}}"  # json.dumps of a dict with these keys


def fingerprints(content: dict[str, list], organisation_names: list[tuple[str, ...]],
                 responsibles: list[str | None]) -> list[str]:
    """The fingerprint of each activity, given column by column: CONTENT_FIELDS, then the organisations'
    and the responsible's names as typed."""
    columns = {key: content[key] for key in CONTENT_FIELDS}
    columns["organisations"] = each_distinct(organisation_names, lambda names: tuple(sorted(map(name_key, names))))
    columns["responsible"] = each_distinct(responsibles, lambda name: name_key(name) if name else None)
    texts = map(TEXT.format, *(_encoded(columns[key]) for key in KEYS))
    return [hashlib.sha256(text.encode()).hexdigest() for text in texts]


def _encoded(values: list) -> list[str]:
    """What json.dumps writes for each value (for a text, what json.dumps itself calls)."""
    return each_distinct(values, lambda value: encode_basestring_ascii(value) if type(value) is str else json.dumps(
        value.isoformat() if isinstance(value, dt.date) else value))
