"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-29 22:09:57.030581
"""

from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('crawl_run',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('spider', sa.String(length=100), nullable=False),
    sa.Column('arguments', sa.JSON(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('since', sa.Date(), nullable=True),
    sa.Column('until', sa.Date(), nullable=True),
    sa.Column('counts', sa.JSON(), nullable=False),
    sa.Column('errors', sa.JSON(), nullable=False),
    sa.Column('log_path', sa.Text(), nullable=True),
    sa.Column('host', sa.String(length=200), nullable=True),
    sa.Column('pid', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('crawl_run', schema=None) as batch_op:
        batch_op.create_index('ix_crawl_run_spider', ['spider', 'status', 'started_at'], unique=False)

    op.create_table('notice',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('source', sa.String(length=64), nullable=False),
    sa.Column('source_id', sa.String(length=200), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('buyer_name', sa.Text(), nullable=True),
    sa.Column('buyer_siret', sa.String(length=20), nullable=True),
    sa.Column('buyer_nuts', sa.String(length=8), nullable=True),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.Column('department', sa.String(length=3), nullable=True),
    sa.Column('region', sa.String(length=64), nullable=True),
    sa.Column('former_region', sa.String(length=64), nullable=True),
    sa.Column('cpv_codes', sa.JSON(), nullable=False),
    sa.Column('cpv_division', sa.String(length=2), nullable=True),
    sa.Column('procedure', sa.String(length=200), nullable=True),
    sa.Column('contract_nature', sa.String(length=16), nullable=True),
    sa.Column('notice_type', sa.String(length=32), nullable=True),
    sa.Column('published', sa.Date(), nullable=True),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('deadline', sa.DateTime(), nullable=True),
    sa.Column('language', sa.String(length=8), nullable=True),
    sa.Column('amount', sa.Float(), nullable=True),
    sa.Column('raw_format', sa.String(length=32), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('sections', sa.JSON(), nullable=False),
    sa.Column('first_seen', sa.DateTime(), nullable=False),
    sa.Column('last_seen', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('needs_tagging', sa.Boolean(), nullable=False),
    sa.Column('tagged_version', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('source', 'source_id', name='uq_notice_source')
    )
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.create_index('ix_notice_buyer_siret', ['buyer_siret'], unique=False)
        batch_op.create_index('ix_notice_department', ['department'], unique=False)
        batch_op.create_index('ix_notice_needs_tagging', ['needs_tagging'], unique=False)
        batch_op.create_index('ix_notice_published', ['published'], unique=False)
        batch_op.create_index('ix_notice_year_region', ['year', 'region'], unique=False)

    op.create_table('clause',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('notice_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('lot_id', sa.String(length=64), nullable=True),
    sa.Column('section_heading', sa.Text(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['notice_id'], ['notice.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('clause', schema=None) as batch_op:
        batch_op.create_index('ix_clause_notice', ['notice_id'], unique=False)

    op.create_table('lot',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('notice_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('lot_id', sa.String(length=64), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('cpv_codes', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['notice_id'], ['notice.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('lot', schema=None) as batch_op:
        batch_op.create_index('ix_lot_notice', ['notice_id'], unique=False)

    op.create_table('manual_override',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('notice_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('social', sa.Boolean(), nullable=True),
    sa.Column('environmental', sa.Boolean(), nullable=True),
    sa.Column('levers', sa.JSON(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('author', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['notice_id'], ['notice.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('notice_id')
    )
    op.create_table('pictogram',
    sa.Column('notice_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('social', sa.Boolean(), nullable=False),
    sa.Column('environmental', sa.Boolean(), nullable=False),
    sa.Column('social_origin', sa.String(length=16), nullable=True),
    sa.Column('environmental_origin', sa.String(length=16), nullable=True),
    sa.Column('social_confidence', sa.Float(), nullable=True),
    sa.Column('environmental_confidence', sa.Float(), nullable=True),
    sa.Column('levers', sa.JSON(), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('generated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['notice_id'], ['notice.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('notice_id')
    )
    with op.batch_alter_table('pictogram', schema=None) as batch_op:
        batch_op.create_index('ix_pictogram_flags', ['social', 'environmental'], unique=False)

    op.create_table('consideration',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('notice_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('clause_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('dimension', sa.String(length=16), nullable=False),
    sa.Column('lever', sa.String(length=32), nullable=True),
    sa.Column('origin', sa.String(length=16), nullable=False),
    sa.Column('confidence', sa.Float(), nullable=True),
    sa.Column('evidence', sa.Text(), nullable=True),
    sa.Column('start', sa.Integer(), nullable=True),
    sa.Column('end', sa.Integer(), nullable=True),
    sa.Column('section', sa.Text(), nullable=True),
    sa.Column('lot_id', sa.String(length=64), nullable=True),
    sa.Column('classifier_version', sa.String(length=64), nullable=True),
    sa.Column('stale', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['clause_id'], ['clause.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['notice_id'], ['notice.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('consideration', schema=None) as batch_op:
        batch_op.create_index('ix_consideration_dim_lever', ['dimension', 'lever', 'origin'], unique=False)
        batch_op.create_index('ix_consideration_notice', ['notice_id', 'origin'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('consideration', schema=None) as batch_op:
        batch_op.drop_index('ix_consideration_notice')
        batch_op.drop_index('ix_consideration_dim_lever')

    op.drop_table('consideration')
    with op.batch_alter_table('pictogram', schema=None) as batch_op:
        batch_op.drop_index('ix_pictogram_flags')

    op.drop_table('pictogram')
    op.drop_table('manual_override')
    with op.batch_alter_table('lot', schema=None) as batch_op:
        batch_op.drop_index('ix_lot_notice')

    op.drop_table('lot')
    with op.batch_alter_table('clause', schema=None) as batch_op:
        batch_op.drop_index('ix_clause_notice')

    op.drop_table('clause')
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.drop_index('ix_notice_year_region')
        batch_op.drop_index('ix_notice_published')
        batch_op.drop_index('ix_notice_needs_tagging')
        batch_op.drop_index('ix_notice_department')
        batch_op.drop_index('ix_notice_buyer_siret')

    op.drop_table('notice')
    with op.batch_alter_table('crawl_run', schema=None) as batch_op:
        batch_op.drop_index('ix_crawl_run_spider')

    op.drop_table('crawl_run')
