"""Authentication (throttled by ``portal.auth.throttle``) and the password policy."""
from flask_babel import gettext as _
from sqlalchemy import select

from portal.auth import throttle
from portal.auth.models import RoleGrant, User
from portal.clock import utcnow
from portal.extensions import db

MIN_PASSWORD_LENGTH = 12
# The most common passwords of at least 12 characters, plus local favourites.
COMMON_PASSWORDS = {
    "123456789012", "qwertyuiopas", "passwordpassword", "password1234", "lösenord1234",
    "losenord1234", "sommar2024!!", "sommaren2024", "vinter202412", "qwerty123456",
    "111111111111", "000000000000", "iloveyou1234", "abc123456789", "välkommen123",
    "valkommen123", "kontaktcenter", "sjobacka1234", "administrator",
}
# Verified against when the account does not exist, so that the answer takes
# as long as for a real account and does not reveal which names exist.
_DUMMY_HASH = ("$argon2id$v=19$m=65536,t=3,p=4$vO3MbN7fpqHRnR893MWdVA$"
               "I5Mz0FyqsjG9dfPTXv8T6KOvswNij5cvt/Ymp2c72Wc")


def authenticate(username, password, address):
    """Return the active user for these credentials, or None.

    The caller must have counted the attempt with
    :func:`portal.auth.throttle.start_attempt` first; a success is taken off
    the counts here.
    """
    user = db.session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        User(password_hash=_DUMMY_HASH).check_password(password)
    elif user.active and user.check_password(password):
        throttle.succeeded(username, address)
        user.last_login_at = utcnow()
        db.session.commit()
        return user
    return None


def password_problems(password):
    """Messages explaining why a new password is not accepted (empty if fine)."""
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(_("Lösenordet måste ha minst %(n)d tecken.", n=MIN_PASSWORD_LENGTH))
    if password.lower() in COMMON_PASSWORDS or len(set(password)) < 4:
        problems.append(_("Lösenordet är för vanligt eller för enkelt att gissa."))
    return problems


def create_user(username, display_name, password, grants, email=""):
    """Create an account with role grants given as (role, department_id, language) tuples."""
    user = User(username=username.strip().lower(), display_name=display_name, email=email)
    user.set_password(password)
    user.grants = [RoleGrant(role=role, department_id=dept, language=lang)
                   for role, dept, lang in grants]
    db.session.add(user)
    return user
