"""Language columns hold BCP 47 tags of up to 35 characters (sv-x-lattlast has 13)

Revision ID: 7d2c9e4f1a30
Revises: 5e1a7c0d2b94
Create Date: 2026-12-02 04:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = '7d2c9e4f1a30'
down_revision = '5e1a7c0d2b94'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.alter_column('language', existing_type=sa.String(length=8), type_=sa.String(length=35))
    with op.batch_alter_table('role_grant', schema=None) as batch_op:
        batch_op.alter_column('language', existing_type=sa.String(length=8), type_=sa.String(length=35))
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.alter_column('language', existing_type=sa.String(length=8), type_=sa.String(length=35))
    with op.batch_alter_table('search_best_bet', schema=None) as batch_op:
        batch_op.alter_column('lang', existing_type=sa.String(length=8), type_=sa.String(length=35))
    with op.batch_alter_table('search_log', schema=None) as batch_op:
        batch_op.alter_column('lang', existing_type=sa.String(length=8), type_=sa.String(length=35))
    with op.batch_alter_table('article_translation', schema=None) as batch_op:
        batch_op.alter_column('lang', existing_type=sa.String(length=8), type_=sa.String(length=35))
    with op.batch_alter_table('article_slug', schema=None) as batch_op:
        batch_op.alter_column('lang', existing_type=sa.String(length=8), type_=sa.String(length=35))
    with op.batch_alter_table('page_feedback', schema=None) as batch_op:
        batch_op.alter_column('lang', existing_type=sa.String(length=8), type_=sa.String(length=35))
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.alter_column('lang', existing_type=sa.String(length=8), type_=sa.String(length=35))
    with op.batch_alter_table('form_draft', schema=None) as batch_op:
        batch_op.alter_column('lang', existing_type=sa.String(length=8), type_=sa.String(length=35))


def downgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.alter_column('language', existing_type=sa.String(length=35), type_=sa.String(length=8))
    with op.batch_alter_table('role_grant', schema=None) as batch_op:
        batch_op.alter_column('language', existing_type=sa.String(length=35), type_=sa.String(length=8))
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.alter_column('language', existing_type=sa.String(length=35), type_=sa.String(length=8))
    with op.batch_alter_table('search_best_bet', schema=None) as batch_op:
        batch_op.alter_column('lang', existing_type=sa.String(length=35), type_=sa.String(length=8))
    with op.batch_alter_table('search_log', schema=None) as batch_op:
        batch_op.alter_column('lang', existing_type=sa.String(length=35), type_=sa.String(length=8))
    with op.batch_alter_table('article_translation', schema=None) as batch_op:
        batch_op.alter_column('lang', existing_type=sa.String(length=35), type_=sa.String(length=8))
    with op.batch_alter_table('article_slug', schema=None) as batch_op:
        batch_op.alter_column('lang', existing_type=sa.String(length=35), type_=sa.String(length=8))
    with op.batch_alter_table('page_feedback', schema=None) as batch_op:
        batch_op.alter_column('lang', existing_type=sa.String(length=35), type_=sa.String(length=8))
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.alter_column('lang', existing_type=sa.String(length=35), type_=sa.String(length=8))
    with op.batch_alter_table('form_draft', schema=None) as batch_op:
        batch_op.alter_column('lang', existing_type=sa.String(length=35), type_=sa.String(length=8))
