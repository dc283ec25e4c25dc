"""What every page shares: who is looking (from the session cookie), in which language, and the templates.

A page is rendered from the events ``Secretariat.events_for`` lets the viewer
see and the views in ``entente.views``; templates only lay out what they are
given, they never decide what to show.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlencode

import msgspec
from babel.core import UnknownLocaleError
from babel.numbers import format_decimal
from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from litestar import Request, Response
from litestar.datastructures import Cookie
from litestar.params import FromQuery
from markupsafe import Markup, escape

from entente.languages.catalog import N_
from entente.languages.told import in_language, refused_in, refused_lang, told
from entente.replay.state import latest_day
from entente.secretariat.clearance import PUBLIC, Viewer
from entente.secretariat.projections import Seen
from entente.secretariat.service import Secretariat
from entente.views import judged
from entente.views.reports import JUDGED_ON, Record
from entente.vocabulary import dates
from entente.vocabulary.asked import read_day
from entente.vocabulary.events import Event, InstrumentSigned, Text, english
from entente.vocabulary.union import Union
from entente.vocabulary.wording import words
from entente.web import i18n, sessions
from entente.web.labels import label, state_line
from entente.web.step_words import reason, step_label, step_value
from entente.web.words import dates_in

if TYPE_CHECKING:
    from entente.api.hub import Hub

T = TypeVar("T")
AnyRequest = Request[Any, Any, Any]
Query = FromQuery[str | None]  # an optional query parameter: a filter, a day
TEMPLATES = Path(__file__).parent / "templates"
SESSION = "entente_session"  # the cookie holding a signed-in viewer's session id (``sessions``), never its token
LANG = "entente_lang"  # the cookie remembering the language chosen


def _counting(ngettext: Any, lang: str) -> Any:
    """Jinja's ``ngettext`` with its count written as the page's language writes a number (3,358; 3 358)."""

    @pass_context
    def counted(context: Any, singular: str, plural: str, num: int, **variables: Any) -> Any:
        variables.setdefault("num", _number(num, lang))
        return ngettext(context, singular, plural, num, **variables)  # Markup: the values escaped, not the words

    return counted


def _number(num: int, lang: str) -> str:
    """``num`` as ``lang`` writes numbers; as digits alone in a language no locale data describes."""
    try:
        return format_decimal(num, locale=lang)
    except UnknownLocaleError:
        return str(num)


@cache
def environment(lang: str) -> Environment:
    """One template environment per language, its catalog installed, shared by every request in that language."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                      extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True)
    env.install_gettext_translations(i18n.translations(lang), newstyle=True)  # type: ignore[attr-defined]
    env.globals["ngettext"] = _counting(env.globals["ngettext"], lang)
    env.globals.update(languages=i18n.names(), lang=lang)
    env.filters["when"] = lambda edtf: words(edtf, lang) if edtf else ""
    env.filters["text"] = lambda text: _in(text, lang)
    env.filters["dated"] = lambda text: dates_in(str(text)) if text else ""  # the rules' English text
    env.filters["label"] = lambda code: i18n.translations(lang).gettext(label(code))
    env.filters["state_line"] = lambda line: _state_line(line, lang)
    env.filters["article"] = lambda name: _article(str(name), lang)
    env.filters["judged_on"] = lambda text: _judged_on(text, lang)
    env.filters["step"] = lambda name: step_label(name, lang)
    env.filters["step_value"] = lambda value: step_value(value, lang)
    env.filters["reason"] = lambda why: reason(why or "", lang)
    env.filters["told"] = lambda row, with_subject=True: _told(row, lang, with_subject)
    env.filters["told_summary"] = lambda row: _told_field(row, lang, "summary")
    env.filters["told_subject"] = lambda row: told(_row(row), i18n.translations(lang), lang, "subject")
    return env


def _judged_on(text: str, lang: str) -> Markup:
    """The note saying what a verdict was judged on (the viewer's entries only), in the page's language."""
    if text != JUDGED_ON:
        return Markup('<span lang="en">{}</span>').format(text)
    return escape(i18n.translations(lang).gettext(
        "Judged on the entries of the record the asking viewer may see; entries it may not see are not counted."))


def _article(name: str, lang: str) -> str:
    """An article as the page names it: "Article 2" ("2. pants") where it has a number, else by its name alone
    (an article named "preamble" is not "preamble. pants")."""
    if name[:1].isdigit():
        return i18n.translations(lang).gettext("Article %(n)s") % {"n": name}
    return name


