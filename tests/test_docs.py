"""The documentation covers everything a union author, an API client or a user of the command line can use, and
nothing that is not there.

As Datasette's documentation tests do, every list here is built from the code, never kept by hand: the event
kinds and their fields from the vocabulary, the rule kinds and their settings from the rules, the operations
from the server's OpenAPI document, the commands from the command line itself.  The reference pages are made
from the same definitions (``python -m entente.reference``); these tests fail when a committed page is not what
the code makes, when a definition lacks its description, when a page documents what does not exist, or when a
page for union authors sends its reader to the code.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

import click
import msgspec
import pytest
import yaml

from entente import reference
from entente.cli import main
from entente.rules import KINDS as RULE_KINDS
from entente.server import create_app
from entente.vocabulary.definition import DEFAULT_UNION
from entente.vocabulary.events import KINDS as EVENT_KINDS
from entente.vocabulary.events import Event

ROOT = Path(__file__).parent.parent
DOCS = ROOT / "docs"
REFERENCE = DOCS / "reference"


def sections(page: Path, level: str = "##") -> dict[str, str]:
    """A page's sections by their heading (a heading in backticks taken bare), each with its text."""
    parts = re.split(rf"^{level} (.+)$", page.read_text(encoding="utf-8"), flags=re.M)
    return {heading.strip("`"): text for heading, text in zip(parts[1::2], parts[2::2], strict=True)}


def rows(text: str) -> dict[str, list[str]]:
    """The rows of the tables in a section: first cell (bare) -> the other cells."""
    out = {}
    for line in text.splitlines():
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
        if cells and not set(cells[0]) <= {"-", " "} and cells[0] not in ("field", "setting", "parameter"):
            out[cells[0].strip("`")] = cells[1:]
    return out


# --- the reference pages are what the code makes ---------------------------------------------------------------


@pytest.mark.parametrize("name", list(reference.PAGES))
def test_each_reference_page_is_what_the_code_makes_of_it(name):
    made = reference.pages()[name]
    path = REFERENCE / name
    assert path.exists() and path.read_text(encoding="utf-8") == made, (
        f"docs/reference/{name} is not what the code makes of it: run `make docs` "
        "(or `.venv/bin/python -m entente.reference`) and commit the page")


# --- events ------------------------------------------------------------------------------------------------------


def _structs_in(t: Any) -> list[type]:
    """The structs a field's type is made of (an entry of another kind aside)."""
    if isinstance(t, type) and issubclass(t, msgspec.Struct):
        return [] if issubclass(t, Event) else [t]
    return [s for a in get_args(t) for s in _structs_in(a)]


def parts() -> dict[str, type]:
    """Every struct, other than an event, that an event's fields are made of, found through the fields' types."""
    found: dict[str, type] = {}
    todo = [f.type for cls in EVENT_KINDS.values() for f in msgspec.structs.fields(cls)]
    while todo:
        for struct in _structs_in(todo.pop()):
            if struct.__name__ not in found:
                found[struct.__name__] = struct
                todo += [f.type for f in msgspec.structs.fields(struct)]
    return found


def test_every_event_kind_and_every_field_is_documented_and_nothing_else():
    page = sections(REFERENCE / "events.md")
    common = {f.encode_name for f in msgspec.structs.fields(Event)}
    documented_kinds = {h for h in page if h in EVENT_KINDS or re.fullmatch(r"[a-z_]+", h)}
    assert documented_kinds == set(EVENT_KINDS), "event kinds documented and in the vocabulary differ"
    assert set(rows(page["Fields every event has"])) == common | {"kind"}
    for kind, cls in EVENT_KINDS.items():
        own = {f.encode_name for f in msgspec.structs.fields(cls)} - common
        documented = rows(page[kind])
        assert set(documented) == own, f"the fields of {kind} differ from its documentation"
        assert "```yaml" in page[kind], f"{kind} has no example"
    for name, struct in parts().items():
        documented = rows(sections(REFERENCE / "events.md", "###")[name])
        assert set(documented) == {f.encode_name for f in msgspec.structs.fields(struct)}, name


