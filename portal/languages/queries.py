"""What the admins' language page reads."""
from flask import abort
from sqlalchemy import select

from portal.extensions import db
from portal.languages.models import Language


def added_languages():
    """Every added language, enabled or not, in the order they were added."""
    return db.session.scalars(select(Language).order_by(Language.created_at, Language.code)).all()


def language_or_404(code):
    return db.session.get(Language, code) or abort(404)
