from django.urls import path

from . import views

urlpatterns = [
    path("", views.front_page, name="front-page"),
    path("stories/<slug:slug>/", views.article_page, name="article-page"),
    path("sections/<slug:slug>/", views.section_page, name="section-page"),
    path("tags/<slug:slug>/", views.tag_page, name="tag-page"),
    path("contributors/<slug:slug>/", views.contributor_page, name="contributor-page"),
    path("speakers/<slug:slug>/", views.speaker_page, name="speaker-page"),
]
