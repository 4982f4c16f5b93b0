"""Questions asked of the store by name, so a caching layer can key on them: "key_figures" is
civsam.queries.key_figures, "agreements.agreement_overview" is civsam.agreements.agreement_overview.
The dashboard caches the answers (civsam.ui.state); the deck and the report ask directly."""

from sqlalchemy import Engine

from civsam import agreements, queries

SOURCES = {"queries": queries, "agreements": agreements}


def ask(engine: Engine, name: str, *args):
    module, _, function = name.rpartition(".")
    return getattr(SOURCES[module or "queries"], function)(engine, *args)
