"""Full-text search on PostgreSQL: a search vector the database keeps current, and its GIN index.

Triggers rebuild an article's vector whenever its headline or standfirst, or any of its blocks or
quotes, change, so every writer (admin, API, importer, bulk updates) keeps search right without
calling anything. Other databases get the empty column only; search falls back to plain matching.
"""

import django.contrib.postgres.search
from django.db import migrations

CONFIG = "english"  # Article.SEARCH_CONFIG

CREATE = f"""
CREATE FUNCTION articles_article_search_document(article bigint, headline text, dek text)
RETURNS tsvector LANGUAGE sql STABLE AS $$
    SELECT setweight(to_tsvector('{CONFIG}', coalesce($2, '')), 'A')
        || setweight(to_tsvector('{CONFIG}', coalesce($3, '')), 'B')
        || setweight(to_tsvector('{CONFIG}', coalesce(
            (SELECT string_agg(b.text, ' ' ORDER BY b.position) FROM articles_block b WHERE b.article_id = $1),
            '')), 'C')
        || setweight(to_tsvector('{CONFIG}', coalesce(
            (SELECT string_agg(q.text, ' ' ORDER BY q.position) FROM articles_quote q WHERE q.article_id = $1),
            '')), 'C')
$$;

CREATE FUNCTION articles_article_search_refresh(article bigint) RETURNS void LANGUAGE sql AS $$
    UPDATE articles_article SET search_vector = articles_article_search_document(id, headline, dek)
    WHERE id = $1
$$;

CREATE FUNCTION articles_article_search_own() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := articles_article_search_document(NEW.id, NEW.headline, NEW.dek);
    RETURN NEW;
END $$;

CREATE FUNCTION articles_article_search_related() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM articles_article_search_refresh(OLD.article_id);
        RETURN NULL;
    END IF;
    PERFORM articles_article_search_refresh(NEW.article_id);
    IF TG_OP = 'UPDATE' THEN
        IF OLD.article_id <> NEW.article_id THEN
            PERFORM articles_article_search_refresh(OLD.article_id);
        END IF;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER articles_article_search_own BEFORE INSERT OR UPDATE OF headline, dek ON articles_article
    FOR EACH ROW EXECUTE FUNCTION articles_article_search_own();
CREATE TRIGGER articles_block_search AFTER INSERT OR UPDATE OR DELETE ON articles_block
    FOR EACH ROW EXECUTE FUNCTION articles_article_search_related();
CREATE TRIGGER articles_quote_search AFTER INSERT OR UPDATE OR DELETE ON articles_quote
    FOR EACH ROW EXECUTE FUNCTION articles_article_search_related();

CREATE INDEX articles_article_search_gin ON articles_article USING gin (search_vector);

UPDATE articles_article SET search_vector = articles_article_search_document(id, headline, dek);
"""

DROP = """
DROP INDEX IF EXISTS articles_article_search_gin;
DROP TRIGGER IF EXISTS articles_quote_search ON articles_quote;
DROP TRIGGER IF EXISTS articles_block_search ON articles_block;
DROP TRIGGER IF EXISTS articles_article_search_own ON articles_article;
DROP FUNCTION IF EXISTS articles_article_search_related();
DROP FUNCTION IF EXISTS articles_article_search_own();
DROP FUNCTION IF EXISTS articles_article_search_refresh(bigint);
DROP FUNCTION IF EXISTS articles_article_search_document(bigint, text, text);
"""


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_text_length_limits"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(on_postgresql(CREATE), on_postgresql(DROP)),
    ]
