"""Files the upload pipeline refuses, each with the words of its refusal."""

import io
import zipfile

from tests.helpers import imagefiles as files


def zip_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.html", "<html><script>alert(1)</script></html>")
    return buffer.getvalue()


def with_comment(jpeg, text):
    segment = b"\xff\xfe" + (len(text) + 2).to_bytes(2, "big") + text
    return jpeg[:2] + segment + jpeg[2:]


def animated_gif():
    buffer = io.BytesIO()
    files.picture().save(buffer, "GIF", save_all=True, append_images=[files.picture().rotate(90)])
    return buffer.getvalue()


def mpo_with_zip():
    buffer = io.BytesIO()
    files.picture().save(buffer, "MPO", save_all=True, append_images=[files.picture()])
    return buffer.getvalue() + zip_bytes()


REFUSED = {
    "empty": (b"", "empty"),
    "svg": (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "SVG"),
    "svg with xml prolog": (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>', "SVG"),
    "html named jpg": (b"\n\n<!doctype html><p>hello</p>", "SVG and other markup"),
    "pdf": (b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", "not a picture"),
    "zip": (zip_bytes(), "not a picture"),
    "truncated jpeg": (files.jpeg((200, 120))[:-300], "ends in the middle"),
    "corrupt png": (files.encoded("PNG")[:60] + b"\x00" * 40 + files.encoded("PNG")[100:], "damaged"),
    "decompression bomb": (files.png_bomb(), "too many pixels"),
    "jpeg with zip appended": (files.jpeg() + zip_bytes(), "follow the end of the picture"),
    "png with html appended": (files.encoded("PNG") + b"<html><script>x</script></html>", "follow the end"),
    "gif with zip appended": (files.encoded("GIF") + zip_bytes(), "follow the end of the picture"),
    "webp with trailing data": (files.encoded("WEBP") + b"#!/bin/sh\nrm -rf /\n", "follow the end"),
    "avif with trailing data": (files.encoded("AVIF") + zip_bytes(), "follow the end"),
    "mpo with zip appended": (mpo_with_zip(), "follow the end"),
    "script in a jpeg comment": (with_comment(files.jpeg(), b"<script>alert(1)</script>"), "hides another"),
    "zip inside a jpeg comment": (with_comment(files.jpeg(), zip_bytes()), "hides another"),
    "animated gif": (animated_gif(), "Animated"),
}
