"""Reader-facing HTML pages. Every page starts from Article.objects.public()."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from contributors.models import Contributor

from .models import Article, Section, Speaker, Tag

PAGE_SIZE = 20


def _story_list(request, articles, **context):
    page = Paginator(articles.with_listing(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "articles/story_list.html", {"page": page, **context})


def front_page(request):
    return _story_list(request, Article.objects.public(), heading="Latest stories")


def article_page(request, slug):
    article = get_object_or_404(Article.objects.public().with_related(), slug=slug)
    return render(request, "articles/article.html", {"article": article})


def section_page(request, slug):
    section = get_object_or_404(Section, slug=slug)
    return _story_list(request, Article.objects.public().filter(section=section), heading=section.name)


def tag_page(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    return _story_list(request, Article.objects.public().filter(tags=tag), heading=tag.name)


def contributor_page(request, slug):
    contributor = get_object_or_404(Contributor, slug=slug)
    articles = Article.objects.public().filter(bylines__contributor=contributor).distinct()
    return _story_list(request, articles, heading=contributor.name, contributor=contributor)


def speaker_page(request, slug):
    public_articles = Article.objects.public()
    speaker = get_object_or_404(
        Speaker.objects.filter(quotes__article__in=public_articles).distinct(), slug=slug
    )
    articles = public_articles.filter(quotes__speaker=speaker).distinct()
    return _story_list(request, articles, heading=speaker.name, speaker=speaker)
