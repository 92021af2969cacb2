"""Bearer-token auth with FastAPI's security utilities (OAuth2 password flow).

FastAPI reads and documents the credentials; storing users and tokens is up to the application.
"""

import hashlib
import hmac
import secrets
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, status
from fastapi.security import OAuth2PasswordBearer, OAuth2PasswordRequestForm

app = FastAPI(max_body_size=1024 * 1024)


# --8<-- [start:store]
def hash_password(password: str, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1)
    return f"{salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    salt, _ = stored.split("$")
    return hmac.compare_digest(hash_password(password, bytes.fromhex(salt)), stored)


# FastAPI has no user model: this dict stands in for your users table.
USERS = {"alice": hash_password("wonderland")}
TOKENS: dict[str, str] = {}  # token -> username; store them (hashed) in a database, or sign JWTs
# --8<-- [end:store]


# --8<-- [start:main]
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/token")  # reads "Authorization: Bearer ..."


@app.post("/api/token")
def issue_token(form: Annotated[OAuth2PasswordRequestForm, Depends()]) -> dict:
    stored = USERS.get(form.username)
    if stored is None or not verify_password(form.password, stored):
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "Incorrect username or password")
    token = secrets.token_urlsafe(32)
    TOKENS[token] = form.username
    return {"access_token": token, "token_type": "bearer"}


async def current_user(token: Annotated[str, Depends(oauth2_scheme)]) -> str:
    # oauth2_scheme has already answered 401 if the header is missing or not a Bearer token.
    username = TOKENS.get(token)
    if username is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, "Invalid token", headers={"WWW-Authenticate": "Bearer"}
        )
    return username


@app.get("/api/me")
async def me(username: Annotated[str, Depends(current_user)]) -> dict:
    return {"username": username}
# --8<-- [end:main]
