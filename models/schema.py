"""SQLAlchemy 2 ORM tables of the store. Migrations (storage/migrations) are generated from these."""

from __future__ import annotations

from datetime import date, datetime, UTC

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# BIGINT on PostgreSQL, INTEGER (the rowid alias) on SQLite.
BigId = BigInteger().with_variant(Integer(), "sqlite")


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    type_annotation_map = {dict: JSON, list: JSON}


#: Indexes whose definition differs by database (NULLS LAST on PostgreSQL only), so the migrations create them and
#: the ORM does not declare them: ix_notice_list_order (migration 0008), the order notices are listed in.
MIGRATION_ONLY_INDEXES = ("ix_notice_list_order",)


class NoticeRow(Base):
    """One published notice (or DECP contract), unique on (source, source_id)."""

    __tablename__ = "notice"
    __table_args__ = (
        UniqueConstraint("source", "source_id", name="uq_notice_source"),
        Index("ix_notice_year_region", "year", "region"),
        Index("ix_notice_published", "published"),
        Index("ix_notice_needs_tagging", "needs_tagging"),
        Index("ix_notice_buyer_siret", "buyer_siret"),
        Index("ix_notice_department", "department"),
        # the few quarantined notices, found without reading the table (partial index)
        Index("ix_notice_quarantined", "quarantined_at", postgresql_where=text("quarantined_at IS NOT NULL"),
              sqlite_where=text("quarantined_at IS NOT NULL")),
        Index("ix_notice_procedure_notice", "procedure_notice_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(String(64))
    source_id: Mapped[str] = mapped_column(String(200))
    content_hash: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str | None] = mapped_column(Text)
    buyer_name: Mapped[str | None] = mapped_column(Text)
    buyer_siret: Mapped[str | None] = mapped_column(String(20))
    buyer_nuts: Mapped[str | None] = mapped_column(String(8))
    country: Mapped[str | None] = mapped_column(String(2))
    department: Mapped[str | None] = mapped_column(String(3))
    region: Mapped[str | None] = mapped_column(String(64))
    former_region: Mapped[str | None] = mapped_column(String(64))
    cpv_codes: Mapped[list] = mapped_column(JSON, default=list)
    cpv_division: Mapped[str | None] = mapped_column(String(2))
    procedure: Mapped[str | None] = mapped_column(String(200))
    contract_nature: Mapped[str | None] = mapped_column(String(16))
    notice_type: Mapped[str | None] = mapped_column(String(32))
    published: Mapped[date | None] = mapped_column(Date)
    year: Mapped[int | None] = mapped_column(Integer)
    deadline: Mapped[datetime | None] = mapped_column(DateTime)
    language: Mapped[str | None] = mapped_column(String(8))
    amount: Mapped[float | None] = mapped_column(Float)
    raw_format: Mapped[str | None] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text, default="")
    sections: Mapped[list] = mapped_column(JSON, default=list)
    # documents attached by an operator, apart from the source's sections (and its content hash): [{heading, text,
    # kind, lot}]; merged into the text and sections the classifier reads (storage/attachments.py)
    attachments: Mapped[list | None] = mapped_column(JSON)
    # set aside by an operator (`tenderwatch notices --quarantine`): not tagged, counted nor exported
    quarantined_at: Mapped[datetime | None] = mapped_column(DateTime)
    quarantine_reason: Mapped[str | None] = mapped_column(Text)
    first_seen: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    needs_tagging: Mapped[bool] = mapped_column(Boolean, default=True)
    tagged_version: Mapped[str | None] = mapped_column(String(64))
    # the procedure (storage/procedures.py): its key (the smallest own key of its notices) and the notice that
    # stands for it in the statistics (its first published); NULL: a notice not linked yet, its own procedure
    procedure_key: Mapped[str | None] = mapped_column(String(200))
    procedure_notice_id: Mapped[int | None] = mapped_column(BigId)

    lots: Mapped[list[LotRow]] = relationship(back_populates="notice", cascade="all, delete-orphan")
    considerations: Mapped[list[ConsiderationRow]] = relationship(
        back_populates="notice", cascade="all, delete-orphan"
    )


