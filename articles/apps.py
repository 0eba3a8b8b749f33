from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Stories"

    def ready(self):
        from django.conf import settings
        from PIL import Image

        # Pillow's own decompression-bomb guard follows the configured limit, so the two never disagree.
        Image.MAX_IMAGE_PIXELS = settings.IMAGE_MAX_PIXELS

        from . import invalidation, signal_handlers  # noqa: F401 (connects its receivers)

        invalidation.connect()
