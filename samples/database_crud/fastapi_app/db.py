import os
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

from fastapi import Depends
from sqlmodel import Session, create_engine

DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{Path(__file__).resolve().parent / 'documents.sqlite3'}")

# check_same_thread=False: FastAPI runs sync endpoints in a thread pool.
engine = create_engine(DATABASE_URL, connect_args={"check_same_thread": False})


# --8<-- [start:main]
def get_session() -> Iterator[Session]:
    with Session(engine) as session:  # one session per request, closed afterwards
        yield session


SessionDep = Annotated[Session, Depends(get_session)]
# --8<-- [end:main]
