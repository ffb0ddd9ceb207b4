#!/usr/bin/env python3
"""Benchmark `senco check` against the I/O floor and a Python peer, on synthetic schools.

    python3 benches/check.py [--sizes 1000,10000,50000] [--runs 5] [--today 2026-11-24]
                             [--work DIR] [--json FILE] [--senco PATH] [--gen PATH]

What it measures, for each corpus size (pupils on roll):

  check  `senco --repo CORPUS --today DATE check --format json`, stdout to /dev/null.
         The product: every file parsed, every record checked, every finding rendered.
         Exit 0 or 1 (findings) is success; 2 (usage, settings or I/O failure) is a failure.
  floor  `senco --repo CORPUS debug read-floor`: walks the tree and reads every file in
         parallel without parsing. No checker can beat it, so check/floor says how much
         of check's time is our own work rather than the file system's.
  peer   `python3 ../shared/bench/peer.py CORPUS --today DATE`: what a school data manager
         would write instead (PyYAML with libyaml, jsonschema, a loop). peer/check says
         how much faster senco is than the obvious alternative. Skipped when the peer is
         missing or PyYAML/jsonschema are not installed (the hint says how to install them).

How:

  * `cargo build --release --example gen --bin senco` once (skipped for whatever
    --senco/--gen replace), then one corpus per size from `examples/gen.rs` into
    --work (default target/bench-corpus/). A corpus is reused while its size, seed and
    the generator's source are unchanged (a `.json` marker beside it records them).
  * Per size: one warm-up run of each command (fills the file cache, so every timed run
    reads from memory, and checks that the command works), then --runs rounds in which
    the commands run one after another, round-robin, the starting command rotating each
    round. Interleaving spreads any drift of the machine (other load, thermal, cache
    eviction) over all commands alike instead of penalising whichever ran last.
  * Each run is one child process: wall time from time.perf_counter around spawn-to-reap;
    CPU time (user + system) and peak RSS from os.wait4's rusage of that child alone.
  * Reported: median wall time (with min and max), median CPU time and the highest peak
    RSS over the runs. Medians, because noise (another process, a page-fault storm) only
    ever slows a run down: the median ignores the odd slow run without pretending, as the
    minimum does, that the luckiest run is typical.
  * Last, a linearity line: median check time per 1,000 pupils at each size. Flat means
    senco's time grows linearly with the size of the school.

Peak RSS has a floor. Linux starts a child's ru_maxrss at the peak RSS of the process that
spawned it (it is recorded when the child execs), so no child measures below this script's
own peak. The script therefore imports as little as it can (it checks the peer's modules in
a subprocess), records its own peak before every spawn, and shows a result at that floor as
"<= floor": there the command's real peak is lower, and unknown.

--json FILE writes every raw sample (and the machine it ran on) for later comparison.
Standard library only; nothing is installed. Exit status: 0 when every command that ran
succeeded, 1 when a command failed (reported), 2 when the build or generation failed.
"""

# Imports are deliberately few and light: see "Peak RSS has a floor" above.
import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent  # the package root
PEER_DEFAULT = ROOT.parent / "shared" / "bench" / "peer.py"
PIP_HINT = "pip install pyyaml jsonschema"
SEED = 1

# ru_maxrss is in kilobytes on Linux and the BSDs, in bytes on macOS.
RSS_TO_MB = 1 / (1024 * 1024) if sys.platform == "darwin" else 1 / 1024


def log(msg):
    """Progress goes to stderr, so that stdout is only the report."""
    print(msg, file=sys.stderr, flush=True)


def median(xs):
    xs = sorted(xs)
    mid = len(xs) // 2
    return xs[mid] if len(xs) % 2 else (xs[mid - 1] + xs[mid]) / 2


def parse_args():
    ap = argparse.ArgumentParser(
        description="Benchmark senco check against the read floor and the Python peer.",
        epilog="See the top of this file for what is measured and why.",
    )
    ap.add_argument("--sizes", default="1000,10000,50000", help="pupils per corpus, comma-separated")
    ap.add_argument("--runs", type=int, default=5, help="timed runs of each command per size (default 5)")
    ap.add_argument("--today", default="2026-11-24", help="the --today passed to senco and the peer")
    ap.add_argument("--work", type=Path, default=ROOT / "target" / "bench-corpus", help="where corpora live")
    ap.add_argument("--json", type=Path, metavar="FILE", help="write all raw samples to FILE")
    ap.add_argument("--senco", type=Path, metavar="PATH", help="use this senco binary instead of building one")
    ap.add_argument("--gen", type=Path, metavar="PATH", help="use this generator binary instead of building one")
    ap.add_argument("--peer", type=Path, default=PEER_DEFAULT, help="the peer script (default ../shared/bench/peer.py)")
    args = ap.parse_args()
    try:
        args.sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    except ValueError as e:
        ap.error(f"--sizes: {e}")
    if not args.sizes or min(args.sizes) < 1 or args.runs < 1:
        ap.error("--sizes needs at least one positive size and --runs must be at least 1")
    if not re.fullmatch(r"\d{4}-\d\d-\d\d", args.today):
        ap.error("--today must be YYYY-MM-DD")
    args.work = args.work.resolve()
    args.peer = args.peer.resolve()
    return args


