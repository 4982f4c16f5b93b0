"""The `survey` command: the partners' answers per year and principle (civsam.survey).

    python -m civsam survey --year 2025 --json
"""

import json

import click

from civsam.cli.common import command, json_option, say


@command("survey", "partnerenkätens svar per år och princip", "python -m civsam survey --year 2025 --json",
         "Andel och medelvärde visas inte (null i JSON) för en princip med färre än fem svarande.")
@click.option("--year", type=int, help="bara det året")
@json_option
def survey(year: int | None, as_json: bool) -> int:
    from civsam.db import open_store
    from civsam.formatting import format_number
    from civsam.survey import survey_json

    answer = survey_json(open_store(), year)
    if as_json:
        say(json.dumps(answer, ensure_ascii=False, indent=2))
        return 0
    if not answer["years"]:
        say("Inga enkätsvar" + (f" för {year}." if year else ". Importera en export från Microsoft Forms."))
    for survey_year, figures in answer["years"].items():
        say(f"{survey_year}: {figures['responses']} svar")
        for principle, values in figures["principles"].items():
            shown = ("för få svar" if values["agree_share"] is None else
                     f"{format_number(100 * values['agree_share'])} % instämmer, "
                     f"medel {format_number(values['mean'], 1)}")
            say(f"  {principle}: {values['n']} svarande, {shown}")
    return 0


COMMANDS = (survey,)
