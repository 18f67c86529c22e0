"""Mail in: the messages taken from the contact centre's shared mailbox, by a digest of
their Message-ID, so that each one is imported once.

Revision ID: 64b47877c9e9
Revises: 3d354c9c24c8
Create Date: 2026-12-02 00:24:02.323107

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '64b47877c9e9'
down_revision = '3d354c9c24c8'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('mail_import',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('outcome', sa.Enum('imported', 'set_aside', name='mailoutcome', native_enum=False, length=16), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_mail_import_case_id_cases'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_import')),
    sa.UniqueConstraint('key', name=op.f('uq_mail_import_key'))
    )


def downgrade():
    op.drop_table('mail_import')
