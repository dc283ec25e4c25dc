"""A kind of event or rule is added in one place; whatever lists kinds finds it there, or this fails naming it."""

from __future__ import annotations

import importlib
import pkgutil
import re
from types import ModuleType

import entente.rules
from entente.rules import KINDS, SETTINGS, concerns
from entente.vocabulary import events
from entente.vocabulary.definition import DEFAULT_UNION
from entente.vocabulary.events import EVENT_TYPES, Event
from entente.vocabulary.stored import TWINS


def _subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub, *_subclasses(sub)}
    return found


def _rule_modules() -> dict[str, ModuleType]:
    """Every module of the rules package, by name."""
    return {info.name: importlib.import_module(f"entente.rules.{info.name}")
            for info in pkgutil.iter_modules(entente.rules.__path__)}


def test_every_kind_of_event_defined_is_one_the_vocabulary_reads_stores_and_names():
    defined = {cls for cls in _subclasses(Event) if cls.__module__ == events.__name__}
    assert sorted(c.__name__ for c in defined - set(EVENT_TYPES)) == []
    assert set(EVENT_TYPES) <= defined
    assert sorted(events.KINDS) == sorted(c.__struct_config__.tag for c in EVENT_TYPES)
    assert [c.__name__ for c in EVENT_TYPES if c not in TWINS] == []


def test_every_module_that_defines_a_rule_kind_is_registered_and_says_what_it_reads():
    defining = {name for name, module in _rule_modules().items()
                if hasattr(module, "Settings") and hasattr(module, "evaluate")}
    assert sorted(defining - set(KINDS)) == []
    assert sorted(set(KINDS) - defining) == []
    assert set(SETTINGS) == set(KINDS)
    for name, kind in KINDS.items():
        assert hasattr(kind, "READS"), f"the rule kind {name} does not say which entries it reads (READS)"
        reads = kind.READS
        assert reads is None or all(isinstance(t, type) and issubclass(t, Event) for t in reads), name
        assert concerns.READS[name] == reads



def _template(path: str) -> str:
    """An address as the OpenAPI document writes its path, each parameter as ``{}``."""
    return re.sub(r"\{[^}]*\}", "{}", path.split("?", 1)[0])


def test_the_secrecy_matrix_reads_every_read_the_api_serves(tmp_path):
    from entente import server

    from . import test_secrecy_matrix as matrix

    app = server.create_app(str(tmp_path / "record.db"), DEFAULT_UNION)
    served = {_template(path) for path, item in app.openapi_schema.paths.items() if item.get is not None}
    read = {_template(p) for p in [*matrix.API_VIEWS, *matrix.API_DATED, *matrix.API_LEDGER, *matrix.API_ENTRY,
                                   *matrix.API_FINDING, *matrix.API_SAVED, "/api/parties/{}", "/api/audit"]}
    assert sorted(served - read) == [], "reads the API serves that the secrecy matrix does not make"
    assert sorted(read - served) == []
