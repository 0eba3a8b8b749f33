"""Hostile files through the upload endpoint, and a malformed-image run under CPU and memory limits.

The media pipeline's own tests check each refusal's reason (tests/articles/media/test_pipeline.py);
here the same attacks, plus path-traversal names and oversized bodies, come through HTTP as a staff
client would send them: each must be a clear 4xx with the API's error shape, and nothing may be stored.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from knox.models import AuthToken

from articles.models import Image
from tests.helpers import imagefiles as files
from tests.helpers.environment import ROOT
from tests.helpers.refused_files import REFUSED

pytestmark = pytest.mark.django_db


def stored_files():
    try:
        folders, names = default_storage.listdir("images")
    except FileNotFoundError:
        return []
    return [*folders, *names]


@pytest.fixture
def staff(api_client, editor):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(user=editor)[1]}")
    return api_client


def post_file(client, data, name="photo.jpg", content_type="image/jpeg"):
    return client.post(
        "/api/v1/images/",
        {"file": files.upload(data, name=name, content_type=content_type), "alt_text": "x"},
        format="multipart",
    )


HOSTILE = {
    **{name: data for name, (data, _) in REFUSED.items()},
    "gif javascript polyglot": b"GIF89a/*\x00\x00\x00\x00*/=1;window.__xss=1;//" + b"\x00" * 20,
    "html with a jpeg magic number": b"\xff\xd8\xff\xe0<html><script>window.__xss=1</script></html>",
    "text renamed png": b"just some text, not a picture at all",
    "one byte": b"\xff",
    "jpeg header only": files.jpeg()[:20],
    "png signature only": b"\x89PNG\r\n\x1a\n",
}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_files_are_refused_through_the_api_and_nothing_is_stored(staff, name):
    response = post_file(staff, HOSTILE[name])
    assert response.status_code == 400, (name, response.status_code)
    body = response.json()
    assert body["code"] and body["message"]
    assert Image.objects.count() == 0 and stored_files() == []


HOSTILE_NAMES = [
    "../../../etc/passwd.jpg",
    "..\\..\\evil.jpg",
    "/etc/cron.d/evil.jpg",
    "photo.jpg\x00.html",
    "a" * 5000 + ".jpg",
    "<script>window.__xss=1</script>.jpg",
    "photo.php.jpg",
    ".htaccess",
]


@pytest.mark.parametrize("filename", HOSTILE_NAMES)
def test_upload_names_never_choose_where_a_file_is_stored(staff, filename, settings):
    response = post_file(staff, files.jpeg(), name=filename)
    assert response.status_code in (201, 400), response.status_code
    if response.status_code == 201:
        image = Image.objects.get()
        stored = Path(settings.MEDIA_ROOT, image.file.name).resolve()
        assert stored.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
        assert (
            "passwd" not in image.file.name and "evil" not in image.file.name and ".." not in image.file.name
        )
        assert "<" not in json.dumps(response.json())
    root = Path(settings.MEDIA_ROOT).resolve()
    assert all(p.resolve().is_relative_to(root) for p in root.rglob("*")) if root.exists() else True


def test_an_upload_over_the_size_limit_is_refused_before_it_is_read(staff, settings):
    settings.MAX_UPLOAD_BYTES = 256 * 1024
    response = post_file(staff, files.jpeg() + b"\x00" * (512 * 1024))
    assert response.status_code == 413
    assert Image.objects.count() == 0 and stored_files() == []


def test_anonymous_and_reporter_tokens_cannot_upload(api_client, reporter):
    assert post_file(api_client, files.jpeg()).status_code in (401, 403)
    assert Image.objects.count() == 0


# Malformed images: mutate valid files and decode each in a child process with hard limits. The
# child reports how many were accepted or refused; a crash, a hang (CPU limit) or a memory blow-up
# (address-space limit) ends it with a signal or an error, and the test fails.
CHILD = r"""
import io, json, random, resource, sys
resource.setrlimit(resource.RLIMIT_CPU, (60, 60))
resource.setrlimit(resource.RLIMIT_AS, (1536 * 1024 * 1024, 1536 * 1024 * 1024))
import django
django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from articles.media.processing import UploadRefused, prepare_upload

seeds = json.loads(sys.stdin.read())
counts = {"accepted": 0, "refused": 0}
for fmt, data, seed, mutations in seeds:
    rng = random.Random(seed)
    data = bytearray(bytes.fromhex(data))
    for _ in range(mutations):
        choice = rng.random()
        at = rng.randrange(len(data))
        if choice < 0.6:
            data[at] = rng.randrange(256)
        elif choice < 0.8:
            del data[at : at + rng.randrange(1, 16)]
        else:
            data[at:at] = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 16)))
        if not data:
            data = bytearray(b"\x00")
    try:
        prepare_upload(SimpleUploadedFile("x." + fmt.lower(), bytes(data)))
        counts["accepted"] += 1
    except UploadRefused:
        counts["refused"] += 1
print(json.dumps(counts))
"""


def test_mutated_images_never_crash_or_hang_the_decoder():
    cases = []
    for fmt, data in [
        ("JPEG", files.jpeg((160, 120))),
        ("PNG", files.encoded("PNG", (160, 120))),
        ("GIF", files.encoded("GIF", (160, 120))),
        ("WEBP", files.encoded("WEBP", (160, 120))),
    ]:
        for seed in range(60):
            cases.append((fmt, data.hex(), seed, 1 + seed % 8))
    child = subprocess.run(
        [sys.executable, "-c", CHILD],
        input=json.dumps(cases),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "newsroom.settings"},
    )
    assert child.returncode == 0, child.stderr[-2000:]
    counts = json.loads(child.stdout.strip().splitlines()[-1])
    assert counts["accepted"] + counts["refused"] == len(cases) == 240
    print(f"malformed images: {counts}")
