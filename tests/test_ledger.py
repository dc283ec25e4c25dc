"""Each viewer's log: every proof checks with hashlib and the public key alone, nothing counts a hidden entry,
a reclassification appends or keeps, and every way of changing the record afterwards is found."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading

import msgspec
import pytest
from click.testing import CliRunner

from entente.cli import main
from entente.ledger import checkpoints, keys
from entente.ledger.checkpoints import CheckpointError
from entente.ledger.elsewhere import to_check
from entente.ledger.indices import Indices
from entente.ledger.logs import Ledger
from entente.ledger.tree import TILE, WIDTH, perfect
from entente.record import open_store
from entente.secretariat.clearance import PUBLIC, SECRETARIAT, Viewer, visible
from entente.secretariat.service import Secretariat
from entente.vocabulary.events import (
    Classification,
    ClassificationAmended,
    InstrumentAcceded,
    QuestionRaised,
    Restricted,
)
from tests import rfc9162, tampering
from tests.conftest import postgres_only

LV = Viewer("party", "LV")
FI = Viewer("party", "FI")



def _ledger(s: Secretariat) -> Ledger:
    """A ledger read afresh from the store, as ``entente verify`` reads it: every entry and log from the first."""
    ledger = Ledger.open("", s.union)
    ledger.catch_up(s.store, whole=True)
    return ledger


def _started(s: Secretariat) -> Ledger:
    """A ledger read afresh from the store, as a start reads it: from the state the last one kept."""
    ledger = Ledger.open("", s.union)
    ledger.catch_up(s.store)
    return ledger


def _check_every_proof(ledger: Ledger, viewer: Viewer) -> int:
    """Check each proof the viewer can ask for with the independent verifier; the log's size."""
    public_key = ledger.public_key()["verifier_key"]
    checkpoint = checkpoints.as_dict(ledger.checkpoint(viewer))
    rfc9162.check_signature(checkpoint, public_key)
    size, root = checkpoint["size"], bytes.fromhex(checkpoint["root"])
    leaves: dict[int, bytes] = {}
    for entry in ledger.shown(viewer):
        proof = ledger.proof(viewer, entry)
        assert proof is not None
        rfc9162.check_signature(proof["checkpoint"], public_key)
        leaf = rfc9162.checked_leaf(proof)
        path = [bytes.fromhex(h) for h in proof["audit_path"]]
        assert rfc9162.inclusion_root(proof["index"], size, leaf, path) == root
        leaves[proof["index"]] = leaf
    assert rfc9162.tree_hash([leaves[i] for i in range(size)]) == root
    for prior in range(1, size + 1):
        found = ledger.consistency(viewer, prior)
        assert found is not None
        earlier = rfc9162.tree_hash([leaves[i] for i in range(prior)])
        path = [bytes.fromhex(h) for h in found["consistency_path"]]
        assert rfc9162.consistent(prior, size, earlier, root, path)
        if prior < size:  # and a root that is not the earlier one fails
            assert not rfc9162.consistent(prior, size, rfc9162.leaf_hash(b"forged"), root, path)
    return size


def test_every_proof_of_every_viewer_checks_with_hashlib_and_the_public_key(opened):
    ledger = _ledger(opened)
    events = opened.store.events()
    for viewer in (PUBLIC, LV, FI, SECRETARIAT):
        assert _check_every_proof(ledger, viewer) == len(visible(events, viewer))
    assert ledger.size(SECRETARIAT) == len(events) > ledger.size(PUBLIC)


def test_an_entry_the_viewer_may_not_see_has_no_proof_and_no_place_in_its_log(opened):
    ledger = _ledger(opened)
    hidden = [e.id for e in visible(opened.store.events(), SECRETARIAT)
              if e.id not in {v.id for v in visible(opened.store.events(), PUBLIC)}]
    assert hidden
    for entry in hidden:
        assert ledger.proof(PUBLIC, entry) is None
        assert ledger.proof(LV, entry) is not None
    assert ledger.proof(PUBLIC, "no-such-entry") is None