class ProcedureKeyRow(Base):
    """One key of a notice's procedure (models/links.py): its own, and those of the notices it refers to."""

    __tablename__ = "procedure_key"
    __table_args__ = (
        Index("ix_procedure_key_key", "key"),
        Index("ix_procedure_key_notice", "notice_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notice.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(200))
    own: Mapped[bool] = mapped_column(Boolean, default=False)  # the notice's own identity, not a reference


class LotRow(Base):
    __tablename__ = "lot"
    __table_args__ = (Index("ix_lot_notice", "notice_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notice.id", ondelete="CASCADE"))
    lot_id: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    cpv_codes: Mapped[list] = mapped_column(JSON, default=list)

    notice: Mapped[NoticeRow] = relationship(back_populates="lots")


class ClauseRow(Base):
    """A clause of a notice that carries evidence (sentence or list item), with its offsets into notice.text."""

    __tablename__ = "clause"
    __table_args__ = (Index("ix_clause_notice", "notice_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notice.id", ondelete="CASCADE"))
    lot_id: Mapped[str | None] = mapped_column(String(64))
    section_heading: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)


class ConsiderationRow(Base):
    """One (dimension, lever) found in a notice, with its origin: declared, detected or manual."""

    __tablename__ = "consideration"
    __table_args__ = (
        Index("ix_consideration_notice", "notice_id", "origin"),
        Index("ix_consideration_dim_lever", "dimension", "lever", "origin"),
        # covering index of the statistics (migration 0003): the qualifying rule is read from the index alone
        Index("ix_consideration_flags", "notice_id", "dimension", "lever", "origin", "stale", "confidence"),
        # the foreign key's own index (migration 0009): deleting a re-tagged notice's clauses looks up the
        # considerations that point at each one; without it, a full scan of the table per clause
        Index("ix_consideration_clause", "clause_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notice.id", ondelete="CASCADE"))
    clause_id: Mapped[int | None] = mapped_column(ForeignKey("clause.id", ondelete="SET NULL"))
    dimension: Mapped[str] = mapped_column(String(16))
    lever: Mapped[str | None] = mapped_column(String(32))  # None: the source declared the dimension only
    origin: Mapped[str] = mapped_column(String(16))
    confidence: Mapped[float | None] = mapped_column(Float)
    evidence: Mapped[str | None] = mapped_column(Text)
    start: Mapped[int | None] = mapped_column(Integer)
    end: Mapped[int | None] = mapped_column(Integer)
    section: Mapped[str | None] = mapped_column(Text)
    lot_id: Mapped[str | None] = mapped_column(String(64))
    classifier_version: Mapped[str | None] = mapped_column(String(64))
    stale: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    notice: Mapped[NoticeRow] = relationship(back_populates="considerations")


class ManualOverrideRow(Base):
    """An operator's decision on a notice's pictogram. No re-run ever changes it; only `override --clear` removes it."""

    __tablename__ = "manual_override"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notice.id", ondelete="CASCADE"), unique=True)
    social: Mapped[bool | None] = mapped_column(Boolean)  # None: no decision on this dimension
    environmental: Mapped[bool | None] = mapped_column(Boolean)
    levers: Mapped[list] = mapped_column(JSON, default=list)  # ["social:reservation", ...]
    reason: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class OverrideAuditRow(Base):
    """Every operator decision as it was made (set or cleared), from the CLI or the web: the override table keeps
    the decision in force, this one its history. Never updated, never deleted with a re-run."""

    __tablename__ = "override_audit"
    __table_args__ = (Index("ix_override_audit_notice", "notice_id", "created_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notice.id", ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(String(16))  # set | clear
    social: Mapped[bool | None] = mapped_column(Boolean)
    environmental: Mapped[bool | None] = mapped_column(Boolean)
    levers: Mapped[list] = mapped_column(JSON, default=list)
    reason: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(16), default="cli")  # cli | web | api
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class PictogramRow(Base):
    """The pictogram of one notice, derived from its considerations (never edited by hand: use an override)."""

    __tablename__ = "pictogram"
    __table_args__ = (
        Index("ix_pictogram_flags", "social", "environmental"),
        Index("ix_pictogram_generated_at", "generated_at"),
    )

    notice_id: Mapped[int] = mapped_column(ForeignKey("notice.id", ondelete="CASCADE"), primary_key=True)
    social: Mapped[bool] = mapped_column(Boolean, default=False)
    environmental: Mapped[bool] = mapped_column(Boolean, default=False)
    social_origin: Mapped[str | None] = mapped_column(String(16))
    environmental_origin: Mapped[str | None] = mapped_column(String(16))
    social_confidence: Mapped[float | None] = mapped_column(Float)
    environmental_confidence: Mapped[float | None] = mapped_column(Float)
    levers: Mapped[list] = mapped_column(JSON, default=list)  # ["environmental:award_criterion", ...]
    details: Mapped[dict] = mapped_column(JSON, default=dict)  # evidence per dimension
    generated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class CrawlRunRow(Base):
    """One run of a spider (or an import): arguments, times, status, counts and errors by kind."""

    __tablename__ = "crawl_run"
    __table_args__ = (Index("ix_crawl_run_spider", "spider", "status", "started_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    spider: Mapped[str] = mapped_column(String(100))
    arguments: Mapped[dict] = mapped_column(JSON, default=dict)
    started_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(16), default="running")  # running|succeeded|failed|interrupted
    since: Mapped[date | None] = mapped_column(Date)
    until: Mapped[date | None] = mapped_column(Date)
    counts: Mapped[dict] = mapped_column(JSON, default=dict)
    errors: Mapped[dict] = mapped_column(JSON, default=dict)
    log_path: Mapped[str | None] = mapped_column(Text)
    host: Mapped[str | None] = mapped_column(String(200))
    pid: Mapped[int | None] = mapped_column(Integer)