def test_every_field_of_every_event_says_what_it_holds():
    page = sections(REFERENCE / "events.md")
    tables = [page["Fields every event has"], *(page[kind] for kind in EVENT_KINDS),
              *(sections(REFERENCE / "events.md", "###")[name] for name in parts())]
    for text in tables:
        for field, (kind_of, required, holds) in rows(text).items():
            assert (kind_of and required in ("yes", "no")) or required.startswith("no (default"), field
            assert holds, f"field {field!r} says nothing of what it holds: give it a line in its Fields: block"


def test_the_documented_values_of_a_field_are_those_it_allows():
    page = sections(REFERENCE / "events.md")
    for kind, cls in EVENT_KINDS.items():
        documented = rows(page[kind])
        for f in msgspec.structs.fields(cls):
            allowed = [v for a in (f.type, *get_args(f.type)) if get_origin(a) is Literal for v in get_args(a)]
            if f.encode_name in documented and allowed:
                assert re.findall(r"`([^`]+)`", documented[f.encode_name][0]) == allowed, (kind, f.encode_name)


def test_every_example_of_an_event_is_an_entry_of_its_kind():
    """An example shown (from the bundled record, or a kind's own) decodes as an entry of the kind it illustrates."""
    page = sections(REFERENCE / "events.md")
    for kind, cls in EVENT_KINDS.items():
        example = re.search(r"```yaml\n(.*?)```", page[kind], re.DOTALL)
        assert example, kind
        [entry] = yaml.safe_load(example[1])
        assert entry.pop("kind") == kind
        msgspec.convert(entry, cls, strict=False)


# --- rule kinds --------------------------------------------------------------------------------------------------


def _settings(struct: type, prefix: str = "") -> set[str]:
    names = set()
    for f in msgspec.structs.fields(struct):
        names.add(prefix + f.encode_name)
        for nested in _structs_in(f.type):
            names |= _settings(nested, f"{prefix}{f.encode_name}.")
    return names


def test_every_rule_kind_and_every_setting_is_documented_and_nothing_else():
    page = sections(REFERENCE / "rules.md")
    assert set(page) == set(RULE_KINDS), "rule kinds documented and in the code differ"
    for kind, module in RULE_KINDS.items():
        documented = rows(page[kind])
        assert set(documented) == _settings(module.Settings), f"the settings of {kind} differ from its documentation"
        for setting, (kind_of, default, says) in documented.items():
            assert kind_of and default and says, f"{kind}: setting {setting!r} lacks its type, default or description"


def test_the_rule_kinds_page_reads_the_settings_as_treaty_files_write_them():
    """Each setting's default, as the page has it, is what a rule given no value for it gets."""
    page = sections(REFERENCE / "rules.md")
    for kind, module in RULE_KINDS.items():
        for f in msgspec.structs.fields(module.Settings):
            default = rows(page[kind])[f.encode_name][1]
            assert (default == "required") == f.required, (kind, f.encode_name)
            if isinstance(f.default, int | str) and not isinstance(f.default, bool):
                assert default == f"`{f.default}`", (kind, f.encode_name)


# --- the HTTP API ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def openapi(tmp_path_factory) -> dict[str, Any]:
    app = create_app(str(tmp_path_factory.mktemp("openapi") / "docs.db"), DEFAULT_UNION)
    return app.openapi_schema.to_schema()


def _operations(openapi: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f"{method.upper()} {path}": op for path, item in openapi["paths"].items()
            for method, op in item.items() if method in ("get", "post", "put", "patch", "delete")}


def test_every_api_operation_is_documented_and_nothing_else(openapi):
    text = (REFERENCE / "api.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`((?:GET|POST|PUT|PATCH|DELETE) /[^`]*)`", text))
    assert documented == set(_operations(openapi)), "operations documented and served differ"


def test_every_api_operation_and_parameter_says_what_it_does(openapi):
    for name, op in _operations(openapi).items():
        assert op.get("description", "").strip(), f"{name} has no description: give its handler a docstring"
        for parameter in op.get("parameters", []):
            assert parameter.get("description"), f"{name}: parameter {parameter['name']} has no description"


