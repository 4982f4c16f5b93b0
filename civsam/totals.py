"""The totals of the whole store, as `python -m civsam summary` prints them: plain SQL without pandas, so the
command starts fast."""

from sqlalchemy import Engine, text

from civsam.reference import COUNTY_NAMES, SECTORS


def summary(engine: Engine) -> dict:
    """Totals of the whole store, as `python -m civsam summary --json` prints them."""
    with engine.connect() as connection:
        totals = connection.execute(text("""
            SELECT COUNT(*) AS activities,
                   COALESCE(SUM(hours), 0) AS hours,
                   COUNT(DISTINCT municipality_code) AS municipalities_covered
            FROM activities
        """)).one()
        by_county = dict(connection.execute(text("""
            SELECT county, COUNT(*) FROM activities GROUP BY county
        """)).all())
        by_sector = dict(connection.execute(text("""
            SELECT sector, COUNT(DISTINCT activity_id) FROM activity_organisations GROUP BY sector
        """)).all())
        resources = connection.execute(text("""
            SELECT year, sector, fte, budget_sek FROM resources ORDER BY year, sector
        """)).mappings().all()
        organisations = connection.execute(text("SELECT COUNT(*) FROM organisations")).scalar_one()
        batches = connection.execute(text("""
            SELECT COUNT(*) FROM import_batches WHERE undone_at IS NULL
        """)).scalar_one()
    return {
        "activities": totals.activities,
        "organisations": organisations,
        "by_county": {county: by_county.get(county, 0) for county in COUNTY_NAMES},
        "by_sector": {sector: by_sector.get(sector, 0) for sector in SECTORS},
        "municipalities_covered": totals.municipalities_covered,
        "hours": float(totals.hours),
        "resources": [dict(row) for row in resources],
        "import_batches": batches,
    }
