"""Storing activities with their organisation links, and setting an activity's or an agreement's partners and an
organisation's umbrella organisations.

`store_activities` is the one way new activities go in: the import (civsam.importing), the demo (civsam.demo)
and logging a single activity all use it. Each activity is stored with its sector mask and each link with the
copies of its activity's facts and its organisation's sector that the pages count by (migration 0005).
"""

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import NamedTuple

from sqlalchemy import Connection, insert, select

from civsam.db import bulk_insert, insert_columns, reserve_ids
from civsam.keys import each_distinct
from civsam.models import Activity, activity_organisations, agreement_organisations, organisation_memberships
from civsam.reference import sector_mask

activities_table = Activity.__table__
# what each organisation link copies from its activity (migration 0005 keeps its own frozen list)
LINK_FACTS = ("date", "county", "municipality_code", "project", "hours", "youth")


class Partner(NamedTuple):
    """An organisation an activity is with, as its link stores it."""

    id: int
    sector: str


def store_activities(connection: Connection, columns: dict[str, list],
                     partners: Sequence[tuple[Partner, ...]]) -> list[int]:
    """Store new activities given column by column (the activities table's columns but id and sectors; a column
    left out is NULL) and their partners, one tuple per activity, each organisation once. Returns their ids.
    Activities that share a partner tuple share its object: each tuple's sector mask is worked out once."""
    ids = reserve_ids(connection, activities_table, len(partners))
    activity_columns = {"id": ids, **columns,
                        "sectors": each_distinct(partners, lambda each: sector_mask(p.sector for p in each))}
    links = [(position, partner) for position, each in enumerate(partners) for partner in each]
    linked = [position for position, _ in links]  # the position of each link's activity
    link_columns = {
        "activity_id": list(map(ids.__getitem__, linked)),
        "organisation_id": [partner.id for _, partner in links],
        "sector": [partner.sector for _, partner in links],
        **{fact: list(map(columns[fact].__getitem__, linked)) for fact in LINK_FACTS}}
    with bulk_insert(connection, [activities_table, activity_organisations], len(ids)):
        insert_columns(connection, activities_table, activity_columns)
        insert_columns(connection, activity_organisations, link_columns)
    return ids


def set_activity_organisations(connection: Connection, activity_id: int, organisation_ids: Iterable[int]) -> None:
    """Give a stored activity these partners; triggers copy each link's facts and sector (migration 0005)."""
    connection.execute(activity_organisations.delete().where(activity_organisations.c.activity_id == activity_id))
    connection.execute(insert(activity_organisations),
                       [{"activity_id": activity_id, "organisation_id": oid} for oid in sorted(set(organisation_ids))])


def set_agreement_organisations(connection: Connection, agreement_id: int, organisation_ids: Iterable[int]) -> None:
    connection.execute(agreement_organisations.delete().where(agreement_organisations.c.agreement_id == agreement_id))
    links = [{"agreement_id": agreement_id, "organisation_id": oid} for oid in sorted(set(organisation_ids))]
    connection.execute(insert(agreement_organisations), links)


def set_umbrellas(connection: Connection, member_id: int, umbrella_ids: Iterable[int]) -> None:
    """Make an organisation a member of exactly these umbrella organisations."""
    connection.execute(organisation_memberships.delete().where(organisation_memberships.c.member_id == member_id))
    links = [{"member_id": member_id, "umbrella_id": oid} for oid in sorted(set(umbrella_ids))]
    if links:
        connection.execute(insert(organisation_memberships), links)


def stored_umbrellas(connection: Connection) -> dict[int, set[int]]:
    """Each member organisation's umbrella organisations, by id."""
    umbrellas: dict[int, set[int]] = {}
    for member_id, umbrella_id in connection.execute(select(organisation_memberships)):
        umbrellas.setdefault(member_id, set()).add(umbrella_id)
    return umbrellas


def membership_cycle(umbrellas: Mapping[Hashable, Iterable[Hashable]], start: Hashable) -> list | None:
    """A chain of memberships that leads from `start` back to itself (start, its umbrella, …, start), or None.
    An organisation cannot be its own member, however many umbrellas lie between."""
    path, seen = [start], set()

    def reach(organisation) -> bool:
        for umbrella in sorted(umbrellas.get(organisation, ()), key=str):
            path.append(umbrella)
            if umbrella == start or (umbrella not in seen and not seen.add(umbrella) and reach(umbrella)):
                return True
            path.pop()
        return False

    return path if reach(start) else None
