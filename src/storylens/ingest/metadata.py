"""What a reader infers about an article from its own text and address.

Nothing is guessed: a field stays None unless a host, a byline or a credit line states it.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

# "(AFP)", "(Meridian Press Agency)": a credit at the end of a paragraph (on a line of its own only at the
# end of the text: a transcript's `(CROSSTALK)` stands alone between its lines), or after a dateline such
# as "PORT AVERY (MPA) -".
_CREDIT_AT_END = re.compile(r"\((?P<agency>[A-Z][A-Za-z&.\- ]{1,40})\)\s*$")
_DATELINE_CREDIT = re.compile(
    r"^[A-Z][A-Z .,'\-]{2,40}(?:,\s*[A-Z][a-z]+\.? \d{1,2})?"  # PORT AVERY, March 3
    r"\s*\((?P<agency>[A-Z][A-Za-z&.\- ]{1,40})\)\s*[-\u2013\u2014:]"  # (MPA) -
)
# "By Jane Doe, with AFP" / "Jane Doe, with AFP" / "By Jane Doe and John Roe"
_BYLINE = re.compile(
    r"^(?:by\s+)?(?P<names>[A-Z][\w.'\-]+(?:\s+[A-Z][\w.'\-]+){0,3}"
    r"(?:\s*(?:,|and|&)\s*[A-Z][\w.'\-]+(?:\s+[A-Z][\w.'\-]+){0,3})*)"
    r"(?:\s*[,|/\u2013\u2014-]\s*(?:with\s+)?(?P<agency>[A-Z][\w&.'\- ]{1,40}))?$",
)
_WITH_AGENCY = re.compile(r"\bwith\s+(?P<agency>[A-Z][\w&.'\- ]{1,40})$")


def source_from_url(url: str | None) -> str | None:
    """The outlet a reader sees in an address: its host without `www.`."""
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    host = host.removeprefix("www.")
    return host or None


def is_byline(line: str) -> bool:
    """A short line of names, optionally `By ...` or `..., with AGENCY`, and no sentence."""
    line = line.strip()
    if not line or len(line) > 80 or line.endswith((".", "?", "!", ":", ";", '"', "\u201d")):
        return False
    words = line.split()
    if len(words) > 10:
        return False
    if line.lower().startswith("by "):
        return bool(_BYLINE.match(line))
    # without "By", demand the wire form "Name Surname, with AGENCY" to avoid taking a headline
    return bool(_WITH_AGENCY.search(line)) and bool(_BYLINE.match(line))


# words that make the part after a byline's comma a job title, not an outlet: "By Jane Doe, Staff Writer"
_ROLE_WORDS = {"staff", "writer", "reporter", "correspondent", "editor", "contributor", "columnist", "bureau",
               "chief", "senior", "special", "photographer", "producer", "analyst", "in"}  # fmt: skip


def agency_from_byline(line: str) -> str | None:
    """The outlet or agency a byline names: `..., with AFP` or `By Jane Doe, Valley Courier`."""
    line = line.strip()
    m = _WITH_AGENCY.search(line)
    if m:
        return m.group("agency").strip()
    if line.lower().startswith("by ") and "," in line:
        tail = line.rsplit(",", 1)[1].strip()
        words = tail.split()
        if words and all(w[0].isupper() for w in words) and not _ROLE_WORDS & {w.lower() for w in words}:
            return tail
    return None


def credited_agency(paragraphs: list[str], byline: str | None = None) -> str | None:
    """An agency credited in the text (its paragraphs, and the byline taken out of them): `..., with AFP`
    bylines, `(AFP)` credits, datelines."""
    for para in paragraphs[:3]:
        m = _DATELINE_CREDIT.match(para)
        if m:
            return m.group("agency").strip()
    for para in reversed(paragraphs + ([byline] if byline else [])):
        if is_byline(para) and (agency := agency_from_byline(para)):
            return agency
    for n, para in enumerate(paragraphs):
        m = _CREDIT_AT_END.search(para)
        if m and not re.search(r"\d", m.group("agency")) and (para[: m.start()].strip() or n == len(paragraphs) - 1):
            return m.group("agency").strip()
    return None


def iso_date(value: object) -> str | None:
    """An ISO 8601 date or date-time from the forms feeds and exports use, else None."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        try:  # a timestamp out of any calendar (1e20, NaN) is an unknown date
            return datetime.fromtimestamp(value, tz=UTC).isoformat()
        except (OverflowError, OSError, ValueError):
            return None
    text = str(value).strip()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)  # RFC 822, as in RSS
        except (TypeError, ValueError, IndexError):
            return None
    if len(text) <= 10 and parsed.hour == parsed.minute == 0 and "T" not in text:
        return parsed.date().isoformat()
    return parsed.isoformat()
