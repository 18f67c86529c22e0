"""Index the duplicates of a case: the case page lists them (``queries.duplicates_of``),
and deleting a case clears their link (``ON DELETE SET NULL``); without an index either
reads the whole table, over a second with a million cases.  Few cases are duplicates,
so the index holds only those (a partial index, which SQLite and PostgreSQL both have).

Revision ID: b555cb5fcdef
Revises: a13e0d1a7e11
Create Date: 2026-12-02 03:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b555cb5fcdef'
down_revision = 'a13e0d1a7e11'
branch_labels = None
depends_on = None

ONLY_DUPLICATES = sa.text('duplicate_of_id IS NOT NULL')


def upgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index('ix_cases_duplicate_of_id', ['duplicate_of_id'], unique=False,
                              sqlite_where=ONLY_DUPLICATES, postgresql_where=ONLY_DUPLICATES)


def downgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_duplicate_of_id')
