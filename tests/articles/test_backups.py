"""Backups: everything a newsroom cannot lose comes back, byte for byte, or nothing changes."""

import hashlib
import io
import json
import shutil
import tarfile

import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from knox.models import AuthToken

from articles.models import Article, Image, Quote
from tests.factories import CorrectionFactory

# Transactional: the restore is checked across real commits. Serialized rollback puts back the
# content types and roles the flush removes, for the tests that run after these.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def snapshot(client, article):
    """What readers and editors would notice missing: the full API view plus every media byte."""
    detail = client.get(f"/api/v1/articles/{article.slug}/").json()
    quotes = list(
        Quote.objects.filter(article__slug=article.slug)
        .order_by("position", "id")
        .values_list("text", "speaker__name", "speaker__title", "verb", "occasion", "kind", "is_verified")
    )
    files = {image.file.name: image.file.read() for image in Image.objects.order_by("pk")}
    return detail, quotes, files


def wipe_everything():
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(default_storage.location, ignore_errors=True)


def test_the_seeded_story_survives_a_backup_and_restore(client, interview, editor, tmp_path):
    CorrectionFactory(article=interview, note="A name was misspelled.")
    _, token = AuthToken.objects.create(user=editor)
    before = snapshot(client, interview)
    assert before[2], "the seed should carry at least one image file"
    assert before[0]["bylines"] and before[1]

    call_command("backup", str(tmp_path / "backup"), stdout=io.StringIO())
    wipe_everything()
    assert not Article.objects.exists() and not default_storage.exists(next(iter(before[2])))

    output = io.StringIO()
    call_command("restore", str(tmp_path / "backup"), stdout=output)
    assert "Restored" in output.getvalue()
    after = snapshot(client, Article.objects.get(slug=interview.slug))
    assert after == before
    # Accounts, roles and API tokens come back too.
    restored_editor = get_user_model().objects.get(username="editor")
    assert restored_editor.check_password("correct horse battery staple")
    assert list(restored_editor.groups.values_list("name", flat=True)) == ["editor"]
    assert client.get("/api/v1/articles/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 200


def test_a_damaged_backup_is_refused_and_changes_nothing(interview, tmp_path):
    call_command("backup", str(tmp_path / "b"), stdout=io.StringIO())
    data = tmp_path / "b" / "data.fulljson"
    data.write_text(data.read_text().replace("Zelensky", "Zelenskyy"))
    call_command("flush", interactive=False, verbosity=0)
    with pytest.raises(CommandError, match="checksum"):
        call_command("restore", str(tmp_path / "b"))
    assert not Article.objects.exists()


def test_a_media_archive_with_a_path_traversal_name_is_refused(interview, tmp_path):
    folder = tmp_path / "b"
    call_command("backup", str(folder), stdout=io.StringIO())
    evil = b"owned"
    with tarfile.open(folder / "media.tar", "a") as archive:
        info = tarfile.TarInfo("../../etc/cron.d/evil")
        info.size = len(evil)
        archive.addfile(info, io.BytesIO(evil))
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["checksums"]["media.tar"] = hashlib.sha256((folder / "media.tar").read_bytes()).hexdigest()
    (folder / "manifest.json").write_text(json.dumps(manifest))
    call_command("flush", interactive=False, verbosity=0)
    with pytest.raises(CommandError, match="unsafe name"):
        call_command("restore", str(folder))
    assert not Article.objects.exists()


def test_restore_will_not_load_over_existing_stories_without_force(interview, tmp_path):
    call_command("backup", str(tmp_path / "b"), stdout=io.StringIO())
    with pytest.raises(CommandError, match="fresh database"):
        call_command("restore", str(tmp_path / "b"))


def test_dry_run_only_verifies(interview, tmp_path):
    call_command("backup", str(tmp_path / "b"), stdout=io.StringIO())
    output = io.StringIO()
    call_command("restore", str(tmp_path / "b"), "--dry-run", stdout=output)
    assert "is complete" in output.getvalue()


def test_a_missing_backup_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="manifest"):
        call_command("restore", str(tmp_path / "nothing-here"))
