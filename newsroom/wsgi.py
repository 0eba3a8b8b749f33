import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
application = get_wsgi_application()

# Warm public responses are answered in front of Django (see articles/edge.py).
from articles.edge import EdgeApplication  # noqa: E402  (needs the apps loaded above)
from newsroom.logs import RequestIdApplication  # noqa: E402

# Outermost: every request has its id before anything can log, edge hits included.
application = RequestIdApplication(EdgeApplication(application))
