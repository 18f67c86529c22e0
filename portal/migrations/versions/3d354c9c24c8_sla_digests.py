"""SLA digests: which förvaltning got its daily digest of late cases on which day.

Revision ID: 3d354c9c24c8
Revises: fb86a52ee897
Create Date: 2026-12-02 00:21:51.136021

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3d354c9c24c8'
down_revision = 'fb86a52ee897'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sla_digest',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_sla_digest_department_id_department'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sla_digest')),
    sa.UniqueConstraint('department_id', 'day', name=op.f('uq_sla_digest_department_id'))
    )


def downgrade():
    op.drop_table('sla_digest')
