"""oEmbed provider (https://oembed.com/) for story pages: a linked card other sites can embed."""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.views.decorators.http import require_GET

from . import caching
from .links import absolute
from .models import Article

DEFAULT_WIDTH = 600
MIN_WIDTH = 200
CARD_HEIGHT = 200
CACHE_AGE = 3600


def _story_slug(url):
    """The slug of the story page at `url`, or None for any other address."""
    parts = urlsplit(url)
    site = urlsplit(settings.SITE_URL)
    if parts.scheme not in ("http", "https") or parts.netloc != site.netloc:
        return None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    return match.kwargs.get("slug") if match.url_name == "article-page" else None


def _dimension(request, name):
    value = request.GET.get(name)
    if value in (None, ""):
        return None
    if not value.isdigit() or int(value) == 0:
        raise ValueError(f"{name} must be a positive whole number of pixels.")
    return int(value)


@require_GET
def oembed(request):
    if request.GET.get("format", "json") != "json":
        # The spec's answer for a format the provider does not offer.
        return HttpResponse("Only format=json is offered.", status=501, content_type="text/plain")
    try:
        max_width = _dimension(request, "maxwidth")
        max_height = _dimension(request, "maxheight")
    except ValueError as error:
        return JsonResponse({"error": str(error)}, status=400)
    slug = _story_slug(request.GET.get("url", ""))
    if slug is None:
        raise Http404("Not a story address on this site.")
    article = get_object_or_404(Article.objects.public().with_listing(), slug=slug)
    width = max(MIN_WIDTH, min(max_width or DEFAULT_WIDTH, DEFAULT_WIDTH))
    height = min(max_height or CARD_HEIGHT, CARD_HEIGHT)
    page_url = absolute(article.get_absolute_url())
    bylines = list(article.bylines.all())
    data = {
        "version": "1.0",
        "type": "rich",
        "title": article.headline,
        "provider_name": settings.SITE_NAME,
        "provider_url": absolute("/"),
        "cache_age": CACHE_AGE,
        "width": width,
        "height": height,
        "html": render_to_string(
            "articles/oembed_card.html",
            {"article": article, "page_url": page_url, "SITE_NAME": settings.SITE_NAME, "width": width},
        ).strip(),
    }
    if bylines:
        data["author_name"] = ", ".join(b.contributor.name for b in bylines)
        data["author_url"] = absolute(bylines[0].contributor.get_absolute_url())
    image = article.lead_image
    # Consumers that set a maximum size must never get a bigger thumbnail.
    if image and image.width <= (max_width or image.width) and image.height <= (max_height or image.height):
        data.update(
            thumbnail_url=absolute(image.file.url), thumbnail_width=image.width, thumbnail_height=image.height
        )
    response = JsonResponse(data)
    response.surrogate_keys = caching.article_keys(article)
    return response
