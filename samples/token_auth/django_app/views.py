from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


# --8<-- [start:main]
class MeView(APIView):
    # Authentication and permission classes come from REST_FRAMEWORK in settings.py:
    # a Bearer token is required, and request.user is the Django user who owns it.
    def get(self, request: Request) -> Response:
        return Response({"username": request.user.username})


# --8<-- [end:main]
