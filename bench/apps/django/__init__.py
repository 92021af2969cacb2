"""One Django project, four variants chosen by BENCH_DJANGO_VARIANT (see settings.py).

sync (plain views, WSGI), async (async views, ASGI), ninja (Django Ninja, async, ASGI),
drf (Django REST framework, sync, WSGI).
"""
