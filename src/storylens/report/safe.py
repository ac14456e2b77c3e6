"""Article data made safe for where it is shown: a terminal, an HTML link, a Markdown file.

Titles, paths, sources and error messages come from files and servers nobody vetted. Printed
through Rich, `[/b]` is markup (and crashes); printed at all, ESC sequences drive the terminal
(hidden OSC 8 hyperlinks, clear-screen). In a report, a `javascript:` URL is a script one click
away, and `<script>` in Markdown runs wherever the Markdown is rendered to HTML.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from rich.markup import escape
from rich.text import Text

# ESC sequences in their 7-bit and 8-bit (C1) forms, removed whole so no payload is left visible:
# OSC/DCS/SOS/PM/APC strings up to their terminator, CSI with its parameters, then any other ESC pair
_ESCAPES = re.compile(
    r"(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f]).*?(?:\x07|\x1b\\|\x9c)"
    r"|(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    r"|\x1b[ -/]*[0-~]",
    re.DOTALL,
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # C0 but tab and newline, DEL, C1
_LINE_BREAKS = re.compile(r"\s*\n\s*")
_HTTP = {"http", "https"}
_MD_SPECIAL = re.compile(r"([\\`*\[\]])")
_MD_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def clean(value: object, *, newlines: bool = True) -> str:
    """`value` as text with no terminal control in it; with `newlines=False`, on one line."""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROLS.sub("", _ESCAPES.sub("", text))
    return text if newlines else _LINE_BREAKS.sub(" ", text)


def terminal_text(value: object, style: str = "", *, one_line: bool = False) -> Text:
    """Data for Rich: a Text is never parsed for markup or emoji codes, so `[/b]` prints as itself.

    `one_line`: line breaks become spaces and what does not fit the column ends in an ellipsis.
    """
    if one_line:
        return Text(clean(value, newlines=False), style=style, no_wrap=True, overflow="ellipsis")
    return Text(clean(value), style=style)


def markup(value: object) -> str:
    """Data to put inside a Rich markup string (an f-string printed with its own `[bold]` tags)."""
    return escape(clean(value))


def safe_href(url: str | None) -> str | None:
    """The URL if it may be a link (absolute http or https), else None: show it as text."""
    if not url:
        return None
    # what a browser does first: drop tab and newline anywhere (`java<TAB>script:`), C0 and space at the ends
    cleaned = re.sub(r"[\t\n\r]", "", url).strip("".join(map(chr, range(0x21))))
    if _CONTROLS.search(cleaned):
        return None
    try:
        parts = urlsplit(cleaned)
    except ValueError:  # a malformed IPv6 host, say
        return None
    return cleaned if parts.scheme.lower() in _HTTP and parts.netloc else None


def md(value: object) -> str:
    """Data as Markdown text that renders as itself: no raw HTML, no links or images, no line breaks."""
    text = _MD_SPECIAL.sub(r"\\\1", clean(value, newlines=False))
    return "".join(_MD_HTML.get(ch, ch) for ch in text)
