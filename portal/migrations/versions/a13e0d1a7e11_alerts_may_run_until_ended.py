"""Alerts may run until someone ends them: ``alert.ends_at`` may be empty.

Revision ID: a13e0d1a7e11
Revises: 43d9454b3b53
Create Date: 2026-12-02 01:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a13e0d1a7e11'
down_revision = '43d9454b3b53'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('alert', schema=None) as batch_op:
        batch_op.alter_column('ends_at', existing_type=sa.DateTime(), nullable=True)


def downgrade():
    # An open-ended alert gets the end it would have had when someone ended it: now.
    op.execute("UPDATE alert SET ends_at = CURRENT_TIMESTAMP WHERE ends_at IS NULL")
    with op.batch_alter_table('alert', schema=None) as batch_op:
        batch_op.alter_column('ends_at', existing_type=sa.DateTime(), nullable=False)