# ---------------------------------------------------------------------------
# Build and corpora


def build(args):
    """Builds what --senco/--gen do not replace, in one cargo invocation."""
    targets = []
    if args.gen is None:
        targets += ["--example", "gen"]
    if args.senco is None:
        targets += ["--bin", "senco"]
    if targets:
        cmd = ["cargo", "build", "--release", *targets]
        log(f"$ {' '.join(cmd)}")
        try:
            built = subprocess.run(cmd, cwd=ROOT).returncode == 0
        except OSError as e:  # no cargo on PATH
            log(f"check.py: {e}")
            built = False
        if not built:
            log("check.py: the build failed")
            sys.exit(2)
    release = ROOT / "target" / "release"
    exe = ".exe" if os.name == "nt" else ""
    senco = (args.senco or release / f"senco{exe}").resolve()
    gen = (args.gen or release / "examples" / f"gen{exe}").resolve()
    for p in (senco, gen):
        if not p.is_file():
            log(f"check.py: {p} does not exist")
            sys.exit(2)
    return senco, gen


def generator_fingerprint():
    """Changes whenever the generator's source changes, so that stale corpora are rebuilt."""
    src = ROOT / "examples" / "gen.rs"
    return f"{zlib.crc32(src.read_bytes()):08x}" if src.is_file() else "unknown"


def corpus(gen, work, pupils):
    """The corpus for `pupils` and its marker data, generated unless a matching one is there."""
    path = work / f"pupils-{pupils}-seed{SEED}"
    marker = work / f"pupils-{pupils}-seed{SEED}.json"
    wanted = {"pupils": pupils, "seed": SEED, "generator": generator_fingerprint()}
    if path.is_dir() and marker.is_file():
        try:
            info = json.loads(marker.read_text())
            if all(info.get(k) == v for k, v in wanted.items()):
                log(f"reusing {path} ({info.get('files', '?')} files)")
                return path, info
        except (OSError, ValueError):
            pass
    if path.exists():  # stale or half-written: ours to replace
        shutil.rmtree(path)
    if marker.exists():
        marker.unlink()
    work.mkdir(parents=True, exist_ok=True)
    log(f"generating {pupils} pupils into {path}")
    started = time.perf_counter()
    res = subprocess.run([str(gen), str(path), "--pupils", str(pupils), "--seed", str(SEED)],
                         stderr=subprocess.PIPE, text=True)
    if res.returncode != 0:
        log(f"check.py: the generator failed:\n{res.stderr}")
        sys.exit(2)
    summary = res.stderr.strip().splitlines()[-1] if res.stderr.strip() else ""
    info = dict(wanted, summary=summary, seconds=round(time.perf_counter() - started, 3))
    m = re.search(r"(\d+) files, (\d+) bytes", summary)
    if m:
        info["files"], info["bytes"] = int(m.group(1)), int(m.group(2))
    else:  # an unexpected summary line: count for ourselves
        files = [os.path.join(d, f) for d, _, fs in os.walk(path) for f in fs]
        info["files"], info["bytes"] = len(files), sum(os.path.getsize(f) for f in files)
    marker.write_text(json.dumps(info, indent=2) + "\n")
    log(f"  {summary}")
    return path, info


# ---------------------------------------------------------------------------
# Measuring


class Command:
    def __init__(self, name, label, argv, ok):
        self.name, self.label, self.argv, self.ok = name, label, argv, ok
        self.samples = []
        self.failed = None  # why, once it has failed


