"""Statistics (issue 15, part G): the search log keeps each query's key for counting and
the filters the searcher used, and finished days of it are counted into ``search_day``;
public article views are counted per article, language and day.

Revision ID: 9e4b2c7a1d05
Revises: e1a7c3d95b20
Create Date: 2026-12-02 05:15:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9e4b2c7a1d05'
down_revision = 'e1a7c3d95b20'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('search_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('query_key', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('topic', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('department', sa.String(length=16), nullable=True))
        batch_op.create_index('ix_search_log_stats', ['created_at', 'scope', 'lang', 'query_key', 'hits'],
                              unique=False)
    # Searches logged before: their text lower-cased stands for the key (the statistics'
    # normalising differs only in punctuation); a scrubbed one ("[telefon]") gets none.
    op.execute("UPDATE search_log SET query_key = lower(query) WHERE query NOT LIKE '%[%'")
    op.create_table('search_day',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('lang', sa.String(length=35), nullable=False),
    sa.Column('query_key', sa.String(length=200), nullable=False),
    sa.Column('found', sa.Boolean(), nullable=False),
    sa.Column('department', sa.String(length=16), nullable=False),
    sa.Column('topic', sa.String(length=80), nullable=False),
    sa.Column('clicked_ref', sa.String(length=100), nullable=False),
    sa.Column('searches', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_day'))
    )
    with op.batch_alter_table('search_day', schema=None) as batch_op:
        batch_op.create_index('ix_search_day_day_lang_key', ['day', 'lang', 'query_key'], unique=False)
    op.create_table('search_day_rolled',
    sa.Column('day', sa.Date(), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_search_day_rolled'))
    )
    op.create_table('article_views',
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('lang', sa.String(length=35), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('views', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['article.id'], name=op.f('fk_article_views_article_id_article'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('article_id', 'lang', 'day', name=op.f('pk_article_views'))
    )
    with op.batch_alter_table('article_views', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_article_views_day'), ['day'], unique=False)


def downgrade():
    with op.batch_alter_table('article_views', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_article_views_day'))
    op.drop_table('article_views')
    op.drop_table('search_day_rolled')
    with op.batch_alter_table('search_day', schema=None) as batch_op:
        batch_op.drop_index('ix_search_day_day_lang_key')
    op.drop_table('search_day')
    with op.batch_alter_table('search_log', schema=None) as batch_op:
        batch_op.drop_index('ix_search_log_stats')
        batch_op.drop_column('department')
        batch_op.drop_column('topic')
        batch_op.drop_column('query_key')
