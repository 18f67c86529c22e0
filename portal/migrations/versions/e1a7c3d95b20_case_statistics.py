"""Case statistics: the employees per förvaltning (the cost-allocation key), the
response deadline a first response met, and an index for the period's cases by
channel.

Revision ID: e1a7c3d95b20
Revises: 8e4b2d6f1a30
Create Date: 2026-12-02 05:15:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e1a7c3d95b20'
down_revision = '8e4b2d6f1a30'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('department', schema=None) as batch_op:
        batch_op.add_column(sa.Column('employees', sa.Integer(), nullable=True))
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('first_response_due_at', sa.DateTime(), nullable=True))
        batch_op.create_index('ix_cases_channel_created_at', ['channel', 'created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_channel_created_at')
        batch_op.drop_column('first_response_due_at')
    with op.batch_alter_table('department', schema=None) as batch_op:
        batch_op.drop_column('employees')