def _amend(s: Secretariat, number: int, target: str, to: Classification, classification: Classification) -> None:
    s.store.append([ClassificationAmended(id=f"amendment-{number}", date="1940-05-01", target=target, to=to,
                                          classification=classification)])


def _restricted_now(opened: Secretariat) -> list:
    """The entries restricted as the record now classifies them (the declaration, published since, is not)."""
    return [e for e in visible(opened.store.events(), SECRETARIAT)
            if isinstance(e.classification, Restricted) and not isinstance(e, ClassificationAmended)]


def test_a_revealed_entry_is_appended_and_a_restricted_one_stays_as_its_hash(opened):
    ledger = _ledger(opened)
    before = ledger.checkpoint(PUBLIC)
    secret = _restricted_now(opened)[0]
    _amend(opened, 1, secret.id, "public", secret.classification)  # the amendment as narrow as the entry was
    ledger.catch_up(opened.store)
    revealed = ledger.checkpoint(PUBLIC)
    assert revealed.size == before.size + 1
    assert ledger.shown(PUBLIC)[secret.id][0] == before.size
    assert ledger.against(PUBLIC, before, "kept") is None

    public_entry = next(e for e in opened.store.events() if e.classification == "public")
    _amend(opened, 2, public_entry.id, Restricted(instrument="entente-1934"), Restricted(instrument="entente-1934"))
    ledger.catch_up(opened.store)
    restricted = ledger.checkpoint(PUBLIC)
    assert restricted.size == revealed.size  # the amendment itself is restricted; the entry stays in the log
    assert ledger.proof(PUBLIC, public_entry.id) is None  # its content is no longer served
    assert ledger.against(PUBLIC, revealed, "kept") is None
    assert ledger.against(PUBLIC, before, "kept") is None
    _check_every_proof(ledger, LV)


def test_an_accession_appends_what_it_reveals_to_the_acceding_party_and_keeps_its_log_consistent(opened):
    ledger = _ledger(opened)
    before, shown_before = ledger.checkpoint(FI), {e.id for e in visible(opened.store.events(), FI)}
    opened.store.append([InstrumentAcceded(id="fi-accedes", date="1940-05-01", instrument="entente-1934",
                                           party="FI")])
    revealed = {e.id for e in visible(opened.store.events(), FI)} - shown_before
    assert "soviet-military-talks-1940-raised" in revealed  # discussed in confidence by the entente's parties
    ledger.catch_up(opened.store)
    after = ledger.checkpoint(FI)
    assert after.size == before.size + len(revealed)
    assert {entry for entry, (index, _) in ledger.shown(FI).items() if index >= before.size} == revealed
    assert ledger.against(FI, before, "kept") is None
    assert _check_every_proof(ledger, FI) == after.size


def test_a_kept_checkpoint_that_was_altered_or_is_another_viewers_is_refused(opened):
    ledger = _ledger(opened)
    kept = ledger.checkpoint(PUBLIC)
    with pytest.raises(CheckpointError, match="kept: a checkpoint of public's log, not of LV's"):
        ledger.against(LV, kept, "kept")
    forged = checkpoints.read(checkpoints.as_dict(kept).__repr__().replace("'", '"').replace(
        f'"size": {kept.size}', f'"size": {kept.size - 1}'), "kept")
    with pytest.raises(CheckpointError, match="the signature does not hold"):
        ledger.against(PUBLIC, forged, "kept")
    with pytest.raises(CheckpointError, match="not a checkpoint"):
        checkpoints.read(b'{"size": 3}', "kept.json")


