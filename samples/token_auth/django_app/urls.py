from django.urls import path
from rest_framework.authtoken.views import obtain_auth_token

from .views import MeView

# --8<-- [start:main]
urlpatterns = [
    path("api/token", obtain_auth_token),  # POST username + password -> {"token": "..."}
    path("api/me", MeView.as_view()),
]
# --8<-- [end:main]
