import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_wsgi_application()

# The URL map built and the page frame compiled now, not in the first requests (config.warm).
from config.warm import warm  # noqa: E402 (needs the apps that get_wsgi_application loaded)

warm()
