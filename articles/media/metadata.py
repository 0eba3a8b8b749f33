"""Read the caption, creator, credit line and copyright a photographer or agency put in the file.

Sources in order of trust: XMP (what photo desks and agencies write today), IPTC (the older wire
standard, still sent by agencies), then EXIF (what the camera or a basic editor wrote). Everything else
in the metadata — location, device, serial numbers — is never read here and never stored.
"""

from defusedxml import ElementTree
from PIL import IptcImagePlugin

NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "photoshop": "http://ns.adobe.com/photoshop/1.0/",
}

# IPTC IIM record 2 datasets.
IPTC_CAPTION, IPTC_BYLINE, IPTC_CREDIT, IPTC_COPYRIGHT = (2, 120), (2, 80), (2, 110), (2, 116)
# EXIF IFD0 tags.
EXIF_DESCRIPTION, EXIF_ARTIST, EXIF_COPYRIGHT = 0x010E, 0x013B, 0x8298

# Placeholders cameras write into ImageDescription; they are not captions.
CAMERA_BOILERPLATE = {"olympus digital camera", "sony dsc", "digital camera", "exif_jpeg_picture", "default"}


def _text(value):
    if isinstance(value, list | tuple):
        value = value[0] if value else ""
    if isinstance(value, bytes):
        try:
            value = value.decode("utf-8")
        except UnicodeDecodeError:
            value = value.decode("latin-1")
    return " ".join(str(value or "").replace("\x00", " ").split())


def _first(*values):
    for value in values:
        if (text := _text(value)) and text.lower() not in CAMERA_BOILERPLATE:
            return text
    return ""


def _xmp(image):
    packet = image.info.get("xmp") or image.info.get("XML:com.adobe.xmp")
    if not packet:
        return {}
    try:
        root = ElementTree.fromstring(packet.strip(b"\x00 \n") if isinstance(packet, bytes) else packet)
    except (ElementTree.ParseError, ValueError, TypeError):
        return {}
    found = {}
    for description in root.iter(f"{{{NS['rdf']}}}Description"):
        for prefix, name in (
            ("dc", "description"),
            ("dc", "creator"),
            ("dc", "rights"),
            ("photoshop", "Credit"),
        ):
            key = f"{{{NS[prefix]}}}{name}"
            if key in description.attrib:
                found.setdefault(name, description.attrib[key])
            element = description.find(key)
            if element is not None:
                items = [li.text or "" for li in element.iter(f"{{{NS['rdf']}}}li")]
                found.setdefault(name, ", ".join(filter(None, items)) if items else element.text or "")
    return found


def _iptc(image):
    try:
        return IptcImagePlugin.getiptcinfo(image) or {}
    except (SyntaxError, ValueError, OSError, IndexError):
        return {}


def read_credits(image):
    """{caption, credit, copyright} as plain text, empty where the file says nothing."""
    xmp, iptc, exif = _xmp(image), _iptc(image), image.getexif()
    creator = _first(xmp.get("creator"), iptc.get(IPTC_BYLINE), exif.get(EXIF_ARTIST))
    agency = _first(xmp.get("Credit"), iptc.get(IPTC_CREDIT))
    # A desk credits "Photographer / Agency"; one of the two alone is printed as it is.
    credit = " / ".join(dict.fromkeys(filter(None, (creator, agency))))
    return {
        "caption": _first(xmp.get("description"), iptc.get(IPTC_CAPTION), exif.get(EXIF_DESCRIPTION)),
        "credit": credit,
        "copyright": _first(xmp.get("rights"), iptc.get(IPTC_COPYRIGHT), exif.get(EXIF_COPYRIGHT)),
    }
