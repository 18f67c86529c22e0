"""API keys of Open311 clients, and where a case posted through Open311 came from.

A key is shown once, when it is made; only its SHA-256 digest is kept.  A key
is 32 random bytes, so a slow password hash would add nothing but time to
every request, and a plain digest can be looked up by index.  Keys are
revoked, never deleted, so that :class:`Open311Request` keeps saying which
client posted a case.
"""
import hashlib
import secrets
from datetime import datetime

from sqlalchemy import ForeignKey, String, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eservices.models import Case
from portal.auth.models import User
from portal.clock import utcnow
from portal.extensions import db

KEY_PREFIX = "o311_"


def key_digest(key):
    return hashlib.sha256(key.encode()).hexdigest()


def new_key():
    """A key as the client will send it: a recognisable prefix and 256 random bits."""
    return KEY_PREFIX + secrets.token_urlsafe(32)


class ApiKey(db.Model):
    __tablename__ = "open311_api_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))          # whose client it is
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    active: Mapped[bool] = mapped_column(default=True, server_default=true())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    created_by: Mapped[User | None] = relationship()


class Open311Request(db.Model):
    """A case that came in through Open311: which key posted it, and the picture
    the client linked to (kept as given and never fetched, see ``operations``)."""

    __tablename__ = "open311_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), unique=True)
    api_key_id: Mapped[int] = mapped_column(ForeignKey("open311_api_key.id"), index=True)
    media_url: Mapped[str] = mapped_column(String(2000), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship()
    api_key: Mapped[ApiKey] = relationship()
