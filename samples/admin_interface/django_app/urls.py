from django.contrib import admin
from django.urls import path

# --8<-- [start:main]
urlpatterns = [
    path("admin/", admin.site.urls),  # login, logout, index, and list/add/change/delete per model
]
# --8<-- [end:main]
