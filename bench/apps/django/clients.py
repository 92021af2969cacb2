"""The shared upstream HTTP clients of the Django variants (httpx2 defaults, as in FastAPI's apps)."""

import httpx2

# Thread-safe; one per process for the WSGI variants.
sync_client = httpx2.Client()

_async_client: httpx2.AsyncClient | None = None


def async_client() -> httpx2.AsyncClient:
    """Created on first use, so it belongs to the ASGI server's event loop."""
    global _async_client
    if _async_client is None:
        _async_client = httpx2.AsyncClient()
    return _async_client
