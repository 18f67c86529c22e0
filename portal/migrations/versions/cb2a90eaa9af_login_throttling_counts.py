"""Login throttling: one count per key (an account from one address, or an address)
instead of a row per failure.  The failures recorded so far are not carried over.

Revision ID: cb2a90eaa9af
Revises: 8a4260d5bd1f
Create Date: 2026-12-01 21:55:57.803834

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'cb2a90eaa9af'
down_revision = '8a4260d5bd1f'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('login_throttle',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('retry_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_login_throttle'))
    )
    with op.batch_alter_table('login_throttle', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_throttle_retry_at'), ['retry_at'], unique=False)

    with op.batch_alter_table('login_failure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_failure_account_key'))
        batch_op.drop_index(batch_op.f('ix_login_failure_address_key'))
        batch_op.drop_index(batch_op.f('ix_login_failure_created_at'))

    op.drop_table('login_failure')


def downgrade():
    op.create_table('login_failure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_key', sa.String(length=64), nullable=False),
    sa.Column('address_key', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_failure'))
    )
    with op.batch_alter_table('login_failure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_failure_account_key'), ['account_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_login_failure_address_key'), ['address_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_login_failure_created_at'), ['created_at'], unique=False)

    with op.batch_alter_table('login_throttle', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_throttle_retry_at'))

    op.drop_table('login_throttle')
