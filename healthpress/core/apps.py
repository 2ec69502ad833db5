from django.apps import AppConfig


class CoreConfig(AppConfig):
    # Core's pages (home, topics, the editorial policy) show on or link from every page, so a
    # change to one purges the whole page cache: the page cache's default rule (pagecache/rules.py).
    name = "healthpress.core"
    label = "core"

    def ready(self):
        from django.conf import settings
        from PIL import Image

        from . import (
            checks,  # noqa: F401  (registers the system checks)
            receivers,
        )

        receivers.connect()

        # Pillow warns past this many pixels and refuses past twice as many; core/images.py turns
        # the warning into a refusal, so the upload limit and Pillow's agree.
        Image.MAX_IMAGE_PIXELS = settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS
