from rest_framework import viewsets

from .models import Document
from .serializers import DocumentSerializer


# --8<-- [start:main]
class DocumentViewSet(viewsets.ModelViewSet):
    """List, create, retrieve, update (PUT/PATCH) and delete, from one class."""

    queryset = Document.objects.all()
    serializer_class = DocumentSerializer
# --8<-- [end:main]
