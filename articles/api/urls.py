from rest_framework import routers

from ..caching import name_lifetime
from . import desk, views


class APIRootView(routers.APIRootView):
    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        return name_lifetime(request._request, response, "docs")


class Router(routers.DefaultRouter):
    APIRootView = APIRootView


router = Router()
router.register("articles", views.ArticleViewSet, basename="article")
router.register("quotes", views.QuoteViewSet, basename="quote")
router.register("speakers", views.SpeakerViewSet, basename="speaker")
router.register("contributors", views.ContributorViewSet, basename="contributor")
router.register("images", views.ImageViewSet, basename="image")
router.register("sections", views.SectionViewSet, basename="section")
router.register("tags", views.TagViewSet, basename="tag")
router.register("desk/articles", desk.DeskArticleViewSet, basename="desk-article")
router.register("desk/images", desk.DeskImageViewSet, basename="desk-image")

urlpatterns = router.urls
