"""procedures: the keys that link the notices of one procedure, and each notice's procedure

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 18:30:00

A procedure_key table (notice, key, own) and two columns on notice (procedure_key, procedure_notice_id). Every
stored notice gets its own key here (models/links.self_key: TED numbers and BOAMP ids in their canonical
spelling), so the notices imported later find it when they refer to it; the references of stored notices come
with their next import or crawl (storage/procedures.py relinks), NULL procedure columns meaning "its own".
"""

import sqlalchemy as sa
from alembic import op

from models.links import self_key

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        'procedure_key',
        sa.Column('id', BigId, primary_key=True, autoincrement=True),
        sa.Column('notice_id', BigId, sa.ForeignKey('notice.id', ondelete='CASCADE'), nullable=False),
        sa.Column('key', sa.String(200), nullable=False),
        sa.Column('own', sa.Boolean(), nullable=False),
    )
    op.create_index('ix_procedure_key_key', 'procedure_key', ['key'])
    op.create_index('ix_procedure_key_notice', 'procedure_key', ['notice_id'])
    with op.batch_alter_table('notice') as batch:
        batch.add_column(sa.Column('procedure_key', sa.String(200), nullable=True))
        batch.add_column(sa.Column('procedure_notice_id', BigId, nullable=True))
        batch.create_index('ix_notice_procedure_notice', ['procedure_notice_id'])
    bind = op.get_bind()
    notice = sa.table('notice', sa.column('id'), sa.column('source'), sa.column('source_id'))
    keys = sa.table('procedure_key', sa.column('notice_id'), sa.column('key'), sa.column('own'))
    last = 0
    while True:
        rows = bind.execute(sa.select(notice.c.id, notice.c.source, notice.c.source_id)
                            .where(notice.c.id > last).order_by(notice.c.id).limit(5000)).all()
        if not rows:
            break
        bind.execute(sa.insert(keys), [{"notice_id": r.id, "key": self_key(r.source, r.source_id)[:200], "own": True}
                                       for r in rows])
        last = rows[-1].id


def downgrade() -> None:
    with op.batch_alter_table('notice') as batch:
        batch.drop_index('ix_notice_procedure_notice')
        batch.drop_column('procedure_notice_id')
        batch.drop_column('procedure_key')
    op.drop_index('ix_procedure_key_notice', table_name='procedure_key')
    op.drop_index('ix_procedure_key_key', table_name='procedure_key')
    op.drop_table('procedure_key')