@pytest.mark.parametrize("name", list(tampering.ALL))
def test_each_tampering_is_found_with_and_without_a_kept_checkpoint(opened, name):
    kept = {viewer: _ledger(opened).checkpoint(viewer) for viewer in (SECRETARIAT, PUBLIC)}
    tampering.ALL[name](opened.store)
    ledger = _ledger(opened)
    found = ledger.viewer_breaks(SECRETARIAT)
    if name == "tail and logs recomputed":  # nothing left in the store to compare with: only a checkpoint tells
        assert found == []
    else:
        assert found, f"{name} was not found by the store's own checks"
    problems = ledger.problems(SECRETARIAT, kept[SECRETARIAT], "kept.json")
    assert problems, f"{name} was not found with a kept checkpoint"
    if name != "tail and logs recomputed":
        assert "entry '" in problems[0]  # the first problem names the entry
    # The public's kept checkpoint tells the public too, without naming what it may not see.
    if name != "id column changed":  # the hashed entries are as they were: only the store's own check sees it
        assert ledger.problems(PUBLIC, kept[PUBLIC], "kept.json")


def test_every_break_is_reported_not_only_the_first(opened):
    tampering.changed(opened.store, 5)
    tampering.id_changed(opened.store, 9)
    reasons = [str(b) for b in _ledger(opened).viewer_breaks(SECRETARIAT)]
    assert any("position 5" in r and "hash does not follow" in r for r in reasons)
    assert any("position 9" in r and "the id column says 'renamed'" in r for r in reasons)


def test_a_viewer_hears_only_of_breaks_in_its_own_entries(opened):
    ledger = _ledger(opened)
    public = set(ledger.log_positions(PUBLIC))
    hidden_at = next(r.position for r in opened.store.rows_after(0) if r.position not in public)
    tampering.changed(opened.store, hidden_at)
    ledger = _ledger(opened)
    assert ledger.viewer_breaks(SECRETARIAT)
    assert ledger.viewer_breaks(PUBLIC) == []
    assert ledger.broken_for(PUBLIC) == ("the record failed its integrity check; writes are refused until the "
                                         "secretariat restores it")


def test_a_viewer_hears_of_a_removed_entry_of_its_own_without_positions_which_count_every_entry(opened):
    tampering.deleted(opened.store, 12)
    problems = _ledger(opened).problems(PUBLIC)
    assert problems and not any("position" in p for p in problems)


def test_a_running_ledger_notices_its_last_entry_gone(opened):
    ledger = _ledger(opened)
    assert ledger.last is not None
    tampering.truncated(opened.store, ledger.last.position - 1)
    ledger.catch_up(opened.store)
    assert "is gone or changed since it was read" in (ledger.broken_for(SECRETARIAT) or "")


def _same_logs(ledger: Ledger, whole: Ledger) -> None:
    for viewer in whole.viewers():
        assert (ledger.checkpoint(viewer).size, ledger.checkpoint(viewer).root) == (
            whole.checkpoint(viewer).size, whole.checkpoint(viewer).root), viewer


def test_a_start_checks_only_what_was_recorded_since_the_last_and_ends_with_the_logs_a_whole_check_gives(opened):
    first = _started(opened)  # nothing kept yet: every entry is checked, and the state kept
    assert first.checked == opened.store.position() and not first.breaks
    again = _started(opened)
    assert again.checked == 0 and not again.breaks
    _same_logs(again, _ledger(opened))
    secret = _restricted_now(opened)[0]
    opened.store.append([QuestionRaised(id="q-after", date="1940-05-01", question="q-after", title={"en": "A question"},
                                        subject="defence", instrument="entente-1934")])
    _amend(opened, 1, secret.id, "public", secret.classification)  # reveals an entry from before the kept position
    opened.store.append([InstrumentAcceded(id="fi-accedes", date="1940-05-02", instrument="entente-1934",
                                           party="FI")])
    started = _started(opened)
    assert started.checked == 3 and not started.breaks
    _same_logs(started, _ledger(opened))
    assert secret.id in started.shown(PUBLIC)
    _check_every_proof(started, PUBLIC)
    _check_every_proof(started, FI)
    assert _started(opened).checked == 0  # that start kept what it checked


