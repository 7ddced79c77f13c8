"""seats, routing and transfer: seat profiles and statuses, who holds each chat, the audit log

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06

New columns carry server defaults and no new foreign keys, so SQLite adds them in
place (no table copy) and existing rows stay valid.
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('team_settings',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value_json', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_team_settings'))
    )
    op.create_table('seat_status_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seat_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('at', sa.BigInteger(), nullable=False),
    sa.Column('by', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['seat_id'], ['seats.id'], name=op.f('fk_seat_status_events_seat_id_seats'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_seat_status_events'))
    )
    with op.batch_alter_table('seat_status_events', schema=None) as batch_op:
        batch_op.create_index('ix_seat_status_events_seat', ['seat_id', 'at'], unique=False)

    op.create_table('assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('from_seat_id', sa.Integer(), nullable=True),
    sa.Column('to_seat_id', sa.Integer(), nullable=True),
    sa.Column('to_group', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('at', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_assignments_conversation_id_conversations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignments'))
    )
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.create_index('ix_assignments_conversation', ['conversation_id', 'at'], unique=False)

    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seat_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('assign_version', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('assigned_at', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('last_seat_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('last_seat_at', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('queue_group', sa.String(length=64), server_default='', nullable=False))
        batch_op.add_column(sa.Column('transfer_note', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('transfer_by', sa.String(length=100), server_default='', nullable=False))
        batch_op.add_column(sa.Column('transfer_at', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('return_at', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('return_seat_id', sa.Integer(), nullable=True))
        batch_op.create_index('ix_conversations_seat', ['seat_id', 'state'], unique=False)

    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seat_id', sa.Integer(), nullable=True))
        batch_op.create_index('ix_messages_seat_time', ['seat_id', 'sent_at'], unique=False, sqlite_where=sa.text('seat_id IS NOT NULL'), postgresql_where=sa.text('seat_id IS NOT NULL'))

    with op.batch_alter_table('seats', schema=None) as batch_op:
        batch_op.add_column(sa.Column('groups_json', sa.Text(), server_default='[]', nullable=False))
        batch_op.add_column(sa.Column('shop_ids_json', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('max_chats', sa.Integer(), server_default='20', nullable=False))
        batch_op.add_column(sa.Column('accounts_json', sa.Text(), server_default='{}', nullable=False))
        batch_op.add_column(sa.Column('enabled', sa.Boolean(), server_default=sa.text('(true)'), nullable=False))
        batch_op.add_column(sa.Column('status', sa.String(length=16), server_default='offline', nullable=False))
        batch_op.add_column(sa.Column('status_at', sa.BigInteger(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('heartbeat_at', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('last_assigned_at', sa.BigInteger(), server_default='0', nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('seats', schema=None) as batch_op:
        batch_op.drop_column('last_assigned_at')
        batch_op.drop_column('heartbeat_at')
        batch_op.drop_column('status_at')
        batch_op.drop_column('status')
        batch_op.drop_column('enabled')
        batch_op.drop_column('accounts_json')
        batch_op.drop_column('max_chats')
        batch_op.drop_column('shop_ids_json')
        batch_op.drop_column('groups_json')

    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_index('ix_messages_seat_time', sqlite_where=sa.text('seat_id IS NOT NULL'), postgresql_where=sa.text('seat_id IS NOT NULL'))
        batch_op.drop_column('seat_id')

    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.drop_index('ix_conversations_seat')
        batch_op.drop_column('return_seat_id')
        batch_op.drop_column('return_at')
        batch_op.drop_column('transfer_at')
        batch_op.drop_column('transfer_by')
        batch_op.drop_column('transfer_note')
        batch_op.drop_column('queue_group')
        batch_op.drop_column('last_seat_at')
        batch_op.drop_column('last_seat_id')
        batch_op.drop_column('assigned_at')
        batch_op.drop_column('assign_version')
        batch_op.drop_column('seat_id')

    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_index('ix_assignments_conversation')

    op.drop_table('assignments')
    with op.batch_alter_table('seat_status_events', schema=None) as batch_op:
        batch_op.drop_index('ix_seat_status_events_seat')

    op.drop_table('seat_status_events')
    op.drop_table('team_settings')
