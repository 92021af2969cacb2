from django.urls import path

from . import views

urlpatterns = [
    path("api/jobs", views.create_job),
    path("api/jobs/<str:job_id>", views.get_job),
]
