"""tags and groups, buyer notes, remark memo/source, warehouse stage, after-sale cases

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24

New columns carry server defaults, so existing rows stay valid without a rewrite.
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('labels',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('color', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_labels')),
    sa.UniqueConstraint('kind', 'name', name='uq_labels_kind_name')
    )
    op.create_table('buyer_labels',
    sa.Column('buyer_id', sa.Integer(), nullable=False),
    sa.Column('label_id', sa.Integer(), nullable=False),
    sa.Column('author', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['buyer_id'], ['buyers.id'], name=op.f('fk_buyer_labels_buyer_id_buyers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['label_id'], ['labels.id'], name=op.f('fk_buyer_labels_label_id_labels'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('buyer_id', 'label_id', name=op.f('pk_buyer_labels'))
    )
    with op.batch_alter_table('buyer_labels', schema=None) as batch_op:
        batch_op.create_index('ix_buyer_labels_label', ['label_id', 'buyer_id'], unique=False)

    op.create_table('aftersale_cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('shop_id', sa.Integer(), nullable=False),
    sa.Column('buyer_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('return_waybill', sa.String(length=64), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('author', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.BigInteger(), nullable=False),
    sa.Column('closed_at', sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(['buyer_id'], ['buyers.id'], name=op.f('fk_aftersale_cases_buyer_id_buyers')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_aftersale_cases_order_id_orders')),
    sa.ForeignKeyConstraint(['shop_id'], ['shops.id'], name=op.f('fk_aftersale_cases_shop_id_shops')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_aftersale_cases'))
    )
    with op.batch_alter_table('aftersale_cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_aftersale_cases_buyer_id'), ['buyer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_aftersale_cases_order_id'), ['order_id'], unique=False)
        batch_op.create_index('ix_aftersale_cases_state', ['state', 'updated_at'], unique=False)

    op.create_table('aftersale_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('from_state', sa.String(length=16), nullable=False),
    sa.Column('to_state', sa.String(length=16), nullable=False),
    sa.Column('author', sa.String(length=100), nullable=False),
    sa.Column('at', sa.BigInteger(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['aftersale_cases.id'], name=op.f('fk_aftersale_events_case_id_aftersale_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_aftersale_events'))
    )
    with op.batch_alter_table('aftersale_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_aftersale_events_case_id'), ['case_id'], unique=False)

    op.create_table('aftersale_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('sku_id', sa.String(length=128), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['aftersale_cases.id'], name=op.f('fk_aftersale_items_case_id_aftersale_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_aftersale_items'))
    )
    with op.batch_alter_table('aftersale_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_aftersale_items_case_id'), ['case_id'], unique=False)

    with op.batch_alter_table('buyers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('note', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('note_by', sa.String(length=100), server_default='', nullable=False))
        batch_op.add_column(sa.Column('note_at', sa.BigInteger(), nullable=True))

    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('warehouse', sa.String(length=16), server_default='unknown', nullable=False))
        batch_op.create_index('ix_orders_created', ['created_at'], unique=False)

    with op.batch_alter_table('remarks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('memo', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('source', sa.String(length=16), server_default='team', nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('remarks', schema=None) as batch_op:
        batch_op.drop_column('source')
        batch_op.drop_column('memo')

    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_index('ix_orders_created')
        batch_op.drop_column('warehouse')

    with op.batch_alter_table('buyers', schema=None) as batch_op:
        batch_op.drop_column('note_at')
        batch_op.drop_column('note_by')
        batch_op.drop_column('note')

    with op.batch_alter_table('aftersale_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_aftersale_items_case_id'))

    op.drop_table('aftersale_items')
    with op.batch_alter_table('aftersale_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_aftersale_events_case_id'))

    op.drop_table('aftersale_events')
    with op.batch_alter_table('aftersale_cases', schema=None) as batch_op:
        batch_op.drop_index('ix_aftersale_cases_state')
        batch_op.drop_index(batch_op.f('ix_aftersale_cases_order_id'))
        batch_op.drop_index(batch_op.f('ix_aftersale_cases_buyer_id'))

    op.drop_table('aftersale_cases')
    with op.batch_alter_table('buyer_labels', schema=None) as batch_op:
        batch_op.drop_index('ix_buyer_labels_label')

    op.drop_table('buyer_labels')
    op.drop_table('labels')
