"""How civsam tells values apart: a name's key, and a column's distinct values.

Below both the store and the import: the store keys what it writes (civsam.links, civsam.people, civsam.demo)
as the import looks it up (civsam.importing), and a log repeats its dates, places and partners on thousands of
rows, so a column is worked on once per distinct value."""

import functools
from array import array
from collections.abc import Callable, Sequence

NUMBER_TYPES = {bool, int, float}
CODE_TYPE = "I"  # an unsigned 32-bit row code: a sheet has at most 1 048 576 rows
Column = tuple[list, array]  # a column's distinct cells, and for each row the position of its cell among them
PSEUDONYMISED = "(pseudonymiserad)"  # how a pseudonym civsam gives ends (civsam.people)


@functools.lru_cache(maxsize=100_000)  # an import asks for the same few hundred names on every row
def name_key(name: str) -> str:
    """The identity of an organisation or person name: case and spacing do not count."""
    return " ".join(name.casefold().split())


def distinct_codes(values: Sequence) -> Column:
    """Each distinct value once, in order of first appearance, and for each value its position among them.
    1, 1.0 and True are equal in Python but distinct here: a cell reads, and json.dumps writes, each
    differently. Only a column whose distinct values include a number can have merged two of them."""
    positions: dict = {}
    codes = array(CODE_TYPE, [positions.setdefault(value, len(positions)) for value in values])  # new: the next
    if NUMBER_TYPES.isdisjoint(map(type, positions)) or len(NUMBER_TYPES.intersection(map(type, values))) < 2:
        return list(positions), codes
    typed: dict = {}
    codes = array(CODE_TYPE, [typed.setdefault(key, len(typed)) for key in zip(map(type, values), values)])
    return [value for _, value in typed], codes


def each_distinct(values: list, compute: Callable) -> list:
    """compute(value) for each value, worked out once per distinct value (a log repeats its dates, places and
    partners on thousands of rows)."""
    distinct, codes = distinct_codes(values)
    results = list(map(compute, distinct))
    return list(map(results.__getitem__, codes))
