"""Every ``entente`` command: its name, arguments, options and help, and the function that does its work.

The work is in ``reads``, ``overview``, ``exports``, ``service`` and ``ledger``, each
imported by the command that needs it when it runs: those modules load the store, the
rules, Rich and what else a command uses, so ``entente -h`` and ``entente COMMAND -h``,
which read only what is declared here, answer at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from entente.cli import completion, speech
from entente.cli.app import Context, _day, _moment, _viewer, at_option, json_option, main, pass_context

if TYPE_CHECKING:
    from entente.secretariat.viewers import Viewer


class _Kinds(click.Choice):
    """The kinds of entry, read from the vocabulary when first asked for (a command line naming one, or
    ``record -h``): importing it (msgspec) was most of what ``entente -h`` took."""

    def __init__(self) -> None:
        super().__init__(())

    @property
    def choices(self) -> tuple[Any, ...]:
        from entente.vocabulary.events import KINDS

        return tuple(sorted(KINDS))

    @choices.setter
    def choices(self, _given: Any) -> None:
        pass  # set by ``click.Choice`` to what was given, which is nothing: the kinds are the vocabulary's

# --- Views of the record ----------------------------------------------------------------------------------


@main.command()
@at_option
@pass_context
def overview(ctx: Context, at: str | None) -> None:
    """The union on one screen: its instruments, conferences and breaches, then what to ask next."""
    from entente.cli import overview

    overview.overview(ctx, at)


@main.command()
@json_option
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV, a row an event, for a spreadsheet.")
@click.option("--bom", is_flag=True, help="Begin the CSV with a UTF-8 byte-order mark, so that spreadsheet "
              "programs read its Latvian and Lithuanian letters.")
@at_option
@pass_context
def timeline(ctx: Context, as_json: bool, as_csv: bool, bom: bool, at: str | None) -> None:
    """Every event in date order, with its source, as the viewer could know them on the day; as JSON or CSV, each
    row with the record's version."""
    if as_json or as_csv:
        from entente.cli import versioned

        versioned.timeline(ctx, as_csv, bom, at)
        return
    from entente.cli import reads

    reads.timeline(ctx, as_json, as_csv, bom, at)


@main.command()
@json_option
@pass_context
def conferences(ctx: Context, as_json: bool) -> None:
    """The conferences of the parties, numbered where they belong to a periodic series."""
    from entente.cli import reads

    reads.conferences(ctx, as_json)


@main.command()
@at_option
@json_option
@pass_context
def state(ctx: Context, at: str | None, as_json: bool) -> None:
    """Which instruments exist at a date, their status, and who is bound by each."""
    from entente.cli import reads

    reads.state(ctx, at, as_json)


@main.command()
@at_option
@click.option("--reading", help="One reading of the contested articles (default: every reading, where they differ).")
@json_option
@pass_context
def compliance(ctx: Context, at: str | None, reading: str | None, as_json: bool) -> None:
    """Findings of every rule of every instrument: met, breach, pending or not applicable."""
    from entente.cli import kept

    if as_json and kept.printed_kept(ctx, "compliance", kept.compliance_asked(at, reading)):
        return
    from entente.cli import reads

    reads.compliance(ctx, at, reading, as_json)


@main.command()
@at_option
@json_option
@pass_context
def due(ctx: Context, at: str | None, as_json: bool) -> None:
    """What is due next, soonest first: conferences, hosts, responses, conditions in force."""
    from entente.cli import kept

    if as_json and kept.printed_kept(ctx, "due", kept.due_asked(at)):
        return
    if not as_json and (found := kept.found(ctx, "due", kept.due_asked(at))) is not None:
        from entente.cli import drawn

        drawn.show_kept(found, False, drawn.due)
        return
    from entente.cli import reads

    reads.due(ctx, at, as_json)


@main.command()
@click.argument("instrument", required=False, shell_complete=completion.instruments)
@at_option
@click.option("--since", "since", callback=_day, help="An earlier day, written as --at is: show what changed in "
              "the rules' settings from then to the day.")
@json_option
@pass_context
def treaty(ctx: Context, instrument: str | None, at: str | None, since: str | None, as_json: bool) -> None:
    """The treaties article by article on the day, each beside the rules that execute it (or only INSTRUMENT):
    the passages the settings cite marked, the settings in force and the decisions that set them."""
    from entente.cli import reads

    reads.treaty(ctx, instrument, at, since, as_json)


@main.command()
@click.argument("code", shell_complete=completion.parties)
@at_option
@json_option
@pass_context
def party(ctx: Context, code: str, at: str | None, as_json: bool) -> None:
    """One party on one day: what binds it, what is due from it, and its own breaches."""
    from entente.cli import reads

    reads.party(ctx, code, at, as_json)


