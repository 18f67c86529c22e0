"""Felanmälan: fault categories, each routed to a förvaltning and named by its Open311 service code.

Revision ID: 7ceec9ab7f27
Revises: 5372848e3088
Create Date: 2026-12-01 22:43:04.902113

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7ceec9ab7f27'
down_revision = '5372848e3088'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('fault_category',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('names', sa.JSON(), nullable=False),
    sa.Column('descriptions', sa.JSON(), nullable=False),
    sa.Column('keywords', sa.JSON(), nullable=False),
    sa.Column('group', sa.String(length=80), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_fault_category_department_id_department')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fault_category')),
    sa.UniqueConstraint('code', name=op.f('uq_fault_category_code'))
    )


def downgrade():
    op.drop_table('fault_category')
