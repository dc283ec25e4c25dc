"""A trace's steps as a page shows them: their names (``languages.steps``) and their results, days as words, yes
and no, lists and nested counts as lists and tables, in the page's language.
"""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup, escape

from entente.languages.steps import REASON_LABELS, STEP_LABELS, VALUE_LABELS
from entente.languages.told import told
from entente.vocabulary.wording import words
from entente.web import i18n

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def step_label(name: str, lang: str) -> str:
    """A step's name in the page's language (a name with no label, such as a party's code, as it is)."""
    found = STEP_LABELS.get(name)
    return i18n.translations(lang).gettext(found) if found else name


def reason(why: str, lang: str) -> Markup:
    """Why an entry was left out, in the page's language where it is one of the fixed sentences (else in English,
    marked so)."""
    if why in REASON_LABELS:
        return escape(i18n.translations(lang).gettext(REASON_LABELS[why]))
    return Markup('<span lang="en">{}</span>').format(why)


def _said_why(count: dict[str, Any], lang: str) -> Markup:
    """A count's why, said in the page's language from the sentence it holds as data."""
    return escape(told(count, i18n.translations(lang), lang, "why"))


def step_value(value: Any, lang: str) -> Markup:
    """A step's result as the page shows it."""
    gettext = i18n.translations(lang).gettext
    if value is None:
        return Markup("—")
    if isinstance(value, bool):
        return escape(gettext("yes") if value else gettext("no"))
    if isinstance(value, str) and _DAY.fullmatch(value):
        return escape(words(value, lang))
    if isinstance(value, str) and value in VALUE_LABELS:
        return escape(gettext(VALUE_LABELS[value]))
    if isinstance(value, dict):
        rows = Markup("").join(Markup("<tr><th scope=\"row\">{}</th><td>{}</td></tr>").format(
            step_label(k, lang), _said_why(value, lang) if k == "why" and value.get("reason") else step_value(v, lang))
            for k, v in value.items() if k != "reason")
        return Markup("<table class=\"steps-nested\"><tbody>{}</tbody></table>").format(rows) if rows else Markup("—")
    if isinstance(value, list):
        if any(isinstance(v, dict | list) for v in value):
            return Markup("<ul>{}</ul>").format(Markup("").join(Markup("<li>{}</li>").format(step_value(v, lang))
                                                                 for v in value))
        return Markup(", ").join(step_value(v, lang) for v in value) if value else Markup("—")
    if isinstance(value, float) and value.is_integer():
        return escape(str(int(value)))
    if isinstance(value, str) and " " in value:  # a rule's own words (why, by which article): in English
        return Markup('<span lang="en">{}</span>').format(value)
    return escape(str(value))
