"""Time the full-phase indicator report on the benchmark data and measure the worker's peak memory.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/df_bench .venv/bin/python bench/generate_report_data.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/df_bench .venv/bin/python bench/bench_report.py

Each annex rendering mode runs in a fresh process through the functions the Celery task calls
(selectors.report_data, reporting/pdf.py; the other annex layouts in bench/annex_modes.py), so the
figures are what a PDF worker spends on one report. Peak RSS is sampled every 50 ms over the process
and all its helper processes (their sum).
"""

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODES = ["naive", "fixed", "parts", "parallel", "lines"]


TICKS = os.sysconf("SC_CLK_TCK")
PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024


def _tree(root: int) -> dict[int, tuple[int, float]]:
    """{pid: (RSS in KiB, CPU seconds)} of ``root`` and its descendants (read cheaply from /proc)."""
    tree, stack = {}, [root]
    while stack:
        pid = stack.pop()
        try:
            stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            continue
        # Fields after the command: utime and stime are 12th/13th, rss (pages) the 22nd.
        tree[pid] = (int(stat[21]) * PAGE_KIB, (int(stat[11]) + int(stat[12])) / TICKS)
        stack.extend(int(child) for child in children)
    return tree


class PeakSampler(threading.Thread):
    """Samples the process tree every 50 ms: the peak of the summed RSS and each process's CPU time."""

    def __init__(self):
        super().__init__(daemon=True)
        self.peak = 0
        self.cpu: dict[int, float] = {}
        self.running = True

    def run(self):
        while self.running:
            tree = _tree(os.getpid())
            self.peak = max(self.peak, sum(rss for rss, _cpu in tree.values()))
            for pid, (_rss, cpu) in tree.items():
                self.cpu[pid] = max(self.cpu.get(pid, 0.0), cpu)
            time.sleep(0.05)


def run_once(mode: str, kind: str) -> dict:
    """One report in this process: returns its timings and the peak RSS of the process tree."""
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digitalfabrik.settings.dev")
    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.annex_modes import render_report_pdf
    from bench.generate_report_data import PHASE_NAME
    from programme.models import FundingPhase
    from reporting import selectors
    from reporting.factories import ReportFactory

    phase = FundingPhase.objects.get(name=PHASE_NAME)
    report = ReportFactory(kind=kind, phase=phase, requested_by=None)
    sampler = PeakSampler()
    sampler.start()
    time.sleep(0.05)
    cpu_before = sum(sampler.cpu.values())
    started = time.monotonic()
    with CaptureQueriesContext(connection) as queries:
        data = selectors.report_data(report=report)
    collected = time.monotonic()
    rendered = render_report_pdf(report=report, data=data, annex_mode=mode)
    finished = time.monotonic()
    sampler.running = False
    sampler.join()
    report.delete()
    return {
        "mode": mode,
        "annex_rows": len(data.get("annex") or data.get("register") or []),
        "queries": len(queries),
        "collect_s": round(collected - started, 2),
        "render_s": round(finished - collected, 2),
        "total_s": round(finished - started, 2),
        "pages": rendered.page_count,
        "size_kib": len(rendered.content) // 1024,
        "peak_rss_mib": round(sampler.peak / 1024),
        "cpu_s": round(sum(sampler.cpu.values()) - cpu_before, 2),
        "load": round(os.getloadavg()[0], 1),
        "steps": rendered.timings,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="Time the full-phase report for each annex rendering mode.")
    parser.add_argument("--mode", choices=MODES, help="run one mode in this process (used internally)")
    parser.add_argument("--modes", default=",".join(MODES), help="comma-separated modes to compare")
    parser.add_argument("--kind", default="indicators", choices=["indicators", "financial", "de_minimis"])
    args = parser.parse_args()
    if args.mode:
        print(json.dumps(run_once(args.mode, args.kind)))
        return
    print(
        f"{'mode':10} {'rows':>6} {'queries':>7} {'collect':>8} {'render':>8} {'total':>8} {'pages':>6} {'peak RSS':>9}"
    )
    for mode in args.modes.split(","):
        output = subprocess.run(  # noqa: S603 - our own script with fixed arguments
            [sys.executable, __file__, "--mode", mode, "--kind", args.kind],
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
        ).stdout
        result = json.loads(output.strip().splitlines()[-1])
        print(
            f"{mode:10} {result['annex_rows']:>6} {result['queries']:>7} {result['collect_s']:>7}s "
            f"{result['render_s']:>7}s {result['total_s']:>7}s {result['cpu_s']:>7}s {result['pages']:>6}"
            f" {result['peak_rss_mib']:>5} MiB {result['load']:>5}"
            f"   {result['steps']}"
        )


if __name__ == "__main__":
    main()
