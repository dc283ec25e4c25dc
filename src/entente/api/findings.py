"""``GET /api/findings/{id}/trace``: why a finding comes out as it does, on the asking viewer's view."""

from __future__ import annotations

from typing import Annotated

from litestar import Response, get
from litestar.exceptions import NotFoundException
from litestar.params import PathParameter, QueryParameter

from entente.api.reading import EARLY, NOT_FOUND, VERSIONED, AnyRequest, At, Held, asked_day, read
from entente.secretariat.service import Secretariat
from entente.views.shapes import TraceView
from entente.views.traces import Trace, trace

FindingId = Annotated[str, PathParameter(description="The finding's identifier, as every finding gives it (`id`).")]
Lang = Annotated[str, QueryParameter(description="The language of the article's text and of the entries' words "
                                                 "(en, lv, lt, et, fr, de, ru); English where the text lacks it.")]


@get("/api/findings/{finding_id:str}/trace", opt=EARLY, responses=NOT_FOUND, response_headers=VERSIONED)
async def finding_trace(request: AnyRequest, finding_id: FindingId, at: At = None, lang: Lang = "en"
                        ) -> Response[TraceView]:
    """Why one finding comes out as it does: the article and its text, the reading, the settings in force on the
    day judged with the entry that set them, the entries counted and those left out with why, and what the rule
    worked out on the way.  A finding the viewer does not have is answered as one that does not exist."""
    def traced(s: Secretariat, held: Held) -> Trace:
        found = trace(s.union, s.treaties, held.folded, asked_day(at, s, held.folded), finding_id, lang)
        if found is None:
            raise NotFoundException()
        return found

    return await read(request, traced, today_by_default=at is None)


ROUTES = [finding_trace]
