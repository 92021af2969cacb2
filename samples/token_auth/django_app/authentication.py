from rest_framework.authentication import TokenAuthentication


# --8<-- [start:main]
class BearerTokenAuthentication(TokenAuthentication):
    """DRF's database-backed tokens, read from "Authorization: Bearer <key>" instead of "Token <key>"."""

    keyword = "Bearer"


# --8<-- [end:main]
