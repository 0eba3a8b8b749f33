"""The admin as a browser meets it: addresses, the change form posted back as rendered, the story page."""

from django.urls import reverse

from articles.models import Article


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def move_url(article, verb):
    return reverse("admin:articles_article_move", args=[article.pk, verb])


def form_data(response):
    """The change form exactly as the browser would post it back, inlines included."""
    adminform = response.context["adminform"]
    # Only what the page renders: a field the template leaves out never reaches the server.
    rendered = [
        (adminform.form, field.field.name)
        for fieldset in adminform
        for line in fieldset
        for field in line
        if not field.is_readonly
    ]
    rendered += [
        (form, name)
        for formset in response.context["inline_admin_formsets"]
        for form in formset.formset.forms
        for name in form.fields
    ]
    data = {}
    for bound, name in rendered:
        value = bound[name].value()
        if value is None or value is False:
            continue
        if isinstance(value, list | tuple):
            data[bound.add_prefix(name)] = [str(v) for v in value]
        else:
            data[bound.add_prefix(name)] = value
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
    return data


def management(prefix, total=0, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def new_story(client, paragraphs):
    data = {"headline": "Bakhmut will hold", "slug": "bakhmut-will-hold", "language": "en", "dek": ""}
    data |= management("blocks", len(paragraphs)) | management("bylines") | management("corrections")
    for n, text in enumerate(paragraphs):
        data |= {f"blocks-{n}-type": "paragraph", f"blocks-{n}-text": text, f"blocks-{n}-position": ""}
    response = client.post(reverse("admin:articles_article_add"), data, follow=True)
    assert response.status_code == 200
    return Article.objects.get(slug="bakhmut-will-hold"), response


def act(client, article, **data):
    return client.post(reverse("admin:articles_article_quotes", args=[article.pk]), data)
