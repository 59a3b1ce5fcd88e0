"""Charts of the yearly report, as PNG bytes. matplotlib with the Agg backend (no display) and DejaVu Sans,
which has every Vietnamese letter (Times New Roman is not on the servers; the charts are images, so the
document's font does not apply to them). Numbers are written the Vietnamese way (1.234; 8,7%)."""

import io

import matplotlib

matplotlib.use("Agg")

from matplotlib import pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from hoptac.core.formatting import format_number  # noqa: E402
from hoptac.plans.choices import IndicatorKind, TargetStatus  # noqa: E402

from .data import KIND_SHORT, KINDS, SCORE_BANDS, AnnualReport  # noqa: E402

FONT = "DejaVu Sans"
DPI = 200
KIND_COLOURS = {"htx": "#1f5f99", "lhhtx": "#6a9fd4", "tht": "#e39b2d", "qtdnd": "#7a9a3a"}
BAND_COLOURS = {"good": "#2e7d32", "fair": "#7cb342", "average": "#f9a825", "weak": "#c62828"}
STATUS_COLOURS: dict[str, str] = {
    TargetStatus.ACHIEVED: "#2e7d32",
    TargetStatus.EXCEEDED: "#00695c",
    TargetStatus.ON_TRACK: "#1f5f99",
    TargetStatus.BEHIND: "#f9a825",
    TargetStatus.AT_RISK: "#c62828",
    TargetStatus.NOT_ACHIEVED: "#7f0000",
    TargetStatus.NO_DATA: "#9e9e9e",
}


def _style() -> dict:
    return {
        "font.family": FONT,
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.titlesize": 10,
        "axes.titleweight": "bold",
    }


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight", facecolor="white")
    plt.close(figure)
    return buffer.getvalue()


def _vn(value, _position=None) -> str:
    return format_number(value, 0)


def sectors_chart(report: AnnualReport) -> bytes | None:
    """Organisations by sector, stacked by kind (horizontal bars, largest sector on top)."""
    rows = sorted(report.situation.sectors, key=lambda r: r.total)
    if not rows:
        return None
    with plt.rc_context(_style()):
        figure, axes = plt.subplots(figsize=(6.3, 0.42 * len(rows) + 1.2))
        left = [0] * len(rows)
        labels = [r.label for r in rows]
        for kind in KINDS:
            values = [r.counts.get(kind, 0) for r in rows]
            if not any(values):
                continue
            axes.barh(labels, values, left=left, color=KIND_COLOURS[kind], label=KIND_SHORT[kind], height=0.6)
            left = [a + b for a, b in zip(left, values, strict=True)]
        for index, total in enumerate(left):
            axes.text(total, index, f" {format_number(total)}", va="center", fontsize=8)
        axes.xaxis.set_major_formatter(FuncFormatter(_vn))
        axes.set_xlabel("Số tổ chức")
        axes.set_xlim(0, max(left) * 1.12 or 1)
        axes.legend(ncol=4, loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False)
        return _png(figure)


def ratings_chart(report: AnnualReport) -> bytes | None:
    """Organisations rated good, fair, average, weak in the data year, with the share of the rated."""
    ratings = report.situation.ratings
    if not ratings.available or not ratings.rated:
        return None
    labels = {"good": "Tốt", "fair": "Khá", "average": "Trung bình", "weak": "Yếu"}
    with plt.rc_context(_style()):
        figure, axes = plt.subplots(figsize=(6.3, 2.6))
        values = [ratings.count(b) for b in SCORE_BANDS]
        bars = axes.bar(
            [labels[b] for b in SCORE_BANDS], values, color=[BAND_COLOURS[b] for b in SCORE_BANDS], width=0.55
        )
        for bar, band in zip(bars, SCORE_BANDS, strict=True):
            share = ratings.share(band) or 0
            axes.annotate(
                f"{format_number(ratings.count(band))} ({format_number(share, 1)}%)",
                (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                ha="center",
                va="bottom",
                fontsize=8,
                xytext=(0, 2),
                textcoords="offset points",
            )
        axes.yaxis.set_major_formatter(FuncFormatter(_vn))
        axes.set_ylabel("Số HTX, liên hiệp HTX")
        axes.set_ylim(0, max(values) * 1.18 or 1)
        return _png(figure)


def targets_chart(report: AnnualReport) -> bytes | None:
    """How far each numeric target has come from the baseline toward the target (100% = reached),
    coloured by status; targets without a progress figure are listed with their status only."""
    lines = [line for line in report.targets if line.target.kind != IndicatorKind.QUALITATIVE]
    if not lines:
        return None
    with plt.rc_context(_style()):
        figure, axes = plt.subplots(figsize=(6.3, 0.3 * len(lines) + 1.0))
        labels, values, colours, notes = [], [], [], []
        for line in reversed(lines):
            progress = line.result.progress
            labels.append(f"{line.number}. {_wrap(line.name, 46)}")
            shown = 0.0 if progress is None else max(min(progress * 100, 150.0), -50.0)
            values.append(shown)
            colours.append(STATUS_COLOURS.get(line.status, "#9e9e9e"))
            if progress is None:
                notes.append(line.status_label)
            else:
                notes.append(f"{format_number(progress * 100, 0)}%")
        positions = range(len(labels))
        axes.barh(positions, values, color=colours, height=0.6)
        axes.set_yticks(list(positions), labels, fontsize=7.5)
        axes.axvline(100, color="#333333", linewidth=0.8, linestyle="--")
        axes.axvline(0, color="#333333", linewidth=0.6)
        for index, (value, note) in enumerate(zip(values, notes, strict=True)):
            axes.text(max(value, 0) + 2, index, note, va="center", fontsize=7)
        axes.set_xlim(min(-5, min(values) - 5), 175)
        axes.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{format_number(v, 0)}%"))
        axes.set_xlabel("Mức độ hoàn thành so với năm gốc (100% = đạt mục tiêu)")
        handles = [
            plt.Rectangle((0, 0), 1, 1, color=STATUS_COLOURS[s])
            for s, _label, count in report.statuses
            if count
        ]
        names = [label for _s, label, count in report.statuses if count]
        axes.legend(
            handles, names, ncol=3, loc="lower center", bbox_to_anchor=(0.4, 1.0), frameon=False, fontsize=7.5
        )
        return _png(figure)


def _wrap(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rsplit(" ", 1)[0] + "…"


def all_charts(report: AnnualReport) -> dict[str, bytes | None]:
    return {
        "chart_sectors": sectors_chart(report),
        "chart_ratings": ratings_chart(report),
        "chart_targets": targets_chart(report),
    }
