"""consideration.clause_id: the index of the foreign key

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 23:50:00

Re-tagging replaces a notice's clauses; deleting a clause makes the database look for the considerations that point
at it (ON DELETE SET NULL), and without an index on consideration.clause_id that is a scan of the whole table for
every clause deleted. A store whose notices had already been tagged once (the normal case of a re-tag) then wrote
nothing for minutes on 1,000,000 notices: each batch of 200 notices deletes about 800 clauses.
"""

from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE INDEX IF NOT EXISTS ix_consideration_clause ON consideration (clause_id)")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_consideration_clause")