def _state_line(line: str, lang: str) -> str:
    """A what-if's state line in the page's language ("treaty-1: status")."""
    found = state_line(line)
    if found is None:
        return line
    message, instrument, what = found
    gettext = i18n.translations(lang).gettext
    return (gettext(message) if message != "%(line)s" else message) % {"instrument": instrument, "line": gettext(what)}


def _row(row: Any) -> dict[str, Any]:
    return row if isinstance(row, dict) else msgspec.to_builtins(row)


def _told_field(row: Any, lang: str, field: str) -> Markup:
    """One of a row's sentences in the page's language where it is given as data, in a span saying which."""
    row = _row(row)
    text = told(row, i18n.translations(lang), lang, field)
    return Markup('<span lang="{}">{}</span>').format(lang if in_language(row, lang, field) else "en", text)


def _told(row: Any, lang: str, with_subject: bool) -> Markup:
    """A finding's subject and detail (or a due item's detail) in the page's language where the rule gave them
    as data, else in the rules' English, in a span saying which language it is in."""
    row = _row(row)
    catalog = i18n.translations(lang)
    subject = with_subject and row.get("subject")
    text = (f"{told(row, catalog, lang, 'subject')}: " if subject else "") + told(row, catalog, lang)
    said_in = lang if in_language(row, lang) and (not subject or in_language(row, lang, "subject")) else "en"
    return Markup('<span lang="{}">{}</span>').format(said_in, text)


def _in(text: Text | str | None, lang: str) -> str:
    """Multilingual text in the page's language, else English, else whatever it has."""
    if isinstance(text, str) or text is None:
        return text or ""
    return text.get(lang) or english(text)


def cross_site(request: AnyRequest) -> bool:
    """Whether a form post comes from another site: the browser says so in Sec-Fetch-Site, or the Origin differs.

    No token in forms: every current browser sends one of these headers on a
    post, and a client that sends neither is not a browser carrying a victim's cookie.
    """
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None:
        return fetch_site not in ("same-origin", "none")
    origin = request.headers.get("origin")
    if origin is None:
        return False
    # "null" is what a sandboxed frame or a redirect from elsewhere sends: not this site.
    return origin == "null" or origin.split("://", 1)[-1] != request.headers.get("host", "")