def test_every_api_address_a_page_names_is_served(openapi):
    served = [re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path)) + "$") for path in openapi["paths"]]
    for page in [ROOT / "README.md", *DOCS.rglob("*.md")]:
        for address in re.findall(r"`(?:[A-Z]+ )?(/api/[^`?\s]*)", page.read_text(encoding="utf-8")):
            assert any(p.match(address) for p in served), f"{page.name} names {address}, which is not served"


# --- the command line --------------------------------------------------------------------------------------------


def commands(group: click.Group = main, path: str = "entente",
             parent: click.Context | None = None) -> dict[str, click.Command]:
    ctx = click.Context(group, info_name=path.rsplit(" ", 1)[-1], parent=parent)
    found: dict[str, click.Command] = {}
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if command is not None and not command.hidden:
            found[f"{path} {name}"] = command
            if isinstance(command, click.Group):
                found |= commands(command, f"{path} {name}", ctx)
    return found


def test_every_command_is_documented_and_nothing_else():
    documented = {h for h in sections(REFERENCE / "cli.md") if h.startswith("entente ")}
    assert documented == set(commands()), "commands documented and in the command line differ"


def test_every_command_and_option_says_what_it_does():
    for line, command in {"entente": main, **commands()}.items():
        assert (command.help or "").strip(), f"{line} has no help"
        for option in command.params:
            if isinstance(option, click.Option) and not option.hidden:
                assert option.help, f"{line} {option.opts[0]} has no help"


def test_every_command_a_page_names_exists():
    known = {line.split(" ", 1)[1] for line in commands()}
    for page in [ROOT / "README.md", *DOCS.glob("*.md")]:
        for named in re.findall(r"`entente ([a-z][a-z-]*(?: [a-z][a-z-]*)?)", page.read_text(encoding="utf-8")):
            first = named.split(" ")[0]
            assert first in known or named in known, f"{page.name} names `entente {named}`, which is no command"


# --- the pages ---------------------------------------------------------------------------------------------------


def _nav_pages(entries: list[Any]) -> list[str]:
    out = []
    for entry in entries:
        for value in (entry.values() if isinstance(entry, dict) else [entry]):
            out += _nav_pages(value) if isinstance(value, list) else [value]
    return out


def nav() -> dict[str, list[str]]:
    """Each section of the site's navigation -> its pages."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    return {title: _nav_pages(value if isinstance(value, list) else [value])
            for entry in config["nav"] for title, value in entry.items()}


def test_every_page_is_in_the_navigation():
    listed = {page for pages in nav().values() for page in pages}
    assert listed == {str(p.relative_to(DOCS)) for p in DOCS.rglob("*.md")}


def test_no_page_for_union_authors_sends_its_reader_to_the_code():
    """Only the contributors' pages speak of source files; a union's own data files may be named anywhere."""
    for section, pages in nav().items():
        if section == "Contributing":
            continue
        for name in pages:
            text = (DOCS / name).read_text(encoding="utf-8")
            assert not re.findall(r"[\w/]+\.py\b", text), f"{name} names a source file"
            assert not re.findall(r"src/entente/(?!unions/)", text), f"{name} sends its reader into src/entente"


def test_the_readme_is_a_front_door_whose_links_all_lead_somewhere():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", text):
        assert target.startswith("http") or (ROOT / target).exists(), f"README.md links to {target}, which is missing"
    assert "make run" in text and "make test" in text and "pipx install ." in text
    assert len(text.splitlines()) <= 60, "the README is a front door: what Entente is, how to start, where to go"


@pytest.mark.skipif(importlib.util.find_spec("mkdocs") is None, reason="MkDocs is not installed (`make docs` adds it)")
def test_the_site_builds_with_every_link_and_anchor_found(tmp_path):
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
                          cwd=ROOT, capture_output=True, text=True, check=False, env={"NO_MKDOCS_2_WARNING": "1",
                          "PATH": str(Path(sys.executable).parent)}, timeout=300)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "site" / "reference" / "events" / "index.html").exists()

