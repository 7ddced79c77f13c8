"""auto-replies, dunning, reply clocks and response times

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06

messages.origin marks what a person did not type (auto-replies, dunning templates);
it carries a server default and no foreign key, so SQLite adds it in place (no
table copy) and every existing message reads as written by a person. The dunning
log and the response times are new tables; the unpaid view gets an index on
orders (status, created_at).
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('dunnings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('shop_id', sa.Integer(), nullable=False),
    sa.Column('buyer_id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=True),
    sa.Column('variant', sa.String(length=8), nullable=False),
    sa.Column('seat_id', sa.Integer(), nullable=True),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('at', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_dunnings_order_id_orders'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dunnings'))
    )
    with op.batch_alter_table('dunnings', schema=None) as batch_op:
        batch_op.create_index('ix_dunnings_shop_buyer', ['shop_id', 'buyer_id', 'at'], unique=False)
        batch_op.create_index('ix_dunnings_order', ['order_id'], unique=False)
        batch_op.create_index('ix_dunnings_at', ['at'], unique=False)

    op.create_table('response_times',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('shop_id', sa.Integer(), nullable=False),
    sa.Column('seat_id', sa.Integer(), nullable=True),
    sa.Column('waited_from', sa.BigInteger(), nullable=False),
    sa.Column('answered_at', sa.BigInteger(), nullable=False),
    sa.Column('first_reply', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_response_times'))
    )
    with op.batch_alter_table('response_times', schema=None) as batch_op:
        batch_op.create_index('ix_response_times_answered', ['answered_at'], unique=False)

    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('origin', sa.String(length=16), server_default='', nullable=False))

    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.create_index('ix_orders_status_created', ['status', 'created_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_index('ix_orders_status_created')

    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_column('origin')

    with op.batch_alter_table('response_times', schema=None) as batch_op:
        batch_op.drop_index('ix_response_times_answered')

    op.drop_table('response_times')
    with op.batch_alter_table('dunnings', schema=None) as batch_op:
        batch_op.drop_index('ix_dunnings_at')
        batch_op.drop_index('ix_dunnings_order')
        batch_op.drop_index('ix_dunnings_shop_buyer')

    op.drop_table('dunnings')