@dataclass
class Page:
    """One request for a page: the secretariat, the viewer, the events it may see, the language."""

    request: AnyRequest
    secretariat: Secretariat
    viewer: Viewer
    lang: str
    stale_session: bool = False
    token: str | None = None  # the id of the token the viewer's session was started with
    problem: str | None = None
    problem_lang: str = i18n.DEFAULT  # the language ``problem`` is said in
    instead: str = N_("The record's last day is shown instead.")  # what the page shows for what it could not
    cookies: list[Cookie] = field(default_factory=list)
    _events: Sequence[Event] | None = None
    _seen: Seen | None = None  # the viewer's view the events come from, when they are the record as it is now
    _titles: dict[str, Text] | None = None

    @property
    def union(self) -> Union:
        return self.secretariat.union

    @property
    def known_at(self) -> str | None:
        """The record time asked for (``?known_at=``): the record as it stood then, as every API read takes it."""
        asked = self.request.query_params.get("known_at")
        if not asked:
            return None
        try:
            return dates.check_moment(asked)
        except dates.DateError as exc:
            self.refused(exc)
            return None

    @property
    def events(self) -> Sequence[Event]:
        if self._events is None:
            asked = self.request.query_params.get("at") or None
            known_at = self.known_at
            try:
                if known_at is None:
                    self._seen = self.secretariat.seen_on(self.viewer, asked)[0]
                self._events = self._seen.events if self._seen else self.secretariat.events_for(
                    self.viewer, known_at, asked)
            except dates.DateError as exc:
                self.refused(exc)  # said on the page, above what it shows instead
                self._seen = self.secretariat.seen_on(self.viewer)[0] if known_at is None else None
                self._events = self._seen.events if self._seen else self.secretariat.events_for(self.viewer, known_at)
        return self._events

    @property
    def record(self) -> Record:
        """The page's events as replay folds them, where the viewer's view holds that fold (the record as it is
        now: made once, as the API's reads take it), else the events themselves."""
        events = self.events
        return self._seen.folded if self._seen is not None else events

    def compliance(self, day: str, reading: str | None = None) -> list[dict[str, Any]]:
        """Every rule's findings on ``day`` (``views.compliance``), worked out once for the viewer's view and day."""
        treaties = self.secretariat.treaties
        # Kept rule by rule, so after a write only the rules its entries concern are judged again.
        def judge(earlier: judged.ByRule | None = None, added: Sequence[Event] = ()) -> judged.ByRule:
            return judged.by_rule(self.union, treaties, self.record, day, reading, earlier, added)

        rows = self.kept(("compliance by rule", day, reading), lambda _: judge(), judge)
        return self.kept(("compliance", day, reading), lambda _: judged.flat(rows))

    def kept(self, key: Any, compute: Callable[[Sequence[Event]], T],
             carry: Callable[[T, list[Event]], T] | None = None) -> T:
        """``compute`` of the page's events, kept with the viewer's view while the record stays as it is, so a
        page of a long list costs its page, not the list (as the record stood at a record time: computed anew);
        with ``carry``, after a write, the view before it carried on over the entries added."""
        events = self.events
        if self._seen is None:
            return compute(events)
        return self._seen.view(("page", key), lambda: compute(events), carry)

    def refused(self, exc: Exception, instead: str | None = None) -> None:
        """A day or a reading asked for that is not read: why, in the page's language where the error gives it as
        data, said above what the page shows ``instead``."""
        self.problem, self.problem_lang = refused_in(exc, self.lang), refused_lang(exc, self.lang)
        self.instead = instead or self.instead

    def title(self, instrument: str, english_title: str) -> str:
        """An instrument's title in the page's language, as its signature in the record gives it."""
        if self._titles is None:
            self._titles = self.kept("titles", lambda events: {e.instrument: e.title for e in events
                                                                if isinstance(e, InstrumentSigned)})
        return _in(self._titles.get(instrument), self.lang) or english_title

    def day(self, asked: str | None = None) -> str:
        """The day asked for in the URL, written as people write it ("1938-06-11", "June 1938", "1938. gada
        jūnijs": a month or a year stands for its last day), else the last day the record speaks of."""
        if asked:
            try:
                return read_day(asked, date.today()).day
            except dates.DateError as exc:
                self.refused(exc)  # said on the page, above what it shows instead
        return self.kept("latest day", latest_day)

    def party_name(self, code: str | None) -> str:
        found = self.union.party(code) if code else None
        return _in(found.names, self.lang) if found else (code or "")

    def url(self, path: str, **params: Any) -> str:
        """A link to ``path`` with its query (empty values left out): what a user copies to share the page."""
        query = urlencode({k: v for k, v in params.items() if v not in (None, "", [])}, doseq=True)
        return f"{path}?{query}" if query else path

    def here(self, **changes: Any) -> str:
        """This page's own URL with some of its query changed (the language switch, filters)."""
        params = dict(self.request.query_params)
        params.update(changes)
        return self.url(self.request.url.path, **params)

    def render(self, template: str, status: int = 200, headers: dict[str, str] | None = None,
               **context: Any) -> Response[str]:
        env = environment(self.lang)
        # "text/html": Litestar adds the charset, once.
        html = env.get_template(template).render(
            page=self, viewer=self.viewer, union_name=_in(self.union.name, self.lang), **context)
        response: Response[str] = Response(html, status_code=status, media_type="text/html",
                                           headers={"Vary": "Accept, Cookie, Accept-Language",
                                                    # built from the record as it is now, for this viewer
                                                    "Cache-Control": "private, no-cache", **(headers or {})},
                                           cookies=self.cookies)
        if self.request.query_params.get("lang") == self.lang:
            response.set_cookie(LANG, self.lang, max_age=365 * 86400, httponly=True, samesite="lax")
        if self.stale_session:
            response.delete_cookie(SESSION)
        return response


@contextmanager
def page(request: AnyRequest) -> Iterator[Page]:
    """A page request: its secretariat open for the request, the viewer its session (the cookie's id) stands for."""
    hub: Hub = request.app.state.hub
    lang = i18n.choose(request.query_params.get("lang"), request.cookies.get(LANG),
                       request.headers.get("accept-language"))
    with hub.session() as secretariat:
        session = request.cookies.get(SESSION)
        found = sessions.resolve(secretariat.store, session) if session else None
        viewer, token = found if found is not None else (PUBLIC, None)
        yield Page(request, secretariat, viewer, lang, stale_session=bool(session) and found is None, token=token)

