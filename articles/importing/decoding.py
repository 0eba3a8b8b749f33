"""Bytes of a story file to text, refusing what cannot be a story."""

from __future__ import annotations

import unicodedata

from .results import MAX_BYTES, UnreadableInput

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# Latin-1 readings of UTF-8 punctuation and accents: the signature of text decoded twice.
_MOJIBAKE = ("â€", "Ã©", "Ã¨", "Ã¶", "Ã¼", "Ã±", "Ã¡", "Ã³", "Ãº", "Ã­")


def decode(data, encoding="utf-8"):
    """Bytes of a story file to text, or UnreadableInput naming what is wrong with them."""
    label = encoding
    if len(data) > MAX_BYTES:
        raise UnreadableInput(f"it is {len(data):,} bytes; a story file can be at most {MAX_BYTES:,}.")
    if data.startswith(_UTF16_BOMS):
        encoding = "utf-16"
    elif b"\x00" in data:
        raise UnreadableInput("it holds binary data (NUL bytes), not text.")
    elif encoding.replace("_", "-").lower() in ("utf-8", "utf8"):
        encoding = "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise UnreadableInput(
            f"it is not {label} text (byte 0x{data[exc.start]:02x} at offset {exc.start}). "
            "Save it as UTF-8, or say which encoding it uses."
        ) from exc
    except LookupError as exc:
        raise UnreadableInput(f"“{encoding}” is not an encoding Python knows.") from exc
    return check_text(text)


def check_text(text):
    """Refuse text that is empty, binary or already garbled by a wrong encoding."""
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise UnreadableInput("it is empty.")
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise UnreadableInput(f"it is longer than {MAX_BYTES:,} bytes, too long for one story.")
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f")
    if "\x00" in text or controls > max(2, len(text) // 100):
        raise UnreadableInput("it holds binary data (control characters), not text.")
    if "\ufffd" in text:
        raise UnreadableInput("it holds replacement characters (�): it was damaged by a wrong encoding.")
    for marker in _MOJIBAKE:
        if marker in text:
            raise UnreadableInput(
                f"it looks like UTF-8 read with the wrong encoding (“{marker}” appears); fix the file first."
            )
    return text
