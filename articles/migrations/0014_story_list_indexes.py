"""Indexes that keep the story list and search cheap at a million stories.

- (go_live_at, id): the newest-first order read straight from the index, ties included, so a search that
  walks it stops as soon as it has enough matches instead of sorting every story with the same time
  (drafts have none);
- language: the admin's language filter lists the languages in use with one index probe each;
- on PostgreSQL, finer statistics for the search vector (10,000 most common lexemes instead of 1,000),
  from which search chooses its plan (articles/search/postgres.py).
"""

from django.db import migrations, models


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0013_image_uploaded_by"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["go_live_at", "id"], name="articles_article_recent_idx"),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["language"], name="articles_article_language_idx"),
        ),
        migrations.RunPython(
            on_postgresql("ALTER TABLE articles_article ALTER COLUMN search_vector SET STATISTICS 1000"),
            on_postgresql("ALTER TABLE articles_article ALTER COLUMN search_vector SET STATISTICS -1"),
        ),
    ]
