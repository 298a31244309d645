"""`kompass persons erase --duf DUF`: erase one person's data on request (audited)."""

import click
from flask.cli import with_appcontext

from auth.people import duf, erasure
from engine.app.context import kompass
from engine.responses import retention


@click.command("erase")
@click.option("--duf", "duf_text", required=True, help="The person's DUF number (12 digits).")
@click.option("--yes", is_flag=True, help="Erase without asking.")
@with_appcontext
def erase_command(duf_text: str, yes: bool) -> None:
    """Erase a person: their mapping, its snapshots, their codes and the person row."""
    try:
        number = duf.normalise(duf_text)
    except duf.InvalidDuf as exc:
        raise click.BadParameter("a DUF number is 12 digits, e.g. 202000000000") from exc
    state = kompass()
    with state.sessions() as session:
        person = erasure.find(session, number)
        if person is None:
            raise click.ClickException("no person with this DUF number in the registry")
        subject = person.subject
        remover = retention.Remover(session, state.plugins.hook, state.registry)
        click.echo(_counts("Will erase:", retention.preview(remover, subject)))
        if not yes:
            click.confirm("Erase this person for good?", abort=True)
        try:
            counts = erasure.erase(remover, subject)
        except erasure.AlreadyErased as exc:
            raise click.ClickException("the person was erased meanwhile") from exc
        state.plugins.hook.kompass_data_removed(
            session=session, actor=None, subject=subject, counts=dict(counts)
        )
        session.commit()
    click.echo(_counts("Erased:", counts))


def _counts(heading: str, counts) -> str:
    return "\n".join([heading, *(f"  {kind}: {n}" for kind, n in sorted(counts.items()))])
