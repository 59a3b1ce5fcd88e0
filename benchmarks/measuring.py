"""The benchmarks' arithmetic and machine description, without Django (benchmarks/test_bench_scale.py tests it):
percentiles, the summary of repeated timings, the web process's peak memory, the cost curve between sizes and
the machine a result was measured on. page_costs.py (one page at a time), desk_pages.py and scale.py use it.
"""

import math
import os
import platform
import re
import subprocess
from collections.abc import Sequence
from pathlib import Path

# A page whose cost grows more than this from the smallest to a larger size is flagged (issue 15: "no page's
# cost grows more than 3x from x1 to x50").
GROWTH_LIMIT = 3.0


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0 <= q <= 100) by linear interpolation between the closest ranks (numpy's
    default, "linear"): the median of [1, 2, 3, 4] is 2.5, its 95th percentile 3.85."""
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= q <= 100:
        raise ValueError(f"percentile {q} outside 0..100")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summarise(seconds: Sequence[float]) -> dict[str, float]:
    """Median, p95 and maximum of repeated timings, in milliseconds (one decimal)."""
    ms = [1000 * s for s in seconds]
    return {
        "median_ms": round(percentile(ms, 50), 1),
        "p95_ms": round(percentile(ms, 95), 1),
        "max_ms": round(max(ms), 1),
        "runs": len(ms),
    }


def ratio(small: float | None, large: float | None) -> float | None:
    """How many times `large` is `small` (two decimals); None when either is missing or `small` is 0."""
    if small is None or large is None or small <= 0:
        return None
    return round(large / small, 2)


def growth(costs: dict[str, float | None], order: Sequence[str], limit: float = GROWTH_LIMIT) -> dict:
    """The cost curve of one page over the sizes in `order` (e.g. ["x1", "x10", "x50"]): the ratio of each
    size to the first (smallest) size measured, and whether any exceeds `limit`. Sizes not measured are left
    out; a page measured at one size only has no ratio and is not flagged."""
    measured = [label for label in order if costs.get(label) is not None]
    if not measured:
        return {"ratios": {}, "flagged": False}
    base = costs[measured[0]]
    ratios = {label: ratio(base, costs[label]) for label in measured[1:]}
    return {
        "base": measured[0],
        "ratios": ratios,
        "flagged": any(r is not None and r > limit for r in ratios.values()),
    }


# ---- memory of the process serving the pages -------------------------------------------------------------


def _status_kib(field: str) -> int | None:
    try:
        text = Path("/proc/self/status").read_text()
    except OSError:
        return None
    found = re.search(rf"^{field}:\s+(\d+) kB", text, re.MULTILINE)
    return int(found.group(1)) if found else None


def reset_peak_rss() -> bool:
    """Start a new peak-memory window for this process (Linux: writing 5 to /proc/self/clear_refs resets
    VmHWM to the current RSS). False where that is not possible: the peak is then the process's since start."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def peak_rss_mb() -> float | None:
    """This process's peak resident memory since the last reset_peak_rss() (or since start), in MB."""
    kib = _status_kib("VmHWM")
    if kib is None:
        import resource

        kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return round(kib / 1024, 1)


def rss_mb() -> float | None:
    kib = _status_kib("VmRSS")
    return round(kib / 1024, 1) if kib is not None else None


# ---- the machine ----------------------------------------------------------------------------------------


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def _memory_gb() -> float | None:
    try:
        text = Path("/proc/meminfo").read_text()
    except OSError:
        return None
    found = re.search(r"^MemTotal:\s+(\d+) kB", text, re.MULTILINE)
    return round(int(found.group(1)) / 1024 / 1024, 1) if found else None


def _cpu_model() -> str | None:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return None
    found = re.search(r"^model name\s*:\s*(.+)$", text, re.MULTILINE)
    return found.group(1).strip() if found else None


def postgresql_version(url: str | None) -> str | None:
    """The server's version string (`SELECT version()` through psql), or None without PostgreSQL."""
    if not url or not url.startswith(("postgres://", "postgresql://")):
        return None
    try:
        done = subprocess.run(
            ["psql", url, "-Atc", "SHOW server_version"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None


def machine(database_url: str | None = None) -> dict:
    """What a result was measured on; stored in every results JSON."""
    return {
        "cores": os.cpu_count(),
        "cpu": _cpu_model(),
        "memory_gb": _memory_gb(),
        "architecture": platform.machine(),
        "system": f"{platform.system()} {platform.release()}",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "postgresql": postgresql_version(database_url),
    }
