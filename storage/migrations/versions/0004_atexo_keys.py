"""atexo keys: Atexo notices keyed on the platform's consultation number instead of the buyer's reference

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 02:30:00

Before this revision an Atexo notice's source_id was the "Référence" its page shows, which two buyers of one
platform may share (two "2020-141" on PLACE): the second consultation crawled replaced the first. The key is now
"<orgAcronyme>-<refConsultation>", read from the notice's URL. Rows are re-keyed in place, so their ids, and the
considerations, pictograms and manual overrides attached to them, stay. A row whose URL carries no consultation
number keeps its key, and so does a row whose new key another row already holds (the same consultation stored
twice): the next crawl updates that one. An Atexo page imported from a file has the file as its URL, so it keeps
its key too; the parser now reads the number from the page itself, so importing that file again stores it under
the new key beside the old row (delete the old one, or re-import into a new store). Downgrading keeps the new keys (the references are not stored apart).

The key is computed here, not imported from the parser, so that this revision stays what it was.
"""

import re
from urllib.parse import parse_qsl, urlsplit

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

BATCH = 5000
_PATH = re.compile(r"/consultation/(\d+)")

notice = sa.table(
    'notice', sa.column('id', sa.Integer), sa.column('source', sa.String), sa.column('source_id', sa.String),
    sa.column('url', sa.String),
)


def atexo_key(url: str | None) -> str | None:
    """"<orgAcronyme>-<refConsultation or id>" of an Atexo consultation URL, None without a consultation number."""
    if not url:
        return None
    parts = urlsplit(url.replace("&amp;", "&"))
    query = dict(parse_qsl(parts.query))
    found = _PATH.search(parts.path)
    number = query.get("refConsultation") or (found.group(1) if found else None)
    if number is None and "consultation" in query.get("page", "").lower():
        number = query.get("id")
    if not number or not number.strip().isalnum():
        return None
    org = query.get("orgAcronyme") or query.get("orgAccronyme")
    return f"{org}-{number.strip()}" if org else number.strip()


def upgrade() -> None:
    conn = op.get_bind()
    last_id = 0
    while True:
        rows = conn.execute(
            sa.select(notice.c.id, notice.c.source, notice.c.source_id, notice.c.url)
            .where(notice.c.id > last_id, notice.c.source.like('atexo:%'))
            .order_by(notice.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        last_id = rows[-1].id
        wanted = {}
        for row in rows:
            key = atexo_key(row.url)
            if key is not None and key != row.source_id:
                wanted[row.id] = (row.source, key)
        taken = set()
        for source in {source for source, _ in wanted.values()}:
            keys = [key for s, key in wanted.values() if s == source]
            taken |= {
                (source, key)
                for key in conn.scalars(
                    sa.select(notice.c.source_id).where(notice.c.source == source, notice.c.source_id.in_(keys))
                )
            }
        updates = []
        for row_id, pair in wanted.items():
            if pair not in taken:
                taken.add(pair)
                updates.append({'row_id': row_id, 'key': pair[1]})
        if updates:
            conn.execute(
                notice.update().where(notice.c.id == sa.bindparam('row_id')).values(source_id=sa.bindparam('key')),
                updates,
            )


def downgrade() -> None:
    """Nothing to undo in the schema; the keys stay as they are (see above)."""