def test_once_a_servers_start_check_is_done_reads_name_the_version_while_what_follows_it_still_runs(opened):
    """A server's start checks the record on a thread of its own and, once done, does what follows the check
    (``then``) there too: a read answered meanwhile names the record's version, as one answered later does."""
    ledger = Ledger.open("", opened.union)
    ledger.write_wait = 1.0  # as a server's
    following, let = threading.Event(), threading.Event()
    seen: list[tuple[bool, str | None]] = []

    def then() -> None:
        following.set()
        assert let.wait(30)

    ledger.start(opened.store, then=then)
    assert following.wait(30)
    seen.append((ledger.checking(), ledger.version(LV)))
    let.set()
    ledger.ready(None)
    assert seen == [(False, ledger.version(LV))]
    assert ledger.version(LV) is not None


def test_a_restart_holds_only_the_leaves_after_the_stores_last_full_tile_and_proves_as_a_whole_check_does(opened):
    """A record of more than a tile (256 leaves): a restart reads the leaves the store keeps in full tiles when
    it needs them rather than holding them, and its logs, proofs and the kept entries hashed again are as
    before: a whole check's logs, proofs that check with hashlib alone, a changed entry found."""
    opened.store.append([QuestionRaised(id=f"q-many-{n}", date="1940-05-01", question=f"q-many-{n}",
                                        title={"en": "A question"}, subject="defence", instrument="entente-1934",
                                        classification=Restricted(parties=("LV",)) if n % 5 == 0 else "public")
                         for n in range(600)])
    count = opened.store.position()
    first = _started(opened)
    assert first.checked == count and first.held_leaves == count % 256  # the full tiles written, then let go
    again = _started(opened)
    assert again.checked == 0 and not again.breaks and again.held_leaves == count % 256
    whole = _ledger(opened)
    _same_logs(again, whole)
    key = again.public_key()["verifier_key"]
    for viewer, entries in ((PUBLIC, ["q-many-1", "q-many-301", "q-many-599"]), (LV, ["q-many-0", "q-many-300"])):
        checkpoint = checkpoints.as_dict(again.checkpoint(viewer))
        size, root = checkpoint["size"], bytes.fromhex(checkpoint["root"])
        assert size > 512
        for entry in entries:  # in the store's tiles, and after them
            proof = again.proof(viewer, entry)
            assert proof is not None
            rfc9162.check_signature(proof["checkpoint"], key)
            path = [bytes.fromhex(h) for h in proof["audit_path"]]
            assert rfc9162.inclusion_root(proof["index"], size, rfc9162.checked_leaf(proof), path) == root
        earlier = again.consistency(viewer, 300)
        assert earlier is not None
        path = [bytes.fromhex(h) for h in earlier["consistency_path"]]
        assert rfc9162.consistent(300, size, whole.root(viewer, 300), root, path)
    again.settle()
    assert not again.breaks
    tampering.changed(opened.store, 300)  # within the second full tile
    changed = _started(opened)
    changed.settle()
    assert [b.position for b in changed.breaks] == [300]


def test_the_rows_a_start_is_said_to_check_in_full_are_those_it_checks(opened):
    """What decides whether a start checks the record in a process of its own: how many rows it checks in full."""
    store = opened.store
    assert to_check(store) == store.position() > 0  # nothing kept yet: every row
    assert _started(opened).checked == store.position()
    assert to_check(store) == 0  # that start kept what it checked
    store.append([QuestionRaised(id="q-later", date="1940-05-01", question="q-later", title={"en": "A question"},
                                 subject="defence", instrument="entente-1934")])
    assert to_check(store) == 1 == _started(opened).checked


