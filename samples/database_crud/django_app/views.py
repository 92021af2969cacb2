from rest_framework import viewsets
from rest_framework.pagination import LimitOffsetPagination

from .models import Document
from .serializers import DocumentSerializer


# --8<-- [start:main]
class DocumentPages(LimitOffsetPagination):
    default_limit = 100
    max_limit = 100  # ?limit= cannot ask for more in one page


class DocumentViewSet(viewsets.ModelViewSet):
    """List (paginated), create, retrieve, update (PUT/PATCH) and delete, from one class."""

    queryset = Document.objects.all()
    serializer_class = DocumentSerializer
    pagination_class = DocumentPages


# --8<-- [end:main]
