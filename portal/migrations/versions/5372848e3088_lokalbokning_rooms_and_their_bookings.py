"""Lokalbokning: rooms and their bookings.

On PostgreSQL the ``btree_gist`` extension (trusted since PostgreSQL 13: the
database's owner may create it) lets one GiST exclusion constraint compare the
room by equality and the times by overlap, so that two bookings that hold a
slot (preliminary or confirmed) can never overlap in one room, whatever the
code does.  The range is ``tsrange``: the columns hold UTC without a zone.
SQLite has no such constraint; ``booking.book`` serialises the writers there.

``case_id`` is the case (ärende) the booking was requested in.
The downgrade keeps the extension, which other tables may use.

Revision ID: 5372848e3088
Revises: 0c036a021c78
Create Date: 2026-12-01 22:37:28.321049

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '5372848e3088'
down_revision = '0c036a021c78'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('room',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('accessibility', sa.Text(), nullable=False),
    sa.Column('equipment', sa.JSON(), nullable=False),
    sa.Column('opening_hours', sa.JSON(), nullable=False),
    sa.Column('open_on_holidays', sa.Boolean(), nullable=False),
    sa.Column('min_minutes', sa.Integer(), nullable=False),
    sa.Column('max_minutes', sa.Integer(), nullable=False),
    sa.Column('min_notice_hours', sa.Integer(), nullable=False),
    sa.Column('max_days_ahead', sa.Integer(), nullable=False),
    sa.Column('cancel_hours_before', sa.Integer(), nullable=False),
    sa.Column('auto_approve', sa.Boolean(), nullable=False),
    sa.Column('prices', sa.JSON(), nullable=False),
    sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_room_department_id_department')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_room'))
    )
    with op.batch_alter_table('room', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_room_department_id'), ['department_id'], unique=False)

    op.create_table('room_booking',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('series_id', sa.String(length=32), nullable=True),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('status', sa.Enum('preliminary', 'confirmed', 'cancelled', 'denied', name='bookingstatus', native_enum=False, length=16), nullable=False),
    sa.Column('customer_type', sa.Enum('privatperson', 'forening', 'foretag', name='customertype', native_enum=False, length=16), nullable=False),
    sa.Column('price_ore', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_room_booking_ends_after_start')),
    sa.ForeignKeyConstraint(['room_id'], ['room.id'], name=op.f('fk_room_booking_room_id_room')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_room_booking_case_id_cases'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_room_booking'))
    )
    with op.batch_alter_table('room_booking', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_room_booking_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_room_booking_room_id_starts_at', ['room_id', 'starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_room_booking_series_id'), ['series_id'], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        _exclude_overlaps()


def _exclude_overlaps():
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    op.execute("ALTER TABLE room_booking ADD CONSTRAINT ex_room_booking_no_overlap "
               "EXCLUDE USING gist (room_id WITH =, tsrange(starts_at, ends_at) WITH &&) "
               "WHERE (status IN ('preliminary', 'confirmed'))")


def downgrade():
    with op.batch_alter_table('room_booking', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_room_booking_series_id'))
        batch_op.drop_index('ix_room_booking_room_id_starts_at')
        batch_op.drop_index(batch_op.f('ix_room_booking_case_id'))

    op.drop_table('room_booking')
    with op.batch_alter_table('room', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_room_department_id'))

    op.drop_table('room')