def test_a_start_checks_the_record_against_the_kept_state_and_hashes_every_kept_entry_again(opened, store_url):
    """What a start checks before anything is written or signed: as many entries as were kept, in the same
    order, under the same ids, with the chain's hash at the kept position, then the entries recorded since in
    full; meanwhile every kept entry's leaf is hashed again from its bytes (``settle`` waits for it).  A break
    found leaves nothing to resume from: every start after checks everything."""
    _started(opened)
    tampering.changed(opened.store, 12)  # its hash left as it was
    started = _started(opened)
    assert started.checked == 0
    started.settle()
    assert any(b.position == 12 and "not those checked" in b.reason for b in started.breaks)
    assert started.broken_for(SECRETARIAT)
    again = _started(opened)  # nothing to resume from: checked from the first
    assert again.checked == opened.store.position() and any(b.position == 12 for b in again.breaks)
    tampering.id_changed(opened.store, 9)
    verified = CliRunner().invoke(main, ["--db", store_url, "verify"])
    assert verified.exit_code == 1
    assert "position 12" in verified.stderr and "hash does not follow" in verified.stderr
    assert "position 9" in verified.stderr and "the id column says 'renamed'" in verified.stderr


@pytest.mark.parametrize("run", ["a process of its own", "in this process"])
def test_entente_load_keeps_every_log_so_a_first_start_checks_nothing_again_yet_finds_a_change(store_url, tmp_path,
                                                                                              run):
    more = tmp_path / "more.yaml"
    more.write_text("""events:
  - {kind: question_raised, id: q-loaded, date: "1940-05-01", question: q-loaded, title: {en: A question},
     subject: defence, instrument: entente-1934}
  - {kind: question_raised, id: q-held, date: "1940-05-02", question: q-held, title: {en: A secret question},
     subject: defence, instrument: entente-1934, classification: {parties: [LV]}}
""", encoding="utf-8")
    if run == "in this process":
        loaded = CliRunner().invoke(main, ["--db", store_url, "load", str(more)])
        assert loaded.exit_code == 0, loaded.output
    else:  # as a user runs it: with no other thread, so the logs are kept by a copy of it forked (``forked``)
        subprocess.run([sys.executable, "-m", "entente", "--db", store_url, "load", str(more)], check=True,
                       capture_output=True)
    s = Secretariat.open(store_url)
    try:
        started = _started(s)  # as a server's first start after the load
        assert started.checked == 0 and not started.breaks
        _same_logs(started, _ledger(s))
        assert "q-loaded" in started.shown(PUBLIC) and "q-held" not in started.shown(PUBLIC)
        assert "q-held" in started.shown(LV)
        _check_every_proof(started, LV)
        tampering.changed(s.store, 12)  # its hash left as it was
        again = _started(s)
        again.settle()
        assert any(b.position == 12 and "not those checked" in b.reason for b in again.breaks)
    finally:
        s.close()


