from django import template

from articles.desk.quotes import judged as judge_quotes
from articles.desk.thumbs import thumbnail_url

register = template.Library()


@register.filter
def thumb_url(image):
    return thumbnail_url(image)


@register.filter
def judged(quotes):
    return judge_quotes(quotes)
