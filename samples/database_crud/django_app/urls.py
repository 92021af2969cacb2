from django.urls import include, path
from rest_framework.routers import DefaultRouter

from .views import DocumentViewSet

# --8<-- [start:main]
router = DefaultRouter(trailing_slash=False)
router.register("documents", DocumentViewSet)

urlpatterns = [
    path("api/", include(router.urls)),  # /api/documents and /api/documents/<pk>
]
# --8<-- [end:main]
