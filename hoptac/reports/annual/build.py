"""The yearly report of a plan as files: the .docx, the .xlsx annexes, or both in one .zip."""

import datetime
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hoptac.plans.models import Plan

from . import annexes, charts, data, docx


@dataclass
class AnnualReportFiles:
    report: data.AnnualReport
    docx_name: str
    docx: bytes
    xlsx_name: str
    xlsx: bytes

    @property
    def zip_name(self) -> str:
        return self.docx_name.removesuffix(".docx") + ".zip"

    def zip(self) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(self.docx_name, self.docx)
            archive.writestr(self.xlsx_name, self.xlsx)
        return buffer.getvalue()


def default_docx_name(plan: Plan, year: int, *, provisional: bool = False) -> str:
    return f"bao-cao-{plan.code}-{year}{'-tam-tinh' if provisional else ''}.docx"


def annex_name_for(docx_name: str) -> str:
    """The annexes' file name, from the report's: "bao-cao-….docx" → "bao-cao-…-bieu-phu-luc.xlsx". The
    report cites this name, and the command, the page and the API write or send the annexes under it."""
    return f"{Path(docx_name).stem}-bieu-phu-luc.xlsx"


def build_annual_report(
    plan: Plan,
    year: int,
    *,
    today: datetime.date | None = None,
    letterhead: dict[str, Any] | None = None,
    template: Path | None = None,
    provisional: bool = False,
    docx_name: str | None = None,
) -> AnnualReportFiles:
    """`docx_name` (default bao-cao-<plan>-<year>.docx) names the report; the annexes are named after it
    (annex_name_for) and the document cites that very name."""
    report = data.collect(plan, year, today=today, letterhead=letterhead, provisional=provisional)
    docx_name = docx_name or default_docx_name(plan, year, provisional=provisional)
    report.annex_file = annex_name_for(docx_name)
    document = docx.render(report, template=template, chart_png=charts.all_charts(report))
    return AnnualReportFiles(
        report=report,
        docx_name=docx_name,
        docx=document,
        xlsx_name=report.annex_file,
        xlsx=annexes.workbook(report),
    )
