"""Article translations: the work rows of translators (``translation_work``) and the
revision each live translation was made from (``article_translation.source_revision_id``).

Live translations that exist already were made from their live revision: they
start up to date (their revisions' JSON, schema 1, reads the same way).

Revision ID: 7d3e2a1c9b40
Revises: 7d2c9e4f1a30
Create Date: 2026-12-02 04:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7d3e2a1c9b40'
down_revision = '7d2c9e4f1a30'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('translation_work',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('lang', sa.String(length=35), nullable=False),
    sa.Column('state', sa.Enum('in_progress', 'in_review', name='translationstate', native_enum=False,
                               create_constraint=False, length=16), nullable=False),
    sa.Column('text', sa.JSON(), nullable=False),
    sa.Column('agent', sa.JSON(), nullable=False),
    sa.Column('source_revision_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('reviewer_comment', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['article.id'], name=op.f('fk_translation_work_article_id_article'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_translation_work_author_id_user_account')),
    sa.ForeignKeyConstraint(['source_revision_id'], ['article_revision.id'], name=op.f('fk_translation_work_source_revision_id_article_revision')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_translation_work')),
    sa.UniqueConstraint('article_id', 'lang', name=op.f('uq_translation_work_article_id'))
    )
    with op.batch_alter_table('article_translation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_revision_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_article_translation_source_revision_id_article_revision'),
                                    'article_revision', ['source_revision_id'], ['id'])
    op.execute("UPDATE article_translation SET source_revision_id = "
               "(SELECT live_revision_id FROM article WHERE article.id = article_translation.article_id)")


def downgrade():
    with op.batch_alter_table('article_translation', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_article_translation_source_revision_id_article_revision'),
                                 type_='foreignkey')
        batch_op.drop_column('source_revision_id')
    op.drop_table('translation_work')
