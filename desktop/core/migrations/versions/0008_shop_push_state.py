"""shops.push_state and push_detail: whether a shop's push stream or webhooks run

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06

Two columns with server defaults: SQLite adds them in place, no table copy.
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('shops', sa.Column('push_state', sa.String(length=16), server_default='', nullable=False))
    op.add_column('shops', sa.Column('push_detail', sa.Text(), server_default='', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('shops') as batch:
        batch.drop_column('push_detail')
        batch.drop_column('push_state')
