"""The officers' queue with a million cases: ``ix_cases_queue`` also holds the case's id
and what its urgency is made of (the SLA moments and the priority), so that the queue
counts, filters and sorts a page's ids in the index alone and reads only the 50 rows
it shows (``queries.queue``); ``ix_cases_assignee`` finds an officer's own cases.

Revision ID: 36e1bfe5b0ae
Revises: b555cb5fcdef
Create Date: 2026-12-02 03:10:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '36e1bfe5b0ae'
down_revision = 'b555cb5fcdef'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_queue')
        batch_op.create_index('ix_cases_queue', ['department_id', 'status', 'closed_at', 'id', 'response_due_at',
                                                 'solution_due_at', 'solution_warn_at', 'priority'], unique=False)
        batch_op.create_index('ix_cases_assignee', ['department_id', 'assigned_to_id', 'status', 'closed_at', 'id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_assignee')
        batch_op.drop_index('ix_cases_queue')
        batch_op.create_index('ix_cases_queue', ['department_id', 'status', 'closed_at'], unique=False)
