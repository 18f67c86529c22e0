"""Mail attachments (the monthly statistics report's XLSX): files waiting in the outbox
with their message, dropped with its bodies once it is sent or given up.

Revision ID: 8e4b2d6f1a30
Revises: 5c1d7e2f9a40
Create Date: 2026-12-02 05:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8e4b2d6f1a30'
down_revision = '5c1d7e2f9a40'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('mail_attachment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('outbox_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=120), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['outbox_id'], ['mail_outbox.id'],
                            name=op.f('fk_mail_attachment_outbox_id_mail_outbox'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_attachment'))
    )
    with op.batch_alter_table('mail_attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mail_attachment_outbox_id'), ['outbox_id'], unique=False)


def downgrade():
    with op.batch_alter_table('mail_attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mail_attachment_outbox_id'))
    op.drop_table('mail_attachment')
