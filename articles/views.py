"""Reader-facing HTML pages. Every page starts from Article.objects.public()."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from newsroom import errors

from . import caching, preview, reading, structured_data
from .links import absolute, redirect_to
from .models import Article, Section, Speaker, Tag, addresses, public_contributors

PAGE_SIZE = 20


def _story_list(request, articles, *, heading, feeds=(), **context):
    page = Paginator(articles.with_listing(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "articles/story_list.html",
        {"page": page, "heading": heading, "feeds": feeds, **context},
    )


def _feeds(name, **kwargs):
    return [
        ("application/rss+xml", "RSS", reverse(f"{name}-rss", kwargs=kwargs)),
        ("application/atom+xml", "Atom", reverse(f"{name}-atom", kwargs=kwargs)),
    ]


def story_context(article, *, preview=False):
    """Everything articles/article.html needs, from a story loaded with with_related().

    Editors' previews pass preview=True: the page then carries a visible banner, asks search
    engines not to index it, and offers no oEmbed or feed discovery.
    """
    page_url = absolute(article.get_absolute_url())
    canonical_url = article.canonical_url or page_url
    return {
        "article": article,
        "preview": preview,
        "page_url": page_url,
        "canonical_url": canonical_url,
        "description": reading.description(article),
        "body": reading.story_body(article),
        "byline_groups": reading.byline_groups(article),
        "lead_in_body": reading.lead_image_in_body(article),
        "lead_image_url": absolute(article.lead_image.file.url) if article.lead_image else "",
        "json_ld": structured_data.script_json(
            structured_data.news_article(article, page_url=page_url, canonical_url=canonical_url)
        ),
        "oembed_url": absolute(reverse("oembed") + "?" + urlencode({"url": page_url, "format": "json"})),
    }


def front_page(request):
    return _story_list(request, Article.objects.public(), heading="Latest stories", feeds=_feeds("latest"))


def article_page(request, slug):
    token = request.GET.get(preview.PARAMETER)
    article = preview.readable_articles(token).with_related().filter(slug=slug).first()
    if article is None:
        killed = Article.objects.killed().filter(slug=slug).first()
        if killed is None:
            moved = addresses.moved_to(slug)
            if moved is not None and (moved.is_public() or moved.status == Article.Status.KILLED):
                response = redirect_to(request, moved.get_absolute_url())
                if caching.is_shareable(request):
                    caching.set_public_headers(response, f"article-{moved.pk}")
                return response
            return missing_story(request, slug)
        response = render(request, "articles/killed.html", {"article": killed}, status=410)
        if caching.is_shareable(request):
            caching.set_public_headers(response, f"article-{killed.pk}")
        return response
    previewing = not article.is_public()
    response = render(request, "articles/article.html", story_context(article, preview=previewing))
    if previewing:
        preview.mark_private(response)
    response.surrogate_keys = caching.article_keys(article)
    return response


def missing_story(request, slug):
    """The site's "not found" for a story address, kept briefly by caches until a story goes live there."""
    response = errors.page_not_found(request, Http404("No such story."))
    if caching.is_shareable(request):
        caching.set_missing_headers(response, slug)
    return response


def section_page(request, slug):
    section = get_object_or_404(Section.objects.public(), slug=slug)
    return _story_list(
        request,
        Article.objects.public().filter(section=section),
        heading=section.name,
        feeds=_feeds("section", slug=slug),
    )


def tag_page(request, slug):
    tag = get_object_or_404(Tag.objects.public(), slug=slug)
    return _story_list(request, Article.objects.public().filter(tags=tag), heading=tag.name)


def contributor_page(request, slug):
    # Someone credited only on unpublished stories is not public: the page could reveal the story.
    contributor = get_object_or_404(public_contributors(), slug=slug)
    articles = Article.objects.public().filter(bylines__contributor=contributor).distinct()
    return _story_list(
        request,
        articles,
        heading=contributor.name,
        contributor=contributor,
        feeds=_feeds("contributor", slug=slug),
    )


def speaker_page(request, slug):
    speaker = get_object_or_404(Speaker.objects.public(), slug=slug)
    articles = Article.objects.public().filter(quotes__speaker=speaker).distinct()
    return _story_list(request, articles, heading=speaker.name, speaker=speaker)


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /api/",
        "",
        f"Sitemap: {absolute(reverse('sitemap-index'))}",
        f"Sitemap: {absolute(reverse('sitemap-section', kwargs={'section': 'news'}))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
