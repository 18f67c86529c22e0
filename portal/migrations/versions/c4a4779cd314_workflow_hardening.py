"""Knowledge-base hardening: optimistic locking of articles, addresses held by
drafts too, alert approval, feedback marked as spam.

Existing alerts count as approved when they were created; every article
holds the addresses of its live text and of its latest revision (the first
article to claim an address keeps it if old data has a clash).

Revision ID: c4a4779cd314
Revises: 892afd3fee37
Create Date: 2026-12-01 21:38:27.619505

"""
import json

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4a4779cd314'
down_revision = '892afd3fee37'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('article_slug',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('lang', sa.String(length=8), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['article.id'], name=op.f('fk_article_slug_article_id_article'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_article_slug')),
    sa.UniqueConstraint('lang', 'slug', name=op.f('uq_article_slug_lang'))
    )
    with op.batch_alter_table('article_slug', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_article_slug_article_id'), ['article_id'], unique=False)

    with op.batch_alter_table('alert', schema=None) as batch_op:
        batch_op.add_column(sa.Column('updated_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('approved_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('approved_at', sa.DateTime(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_alert_approved_by_id_user_account'), 'user_account', ['approved_by_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_alert_updated_by_id_user_account'), 'user_account', ['updated_by_id'], ['id'])
    op.execute("UPDATE alert SET approved_at = created_at, approved_by_id = created_by_id, "
               "updated_by_id = created_by_id")

    with op.batch_alter_table('article', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))

    with op.batch_alter_table('page_feedback', schema=None) as batch_op:
        batch_op.add_column(sa.Column('spam', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_index(batch_op.f('ix_page_feedback_created_at'), ['created_at'], unique=False)

    _hold_existing_slugs()


def _hold_existing_slugs():
    connection = op.get_bind()
    held = set()
    rows = connection.execute(sa.text(
        "SELECT lang, slug, article_id FROM article_translation ORDER BY article_id")).all()
    drafts = connection.execute(sa.text(
        "SELECT article.id, article_revision.data FROM article JOIN article_revision "
        "ON article_revision.id = article.latest_revision_id ORDER BY article.id")).all()
    for article_id, data in drafts:
        data = json.loads(data) if isinstance(data, str) else data
        rows += [(lang, text.get("slug"), article_id)
                 for lang, text in data.get("translations", {}).items() if text.get("slug")]
    slugs = sa.table("article_slug", sa.column("article_id"), sa.column("lang"), sa.column("slug"))
    for lang, slug, article_id in rows:
        if (lang, slug) not in held:
            held.add((lang, slug))
            connection.execute(slugs.insert().values(article_id=article_id, lang=lang, slug=slug))


def downgrade():
    with op.batch_alter_table('page_feedback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_page_feedback_created_at'))
        batch_op.drop_column('spam')

    with op.batch_alter_table('article', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('alert', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_alert_updated_by_id_user_account'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_alert_approved_by_id_user_account'), type_='foreignkey')
        batch_op.drop_column('approved_at')
        batch_op.drop_column('approved_by_id')
        batch_op.drop_column('updated_by_id')

    with op.batch_alter_table('article_slug', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_article_slug_article_id'))

    op.drop_table('article_slug')