@main.command()
@click.argument("query")
@json_option
@pass_context
def search(ctx: Context, query: str, as_json: bool) -> None:
    """Entries with every word of QUERY, best first; case and accents do not matter (vilnas finds Viļņas)."""
    from entente.cli import reads

    reads.search(ctx, query, as_json)


@main.command()
@click.argument("entry_id")
@json_option
@pass_context
def history(ctx: Context, entry_id: str, as_json: bool) -> None:
    """Every version of one entry: as first recorded, then each correction or retraction, with its reason."""
    from entente.cli import reads

    reads.history(ctx, entry_id, as_json)


@main.command()
@json_option
@pass_context
def audit(ctx: Context, as_json: bool) -> None:
    """Refused writes, for the secretariat."""
    from entente.cli import reads

    reads.audit(ctx, as_json)


# --- Exports ----------------------------------------------------------------------------------------------


@main.command()
@at_option
@click.option("--output", "output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the .ics to this file instead of standard output.")
@pass_context
def calendar(ctx: Context, at: str | None, output: Path | None) -> None:
    """The conferences, the next conference due and the deadlines, as an iCalendar (.ics) file."""
    from entente.cli import exports

    exports.calendar(ctx, at, output)


@main.command("next")
@at_option
@json_option
@pass_context
def next_(ctx: Context, at: str | None, as_json: bool) -> None:
    """The proposed next conference of each periodic series: host, latest and earliest day, place."""
    from entente.cli import exports

    exports.next_(ctx, at, as_json)


@main.command()
@json_option
@pass_context
def code(ctx: Context, as_json: bool) -> None:
    """Alliance coding (ATOP core variables) of each instrument with rules, derived from the treaty files and record."""
    from entente.cli import exports

    exports.code(ctx, as_json)


@main.command()
@json_option
@pass_context
def bibliography(ctx: Context, as_json: bool) -> None:
    """Every work the record cites, as a bibliography lists it, with the entries that rest on it; as JSON, each
    work with the record's version."""
    if as_json:
        from entente.cli import versioned

        versioned.bibliography(ctx)
        return
    from entente.cli import exports

    exports.bibliography(ctx, as_json)


# --- Writes, tokens and the server ------------------------------------------------------------------------


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_context
def load(ctx: Context, files: tuple[Path, ...]) -> None:
    """Record the events of record files (YAML); a file with any bad entry records nothing."""
    from entente.cli import service

    service.load(ctx, files)


@main.command()
@click.argument("kind", type=_Kinds())
@click.option("--data", help="The event as JSON (its fields; without an id the record names it).")
@click.option("--file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The event in a .json or .yaml file.")
@click.option("--key", help="An idempotency key: a retry with the same key records nothing more.")
@click.option("--if-match", "if_match", help="The view tag of your last read (shown after each write); "
              "refused if the record changed since.")
@json_option
@pass_context
def record(ctx: Context, kind: str, data: str | None, file: Path | None, key: str | None,
           if_match: str | None, as_json: bool) -> None:
    """Record one event as the viewer of --as (default the secretariat), with the API's checks."""
    from entente.cli import service

    service.record(ctx, kind, data, file, key, if_match, as_json)


@main.command()
@click.argument("entry")
@click.argument("field")
@click.option("--requested-by", "requested_by", required=True,
              help="Who asked for the erasure (the person named, or who speaks for them).")
@click.option("--reason", required=True, help="Why the value is erased, such as the law the request rests on.")
@click.option("--date", help="The day of the erasure, in EDTF (default: today).")
@click.option("--key", help="An idempotency key: a retry with the same key records nothing more.")
@json_option
@pass_context
def erase(ctx: Context, entry: str, field: str, requested_by: str, reason: str, date: str | None,
          key: str | None, as_json: bool) -> None:
    """Erase personal data (FIELD, such as participants/0/person) from ENTRY for every viewer (the secretariat's).

    The value leaves the store; its salted digest stays, so every log, checkpoint and proof stays valid. The
    erasure is recorded as an entry of its own, saying who asked and why, never the value."""
    from entente.cli import service

    service.erase(ctx, entry, field, requested_by, reason, date, key, as_json)


@main.command("what-if")
@click.argument("scenario", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@at_option
@json_option
@pass_context
def what_if_(ctx: Context, scenario: Path, at: str | None, as_json: bool) -> None:
    """Replay the union with SCENARIO's changes (a YAML file) and show every finding, state line and thing due
    that changes, the record's answer beside the scenario's; nothing is recorded."""
    from entente.cli import what_if

    what_if.what_if_command(ctx, scenario, at, as_json)


@main.command()
@click.argument("finding")
@at_option
@click.option("--lang", default=None,
              help="The language of the article's text (en, lv, lt, et, fr, de, ru; English where it lacks it). "
                   "Default: the command line's language (entente --lang), else en.")
@json_option
@pass_context
def why(ctx: Context, finding: str, at: str | None, lang: str | None, as_json: bool) -> None:
    """Why FINDING (its id, as `compliance --json` gives it) comes out as it does: the article and its text, the
    reading, the settings in force with the entry that set them, the entries counted and left out, each step."""
    from entente.cli import why

    why.why_command(ctx, finding, at, lang or speech.lang(), as_json)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="The port.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Server processes sharing the port, each holding the views and kept current from the "
                   "store (more answer more requests at once, on more cores, each holding its own memory).")
