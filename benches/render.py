#!/usr/bin/env python3
"""Benchmark documents from the built-in templates against the same templates as the school's own.

    python3 benches/render.py [--sizes 2000] [--runs 5] [--today 2026-11-24]
                              [--work DIR] [--json FILE] [--senco PATH] [--gen PATH]

A school's own templates render in a child process with a memory limit (src/render/sandbox.rs,
docs/templates.md): the view goes to the worker as JSON and the document comes back. This
measures what that costs, side by side in one run, on one synthetic school per size:

  builtin-all   `senco render --all plan --format html --out-dir DIR --force` (in process)
  school-all    the same, on a copy of the school whose `templates/` holds every built-in
                template (`senco templates export`), so every plan goes through the workers
  builtin-map   `senco render provision-map --format html -o FILE` (one large document)
  school-map    the same with the school's templates

The copy shares the corpus's files by hard links, so both read the same bytes. Output goes to
/dev/shm when it exists (no disk syncs in the figures). Runs are interleaved round-robin with
the starting command rotating, as in benches/check.py, whose helpers this script uses;
medians are reported, and the ratios school/builtin.
"""

import argparse
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("checkbench", ROOT / "benches" / "check.py")
checkbench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(checkbench)
log, Command, stats, ratio = checkbench.log, checkbench.Command, checkbench.stats, checkbench.ratio


def parse_args():
    ap = argparse.ArgumentParser(description="Benchmark school templates (sandboxed) against the built-ins.")
    ap.add_argument("--sizes", default="2000", help="pupils per corpus, comma-separated")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--today", default="2026-11-24")
    ap.add_argument("--work", type=Path, default=ROOT / "target" / "bench-corpus")
    ap.add_argument("--json", type=Path, metavar="FILE")
    ap.add_argument("--senco", type=Path, metavar="PATH")
    ap.add_argument("--gen", type=Path, metavar="PATH")
    args = ap.parse_args()
    args.sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if not args.sizes or min(args.sizes) < 1 or args.runs < 1:
        ap.error("--sizes needs a positive size and --runs at least 1")
    if not re.fullmatch(r"\d{4}-\d\d-\d\d", args.today):
        ap.error("--today must be YYYY-MM-DD")
    args.work = args.work.resolve()
    return args


def school_copy(senco, path):
    """The corpus again, by hard links, with every built-in template as the school's own."""
    copy = path.parent / (path.name + "-school-templates")
    if copy.exists():
        shutil.rmtree(copy)
    subprocess.run(["cp", "-al", str(path), str(copy)], check=True)
    subprocess.run([str(senco), "templates", "export", str(copy / "templates")], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return copy


def main():
    args = parse_args()
    senco, gen = checkbench.build(args)
    out_root = Path("/dev/shm") if Path("/dev/shm").is_dir() else args.work
    scratch = args.work
    args.work.mkdir(parents=True, exist_ok=True)
    host = checkbench.machine()
    print(f"## senco render benchmark: built-in templates against the school's own, {host['when']}\n")
    print(f"{host['cpus']} CPUs · {host['system']} · senco at {host['git'] or '?'} · `--today {args.today}` · "
          f"{args.runs} interleaved runs after one warm-up · medians\n")
    results = []
    failed = False
    for pupils in args.sizes:
        path, info = checkbench.corpus(gen, args.work, pupils)
        copy = school_copy(senco, path)
        out = out_root / f"senco-render-bench-{os.getpid()}"
        out.mkdir(parents=True, exist_ok=True)

        def cmd(name, label, repo, rest):
            return Command(name, label, [str(senco), "-C", str(repo), "--today", args.today, *rest], {0})

        commands = [
            cmd("builtin-all", "render --all plan, built-in", path,
                ["render", "--all", "plan", "--format", "html", "--out-dir", str(out / "a"), "--force"]),
            cmd("school-all", "render --all plan, school's (worker)", copy,
                ["render", "--all", "plan", "--format", "html", "--out-dir", str(out / "b"), "--force"]),
            cmd("builtin-map", "provision map, built-in", path,
                ["render", "provision-map", "--format", "html", "-o", str(out / "map-a.html"), "--force"]),
            cmd("school-map", "provision map, school's (worker)", copy,
                ["render", "provision-map", "--format", "html", "-o", str(out / "map-b.html"), "--force"]),
        ]
        for c in commands:
            checkbench.warm_up(c, scratch)
        same = (out / "map-a.html").read_bytes() == (out / "map-b.html").read_bytes()
        checkbench.measure(commands, args.runs, scratch)
        st = {c.name: stats(c) for c in commands}
        print(f"### {pupils:,} pupils\n")
        print("| command | median wall s | min | max | median CPU s | peak RSS MB |")
        print("|---|---:|---:|---:|---:|---:|")
        for c in commands:
            s = st[c.name]
            if s:
                print(f"| {c.label} | {s['median']:.3f} | {s['min']:.3f} | {s['max']:.3f} | {s['cpu']:.3f} | "
                      f"{s['rss']:.1f} |")
            else:
                print(f"| {c.label} | – | – | – | – | – |")
        print(f"\nschool/built-in: render --all **{ratio(st['school-all'], st['builtin-all'])}**, "
              f"provision map **{ratio(st['school-map'], st['builtin-map'])}**; "
              f"the two provision maps are {'byte-identical' if same else 'DIFFERENT'}\n")
        for c in commands:
            if c.failed:
                print(f"**{c.name} failed**: {c.failed}\n")
        failed = failed or any(c.failed for c in commands) or not same
        results.append({"pupils": pupils, "identical": same,
                        "commands": {c.name: {"argv": c.argv, "samples": c.samples} for c in commands}})
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(copy, ignore_errors=True)
    (scratch / "stderr.txt").unlink(missing_ok=True)
    if args.json:
        args.json.write_text(json.dumps({"machine": host, "results": results}, indent=1) + "\n")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
