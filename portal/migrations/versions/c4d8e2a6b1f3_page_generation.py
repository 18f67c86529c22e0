"""The page cache's generation (issue 16): one row whose number every change of what
public pages show raises, so that no server serves a page kept before the change.

Revision ID: c4d8e2a6b1f3
Revises: 4b7e1c9d2a60
Create Date: 2026-12-02 07:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4d8e2a6b1f3'
down_revision = '4b7e1c9d2a60'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table('page_generation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_page_generation'))
    )
    op.bulk_insert(table, [{'id': 1, 'value': 0}])


def downgrade():
    op.drop_table('page_generation')