@pass_context
def serve(ctx: Context, host: str, port: int, workers: int) -> None:
    """Serve the HTTP API (JSON; the OpenAPI document is at /schema/openapi.json)."""
    from entente.cli import service

    service.serve(ctx, host, port, workers)


@main.group()
def token() -> None:
    """Bearer tokens for the HTTP API, one per viewer (a party, the public or the secretariat)."""


@token.command("create")
@click.option("--for", "for_viewer", required=True, callback=_viewer,
              help="The viewer the token stands for: a party's code, 'public' or 'secretariat'.")
@click.option("--label", help="A note saying whose token it is.")
@click.option("--expires", callback=_moment, help="When the token stops working: a day (to its "
              "end) or a UTC date-time.  Without it the token works until revoked.")
@pass_context
def token_create(ctx: Context, for_viewer: Viewer, label: str | None, expires: str | None) -> None:
    """Issue a token; it is printed once and only its hash is kept."""
    from entente.cli import service

    service.token_create(ctx, for_viewer, label, expires)


@token.command("revoke")
@click.argument("token_id")
@pass_context
def token_revoke(ctx: Context, token_id: str) -> None:
    """Revoke a token by its id; requests with it get 401 from now on."""
    from entente.cli import service

    service.token_revoke(ctx, token_id)


@token.command("list")
@json_option
@pass_context
def token_list(ctx: Context, as_json: bool) -> None:
    """Every token issued: its id, viewer, label and dates (never the token itself)."""
    from entente.cli import service

    service.token_list(ctx, as_json)


# --- The viewer's log -------------------------------------------------------------------------------------


@main.command()
@pass_context
def checkpoint(ctx: Context) -> None:
    """A signed checkpoint of the viewer's log (its size and root hash), as JSON to keep."""
    from entente.cli import ledger

    ledger.checkpoint(ctx)


@main.command("public-key")
@pass_context
def public_key(ctx: Context) -> None:
    """The public key that checks every checkpoint, as base64 of its 32 bytes, with its id."""
    from entente.cli import ledger

    ledger.public_key(ctx)


@main.command()
@click.argument("entry")
@pass_context
def proof(ctx: Context, entry: str) -> None:
    """The proof that ENTRY is in the viewer's log, with the checkpoint it is proved against."""
    from entente.cli import ledger

    ledger.proof(ctx, entry)


@main.command()
@click.option("--against", "against", type=click.Path(dir_okay=False, path_type=Path),
              help="A checkpoint kept earlier (a file of `entente checkpoint`): the log must continue it.")
@json_option
@pass_context
def verify(ctx: Context, against: Path | None, as_json: bool) -> None:
    """Check the viewer's entries and log; the secretariat's check covers the whole record."""
    from entente.cli import ledger

    ledger.verify(ctx, against, as_json)


@main.command()
@click.argument("url")
@click.option("--log-key", "log_key", required=True,
              help="The log's verifier key, as `entente public-key` gives it, received from the secretariat.")
@click.option("--key", "key_file", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The witness's own signing key (made there, mode 600, on first use).")
@click.option("--state", "state_file", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Where the witness keeps the last checkpoint it cosigned of each log.")
@click.option("--name", required=True, help="The witness's key name, such as witness.example.org.")
@click.option("--token", help="A token of the party whose log is watched (default: the public's log).")
def witness(url: str, log_key: str, key_file: Path, state_file: Path, name: str, token: str | None) -> None:
    """Cosign the checkpoint of the log served at URL, once it continues the last one this witness cosigned."""
    from entente.cli import witness as work

    work.witness(url, log_key, key_file, state_file, name, token)


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--to", "recipients", multiple=True,
              help="Seal the backup to this public key (an age recipient, age1…, or an SSH public key); repeatable.")
@pass_context
def backup(ctx: Context, file: Path, recipients: tuple[str, ...]) -> None:
    """Write the record, every viewer's checkpoint and the public key to FILE (the secretariat's)."""
    from entente.cli import ledger

    ledger.backup(ctx, file, list(recipients))


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--identity", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The age identity file (or SSH private key) that opens a sealed backup.")
@pass_context
def restore(ctx: Context, file: Path, identity: Path | None) -> None:
    """Restore a backup into the store of --db (new, or holding a beginning of the same record)."""
    from entente.cli import ledger

    ledger.restore(ctx, file, identity)
