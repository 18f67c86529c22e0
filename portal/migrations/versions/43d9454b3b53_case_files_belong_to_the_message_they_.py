"""Case files belong to the message they came with: a file a citizen sends with a reply on
the tracking page points to that line of the timeline (None for the files of the form).

Revision ID: 43d9454b3b53
Revises: 3f2d9a61c0b7
Create Date: 2026-12-02 00:24:07.314532

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '43d9454b3b53'
down_revision = '3f2d9a61c0b7'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('case_file', schema=None) as batch_op:
        batch_op.add_column(sa.Column('event_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_case_file_event_id'), ['event_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_case_file_event_id_case_event'), 'case_event', ['event_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('case_file', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_case_file_event_id_case_event'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_case_file_event_id'))
        batch_op.drop_column('event_id')
