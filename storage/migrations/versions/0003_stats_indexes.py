"""stats indexes: a covering index of the considerations for per-notice flags

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 23:30:00

The statistics aggregate qualifying considerations per notice (dimension, lever, origin, stale, confidence);
with every column in the index, SQLite and PostgreSQL read the index alone, in notice order. It follows 0002
(the scheduler table, which revises 0001) so the history stays linear.
"""

from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

COLUMNS = ['notice_id', 'dimension', 'lever', 'origin', 'stale', 'confidence']


def upgrade() -> None:
    op.create_index('ix_consideration_flags', 'consideration', COLUMNS, unique=False)


def downgrade() -> None:
    op.drop_index('ix_consideration_flags', table_name='consideration')
