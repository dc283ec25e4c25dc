"""A refusal's line in the language the request asks for (``?lang=``, else Accept-Language), where the error
gives it as data (``told``: a scenario file's or a date's problem); else, and in English, its own words."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.exceptions import ClientException

from entente.languages.catalog import DEFAULT, languages
from entente.languages.told import refused_in

__all__ = ["DateRefused", "asked_language", "refused", "refused_in"]


class DateRefused(ClientException):
    """A read asked for a day or a record time that is not read (400): the server's error handler says why in the
    request's language, from the date's error (``error``)."""

    def __init__(self, error: Exception) -> None:
        super().__init__(str(error))
        self.error = error


def asked_language(request: Request[Any, Any, Any]) -> str:
    """The language a request asks for: its ``lang`` parameter, else the first of Accept-Language the software
    speaks, else English."""
    known = languages()
    if (asked := request.query_params.get("lang")) in known:
        return str(asked)
    for part in request.headers.get("accept-language", "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in known:
            return code
    return DEFAULT


def refused(exc: Exception, request: Request[Any, Any, Any]) -> str:
    return refused_in(exc, asked_language(request))