def run_once(argv, scratch, stdout=subprocess.DEVNULL):
    """Runs one child; returns its wall time, CPU time, peak RSS, exit code and stderr tail."""
    floor = own_peak_rss_mb()
    with open(scratch / "stderr.txt", "w+b") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=stdout, stderr=err)
        _, status, ru = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = code = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        err.seek(max(0, err.seek(0, os.SEEK_END) - 2000))
        tail = err.read().decode("utf-8", "replace")
    return {
        "wall_s": wall,
        "cpu_s": ru.ru_utime + ru.ru_stime,
        "user_s": ru.ru_utime,
        "sys_s": ru.ru_stime,
        "max_rss_mb": ru.ru_maxrss * RSS_TO_MB,
        "rss_floor_mb": floor,
        "exit": code,
        "stderr_tail": tail,
    }


# Summarises senco's JSON report (docs/json.md) from the warm-up run. It runs in a child
# interpreter: parsing a large report here would raise this script's peak RSS, the floor
# under every later measurement.
DESCRIBE_REPORT = r"""
import json, sys
report = json.load(open(sys.argv[1], encoding="utf-8"))
s = report["summary"]
line = f"{s['errors']} errors, {s['warnings']} warnings over {s['pupils']} pupils, {s['files']} files"
if s["errors"]:
    codes = {}
    for f in report.get("findings", []):
        if f.get("severity") == "error":
            codes[f.get("code", "?")] = codes.get(f.get("code", "?"), 0) + 1
    top = ", ".join(f"`{c}` x{n}" for c, n in sorted(codes.items(), key=lambda kv: -kv[1])[:5])
    line += f" (the corpus is valid by construction: errors mean a bug in senco or the generator; {top})"
print(line)
"""


def describe_check_output(path):
    res = subprocess.run([sys.executable, "-c", DESCRIBE_REPORT, str(path)], capture_output=True, text=True)
    if res.returncode != 0:
        return f"could not read its JSON report ({tail_line(res.stderr) or 'unknown error'})"
    return res.stdout.strip()


def tail_line(text):
    lines = text.strip().splitlines()
    return lines[-1] if lines else ""


def warm_up(cmd, scratch):
    """One untimed run: fills the page cache and checks the command works. Returns a note."""
    if cmd.name == "check":
        out_path = scratch / "check-warmup.json"
        with open(out_path, "wb") as out:
            r = run_once(cmd.argv, scratch, stdout=out)
        note = describe_check_output(out_path) if r["exit"] in cmd.ok else ""
        out_path.unlink()
    else:
        r = run_once(cmd.argv, scratch)
        note = tail_line(r["stderr_tail"])
    if r["exit"] not in cmd.ok:
        cmd.failed = f"exit {r['exit']} on the warm-up run: {r['stderr_tail'].strip()[-600:]}"
        return ""
    return note


def measure(commands, runs, scratch):
    live = [c for c in commands if c.failed is None]
    for rnd in range(1, runs + 1):
        shift = (rnd - 1) % len(live) if live else 0
        for cmd in live[shift:] + live[:shift]:
            if cmd.failed:
                continue
            r = run_once(cmd.argv, scratch)
            r["run"] = rnd
            cmd.samples.append(r)
            if r["exit"] not in cmd.ok:
                cmd.failed = f"exit {r['exit']} on run {rnd}: {r['stderr_tail'].strip()[-600:]}"
        done = [f"{c.name} {c.samples[-1]['wall_s']:.3f}s" for c in live if c.samples and c.samples[-1]["run"] == rnd]
        log(f"  round {rnd}/{runs}: " + ", ".join(done))


