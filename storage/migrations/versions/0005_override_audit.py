"""override audit: the history of operators' decisions; an index to date the pictograms

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 10:00:00

`override_audit` keeps every decision as it was made (set or cleared, from the CLI, the web review queue or the
API), with its author, reason and time; `manual_override` keeps only the decision in force. The index on
pictogram.generated_at answers "when did a pictogram last change", which the web API's ETag / Last-Modified
read on every poll.
"""

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        'override_audit',
        sa.Column('id', BigId, primary_key=True, autoincrement=True),
        sa.Column('notice_id', BigId, sa.ForeignKey('notice.id', ondelete='CASCADE'), nullable=False),
        sa.Column('action', sa.String(16), nullable=False),
        sa.Column('social', sa.Boolean(), nullable=True),
        sa.Column('environmental', sa.Boolean(), nullable=True),
        sa.Column('levers', sa.JSON(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('author', sa.String(200), nullable=False),
        sa.Column('channel', sa.String(16), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
    )
    op.create_index('ix_override_audit_notice', 'override_audit', ['notice_id', 'created_at'])
    op.create_index('ix_pictogram_generated_at', 'pictogram', ['generated_at'])


def downgrade() -> None:
    op.drop_index('ix_pictogram_generated_at', table_name='pictogram')
    op.drop_index('ix_override_audit_notice', table_name='override_audit')
    op.drop_table('override_audit')
