"""A delegation pages through its long list of positions in a browser (Debian's Chromium, driven by Playwright,
against ``entente serve``): the links go to the pages beside, keep the page's language, and a page that is none of
the list's is refused in that language."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from entente.web.paging import PER_PAGE
from tests import browser as b
from tests.test_web_paging import QUESTION, STATED

pytestmark = pytest.mark.skipif(b.missing() is not None, reason=str(b.missing()))


@pytest.fixture(scope="module")
def latvia(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[b.Server, str, Any]]:
    """A server whose record holds ``STATED`` positions of Latvia's delegation beyond the bundled one, its token,
    and a browser."""
    db = tmp_path_factory.mktemp("paging") / "web.db"
    token = b.token(db, "LV")
    with b.serve(db) as server, b.chromium() as chromium:
        for n in range(1, STATED + 1):
            done = httpx.post(f"{server.base}/api/events/position_stated", timeout=30,
                              headers={"Authorization": f"Bearer {token}"}, json={
                                  "date": "1939-12-08", "question": QUESTION, "party": "LV", "stance": "support",
                                  "text": {"en": f"Position {n}"}, "classification": {"instrument": "entente-1934"}})
            assert done.status_code == 201, done.text
        yield server, token, chromium


def _positions(page: Any) -> list[int]:
    """The numbers of the positions the list shows, in its order."""
    texts = page.locator("#our-positions + p + ul li a").all_inner_texts()
    return [int(m[1]) for t in texts if (m := re.fullmatch(r"Position (\d+)", t.strip()))]


def test_a_delegation_pages_through_its_positions_and_the_links_keep_the_language(latvia):
    server, token, chromium = latvia
    offsite: list[str] = []
    page = b.new_page(chromium, server.base, offsite)
    page.goto(server.base + "/signin")
    page.get_by_label("Token").fill(token)
    page.get_by_role("button", name="Sign in").last.click()
    page.wait_for_load_state()
    page.goto(server.base + "/delegation?lang=lv")
    assert _positions(page) == list(range(STATED, STATED - PER_PAGE, -1))
    pages = page.get_by_role("navigation", name="Saraksta „Mūsu nostājas” lapas")
    assert f"1–{PER_PAGE} no {STATED + 1}, 1. lapa no 2" in pages.inner_text()

    pages.get_by_role("link", name="Nākamā lapa").click()
    page.wait_for_url(re.compile(r"/delegation\?(?=.*lang=lv)(?=.*positions_page=2).*#our-positions$"))
    assert page.locator("html").get_attribute("lang") == "lv"
    assert _positions(page) == [5, 4, 3, 2, 1]
    assert b.axe_serious(page) == []

    page.get_by_role("navigation", name="Saraksta „Mūsu nostājas” lapas").get_by_role(
        "link", name="Iepriekšējā lapa").click()
    page.wait_for_url(re.compile(r"/delegation\?lang=lv#our-positions$"))
    assert _positions(page)[0] == STATED

    answer = page.goto(server.base + "/delegation?lang=lv&positions_page=3")
    assert answer is not None and answer.status == 400
    assert "positions_page=3 nav šī saraksta lapa: tā lapas ir no 1 līdz 2" in page.get_by_role("alert").inner_text()
    assert _positions(page)[0] == STATED
    assert offsite == []
