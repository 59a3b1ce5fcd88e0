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


def build_annual_report(
    plan: Plan,
    year: int,
    *,
    today: datetime.date | None = None,
    letterhead: dict[str, Any] | None = None,
    template: Path | None = None,
) -> AnnualReportFiles:
    report = data.collect(plan, year, today=today, letterhead=letterhead)
    document = docx.render(report, template=template, chart_png=charts.all_charts(report))
    return AnnualReportFiles(
        report=report,
        docx_name=f"bao-cao-{plan.code}-{year}.docx",
        docx=document,
        xlsx_name=docx.annex_filename(report),
        xlsx=annexes.workbook(report),
    )
