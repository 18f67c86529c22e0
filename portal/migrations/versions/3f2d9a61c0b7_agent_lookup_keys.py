"""The agents' lookup of a citizen's cases: each case's e-mail address and phone number
as the lookup compares them, indexed.

Revision ID: 3f2d9a61c0b7
Revises: 84ce3b67ac6e
Create Date: 2026-12-03 09:12:40.118204

"""
import re

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '3f2d9a61c0b7'
down_revision = '84ce3b67ac6e'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact_email_key', sa.String(length=254), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('contact_phone_key', sa.String(length=40), nullable=False, server_default=''))
        batch_op.create_index(batch_op.f('ix_cases_contact_email_key'), ['contact_email_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_contact_phone_key'), ['contact_phone_key'], unique=False)

    cases = sa.table('cases', sa.column('id', sa.Integer), sa.column('contact_email', sa.String),
                     sa.column('contact_phone', sa.String), sa.column('contact_email_key', sa.String),
                     sa.column('contact_phone_key', sa.String))
    connection = op.get_bind()
    rows = connection.execute(sa.select(cases.c.id, cases.c.contact_email, cases.c.contact_phone).where(
        sa.or_(cases.c.contact_email != '', cases.c.contact_phone != ''))).all()
    for case_id, email, phone in rows:
        connection.execute(cases.update().where(cases.c.id == case_id).values(
            contact_email_key=email_key(email), contact_phone_key=phone_key(phone)))


def email_key(address):
    return (address or "").strip().lower()


def phone_key(number):
    """The digits as dialled in Sweden (``eservices.models.phone_key`` when this was
    written: a migration keeps the rule of its day, and the shell imports no domain)."""
    text = (number or "").strip()
    digits = re.sub(r"\D", "", text)
    if digits.startswith("0046"):
        return "0" + digits[4:].removeprefix("0")
    if digits.startswith("46") and not text.startswith("0"):
        return "0" + digits[2:].removeprefix("0")
    return digits


def downgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cases_contact_phone_key'))
        batch_op.drop_index(batch_op.f('ix_cases_contact_email_key'))
        batch_op.drop_column('contact_phone_key')
        batch_op.drop_column('contact_email_key')
