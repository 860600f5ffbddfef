#!/usr/bin/env python3
"""Generates a realistic synthetic tandem plan for benchmarks.

usage: gen_plan.py OUT_DIR ITEMS [--people 50] [--milestones 20] [--risks 200] [--seed 1]
Writes OUT_DIR/{tandem,backlog,roadmap,risks}.yaml. Deterministic for a given seed.
"""
import argparse, os, random
from datetime import date, timedelta

WORDS = ("checkout cart payment invoice search catalog login account profile address "
         "shipping tax refund coupon review rating wishlist export import report "
         "dashboard api webhook cache index email notification audit backup").split()
VERBS = "Add Improve Fix Refactor Support Migrate Speed-up Validate Localise Document".split()


def title(rng):
    return f"{rng.choice(VERBS)} {rng.choice(WORDS)} {rng.choice(WORDS)} for {rng.choice(WORDS)} flow"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("items", type=int)
    ap.add_argument("--people", type=int, default=50)
    ap.add_argument("--milestones", type=int, default=20)
    ap.add_argument("--risks", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    os.makedirs(a.out, exist_ok=True)
    devs = [f"dev{i:03d}" for i in range(a.people - 2)]

    with open(os.path.join(a.out, "tandem.yaml"), "w") as f:
        f.write("version: 1\nproject:\n  name: Synthetic benchmark plan\n  start: 2027-01-04\n")
        f.write("calendar:\n  workdays: [mon, tue, wed, thu, fri]\n"
                "  holidays: [2027-04-05, 2027-05-13, 2027-12-24]\n"
                "  sprint: {start: 2027-01-04, length: 10}\n")
        f.write("people:\n")
        f.write("  - id: po\n    name: Pat Owner\n    email: po@example.com\n    roles: [product_owner]\n")
        f.write("  - id: pm\n    name: Max Manager\n    email: pm@example.com\n    roles: [project_manager]\n")
        for i, d in enumerate(devs):
            f.write(f"  - id: {d}\n    name: Developer {i}\n    email: {d}@example.com\n"
                    f"    roles: [developer]\n")
            if i % 5 == 0:
                f.write("    capacity: 0.8\n")
            if i % 7 == 0:
                f.write("    off: [{from: 2027-02-01, to: 2027-02-05}]\n")

    per_ms = max(1, a.items // a.milestones)
    with open(os.path.join(a.out, "roadmap.yaml"), "w") as f:
        f.write("milestones:\n")
        for m in range(a.milestones):
            f.write(f"  - id: M{m+1}\n    title: Release {m+1} {rng.choice(WORDS)}\n"
                    f"    goal: Customers can use the new {rng.choice(WORDS)} {rng.choice(WORDS)}\n"
                    f"    owner: pm\n    target: {date(2027, 3, 1) + timedelta(days=21 * m)}\n"
                    f"    committed: {'true' if m % 2 == 0 else 'false'}\n")
            if m:
                f.write(f"    depends_on: [M{m}]\n")

    statuses = ["todo"] * 6 + ["doing"] + ["done"] * 3
    with open(os.path.join(a.out, "backlog.yaml"), "w") as f:
        f.write("items:\n")
        for i in range(a.items):
            st = rng.choice(statuses)
            f.write(f"  - id: ITEM-{i+1}\n    title: {title(rng)}\n")
            f.write(f"    type: {rng.choice(['feature', 'feature', 'bug', 'chore', 'spike'])}\n")
            f.write(f"    status: {st}\n    owner: po\n")
            if rng.random() < 0.6:
                f.write(f"    assignee: {rng.choice(devs)}\n")
            f.write(f"    milestone: M{min(a.milestones, i // per_ms + 1)}\n")
            f.write(f"    value: {rng.choice([1, 2, 3, 5, 8, 13, 20])}\n"
                    f"    time_criticality: {rng.choice([1, 2, 3, 5, 8, 13, 20])}\n"
                    f"    risk_reduction: {rng.choice([1, 2, 3, 5, 8, 13])}\n"
                    f"    size: {rng.choice([1, 2, 3, 5, 8, 13])}\n"
                    f"    estimate: {rng.choice([0.5, 1, 2, 3, 5, 8])}\n")
            if st == "doing":
                f.write("    remaining: 1\n    started: 2027-01-05\n")
            if st == "done":
                f.write(f"    done: 2026-{rng.randint(9, 11):02d}-{rng.randint(1, 28):02d}\n")
            if i > 0 and rng.random() < 0.5:
                deps = sorted({rng.randint(max(1, i - 50), i) for _ in range(rng.randint(1, 2))})
                f.write(f"    depends_on: [{', '.join(f'ITEM-{d}' for d in deps)}]\n")
            f.write(f"    tags: [{', '.join(rng.sample(WORDS, 2))}]\n")
            f.write(f"    acceptance:\n      - The {rng.choice(WORDS)} page shows the {rng.choice(WORDS)} "
                    f"within two seconds\n")
            f.write(f"    description: |\n      As a customer I want to {rng.choice(WORDS)} my "
                    f"{rng.choice(WORDS)}\n      so that the {rng.choice(WORDS)} is correct.\n")

    with open(os.path.join(a.out, "risks.yaml"), "w") as f:
        f.write("risks:\n")
        for r in range(a.risks):
            f.write(f"  - id: RISK-{r+1}\n    title: {rng.choice(WORDS).capitalize()} provider may fail\n"
                    f"    owner: pm\n    status: {rng.choice(['open', 'open', 'open', 'closed'])}\n"
                    f"    probability: {rng.randint(1, 5)}\n    impact: {rng.randint(1, 5)}\n"
                    f"    response: {rng.choice(['avoid', 'mitigate', 'transfer', 'accept', 'escalate'])}\n"
                    f"    mitigation: Contract tests and a fallback for {rng.choice(WORDS)}\n"
                    f"    review: 2027-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}\n"
                    f"    affects: [ITEM-{rng.randint(1, a.items)}, M{rng.randint(1, a.milestones)}]\n"
                    f"    delay: [{rng.randint(1, 3)}, {rng.randint(4, 15)}]\n")


if __name__ == "__main__":
    main()
