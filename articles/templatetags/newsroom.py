from django import template

from ..links import absolute as to_absolute
from ..pictures import COLUMN_SIZES
from ..pictures import picture as build_picture
from ..sitemaps import news_language as _news_language

register = template.Library()


@register.inclusion_tag("articles/_picture.html")
def picture(image, sizes=COLUMN_SIZES, loading="lazy"):
    """<picture> with a <source> per modern format and the original as the <img> fallback."""
    return {"pic": build_picture(image, sizes), "loading": loading}


@register.filter
def news_language(code):
    return _news_language(code)


@register.filter
def absolute(url):
    return to_absolute(url)
