"""Who changed synonyms and best bets, and when (existing rows get the migration time).

Revision ID: 892afd3fee37
Revises: 6ad1d53f17db
Create Date: 2026-11-23 18:21:17.250374

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '892afd3fee37'
down_revision = '6ad1d53f17db'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('search_best_bet', schema=None) as batch_op:
        batch_op.add_column(sa.Column('updated_at', sa.DateTime(), nullable=False,
                                      server_default=sa.func.current_timestamp()))
        batch_op.add_column(sa.Column('updated_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_search_best_bet_updated_by_id_user_account'), 'user_account', ['updated_by_id'], ['id'])

    with op.batch_alter_table('search_synonym_group', schema=None) as batch_op:
        batch_op.add_column(sa.Column('updated_at', sa.DateTime(), nullable=False,
                                      server_default=sa.func.current_timestamp()))
        batch_op.add_column(sa.Column('updated_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_search_synonym_group_updated_by_id_user_account'), 'user_account', ['updated_by_id'], ['id'])



def downgrade():
    with op.batch_alter_table('search_synonym_group', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_search_synonym_group_updated_by_id_user_account'), type_='foreignkey')
        batch_op.drop_column('updated_by_id')
        batch_op.drop_column('updated_at')

    with op.batch_alter_table('search_best_bet', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_search_best_bet_updated_by_id_user_account'), type_='foreignkey')
        batch_op.drop_column('updated_by_id')
        batch_op.drop_column('updated_at')

