"""The demo's Open311 key: a fixed, published value (README, and printed by
``portal init --demo``), so that an outside Open311 client can post to a demo
at once.  Only ``--demo`` makes it; a real deployment's keys come from the
admin page and are shown once."""
from sqlalchemy import select

from eservices.open311 import operations
from eservices.open311.models import ApiKey, key_digest
from portal.extensions import db

DEMO_API_KEY = "sjobacka-open311-demo"
DEMO_KEY_NAME = "Demoklient (nyckeln står i README)"


def load_demo_key():
    if db.session.scalar(select(ApiKey.id).where(ApiKey.digest == key_digest(DEMO_API_KEY))) is None:
        operations.store_key(DEMO_KEY_NAME, DEMO_API_KEY)
        db.session.flush()


def demo_note():
    return (f"Open311 demo API key: {DEMO_API_KEY} "
            "(POST /open311/v2/requests.json with api_key=…; see README, section Open311)")
