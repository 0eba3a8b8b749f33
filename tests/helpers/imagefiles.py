"""Picture files built in the test, with the metadata and the defects real uploads carry."""

import io
import struct

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageCms

SERIAL = "SN-4417-SECRET"
MAKER_NOTE = b"MAKERNOTE-PRIVATE-BLOB"
LATITUDE = (50.0, 27.0, 1.5)

XMP = b"""<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" xmlns:exif="http://ns.adobe.com/exif/1.0/"
  photoshop:Credit="Wire Agency" exif:GPSLatitude="50,27.025N" exif:GPSLongitude="30,31.033E">
<dc:description><rdf:Alt>
<rdf:li xml:lang="x-default">Rescuers search the rubble in Kramatorsk</rdf:li></rdf:Alt></dc:description>
<dc:creator><rdf:Seq><rdf:li>Olena Photographer</rdf:li></rdf:Seq></dc:creator>
<dc:rights><rdf:Alt><rdf:li xml:lang="x-default">(c) Wire Agency 2026</rdf:li></rdf:Alt></dc:rights>
</rdf:Description></rdf:RDF></x:xmpmeta>"""


def picture(size=(96, 64), mode="RGB"):
    """A picture with structure (so crops and rotations can be told apart): red top-left corner."""
    image = Image.linear_gradient("L").resize(size).convert(mode)
    image.paste((255, 0, 0) if mode.startswith("RGB") else 255, (0, 0, size[0] // 4, size[1] // 4))
    return image


def exif_with_location(orientation=1, description="Caption from EXIF"):
    exif = Image.Exif()
    exif[0x010F] = "Canon"  # Make
    exif[0x0110] = "EOS R5"  # Model
    exif[0x013B] = "Exif Artist"  # Artist
    exif[0x8298] = "Exif Copyright"  # Copyright
    exif[0x010E] = description  # ImageDescription
    exif[0x0112] = orientation
    exif.get_ifd(0x8769).update({0xA431: SERIAL, 0x927C: MAKER_NOTE})  # body serial, maker note
    exif.get_ifd(0x8825).update({0: b"\x02\x02\x00\x00", 1: "N", 2: LATITUDE, 3: "E", 4: (30.0, 31.0, 2.0)})
    return exif


def srgb_profile():
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def iptc_segment(caption="IPTC caption", byline="Iptc Byline", credit="Iptc Credit", rights="Iptc Rights"):
    datasets = b"".join(
        b"\x1c\x02" + bytes([number]) + struct.pack(">H", len(value.encode())) + value.encode()
        for number, value in ((120, caption), (80, byline), (110, credit), (116, rights))
    )
    resource = b"8BIM\x04\x04\x00\x00" + struct.pack(">I", len(datasets)) + datasets
    if len(datasets) % 2:
        resource += b"\x00"
    payload = b"Photoshop 3.0\x00" + resource
    return b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload


def jpeg(size=(96, 64), *, exif=None, xmp=None, iptc=False, icc=None, quality=90):
    buffer = io.BytesIO()
    options = {"quality": quality}
    if exif is not None:
        options["exif"] = exif
    if xmp is not None:
        options["xmp"] = xmp
    if icc is not None:
        options["icc_profile"] = icc
    picture(size).save(buffer, "JPEG", **options)
    data = buffer.getvalue()
    if iptc:
        data = data[:2] + iptc_segment() + data[2:]
    return data


def encoded(fmt, size=(96, 64), mode="RGB", **options):
    buffer = io.BytesIO()
    picture(size, mode).save(buffer, fmt, **options)
    return buffer.getvalue()


def png_bomb(width=50_000, height=50_000):
    """A tiny PNG whose header claims an enormous picture."""
    import zlib

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def upload(data, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)
