"""Bytes to text: declared encodings are not trusted blindly, binary input is refused."""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from storylens.model import InputError

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters in the first 8 KiB mean this is not text."""
    head = data[:8192]
    if any(head.startswith(bom) for bom, _ in _BOMS[1:]):
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls > len(head) * 0.05


def decode_text(data: bytes, declared: str | None = None) -> str:
    """Decode bytes to str: UTF-8 (with or without BOM) first, then a declared encoding if it
    decodes cleanly, else charset-normalizer's best guess (cp1252 and latin-1 files come out right).
    """
    if not data.strip():
        raise InputError("empty file")
    if looks_binary(data):
        raise InputError("binary content, not text (is this an image, a PDF or a compressed file?)")
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name)
            except UnicodeDecodeError:  # the BOM lies or the text is damaged: UTF-16 keeps what it can
                if name == "utf-16":
                    return data.decode(name, "replace")
                data = data[len(bom) :]
                break
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            return data.decode(declared)
        except (UnicodeDecodeError, LookupError):
            pass  # mis-declared: fall through to detection
    best = from_bytes(data).best()
    if best is None:
        raise InputError("cannot tell the text encoding; convert the file to UTF-8")
    return str(best)
