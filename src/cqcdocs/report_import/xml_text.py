"""Editing XML as text, so that everything outside the edit stays byte for byte as it was: an element's
attributes read and set in its start tag, and text escaped as Excel reads it."""

from __future__ import annotations

import re


def attr(tag: str, name: str) -> str | None:
    """The value of attribute NAME in TAG (an element's start tag), as written (entities not expanded)."""
    m = re.search(rf"(?<![\w:-]){re.escape(name)}\s*=\s*(\"([^\"]*)\"|'([^']*)')", tag)
    return None if m is None else (m[2] if m[2] is not None else m[3])


def set_attr(tag: str, name: str, value: str) -> str:
    """TAG (an element's start tag) with attribute NAME set to VALUE (added before the tag's end if new)."""
    pattern = re.compile(rf"(?<![\w:-]){re.escape(name)}\s*=\s*(\"[^\"]*\"|'[^']*')")
    if pattern.search(tag):
        return pattern.sub(f'{name}="{value}"', tag, count=1)
    end = len(tag) - (2 if tag.endswith("/>") else 1)
    return f'{tag[:end].rstrip()} {name}="{value}"{tag[end:]}'


def escape_text(text: str) -> str:
    """TEXT for an element's content: the XML entities, and Excel's `_xHHHH_` for characters XML cannot hold
    (and for a literal `_xHHHH_`, so it reads back as written)."""
    text = re.sub(r"_(x[0-9A-Fa-f]{4}_)", r"_x005F_\1", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", lambda m: f"_x{ord(m[0]):04X}_", text)


def escape_attr(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


def unescape_attr(text: str) -> str:
    for entity, char in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&apos;", "'"), ("&amp;", "&")):
        text = text.replace(entity, char)
    return text
