from django.urls import path

from . import views

urlpatterns = [
    path("api/chat/stream", views.stream_chat),
    path("api/chat", views.chat),
]
