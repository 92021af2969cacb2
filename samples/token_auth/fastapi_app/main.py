"""Bearer-token auth with FastAPI's security utilities (OAuth2 password flow), as in FastAPI's security
tutorial: Argon2 password hashes with pwdlib, and signed JWTs that expire.

FastAPI reads and documents the credentials; storing users and issuing tokens is up to the application.
"""

import os
import secrets
from datetime import UTC, datetime, timedelta
from typing import Annotated

import jwt
from fastapi import Depends, FastAPI, HTTPException, status
from fastapi.security import OAuth2PasswordBearer, OAuth2PasswordRequestForm
from pwdlib import PasswordHash
from pydantic import BaseModel

app = FastAPI(max_body_size=1024 * 1024)


def required(name: str) -> str:
    """A secret from the environment: never in source, and no silent fallback."""
    if not (value := os.environ.get(name)):
        raise RuntimeError(f"Set the {name} environment variable.")
    return value


# --8<-- [start:store]
SECRET_KEY = required("JWT_SECRET_KEY")  # signs the tokens
TOKEN_LIFETIME = timedelta(minutes=30)
password_hash = PasswordHash.recommended()  # Argon2id
# Checked when the user does not exist, so a wrong username takes as long as a wrong password.
DUMMY_HASH = password_hash.hash(secrets.token_urlsafe(16))  # a password nobody knows

# FastAPI has no user model: this dict stands in for your users table. The password hash comes from
# the environment (make one with `password_hash.hash(...)`), so no working login is in the code.
USERS = {required("APP_USERNAME"): required("APP_PASSWORD_HASH")}
# --8<-- [end:store]


# --8<-- [start:main]
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/token")  # reads "Authorization: Bearer ..."


class Token(BaseModel):
    access_token: str
    token_type: str


class User(BaseModel):
    username: str


@app.post("/api/token")
def issue_token(form: Annotated[OAuth2PasswordRequestForm, Depends()]) -> Token:
    stored = USERS.get(form.username)
    if not password_hash.verify(form.password, stored or DUMMY_HASH) or stored is None:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "Incorrect username or password")
    expires = datetime.now(UTC) + TOKEN_LIFETIME
    token = jwt.encode({"sub": form.username, "exp": expires}, SECRET_KEY, algorithm="HS256")
    return Token(access_token=token, token_type="bearer")


async def current_user(token: Annotated[str, Depends(oauth2_scheme)]) -> User:
    # oauth2_scheme has already answered 401 if the header is missing or not a Bearer token.
    invalid = HTTPException(
        status.HTTP_401_UNAUTHORIZED, "Invalid or expired token", headers={"WWW-Authenticate": "Bearer"}
    )
    try:
        claims = jwt.decode(token, SECRET_KEY, algorithms=["HS256"])  # checks signature and expiry
    except jwt.InvalidTokenError:
        raise invalid from None
    if claims.get("sub") not in USERS:  # the user may have been removed since
        raise invalid
    return User(username=claims["sub"])


@app.get("/api/me")
async def me(user: Annotated[User, Depends(current_user)]) -> User:
    return user


# --8<-- [end:main]
