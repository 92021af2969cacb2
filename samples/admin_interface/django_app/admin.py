from django.contrib import admin

from .models import Document


# --8<-- [start:main]
@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["id", "title", "created_at"]
    search_fields = ["title"]
    ordering = ["-id"]
    fields = ["title", "body"]


# --8<-- [end:main]