def test_a_start_resumes_the_publics_tree_so_its_first_version_hashes_no_full_tile_again(opened, monkeypatch):
    opened.store.append([QuestionRaised(id=f"q-{n}", date="1940-05-01", question=f"q-{n}", subject="defence",
                                        title={"en": "A question"}, instrument="entente-1934") for n in range(300)])
    first = _started(opened)  # checks every entry, and keeps the logs
    assert first.size(PUBLIC) > TILE
    version = first.version(PUBLIC)
    hashed: list[int] = []

    def counted(hashes: bytes) -> bytes:
        hashed.append(len(hashes) // WIDTH)
        return perfect(hashes)

    monkeypatch.setattr("entente.ledger.tree.perfect", counted)
    again = _started(opened)  # as a restarted server's start, which then names the public's version in its reads
    assert again.checked == 0 and again.version(PUBLIC) == version
    assert max(hashed) < TILE  # the first 256 entries' subtree read as kept: only what follows it hashed from leaves


@pytest.mark.parametrize("name", ["deleted", "reordered", "id column changed", "truncated", "table emptied"])
def test_a_start_finds_each_tampering_of_order_ids_or_count_before_the_kept_position(opened, name):
    _started(opened)
    tampering.ALL[name](opened.store)
    started = _started(opened)
    assert started.broken_for(SECRETARIAT), name


def test_no_checkpoint_is_signed_that_does_not_continue_the_last_one_signed(opened):
    signed = _started(opened).checkpoint(SECRETARIAT)
    tampering.deleted(opened.store, 12)
    for ledger in (_started(opened), _ledger(opened)):
        with pytest.raises(CheckpointError, match=f"does not continue the checkpoint of {signed.size} signed"):
            ledger.checkpoint(SECRETARIAT)


@pytest.mark.parametrize("with_ledger", [False, True])
def test_a_start_finds_the_chain_rewritten_before_the_kept_position(opened, with_ledger):
    kept = _started(opened).checkpoint(SECRETARIAT)
    tampering.recomputed_tail(opened.store, 12, with_ledger=with_ledger)
    started = _started(opened)
    assert started.checked == opened.store.position()  # the kept state no longer stands: every entry is checked
    if not with_ledger:
        assert started.broken_for(SECRETARIAT)
    assert started.problems(SECRETARIAT, kept, "kept.json")


def test_a_logs_indices_read_the_same_packed_appended_to_or_unpacked():
    made = Indices()
    for index in (0, 2, 3, 7):
        made.append(index)
    kept = Indices(made.packed(), len(made))
    kept.append(9)
    assert (len(kept), kept[4], kept.since(3)) == (5, 9, [7, 9])  # read without unpacking what was kept
    assert (kept[1], kept.since(1), list(kept)) == (2, [2, 3, 7, 9], [0, 2, 3, 7, 9])
    kept.append(11)
    assert list(Indices(kept.packed(), len(kept))) == [0, 2, 3, 7, 9, 11]
    # Kept again, a log's earlier bytes stay as they were, what came after them added: read back whole.
    before = kept.packed()
    kept.extend([12, 13, 20])
    again = kept.packed()
    assert again.startswith(before) and again != before
    assert list(Indices(again, len(kept))) == [0, 2, 3, 7, 9, 11, 12, 13, 20]
    whole = Indices(again, len(kept))
    assert whole[8] == 20 and list(whole.whole()) == [0, 2, 3, 7, 9, 11, 12, 13, 20]
    whole.append(30)
    assert list(Indices(whole.packed(), len(whole))) == [0, 2, 3, 7, 9, 11, 12, 13, 20, 30]


@postgres_only
def test_postgres_refuses_truncate_on_the_record(store_url, baltic_rows):
    store = open_store(store_url)
    store.insert_rows(*baltic_rows)
    store.close()
    s = Secretariat.open(store_url)
    _ledger(s)
    for table in ("events", "audit", "idempotency", "ledger_tiles", "ledger_salts"):
        with pytest.raises(Exception, match="append-only"), s.store._writing() as cur:
            cur.execute(f"TRUNCATE {table}")
    assert len(s.store.events()) == len(baltic_rows[0])
    s.close()


def test_the_key_is_created_once_readable_by_its_owner_only_and_a_setting_names_another(tmp_path, monkeypatch):
    # SQLite only: the key beside the store's file
    monkeypatch.delenv(keys.SETTING, raising=False)
    db = str(tmp_path / "record.db")
    path = keys.key_path(db)
    assert path == tmp_path / "record.db.key"
    first = keys.load_or_create(path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert keys.key_id(keys.load_or_create(path).public_key()) == keys.key_id(first.public_key())
    monkeypatch.setenv(keys.SETTING, str(tmp_path / "shared.key"))
    assert keys.key_path(db) == tmp_path / "shared.key"
    (tmp_path / "bad.key").write_text("not a key")
    (tmp_path / "bad.key").chmod(0o600)
    with pytest.raises(keys.KeyFileError, match=r"bad\.key: not a readable signing key"):
        keys.load_or_create(tmp_path / "bad.key")


def test_tokens_are_revoked_once_and_never_deleted_and_kept_answers_must_name_recorded_entries(opened):
    from entente.secretariat import tokens

    token_id, _ = tokens.create(opened.store, LV, "test")
    assert tokens.revoke(opened.store, token_id)
    for statement in ("UPDATE tokens SET revoked = NULL", "UPDATE tokens SET viewer = 'secretariat'",
                      "DELETE FROM tokens"):
        with pytest.raises(Exception, match="a token is"), opened.store._writing() as cur:
            cur.execute(statement)
    assert tokens.list_tokens(opened.store)[0]["viewer"] == "LV"

    opened.record(QuestionRaised(id="q-1940", date="1940-05-01", question="q-1940", subject="trade",
                                 title={"en": "Trade"}, instrument="entente-1934"), SECRETARIAT, key="k-1")
    assert _ledger(opened).viewer_breaks(SECRETARIAT) == []
    tampering.truncated(opened.store, len(opened.store.rows_after(0)) - 1)
    assert any("the write answered under retry key 'secretariat:k-1' is no longer in the record" in str(b)
               for b in _ledger(opened).viewer_breaks(SECRETARIAT))


def _reference_orders(events: list, viewers: list[Viewer]) -> dict[Viewer, list[int]]:
    """Each log as its definition has it, by reading the record again after every entry: the entries (or acts
    the viewer is cleared for) it may see now and does not hold yet, appended in record order."""
    from entente.secretariat.clearance import cleared, instrument_parties
    from entente.vocabulary.events import EntryCorrected, EntryRetracted

    orders: dict[Viewer, list[int]] = {v: [] for v in viewers}
    for k in range(len(events)):
        upto = events[:k + 1]
        parties = instrument_parties(upto)
        for viewer in viewers:
            shown = {e.id for e in visible(upto, viewer)}
            held = set(orders[viewer])
            orders[viewer] += [j for j, e in enumerate(upto) if j not in held and (
                cleared(e, viewer, parties) if isinstance(e, EntryCorrected | EntryRetracted) else e.id in shown)]
    return orders


def test_every_log_grows_by_what_each_entry_reveals_as_reading_the_record_again_would_find(opened):
    from entente.vocabulary.events import EntryCorrected, EntryRetracted, OutsideEvent

    secret = _restricted_now(opened)
    public = next(e for e in opened.store.events() if e.classification == "public")
    entente = Restricted(instrument="entente-1934")
    _started(opened)  # a state kept before them: the next start grows the logs by them alone
    opened.store.append([
        ClassificationAmended(id="a-1", date="1940-05-01", target=secret[0].id, to="public",
                              classification=secret[0].classification),
        ClassificationAmended(id="a-2", date="1940-05-01", target=public.id, to=entente, classification=entente),
        EntryCorrected(id="c-1", date="1940-05-02", target=secret[1].id, reason="wider", classification="public",
                       entry=msgspec.structs.replace(secret[1], classification="public", recorded=None)),
        EntryRetracted(id="r-1", date="1940-05-02", target=secret[2].id, reason="withdrawn", classification=entente),
        OutsideEvent(id="o-1", date="1940-05-03", category="note", title={"en": "A note"}, classification=entente),
        InstrumentAcceded(id="fi-accedes", date="1940-05-04", instrument="entente-1934", party="FI"),
        ClassificationAmended(id="a-3", date="1940-05-05", target=public.id, to="public", classification="public"),
    ])
    started = _started(opened)
    assert started.checked == 7
    ledger = _ledger(opened)
    events = opened.store.events()
    reference = _reference_orders(events, ledger.viewers())
    for viewer in ledger.viewers():
        assert list(ledger.logs.orders[viewer]) == reference[viewer], viewer
        assert list(started.logs.orders[viewer]) == reference[viewer], viewer
    _same_logs(started, ledger)
