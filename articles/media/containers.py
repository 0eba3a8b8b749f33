"""Walk an image file's container to find where the picture ends and what rides along with it.

A decoder stops reading at the end of the picture, so anything after that point — a ZIP archive, an
HTML page, a script — passes every "is this an image?" check and turns the file into a polyglot that
another program may open as something else. Walking the container tells us where the picture really
ends; metadata segments are returned so they can be searched for active content hidden inside.
"""

import re
import struct


class ContainerError(ValueError):
    """The file's structure is broken, or carries data that is not part of the picture."""


# Markers of content another program could open or run. Legitimate EXIF/IPTC/XMP never contains them.
ACTIVE_CONTENT = re.compile(
    rb"<script|<html|<body|<iframe|<svg|<\?php|javascript:|PK\x03\x04|PK\x05\x06", re.IGNORECASE
)

# Top-level boxes of a still AVIF or HEIF file; anything else at the top level is not picture data.
ISOBMFF_BOXES = {b"ftyp", b"meta", b"mdat", b"free", b"skip", b"moov", b"uuid", b"pdin"}


def picture_end(data, image_format):
    """(offset where the picture ends, list of metadata byte strings) for a Pillow format name."""
    walker = {
        "JPEG": _jpeg_with_secondary_images,
        "MPO": _jpeg_with_secondary_images,
        "PNG": _png,
        "GIF": _gif,
        "WEBP": _webp,
        "AVIF": _isobmff,
        "HEIF": _isobmff,
    }[image_format]
    try:
        return walker(data)
    except (IndexError, struct.error) as exc:
        raise ContainerError("the file ends in the middle of the picture") from exc


def check(data, image_format):
    """Raise ContainerError if the file carries anything besides the picture and its metadata."""
    end, metadata = picture_end(data, image_format)
    trailing = data[end:]
    # Some cameras pad the file with zero bytes; that is harmless and common.
    if trailing.strip(b"\x00"):
        raise ContainerError(f"{len(trailing):,} bytes of other data follow the end of the picture")
    for segment in metadata:
        if ACTIVE_CONTENT.search(segment):
            raise ContainerError("its metadata hides another kind of file (web page, script or archive)")


def _jpeg(data, start=0):
    if data[start : start + 2] != b"\xff\xd8":
        raise ContainerError("it does not start like a JPEG")
    pos, size, metadata = start + 2, len(data), []
    while True:
        if data[pos] != 0xFF:
            raise ContainerError("the JPEG structure is damaged")
        while data[pos] == 0xFF:  # fill bytes before a marker
            pos += 1
        marker = data[pos]
        pos += 1
        if marker == 0xD9:  # end of image
            return pos, metadata
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:  # markers without a length
            continue
        length = struct.unpack(">H", data[pos : pos + 2])[0]
        if length < 2 or pos + length > size:
            raise ContainerError("the file ends in the middle of the picture")
        if 0xE0 <= marker <= 0xEF or marker == 0xFE:  # APPn and comments
            metadata.append(data[pos + 2 : pos + length])
        pos += length
        if marker == 0xDA:  # start of scan: compressed data runs until the next real marker
            while True:
                pos = data.find(b"\xff", pos)
                if pos < 0:
                    raise ContainerError("the file ends in the middle of the picture")
                following = data[pos + 1]
                if following == 0x00 or 0xD0 <= following <= 0xD7:  # stuffed byte, restart marker
                    pos += 2
                elif following == 0xFF:
                    pos += 1
                else:
                    break


def _jpeg_with_secondary_images(data):
    """A JPEG, plus the further JPEGs (previews, depth or gain maps) that an MPF header declares.

    Many cameras and phones store those after the main picture's end; they are pictures too, so they
    are walked and checked like the main one rather than refused as trailing data.
    """
    end, metadata = _jpeg(data)
    if not any(segment.startswith(b"MPF\x00") for segment in metadata):
        return end, metadata
    while data[end : end + 2] == b"\xff\xd8":
        end, more = _jpeg(data, end)
        metadata.extend(more)
    return end, metadata


def _png(data):
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ContainerError("it does not start like a PNG")
    pos, metadata = 8, []
    while True:
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        if pos + 12 + length > len(data):
            raise ContainerError("the file ends in the middle of the picture")
        if kind not in (b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS"):
            metadata.append(data[pos + 8 : pos + 8 + length])
        pos += 12 + length
        if kind == b"IEND":
            return pos, metadata


def _sub_blocks(data, pos):
    """GIF data sub-blocks: (position after the terminator, joined contents)."""
    parts = []
    while True:
        length = data[pos]
        pos += 1
        if length == 0:
            return pos, b"".join(parts)
        parts.append(data[pos : pos + length])
        pos += length


def _gif(data):
    if data[:6] not in (b"GIF87a", b"GIF89a"):
        raise ContainerError("it does not start like a GIF")
    flags = data[10]
    pos = 13 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0)
    metadata = []
    while True:
        introducer = data[pos]
        if introducer == 0x3B:  # trailer
            return pos + 1, metadata
        if introducer == 0x21:  # extension: comments and application data are metadata
            pos, contents = _sub_blocks(data, pos + 2)
            metadata.append(contents)
        elif introducer == 0x2C:  # image descriptor, optional local colour table, LZW data
            flags = data[pos + 9]
            pos += 10 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0)
            pos, _ = _sub_blocks(data, pos + 1)
        else:
            raise ContainerError("the GIF structure is damaged")


def _webp(data):
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise ContainerError("it does not start like a WebP")
    end = 8 + struct.unpack("<I", data[4:8])[0]
    if end > len(data):
        raise ContainerError("the file ends in the middle of the picture")
    pos, metadata = 12, []
    while pos + 8 <= end:
        kind, length = struct.unpack("<4sI", data[pos : pos + 8])
        if kind not in (b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ANIM", b"ANMF"):
            metadata.append(data[pos + 8 : pos + 8 + length])
        pos += 8 + length + (length & 1)
    return end, metadata


def _isobmff(data):
    pos, size = 0, len(data)
    while pos < size:
        if pos + 8 > size:
            raise ContainerError(f"{size - pos:,} bytes of other data follow the end of the picture")
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        header = 8
        if length == 1:
            length, header = struct.unpack(">Q", data[pos + 8 : pos + 16])[0], 16
        elif length == 0:  # the last box runs to the end of the file
            length = size - pos
        if kind not in ISOBMFF_BOXES or length < header or pos + length > size:
            raise ContainerError(f"{size - pos:,} bytes of other data follow the end of the picture")
        pos += length
    return pos, []
