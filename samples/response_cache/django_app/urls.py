from django.urls import path

from . import views

urlpatterns = [
    path("api/complete", views.complete),
]
