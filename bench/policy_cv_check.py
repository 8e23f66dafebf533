#!/usr/bin/env python3
"""Does the policy search's cross-validation on the training clips see what the held-out clips see?

Reads the results.json of a policy benchmark that ran auto beside fixed policies (`bench/policy.sh`; one file, or
several parts of one run) and pairs, rotation by rotation, what auto's search measured for each candidate
(`policy_searches`: cross-validated true-label probability and accuracy) with that candidate's test accuracy as a
fixed policy trained on the same drawn clips (`rotation_accuracy`). Prints, per n and candidate, the mean gain over
gold-only each saw. A candidate whose cross-validated gain runs above its test gain is one the search buys too often.

usage: policy_cv_check.py <results.json>..."""
import collections
import json
import statistics
import sys


def fixed_name(mode):
    return "gold-only" if mode == "gold" else mode


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    rows = {}  # (policy name as the search writes it, n, seed) -> result; a later file's row replaces an earlier one's
    for path in sys.argv[1:]:
        for r in json.load(open(path, encoding="utf-8"))["results"]:
            rows[(fixed_name(r["mode"]), str(r["n"]), r["seed"])] = r
    gains = collections.defaultdict(lambda: collections.defaultdict(list))
    chosen = collections.defaultdict(collections.Counter)
    rotations = collections.Counter()
    for (mode, n, seed), auto in sorted(rows.items()):
        searches = auto.get("policy_searches")
        gold = rows.get(("gold-only", n, seed))
        if mode != "auto" or not searches or not gold or not gold.get("rotation_accuracy"):
            continue
        for i, search in enumerate(searches):
            if "gold-only" not in search:
                continue
            rotations[n] += 1
            chosen[n][auto["policies"][i]] += 1
            gold_test = gold["rotation_accuracy"][i]
            for policy, cv in search.items():
                fixed = rows.get((policy, n, seed))
                if fixed is None or not fixed.get("rotation_accuracy"):
                    continue
                gains[n][policy].append((
                    100 * (cv["score"] - search["gold-only"]["score"]),
                    100 * (cv["accuracy"] - search["gold-only"]["accuracy"]),
                    100 * (fixed["rotation_accuracy"][i] - gold_test)))
    if not any(policy != "gold-only" for policies in gains.values() for policy in policies):
        sys.exit("no rotation had auto's policy search beside fixed policies measured on the same drawn clips")
    for n, policies in gains.items():
        print(f"\nn = {n}: gain over gold-only in points, mean of {rotations[n]} rotations"
              " (cross-validated on each rotation's training clips; test: its held-out clips)\n")
        print("| candidate | rotations scored | cross-validated true-label probability | cross-validated accuracy | test accuracy | auto chose it |")
        print("|---|---|---|---|---|---|")
        sources = ["gold-only", "classic", "synthio", "both"]
        order = sorted(policies, key=lambda p: (sources.index(p.split("×")[0]) if p.split("×")[0] in sources else len(sources), p.split("×")[0], int(p.split("×")[1]) if "×" in p else 0))
        for policy in order:
            values = policies[policy]
            cells = [statistics.mean(v[k] for v in values) for k in range(3)]
            print(f"| {policy} | {len(values)} | {cells[0]:+.1f} | {cells[1]:+.1f} | {cells[2]:+.1f} | {chosen[n][policy]} |")


if __name__ == "__main__":
    main()
