"""Open311: API keys (only their digests), and which key posted a case and its picture's address.

Revision ID: 1c87a2a99985
Revises: 7ceec9ab7f27
Create Date: 2026-12-01 22:52:00.725854

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '1c87a2a99985'
down_revision = '7ceec9ab7f27'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('open311_api_key',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_used_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_open311_api_key_created_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_open311_api_key')),
    sa.UniqueConstraint('digest', name=op.f('uq_open311_api_key_digest'))
    )
    op.create_table('open311_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('api_key_id', sa.Integer(), nullable=False),
    sa.Column('media_url', sa.String(length=2000), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['api_key_id'], ['open311_api_key.id'], name=op.f('fk_open311_request_api_key_id_open311_api_key')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_open311_request_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_open311_request')),
    sa.UniqueConstraint('case_id', name=op.f('uq_open311_request_case_id'))
    )
    op.create_index(op.f('ix_open311_request_api_key_id'), 'open311_request', ['api_key_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_open311_request_api_key_id'), table_name='open311_request')
    op.drop_table('open311_request')
    op.drop_table('open311_api_key')
