"""HTTP goes to Django, WebSocket connections to Channels consumers."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "django_app.settings")
django_asgi_app = get_asgi_application()  # sets Django up before consumers (and models) are imported

# --8<-- [start:main]
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from .routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        # Refuses handshakes whose Origin is not in ALLOWED_HOSTS (cross-site WebSocket hijacking).
        "websocket": AllowedHostsOriginValidator(URLRouter(websocket_urlpatterns)),
    }
)
# --8<-- [end:main]
