"""What the admins' language page reads."""
from functools import cache

from flask import abort
from sqlalchemy import select

from portal.extensions import db
from portal.languages.models import Language
from portal.languages.tags import LanguageInfo


def added_languages():
    """Every added language, enabled or not, in the order they were added."""
    return db.session.scalars(select(Language).order_by(Language.created_at, Language.code)).all()


def added_language_infos():
    """``LanguageInfo`` of every added language, in the order they were added.  Every
    request asks, so they are read as plain rows: building the ORM's objects cost
    more than the query."""
    return [LanguageInfo(**row._mapping) for row in db.session.execute(language_infos_statement())]


@cache
def language_infos_statement():
    """The statement of ``added_language_infos``, built once per process: the columns
    named as ``LanguageInfo``'s fields, of the table (a Core statement skips the ORM's
    work on the result)."""
    columns = Language.__table__.c
    return (select(*(columns[name] for name in LanguageInfo.__dataclass_fields__))
            .order_by(columns.created_at, columns.code))


def language_or_404(code):
    return db.session.get(Language, code) or abort(404)
