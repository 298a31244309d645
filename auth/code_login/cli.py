"""`kompass codes ...`: login codes from the command line."""

from datetime import timedelta

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from auth.code_login import codes
from auth.people import duf
from auth.people.models import Person
from engine.app.context import kompass

group = AppGroup("codes", help="Login codes for respondents.")


@group.command("create")
@click.option("--duf", "duf_text", required=True, help="The person's DUF number (12 digits).")
@click.option(
    "--questionnaire",
    "questionnaire_id",
    help="The questionnaire the code leads to (default: KOMPASS_ACTIVE_QUESTIONNAIRE).",
)
def create(duf_text: str, questionnaire_id: str | None) -> None:
    """Make a new code for a person (replacing earlier ones) and print it with its validity."""
    try:
        number = duf.normalise(duf_text)
    except duf.InvalidDuf as exc:
        raise click.BadParameter("a DUF number is 12 digits, e.g. 202000000000") from exc
    with kompass().sessions() as session:
        person = session.scalars(select(Person).where(Person.duf == number)).first()
        if person is None:
            raise click.ClickException(
                "no person with this DUF number in the registry; import them first "
                "(kompass persons import FILE.csv)"
            )
        served = kompass().registry.served_ids(session)
        if questionnaire_id is not None and questionnaire_id not in served:
            raise click.BadParameter(
                f"no published questionnaire '{questionnaire_id}'; served: {', '.join(served)}"
            )
        cost = current_app.config["KOMPASS_PASSWORD_HASH_COST"]
        new = codes.create(session, person, validity(), cost, questionnaire_id)
        kompass().plugins.hook.kompass_command_done(
            session=session, action="code.create", person_id=person.id, details={}
        )
        click.echo(f"Code: {new.code}")
        click.echo(f"Valid from {new.record.valid_from:%d.%m.%Y %H:%M:%S} UTC")
        click.echo(f"Valid to   {new.record.valid_to:%d.%m.%Y %H:%M:%S} UTC")


def validity() -> timedelta:
    return timedelta(days=current_app.config["KOMPASS_CODE_VALIDITY_DAYS"])
