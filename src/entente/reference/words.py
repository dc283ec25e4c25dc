"""What the reference pages read from a definition's docstring, and how they write it in Markdown.

A struct's docstring says what it is (its first paragraphs), what each field holds (a ``Fields:`` block, one
``name: description`` line a field, longer ones continued on lines indented further) and, for an event kind
the bundled record has no entry of, an entry as a record file writes it (an ``Example:`` block, in YAML).
"""

from __future__ import annotations

import inspect
import re


def _doc(owner: object) -> str:
    """The owner's own docstring (not one it inherits), its indentation removed."""
    own = owner.__dict__.get("__doc__") if isinstance(owner, type) else getattr(owner, "__doc__", None)
    return inspect.cleandoc(own or "")


def _blocks(doc: str) -> tuple[str, dict[str, list[str]]]:
    """The docstring's prose, and each of its ``Name:`` blocks' lines, their indentation removed."""
    prose: list[str] = []
    blocks: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in doc.splitlines():
        if re.fullmatch(r"(Fields|Example):", line):
            current = blocks.setdefault(line[:-1], [])
        elif current is not None and (line.startswith("    ") or not line.strip()):
            current.append(line[4:])
        else:
            current = None
            prose.append(line)
    return "\n".join(prose).strip(), blocks


def summary(owner: object) -> str:
    """What the docstring says before its blocks, as Markdown."""
    return markdown(_blocks(_doc(owner))[0])


def field_notes(cls: type) -> dict[str, str]:
    """Field name -> what it holds, from the ``Fields:`` blocks of the class and the classes it derives from."""
    notes: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        name = None
        for line in _blocks(_doc(klass))[1].get("Fields", []):
            if found := re.fullmatch(r"(\w+): (.+)", line):
                name = found[1]
                notes[name] = found[2]
            elif name and line.startswith("  "):
                notes[name] += " " + line.strip()
    return {name: markdown(note) for name, note in notes.items()}


def example(cls: type) -> str | None:
    """The YAML of the class's own ``Example:`` block, if it has one."""
    lines = _blocks(_doc(cls))[1].get("Example")
    return "\n".join(lines).strip() if lines else None


def markdown(text: str) -> str:
    """Docstring text as Markdown: ``code`` as `code`, paragraphs kept, lines of a paragraph joined."""
    paragraphs = re.split(r"\n\s*\n", text.replace("``", "`").strip())
    return "\n\n".join(p if p.lstrip().startswith("- ") else " ".join(p.split()) for p in paragraphs)


def slug(heading: str) -> str:
    """The id the site gives a heading (as Python-Markdown's table of contents makes it; GitHub's agrees but for a
    heading that ends in punctuation)."""
    return re.sub(r"[-\s]+", "-", re.sub(r"[^\w\s-]", "", heading).strip().lower())


def cell(text: str) -> str:
    """Text for one cell of a Markdown table: on one line, its bars escaped."""
    return " ".join(text.split()).replace("|", "\\|")
