"""Exports of a union's record for other tools: calendars (iCalendar)."""

from __future__ import annotations

from entente.export.ics import calendar

__all__ = ["calendar"]