def own_peak_rss_mb():
    """This process's peak RSS: no child it spawns reports less (see the top of the file)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * RSS_TO_MB


# ---------------------------------------------------------------------------
# Reporting


def stats(cmd):
    good = [s for s in cmd.samples if s["exit"] in cmd.ok]
    if not good:
        return None
    walls = [s["wall_s"] for s in good]
    return {
        "median": median(walls),
        "min": min(walls),
        "max": max(walls),
        "cpu": median(s["cpu_s"] for s in good),
        "rss": max(s["max_rss_mb"] for s in good),
        # At the floor: the real peak is somewhere below it.
        "rss_at_floor": all(s["max_rss_mb"] <= s["rss_floor_mb"] + 0.25 for s in good),
        "n": len(good),
    }


def ratio(a, b):
    if not a or not b or b["median"] <= 0:
        return "n/a"
    return f"{a['median'] / b['median']:.2f}x"


def table(pupils, info, commands, notes):
    mb = info.get("bytes", 0) / 1e6
    out = [f"### {pupils:,} pupils ({info.get('files', 0):,} files, {mb:.1f} MB)", ""]
    out += ["| command | median wall s | min | max | median CPU s | peak RSS MB |", "|---|---:|---:|---:|---:|---:|"]
    st = {c.name: stats(c) for c in commands}
    for c in commands:
        s = st[c.name]
        if not s:
            out.append(f"| {c.label} | – | – | – | – | – |")
            continue
        rss = f"<= {s['rss']:.1f}" if s["rss_at_floor"] else f"{s['rss']:.1f}"
        out.append(f"| {c.label} | {s['median']:.3f} | {s['min']:.3f} | {s['max']:.3f} | {s['cpu']:.3f} | {rss} |")
    out.append("")
    out.append(f"senco vs floor (check/floor): **{ratio(st.get('check'), st.get('floor'))}** · "
               f"peer vs senco (peer/check): **{ratio(st.get('peer'), st.get('check'))}**")
    for c in commands:
        if c.failed:
            out.append(f"\n**{c.name} failed**: {c.failed}")
    if notes:
        out.append("")
        out += [f"- {n}" for n in notes]
    return "\n".join(out) + "\n"


def machine():
    try:
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
        git = rev.stdout.strip() if rev.returncode == 0 else None
    except OSError:  # no git
        git = None
    u = os.uname()
    return {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "system": f"{u.sysname} {u.release} {u.machine}",
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
        "git": git,
    }


def peer_ready(peer):
    """Whether the peer can run, and a note for the report. Its modules are imported in a
    subprocess of the interpreter that will run it, not here, to keep the RSS floor low."""
    if not peer.is_file():
        return False, f"peer skipped: {peer} not found"
    probe = "import yaml, jsonschema; print(hasattr(yaml, 'CSafeLoader'))"
    res = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    if res.returncode != 0:
        why = tail_line(res.stderr) or "import failed"
        log(f"peer skipped: {why}\nTo include it: {PIP_HINT}")
        return False, f"peer skipped ({why}); to include it: `{PIP_HINT}`"
    if res.stdout.strip() != "True":
        return True, "PyYAML has no libyaml here, so the peer runs its slower pure-Python loader"
    return True, ""


def main():
    args = parse_args()
    senco, gen = build(args)
    peer_ok, peer_note = peer_ready(args.peer)
    args.work.mkdir(parents=True, exist_ok=True)
    scratch = args.work
    host = machine()
    print(f"## senco check benchmark, {host['when']}\n")
    runs = f"{args.runs} interleaved run{'s' if args.runs != 1 else ''}"
    print(f"{host['cpus']} CPUs · {host['system']} · Python {host['python']} · senco at {host['git'] or '?'} · "
          f"`--today {args.today}` · {runs} per command after one warm-up · wall and CPU times are medians, "
          f"RSS the highest (\"<=\": at the {own_peak_rss_mb():.0f} MB floor)\n")
    results, failed, per_1000 = [], False, []
    for pupils in args.sizes:
        path, info = corpus(gen, args.work, pupils)
        commands = [
            Command("check", "senco check --format json",
                    [str(senco), "--repo", str(path), "--today", args.today, "check", "--format", "json"], {0, 1}),
            Command("floor", "read floor (debug read-floor)",
                    [str(senco), "--repo", str(path), "debug", "read-floor"], {0}),
        ]
        if peer_ok:
            commands.append(Command("peer", "peer.py (PyYAML + jsonschema)",
                                    [sys.executable, str(args.peer), str(path), "--today", args.today], {0}))
        notes = [peer_note] if peer_note else []
        log(f"{pupils} pupils: warm-up")
        for cmd in commands:
            note = warm_up(cmd, scratch)
            if note:
                notes.append(f"{cmd.name}, warm-up run: {note}")
        measure(commands, args.runs, scratch)
        print(table(pupils, info, commands, notes), flush=True)
        check = stats(commands[0])
        if check:
            per_1000.append((pupils, check["median"] / pupils * 1000))
        failed = failed or any(c.failed for c in commands)
        results.append({
            "pupils": pupils,
            "corpus": str(path),
            "files": info.get("files"),
            "bytes": info.get("bytes"),
            "commands": {c.name: {"argv": c.argv, "ok_exits": sorted(c.ok), "failed": c.failed,
                                  "samples": c.samples} for c in commands},
        })
    (scratch / "stderr.txt").unlink(missing_ok=True)
    if per_1000:
        print("Linearity, median check time per 1,000 pupils: "
              + " · ".join(f"{p:,} pupils {s:.3f} s" for p, s in per_1000))
    if args.json:
        doc = {"machine": host, "today": args.today, "runs": args.runs, "seed": SEED, "senco": str(senco),
               "sizes": results}
        args.json.write_text(json.dumps(doc, indent=2) + "\n")
        log(f"raw samples written to {args.json}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
