"""Statistics: the cases counted per local day (``case_day``) with their handling times
(``case_duration``), both also per finished month (``case_month_counted``); the days
waiting to be counted again (``case_day_pending``); indexes for the cost-allocation
key's closed cases and for the open cases' deadlines; the searches counted per
finished month (``search_month`` per query, ``search_month_topic`` per topic and
document chosen, ``search_month_rolled``), and an index for the filters and clicks of
a few queries.  The first dashboard after the upgrade counts every day and month (the
roll-ups start empty).

Revision ID: 4b7e1c9d2a60
Revises: 9e4b2c7a1d05
Create Date: 2026-12-02 07:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4b7e1c9d2a60'
down_revision = '9e4b2c7a1d05'
branch_labels = None
depends_on = None

MEASURES = ('cases', 'first_contact', 'referred', 'response_counted', 'response_within', 'solution_counted',
            'solution_within', 'answered', 'answered_1', 'answered_2', 'solved', 'reopened')


def upgrade():
    op.create_table('case_day',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('span', sa.String(length=8), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=24), nullable=False),
    sa.Column('question_type', sa.String(length=80), nullable=False),
    sa.Column('lang', sa.String(length=35), nullable=False),
    sa.Column('rosa_level', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('referred_to', sa.String(length=120), nullable=False),
    *(sa.Column(name, sa.Integer(), nullable=False) for name in MEASURES),
    sa.Column('answered_hours', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_day'))
    )
    with op.batch_alter_table('case_day', schema=None) as batch_op:
        batch_op.create_index('ix_case_day_span_day', ['span', 'day'], unique=False)
    op.create_table('case_duration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('span', sa.String(length=8), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('question_type', sa.String(length=80), nullable=False),
    sa.Column('days', sa.Float(), nullable=False),
    sa.Column('cases', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_duration'))
    )
    with op.batch_alter_table('case_duration', schema=None) as batch_op:
        batch_op.create_index('ix_case_duration_span_day', ['span', 'day'], unique=False)
    op.create_table('case_month_counted',
    sa.Column('month', sa.Date(), nullable=False),
    sa.PrimaryKeyConstraint('month', name=op.f('pk_case_month_counted'))
    )
    op.create_table('case_day_pending',
    sa.Column('day', sa.Date(), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_case_day_pending'))
    )
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index('ix_cases_department_closed_type', ['department_id', 'closed_at', 'question_type'],
                              unique=False)
        batch_op.create_index('ix_cases_open_deadlines', ['status', 'department_id', 'response_due_at',
                                                          'solution_due_at'], unique=False)
    op.create_table('search_month',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('lang', sa.String(length=35), nullable=False),
    sa.Column('query_key', sa.String(length=200), nullable=False),
    sa.Column('found', sa.Boolean(), nullable=False),
    sa.Column('searches', sa.Integer(), nullable=False),
    sa.Column('clicked', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_month'))
    )
    with op.batch_alter_table('search_month', schema=None) as batch_op:
        batch_op.create_index('ix_search_month_day_lang', ['day', 'lang'], unique=False)
    op.create_table('search_month_topic',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('lang', sa.String(length=35), nullable=False),
    sa.Column('topic', sa.String(length=80), nullable=False),
    sa.Column('clicked_ref', sa.String(length=100), nullable=False),
    sa.Column('searches', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_month_topic'))
    )
    with op.batch_alter_table('search_month_topic', schema=None) as batch_op:
        batch_op.create_index('ix_search_month_topic_day_lang', ['day', 'lang'], unique=False)
    op.create_table('search_month_rolled',
    sa.Column('month', sa.Date(), nullable=False),
    sa.PrimaryKeyConstraint('month', name=op.f('pk_search_month_rolled'))
    )
    with op.batch_alter_table('search_day', schema=None) as batch_op:
        batch_op.create_index('ix_search_day_key_day', ['query_key', 'day'], unique=False)


def downgrade():
    with op.batch_alter_table('search_day', schema=None) as batch_op:
        batch_op.drop_index('ix_search_day_key_day')
    op.drop_table('search_month_rolled')
    op.drop_table('search_month_topic')
    op.drop_table('search_month')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_open_deadlines')
        batch_op.drop_index('ix_cases_department_closed_type')
    op.drop_table('case_day_pending')
    op.drop_table('case_month_counted')
    with op.batch_alter_table('case_duration', schema=None) as batch_op:
        batch_op.drop_index('ix_case_duration_span_day')
    op.drop_table('case_duration')
    with op.batch_alter_table('case_day', schema=None) as batch_op:
        batch_op.drop_index('ix_case_day_span_day')
    op.drop_table('case_day')
