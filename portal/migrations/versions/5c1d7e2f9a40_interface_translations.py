"""Interface translations saved in the browser (``portal.catalogs``): one row per save
of a message in a language; the newest row of a message wins over the .po file.

Revision ID: 5c1d7e2f9a40
Revises: 7d3e2a1c9b40
Create Date: 2026-12-02 04:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5c1d7e2f9a40'
down_revision = '7d3e2a1c9b40'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('interface_translation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=35), nullable=False),
    sa.Column('context', sa.String(length=200), server_default='', nullable=False),
    sa.Column('msgid', sa.Text(), nullable=False),
    sa.Column('forms', sa.JSON(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'],
                            name=op.f('fk_interface_translation_created_by_id_user_account'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interface_translation'))
    )
    with op.batch_alter_table('interface_translation', schema=None) as batch_op:
        batch_op.create_index('ix_interface_translation_language_id', ['language', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('interface_translation', schema=None) as batch_op:
        batch_op.drop_index('ix_interface_translation_language_id')
    op.drop_table('interface_translation')
