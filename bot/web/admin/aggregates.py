"""Counts of people as the network may see them (k-anonymity, like the dashboard): a count of
1 to K-1 is never shown, on a page or in a file; and such tables as CSV downloads for the
network's reports (no personal data, so no no-store caveats beyond the admin's own)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from starlette.responses import Response

from bot.web.admin.charts import K_ANONYMITY

# How a hidden count is written in a file (a page says it in words).
HIDDEN = f"<{K_ANONYMITY}"


def people(count: int) -> int | None:
    """The count when it may be shown; None for 1 to K-1 people (0 is shown: nobody to single out)."""
    return None if 0 < count < K_ANONYMITY else count


def cell(count: int | None) -> str | int:
    """A count of people for a file: the number, or HIDDEN."""
    return HIDDEN if count is None else count


def csv_download(name: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> Response:
    """UTF-8 with a byte-order mark, so Excel opens accents right; built in memory, never on disk."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return Response(("\ufeff" + out.getvalue()).encode("utf-8"), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
