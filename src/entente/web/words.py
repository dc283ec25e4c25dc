"""Dates inside the rules' English text written as words, as every date on a page is (``vocabulary.wording``).

A finding says "conference 1 (Tallinn, 1934-11-30/1934-12-02)"; a page says
"conference 1 (Tallinn, 30 November – 2 December 1934)".  The command line writes
them the same way, so the function lives in ``vocabulary.wording``.
"""

from entente.vocabulary.wording import dates_in

__all__ = ["dates_in"]
