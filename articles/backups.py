"""Dump and restore everything a newsroom cannot lose: the database and the media files.

A backup is a folder holding `data.fulljson` (Django's JSON serialization, with natural keys so it loads
into any freshly migrated database, SQLite or PostgreSQL), `media.tar` (every file in the default
storage) and `manifest.json` (counts and SHA-256 checksums, checked before anything is restored).
For a large PostgreSQL database, `pg_dump` is faster; see README.
"""

import hashlib
import io
import json
import tarfile
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

FORMAT = 1
# Django's JSON fixtures, but with microsecond times (see backup_serializer).
SERIALIZER = "fulljson"
DATA, MEDIA, MANIFEST = f"data.{SERIALIZER}", "media.tar", "manifest.json"
# Rebuilt by `migrate` or meaningless after a restore: content types and permissions, sessions,
# sign-in throttling records, who-is-editing-now markers.
EXCLUDE = ["contenttypes", "auth.permission", "sessions", "axes", "articles.editingpresence"]


class BackupError(Exception):
    pass


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _stored_files(storage, folder=""):
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # no media uploaded yet
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from _stored_files(storage, f"{folder}/{sub}" if folder else sub)


def _safe_member_name(name):
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts or "\\" in name:
        raise BackupError(f"Refusing a media file with an unsafe name: {name!r}")
    return str(path)


def _counts():
    excluded_apps = {label for label in EXCLUDE if "." not in label}
    excluded_models = {label for label in EXCLUDE if "." in label}
    return {
        model._meta.label_lower: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label not in excluded_apps
        and model._meta.label_lower not in excluded_models
        and not model._meta.proxy
        and model._meta.managed
    }


def _register_serializer():
    serializers.register_serializer(SERIALIZER, "articles.backup_serializer")


def backup(folder, storage=default_storage):
    """Write a complete backup into `folder` (created if needed). Returns the manifest."""
    _register_serializer()
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    with transaction.atomic():  # one consistent view of the data while it is dumped
        call_command(
            "dumpdata",
            exclude=EXCLUDE,
            format=SERIALIZER,
            natural_foreign=True,
            natural_primary=True,
            indent=1,
            output=str(folder / DATA),
            verbosity=0,
        )
        counts = _counts()
    files = {}
    with tarfile.open(folder / MEDIA, "w") as archive:
        for name in _stored_files(storage):
            with storage.open(name, "rb") as handle:
                content = handle.read()
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
            files[name] = hashlib.sha256(content).hexdigest()
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "rows": counts,
        "files": files,
        "checksums": {DATA: _sha256(folder / DATA), MEDIA: _sha256(folder / MEDIA)},
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
    return manifest


def verify(folder):
    """The manifest of a complete, untampered backup, or BackupError saying what is wrong."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BackupError(f"{folder} has no readable {MANIFEST}: {error}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    for name, expected in manifest["checksums"].items():
        if not (folder / name).is_file():
            raise BackupError(f"{name} is missing from {folder}.")
        if _sha256(folder / name) != expected:
            raise BackupError(f"{name} does not match its checksum: the backup is damaged.")
    return manifest


def restore(folder, storage=default_storage):
    """Load a verified backup into a migrated database and its files into storage, all or nothing."""
    _register_serializer()
    folder = Path(folder)
    manifest = verify(folder)
    with tarfile.open(folder / MEDIA) as archive:
        members = archive.getmembers()
        if any(not m.isfile() for m in members):
            raise BackupError("The media archive holds folders, links or devices; refusing it.")
        names = [_safe_member_name(m.name) for m in members]
        contents = {name: archive.extractfile(m).read() for name, m in zip(names, members, strict=True)}
    for name, content in contents.items():
        if hashlib.sha256(content).hexdigest() != manifest["files"].get(name):
            raise BackupError(f"Media file {name} does not match the manifest.")
    with transaction.atomic():
        call_command("loaddata", str(folder / DATA), verbosity=0)
        restored = _counts()
        missing = {
            label: (rows, restored.get(label, 0))
            for label, rows in manifest["rows"].items()
            if restored.get(label, 0) < rows
        }
        if missing:
            raise BackupError(f"Rows missing after the restore (expected, found): {missing}")
    for name, content in contents.items():
        if storage.exists(name):
            storage.delete(name)
        if storage.save(name, ContentFile(content)) != name:
            raise BackupError(f"Storage renamed {name} while restoring it.")
    return manifest
