"""quick replies and platform red lines

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06

New tables only (the team's and each seat's quick replies, favourites, uses per
chat; the team's red-line rule edits and the override log): nothing existing is
altered, so SQLite copies no table.
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('phrases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seat_id', sa.Integer(), nullable=True),
    sa.Column('shop_id', sa.Integer(), nullable=True),
    sa.Column('stage', sa.String(length=24), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('shortcut', sa.String(length=32), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('keys', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.Column('updated_at', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['seat_id'], ['seats.id'], name=op.f('fk_phrases_seat_id_seats'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['shop_id'], ['shops.id'], name=op.f('fk_phrases_shop_id_shops'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_phrases'))
    )
    with op.batch_alter_table('phrases', schema=None) as batch_op:
        batch_op.create_index('ix_phrases_seat', ['seat_id', 'stage'], unique=False)

    op.create_table('phrase_favorites',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seat_id', sa.Integer(), nullable=True),
    sa.Column('slot', sa.Integer(), nullable=False),
    sa.Column('phrase_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['phrase_id'], ['phrases.id'], name=op.f('fk_phrase_favorites_phrase_id_phrases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['seat_id'], ['seats.id'], name=op.f('fk_phrase_favorites_seat_id_seats'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_phrase_favorites'))
    )
    with op.batch_alter_table('phrase_favorites', schema=None) as batch_op:
        batch_op.create_index('ix_phrase_favorites_seat', ['seat_id', 'slot'], unique=False)

    op.create_table('phrase_uses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('phrase_id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('seat_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_phrase_uses_conversation_id_conversations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['phrase_id'], ['phrases.id'], name=op.f('fk_phrase_uses_phrase_id_phrases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_phrase_uses'))
    )
    with op.batch_alter_table('phrase_uses', schema=None) as batch_op:
        batch_op.create_index('ix_phrase_uses_conversation', ['conversation_id', 'phrase_id'], unique=False)

    op.create_table('red_line_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform', sa.String(length=64), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('category', sa.String(length=24), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('pattern', sa.Text(), nullable=False),
    sa.Column('explain', sa.Text(), nullable=False),
    sa.Column('allow', sa.Text(), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.Column('updated_at', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_red_line_rules')),
    sa.UniqueConstraint('platform', 'key', name='uq_red_line_rules_platform_key')
    )
    op.create_table('red_line_overrides',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.BigInteger(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('seat_id', sa.Integer(), nullable=True),
    sa.Column('seat_name', sa.String(length=100), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=True),
    sa.Column('platform', sa.String(length=64), nullable=False),
    sa.Column('rules', sa.Text(), nullable=False),
    sa.Column('hits_json', sa.Text(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('ref_id', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_red_line_overrides'))
    )
    with op.batch_alter_table('red_line_overrides', schema=None) as batch_op:
        batch_op.create_index('ix_red_line_overrides_at', ['at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('red_line_overrides', schema=None) as batch_op:
        batch_op.drop_index('ix_red_line_overrides_at')

    op.drop_table('red_line_overrides')
    op.drop_table('red_line_rules')
    with op.batch_alter_table('phrase_uses', schema=None) as batch_op:
        batch_op.drop_index('ix_phrase_uses_conversation')

    op.drop_table('phrase_uses')
    with op.batch_alter_table('phrase_favorites', schema=None) as batch_op:
        batch_op.drop_index('ix_phrase_favorites_seat')

    op.drop_table('phrase_favorites')
    with op.batch_alter_table('phrases', schema=None) as batch_op:
        batch_op.drop_index('ix_phrases_seat')

    op.drop_table('phrases')
