"""attachments and quarantine: documents attached to a notice kept apart from its source's content; notices set aside

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 10:00:00

`notice.attachments` holds the documents an operator attached (`tenderwatch import DOC --notice SOURCE:ID`) as
sections of their own, apart from the sections the source publishes: the content hash stays the source's, so an
unchanged re-crawl writes nothing and a changed one replaces the source's sections and keeps the attachments.
(Before this revision an attached document was one more section of the notice, erased by the next import or crawl
of it; such sections cannot be told apart from the source's, and are left where they are.)

`notice.quarantined_at` / `quarantine_reason`: a notice set aside by an operator (`tenderwatch notices
--quarantine`), neither tagged nor counted nor exported until it is released; a partial index finds the few
quarantined notices, so that the statistics filter them out only when there are some (their plans unchanged).

(Written as 0005 on the robustness branch; renumbered 0007, after the override audit (0005) and the procedures
(0006), when it was merged with them.)
"""

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('notice') as batch:
        batch.add_column(sa.Column('attachments', sa.JSON(), nullable=True))
        batch.add_column(sa.Column('quarantined_at', sa.DateTime(), nullable=True))
        batch.add_column(sa.Column('quarantine_reason', sa.Text(), nullable=True))
    op.create_index('ix_notice_quarantined', 'notice', ['quarantined_at'], unique=False,
                    postgresql_where=sa.text('quarantined_at IS NOT NULL'),
                    sqlite_where=sa.text('quarantined_at IS NOT NULL'))


def downgrade() -> None:
    op.drop_index('ix_notice_quarantined', table_name='notice')
    with op.batch_alter_table('notice') as batch:
        batch.drop_column('quarantine_reason')
        batch.drop_column('quarantined_at')
        batch.drop_column('attachments')
