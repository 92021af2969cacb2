from rest_framework import serializers

from .models import Document


# --8<-- [start:main]
class DocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Document
        fields = ["id", "title", "body", "created_at"]
        read_only_fields = ["id", "created_at"]


# --8<-- [end:main]
