"""Case handling: statuses as the contact centre names them, outcome, priority, question
type, handover, linked articles, duplicates, SLA clocks and pauses, each förvaltning's
business hours, and data on timeline lines.

Existing statuses are renamed (received → new, in_progress → open, decided → solved).

Revision ID: fb86a52ee897
Revises: 1c87a2a99985
Create Date: 2026-12-02 00:14:17.868496

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'fb86a52ee897'
down_revision = '1c87a2a99985'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('case_pause',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_pause_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_pause'))
    )
    with op.batch_alter_table('case_pause', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_pause_case_id'), ['case_id'], unique=False)

    with op.batch_alter_table('case_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('data', sa.JSON(), nullable=False, server_default=sa.text("'{}'")))

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('question_type', sa.String(length=80), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('rosa_level', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('priority', sa.Enum('low', 'normal', 'high', 'urgent', name='priority', native_enum=False, length=16), nullable=False, server_default='normal'))
        batch_op.add_column(sa.Column('outcome', sa.Enum('first_contact', 'referred', 'granted', 'denied', 'solved', 'duplicate', 'withdrawn', name='outcome', native_enum=False, length=24), nullable=True))
        batch_op.add_column(sa.Column('referred_to', sa.String(length=120), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('handover', sa.JSON(), nullable=False, server_default=sa.text("'{}'")))
        batch_op.add_column(sa.Column('linked_articles', sa.JSON(), nullable=False, server_default=sa.text("'[]'")))
        batch_op.add_column(sa.Column('duplicate_of_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('clock_started_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('first_response_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('response_due_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('solution_due_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('solution_warn_at', sa.DateTime(), nullable=True))
        batch_op.create_index(batch_op.f('ix_cases_question_type'), ['question_type'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_response_due_at'), ['response_due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_solution_due_at'), ['solution_due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_solution_warn_at'), ['solution_warn_at'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_cases_duplicate_of_id_cases'), 'cases', ['duplicate_of_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('department', schema=None) as batch_op:
        batch_op.add_column(sa.Column('business_hours', sa.String(length=20), server_default='08:00-17:00', nullable=False))


    for old, new in RENAMED:
        op.execute(f"UPDATE cases SET status = '{new}' WHERE status = '{old}'")


RENAMED = (("received", "new"), ("in_progress", "open"), ("decided", "solved"))


def downgrade():
    for old, new in RENAMED:
        op.execute(f"UPDATE cases SET status = '{old}' WHERE status = '{new}'")
    with op.batch_alter_table('department', schema=None) as batch_op:
        batch_op.drop_column('business_hours')

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_cases_duplicate_of_id_cases'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_cases_solution_warn_at'))
        batch_op.drop_index(batch_op.f('ix_cases_solution_due_at'))
        batch_op.drop_index(batch_op.f('ix_cases_response_due_at'))
        batch_op.drop_index(batch_op.f('ix_cases_question_type'))
        batch_op.drop_column('solution_warn_at')
        batch_op.drop_column('solution_due_at')
        batch_op.drop_column('response_due_at')
        batch_op.drop_column('first_response_at')
        batch_op.drop_column('clock_started_at')
        batch_op.drop_column('duplicate_of_id')
        batch_op.drop_column('linked_articles')
        batch_op.drop_column('handover')
        batch_op.drop_column('referred_to')
        batch_op.drop_column('outcome')
        batch_op.drop_column('priority')
        batch_op.drop_column('rosa_level')
        batch_op.drop_column('question_type')

    with op.batch_alter_table('case_event', schema=None) as batch_op:
        batch_op.drop_column('data')

    with op.batch_alter_table('case_pause', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_pause_case_id'))

    op.drop_table('case_pause')
