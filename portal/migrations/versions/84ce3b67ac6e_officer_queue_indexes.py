"""Indexes for the officers' queue (a förvaltning's cases by status) and for the audit
log of case reads filtered by person.

Revision ID: 84ce3b67ac6e
Revises: 64b47877c9e9
Create Date: 2026-12-03 09:12:40.118302

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '84ce3b67ac6e'
down_revision = '64b47877c9e9'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index('ix_cases_queue', ['department_id', 'status', 'closed_at'], unique=False)

    with op.batch_alter_table('case_read', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_read_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('case_read', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_read_user_id'))

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_queue')
