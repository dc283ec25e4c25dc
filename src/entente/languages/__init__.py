"""The languages the software speaks: one gettext catalog per language in ``locales/``, used by the web pages
and the command line alike (``catalog``), and which languages there are, read without loading Babel (``known``).

English is written in the code; every other language is a catalog, ``locales/<code>/LC_MESSAGES/messages.po``
(``pybabel init -l <code>`` starts one, ``make messages`` brings each up to date).
"""
