"""shifts, rosters, follow-up promises and shift handovers

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-13

New tables only, plus one index on remarks (author, created_at) for "the remarks this
seat wrote this shift": SQLite creates an index in place, no table copy.
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('shifts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('start_time', sa.String(length=5), nullable=False),
    sa.Column('end_time', sa.String(length=5), nullable=False),
    sa.Column('weekdays', sa.Integer(), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.Column('updated_at', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shifts')),
    sa.UniqueConstraint('name', name=op.f('uq_shifts_name'))
    )
    op.create_table('shift_seats',
    sa.Column('shift_id', sa.Integer(), nullable=False),
    sa.Column('seat_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['seat_id'], ['seats.id'], name=op.f('fk_shift_seats_seat_id_seats'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['shift_id'], ['shifts.id'], name=op.f('fk_shift_seats_shift_id_shifts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('shift_id', 'seat_id', name=op.f('pk_shift_seats'))
    )
    with op.batch_alter_table('shift_seats', schema=None) as batch_op:
        batch_op.create_index('ix_shift_seats_seat', ['seat_id'], unique=False)

    op.create_table('follow_ups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('due_at', sa.BigInteger(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('for_seat_id', sa.Integer(), nullable=True),
    sa.Column('created_by_seat_id', sa.Integer(), nullable=True),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.BigInteger(), nullable=False),
    sa.Column('state', sa.String(length=8), nullable=False),
    sa.Column('done_by', sa.String(length=100), nullable=False),
    sa.Column('done_at', sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_follow_ups_conversation_id_conversations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_ups'))
    )
    with op.batch_alter_table('follow_ups', schema=None) as batch_op:
        batch_op.create_index('ix_follow_ups_state_due', ['state', 'due_at'], unique=False)

    op.create_table('handovers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('author_seat_id', sa.Integer(), nullable=False),
    sa.Column('author', sa.String(length=100), nullable=False),
    sa.Column('shift_id', sa.Integer(), nullable=True),
    sa.Column('to_shift_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=8), nullable=False),
    sa.Column('created_at', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.BigInteger(), nullable=False),
    sa.Column('sent_at', sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(['author_seat_id'], ['seats.id'], name=op.f('fk_handovers_author_seat_id_seats')),
    sa.ForeignKeyConstraint(['shift_id'], ['shifts.id'], name=op.f('fk_handovers_shift_id_shifts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['to_shift_id'], ['shifts.id'], name=op.f('fk_handovers_to_shift_id_shifts'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_handovers'))
    )
    with op.batch_alter_table('handovers', schema=None) as batch_op:
        batch_op.create_index('ix_handovers_state_sent', ['state', 'sent_at'], unique=False)
        batch_op.create_index('ix_handovers_author', ['author_seat_id', 'created_at'], unique=False)

    op.create_table('handover_seats',
    sa.Column('handover_id', sa.Integer(), nullable=False),
    sa.Column('seat_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['handover_id'], ['handovers.id'], name=op.f('fk_handover_seats_handover_id_handovers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('handover_id', 'seat_id', name=op.f('pk_handover_seats'))
    )
    with op.batch_alter_table('handover_seats', schema=None) as batch_op:
        batch_op.create_index('ix_handover_seats_seat', ['seat_id'], unique=False)

    op.create_table('handover_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('handover_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('ref', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=8), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=True),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('buyer_id', sa.Integer(), nullable=True),
    sa.Column('follow_up_id', sa.Integer(), nullable=True),
    sa.Column('shop_name', sa.String(length=200), nullable=False),
    sa.Column('due_at', sa.BigInteger(), nullable=True),
    sa.Column('done_by', sa.String(length=100), nullable=False),
    sa.Column('done_at', sa.BigInteger(), nullable=True),
    sa.Column('carried_from', sa.Integer(), nullable=True),
    sa.Column('carried_to', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['handover_id'], ['handovers.id'], name=op.f('fk_handover_items_handover_id_handovers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_handover_items'))
    )
    with op.batch_alter_table('handover_items', schema=None) as batch_op:
        batch_op.create_index('ix_handover_items_handover', ['handover_id', 'position'], unique=False)
        batch_op.create_index('ix_handover_items_key', ['key'], unique=False)
        batch_op.create_index('ix_handover_items_open', ['handover_id'], unique=False, sqlite_where=sa.text("state = 'todo' AND carried_to IS NULL"), postgresql_where=sa.text("state = 'todo' AND carried_to IS NULL"))

    op.create_table('handover_acks',
    sa.Column('handover_id', sa.Integer(), nullable=False),
    sa.Column('seat_id', sa.Integer(), nullable=False),
    sa.Column('seat_name', sa.String(length=100), nullable=False),
    sa.Column('at', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['handover_id'], ['handovers.id'], name=op.f('fk_handover_acks_handover_id_handovers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('handover_id', 'seat_id', name=op.f('pk_handover_acks'))
    )

    with op.batch_alter_table('remarks', schema=None) as batch_op:
        batch_op.create_index('ix_remarks_author_created', ['author', 'created_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('remarks', schema=None) as batch_op:
        batch_op.drop_index('ix_remarks_author_created')

    op.drop_table('handover_acks')
    with op.batch_alter_table('handover_items', schema=None) as batch_op:
        batch_op.drop_index('ix_handover_items_open', sqlite_where=sa.text("state = 'todo' AND carried_to IS NULL"), postgresql_where=sa.text("state = 'todo' AND carried_to IS NULL"))
        batch_op.drop_index('ix_handover_items_key')
        batch_op.drop_index('ix_handover_items_handover')

    op.drop_table('handover_items')
    with op.batch_alter_table('handover_seats', schema=None) as batch_op:
        batch_op.drop_index('ix_handover_seats_seat')

    op.drop_table('handover_seats')
    with op.batch_alter_table('handovers', schema=None) as batch_op:
        batch_op.drop_index('ix_handovers_author')
        batch_op.drop_index('ix_handovers_state_sent')

    op.drop_table('handovers')
    with op.batch_alter_table('follow_ups', schema=None) as batch_op:
        batch_op.drop_index('ix_follow_ups_state_due')

    op.drop_table('follow_ups')
    with op.batch_alter_table('shift_seats', schema=None) as batch_op:
        batch_op.drop_index('ix_shift_seats_seat')

    op.drop_table('shift_seats')
    op.drop_table('shifts')
