from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("articles", views.ArticleViewSet, basename="article")
router.register("quotes", views.QuoteViewSet, basename="quote")
router.register("speakers", views.SpeakerViewSet, basename="speaker")
router.register("contributors", views.ContributorViewSet, basename="contributor")
router.register("images", views.ImageViewSet, basename="image")
router.register("sections", views.SectionViewSet, basename="section")
router.register("tags", views.TagViewSet, basename="tag")

urlpatterns = router.urls
