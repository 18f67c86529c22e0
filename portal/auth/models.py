"""Staff accounts and their role grants.

A grant is a role with an optional scope: an editor or case officer for a
department, a translator for a language.  A person may hold several grants
(an editor for two förvaltningar who also translates into English).
"""
import secrets
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.database import LanguageTag
from portal.clock import utcnow
from portal.extensions import db
from portal.org.models import Department

AGENT = "agent"
OFFICER = "officer"
EDITOR = "editor"
TRANSLATOR = "translator"
MANAGER = "manager"
ADMIN = "admin"

ROLE_LABELS = {
    AGENT: _l("Kommunvägledare"),
    OFFICER: _l("Handläggare"),
    EDITOR: _l("Redaktör"),
    TRANSLATOR: _l("Översättare"),
    MANAGER: _l("Kontaktcenterchef"),
    ADMIN: _l("Administratör"),
}
DEPARTMENT_ROLES = {OFFICER, EDITOR}
LANGUAGE_ROLES = {TRANSLATOR}


def password_hasher():
    """Argon2id with the app's ``ARGON2_PARAMETERS`` (the library's defaults unless
    set; the tests make hashing cheap this way), one hasher per app."""
    hasher = current_app.extensions.get("portal.password_hasher")
    if hasher is None:
        hasher = PasswordHasher(**current_app.config["ARGON2_PARAMETERS"])
        current_app.extensions["portal.password_hasher"] = hasher
    return hasher


class User(UserMixin, db.Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254), default="")
    # The language of the mail the person gets.
    language: Mapped[str] = mapped_column(LanguageTag, default="sv", server_default="sv")
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    # Part of the login session's id: changing it (logout, new password) ends
    # every session that was issued before.
    session_token: Mapped[str] = mapped_column(String(32), default=lambda: secrets.token_hex(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    grants: Mapped[list["RoleGrant"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin")

    # --- flask-login -------------------------------------------------------
    def get_id(self):
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self):
        return self.active

    def end_sessions(self):
        self.session_token = secrets.token_hex(16)

    # --- passwords ---------------------------------------------------------
    def set_password(self, password):
        self.password_hash = password_hasher().hash(password)
        self.end_sessions()

    def check_password(self, password):
        try:
            return password_hasher().verify(self.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    # --- roles -------------------------------------------------------------
    @property
    def roles(self):
        return {grant.role for grant in self.grants}

    def has_role(self, *roles):
        """True when the user holds any of ``roles``; admins hold every role."""
        return ADMIN in self.roles or bool(self.roles.intersection(roles))

    def department_ids(self, role):
        return {g.department_id for g in self.grants if g.role == role and g.department_id}

    def languages(self, role=TRANSLATOR):
        return {g.language for g in self.grants if g.role == role and g.language}

    def acts_for_department(self, role, department_id):
        """True for an admin, or when ``role`` is granted for that department."""
        return ADMIN in self.roles or department_id in self.department_ids(role)

    def __repr__(self):
        return f"<User {self.username}>"


class RoleGrant(db.Model):
    __tablename__ = "role_grant"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(32))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    language: Mapped[str | None] = mapped_column(LanguageTag)

    user: Mapped[User] = relationship(back_populates="grants")
    department: Mapped[Department | None] = relationship(lazy="joined")


class LoginThrottle(db.Model):
    """Login attempts counted on one key: an account from one address, or an address.

    The key is a keyed digest (see ``portal.auth.throttle``): no account
    name, address or password typed into the username field is stored.
    """

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int]
    # At the limit or above, the next attempt waits until then (below it, this is
    # the last attempt's time); the count is forgotten a window later.
    retry_at: Mapped[datetime] = mapped_column(index=True)
