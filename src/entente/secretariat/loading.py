"""Many entries at once, each checked as a write is, at a cost in proportion to their number.

Checking each entry of a file against the whole record before it, as a single
write is, costs the record's length for every entry: a file of N entries costs
N².  Here an entry's own checks look only at the entries they concern, found
by index (what it answers, the conference numbered before it, the acts of the
instruments), and the treaty's rules judge the whole batch once, before and
after, so each breach the batch brings about is found and blamed on the entry
named in it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from entente.record.store import content
from entente.secretariat.admission import Problem, entry_problems, judge_added
from entente.secretariat.folder_checks import Quotes, check_signed, check_treaties
from entente.secretariat.related import Related
from entente.vocabulary.definition import read_events
from entente.vocabulary.events import Event
from entente.vocabulary.treaty import Treaty
from entente.vocabulary.union import Union


class Loader:
    """Checks a batch of entries after a record: each entry's own checks as it comes, the rules once at the end."""

    def __init__(self, union: Union, treaties: Mapping[str, Treaty], record: Sequence[Event],
                 progress: Callable[[int], None] | None = None) -> None:
        self.union, self.treaties, self.record = union, treaties, record
        self.related = Related(record)
        self.progress = progress
        self.quotes = Quotes(union)

    def check(self, event: Event) -> list[Problem]:
        """The problems of one entry, after the record and the entries of the batch checked before it."""
        related = self.related
        if (recorded := related.by_id.get(event.id)) is not None and content(recorded) == content(event):
            return []  # recorded already, as it is: loading a file again records nothing more
        problems = entry_problems(self.union, self.treaties, related, event) or \
            [Problem(field=f, message=m) for f, m in self.quotes.problems(event)]
        if not problems:
            self.related.add(event)
        if self.progress is not None:
            self.progress(1)
        return problems

    def judge(self, batch: Sequence[Event]) -> list[Problem]:
        """What a refusing rule finds in breach with the batch, each problem naming the entry it blames."""
        if not batch:
            return []
        return judge_added(self.union, self.treaties, self.record, batch).problems


def checked_record(union: Union, treaties: Mapping[str, Treaty], path: Path) -> list[Event]:
    """A union's own record file, each entry checked as ``entente load`` and the API check a write, after the
    entries before it in the file; the first refused names the file, the line, the entry and the field.

    A rule that refuses what it finds in breach (``on_entry: refuse``) refuses entries written after the file:
    the file is the record of what happened, breaches included.  The treaty files are then held against the
    record and the union (``folder_checks``)."""
    loader = Loader(union, treaties, [])
    record = read_events(path, union, lambda event, _earlier: [(p.field, p.message) for p in loader.check(event)],
                         own=False)
    check_treaties(union, treaties)
    check_signed(union, treaties, record)
    return record
