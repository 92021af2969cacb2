from django.urls import path

from . import views

urlpatterns = [
    path("health", views.health),
    path("api/predict", views.predict),
]
