"""The language registry: languages added after installation, and whether each is offered.

Revision ID: 5e1a7c0d2b94
Revises: 36e1bfe5b0ae
Create Date: 2026-12-02 04:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e1a7c0d2b94'
down_revision = '36e1bfe5b0ae'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('language',
    sa.Column('code', sa.String(length=35), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('direction', sa.String(length=3), nullable=False),
    sa.Column('locale', sa.String(length=35), nullable=False),
    sa.Column('analyzer', sa.String(length=40), nullable=False),
    sa.Column('enabled', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_language'))
    )


def downgrade():
    op.drop_table('language')
