"""RSS 2.0 and Atom feeds: the latest stories, per section and per contributor."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from .links import absolute
from .models import Article, Section, public_contributors

FEED_SIZE = 30


class LatestStories(Feed):
    url_name = "latest-rss"

    def title(self, obj=None):
        return f"{settings.SITE_NAME}: latest stories"

    def link(self, obj=None):
        return absolute("/")

    def description(self, obj=None):
        return f"The latest stories published by {settings.SITE_NAME}."

    def feed_url(self, obj=None):
        kwargs = {"slug": obj.slug} if obj is not None else {}
        return absolute(reverse(self.url_name, kwargs=kwargs))

    def stories(self, obj):
        return Article.objects.public()

    def items(self, obj=None):
        return self.stories(obj).with_listing()[:FEED_SIZE]

    def item_title(self, article):
        return article.headline

    def item_description(self, article):
        return article.dek

    def item_link(self, article):
        return absolute(article.get_absolute_url())

    def item_guid(self, article):
        return absolute(article.get_absolute_url())

    def item_author_name(self, article):
        return ", ".join(byline.contributor.name for byline in article.bylines.all()) or None

    def item_pubdate(self, article):
        return article.go_live_at

    def item_updateddate(self, article):
        return article.modified_at

    def item_categories(self, article):
        return [tag.name for tag in article.tags.all()]


class SectionStories(LatestStories):
    url_name = "section-rss"

    def get_object(self, request, slug):
        return get_object_or_404(Section.objects.public(), slug=slug)

    def title(self, section):
        return f"{settings.SITE_NAME}: {section.name}"

    def link(self, section):
        return absolute(section.get_absolute_url())

    def description(self, section):
        return f"The latest {section.name} stories from {settings.SITE_NAME}."

    def stories(self, section):
        return Article.objects.public().filter(section=section)


class ContributorStories(LatestStories):
    url_name = "contributor-rss"

    def get_object(self, request, slug):
        return get_object_or_404(public_contributors(), slug=slug)

    def title(self, contributor):
        return f"{settings.SITE_NAME}: stories by {contributor.name}"

    def link(self, contributor):
        return absolute(contributor.get_absolute_url())

    def description(self, contributor):
        return f"The latest stories credited to {contributor.name}."

    def stories(self, contributor):
        return Article.objects.public().filter(bylines__contributor=contributor).distinct()


class AtomMixin:
    feed_type = Atom1Feed

    def subtitle(self, obj=None):
        return self.description(obj)


class LatestStoriesAtom(AtomMixin, LatestStories):
    url_name = "latest-atom"


class SectionStoriesAtom(AtomMixin, SectionStories):
    url_name = "section-atom"


class ContributorStoriesAtom(AtomMixin, ContributorStories):
    url_name = "contributor-atom"
