#!/usr/bin/env python3
"""Summarises a policy benchmark's results.json (or several, from a run made in parts by seed): per n, every
mode's mean accuracy, and auto against gold-only and against the best fixed policy (paired by seed), with the
policies auto chose. Paths after --fixed-from add the fixed policies (and gold-only) of another benchmark on
the same dataset and split, without its auto rows: a run that measured only gold-only and auto under other
search settings (e.g. a group pattern) is then compared with fixed policies measured once. --fixed-modes
synthio,gold takes only the modes whose names start with one of those words from them: a run that remeasured
the classic policies after a change to the classic chain borrows the synthio policies it did not touch."""
import collections
import json
import statistics
import sys


def load(paths, fixed_from=(), fixed_modes=None):
    """Every part's results, refusing parts of different datasets, splits or group patterns (fixed-policy parts
    from --fixed-from only need the same dataset and split). A (mode, n, seed) measured in two parts must agree
    (the runs are deterministic), and counts once."""
    rows, settings, seen = [], None, {}
    keys = ("dataset", "split", "time_budget_seconds")
    for path in list(paths) + list(fixed_from):
        run = json.load(open(path))
        fixed_only = path in fixed_from
        part = {k: run["settings"].get(k) for k in keys + ("group_pattern",)}
        compared = keys if fixed_only else keys + ("group_pattern",)
        if settings is not None and any(part[k] != settings[k] for k in compared):
            sys.exit(f"{path}: settings {part} differ from the other parts' {settings}")
        settings = settings or part
        for r in run["results"]:
            if fixed_only and (r["mode"] == "auto" or (fixed_modes and not r["mode"].startswith(tuple(fixed_modes)))):
                continue
            key = (r["mode"], str(r["n"]), r["seed"])
            if key in seen:
                if seen[key]["accuracy"] != r["accuracy"]:
                    sys.exit(f"{path}: {key} is measured in two parts with different accuracy ({seen[key]['accuracy']} and {r['accuracy']})")
                continue
            seen[key] = r
            rows.append(r)
    return rows, settings or {}


def main(paths, fixed_from=(), fixed_modes=None):
    rows, settings = load(paths, fixed_from, fixed_modes)
    by = collections.defaultdict(dict)  # (n) -> mode -> seed -> result
    for r in rows:
        by[str(r["n"])][r["mode"]] = by[str(r["n"])].get(r["mode"], {})
        by[str(r["n"])][r["mode"]][r["seed"]] = r
    order = sorted(by, key=lambda n: (n == "all", int(n) if n != "all" else 0))
    seen_modes = list(dict.fromkeys(r["mode"] for r in rows))
    fixed = [m for m in seen_modes if m not in ("gold", "auto")]
    modes = [m for m in ("gold",) if m in seen_modes] + fixed + [m for m in ("auto",) if m in seen_modes]
    clips = rows[0]["test_clips"] if rows else 0
    seeds = sorted({r["seed"] for r in rows})
    grouping = f", group pattern `{settings['group_pattern']}`" if settings.get("group_pattern") else ""
    print(f"Dataset `{settings.get('dataset', '?')}`, split `{settings.get('split', '?')}`{grouping}, seeds {', '.join(map(str, seeds))}. "
          "Every mode trained the same way, as bench/policy.sh runs it: LbfgsMaximumEntropy at its starting point (one trial), "
          "so differences come from the training data alone.\n")
    print(f"Accuracy (%), mean ± std over seeds; {clips} test clips per seed.\n")
    print("| mode | " + " | ".join(f"n = {n}" for n in order) + " |")
    print("|---|" + "---|" * len(order))
    for m in modes:
        cells = []
        for n in order:
            acc = [r["accuracy"] for r in by[n].get(m, {}).values()]
            cells.append(f"{100 * statistics.mean(acc):.1f} ± {100 * statistics.stdev(acc):.1f}" if len(acc) > 1 else (f"{100 * acc[0]:.1f}" if acc else "–"))
        print(f"| {m} | " + " | ".join(cells) + " |")
    print()
    print("| n | auto − gold (points, paired) | seeds won/tied/lost | best fixed policy | auto − best fixed | policies auto chose |")
    print("|---|---|---|---|---|---|")
    for n in order:
        auto = by[n].get("auto", {})
        gold = by[n].get("gold", {})
        seeds = sorted(set(auto) & set(gold))
        if not seeds:
            continue
        diffs = [auto[s]["accuracy"] - gold[s]["accuracy"] for s in seeds]
        won = sum(d > 1e-9 for d in diffs)
        lost = sum(d < -1e-9 for d in diffs)
        means = {m: statistics.mean(r["accuracy"] for r in by[n][m].values()) for m in fixed if by[n].get(m)}
        best = max(means, key=means.get) if means else None
        best_diffs = [auto[s]["accuracy"] - by[n][best][s]["accuracy"] for s in seeds if s in by[n][best]] if best else []
        chosen = collections.Counter(p for s in seeds for p in (auto[s].get("policies") or []))
        spread = f" (sd {100 * statistics.stdev(diffs):.1f})" if len(diffs) > 1 else ""
        best_text = f"{100 * statistics.mean(best_diffs):+.1f}" if best_diffs else "–"
        best_name = f"{best} ({100 * means[best]:.1f})" if best else "–"
        print(f"| {n} | {100 * statistics.mean(diffs):+.1f}{spread} | {won}/{len(diffs) - won - lost}/{lost} | {best_name} | {best_text} | "
              + ", ".join(f"{p} ×{c}" for p, c in chosen.most_common()) + " |")


if __name__ == "__main__":
    args = sys.argv[1:]
    modes = None
    if "--fixed-modes" in args:
        at = args.index("--fixed-modes")
        modes = args[at + 1].split(",")
        del args[at:at + 2]
    own, fixed = (args[:args.index("--fixed-from")], args[args.index("--fixed-from") + 1:]) if "--fixed-from" in args else (args, [])
    if not own:
        sys.exit("usage: policy_summary.py results.json [more results.json from other seeds] [--fixed-from results.json ... [--fixed-modes synthio,gold]]")
    main(own, fixed, modes)
