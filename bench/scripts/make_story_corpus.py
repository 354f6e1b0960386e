#!/usr/bin/env python3
"""Writes test-data/text/stories.txt: short made-up stories from a small grammar, for tokenizer tests.

Deterministic (fixed seed, Python's random); the word lists and templates below are the whole source, written for
curex, so the file can ship with the project. Paragraphs (documents) are separated by blank lines.
Usage: python3 bench/scripts/make_story_corpus.py [OUT] [TARGET_BYTES]
"""
import random
import sys

NAMES = ["Mara", "Tobin", "Ilse", "Joaquín", "Amara", "Pell", "Renée", "Oskar", "Wen", "Liesl", "Dario", "Nkechi",
         "Hugo", "Saoirse", "Bea", "Kenji"]
ANIMALS = ["fox", "heron", "badger", "otter", "crow", "hare", "mole", "wren", "goat", "beetle", "owl", "trout"]
ADJ = ["old", "small", "quiet", "clever", "tired", "brave", "curious", "grumpy", "gentle", "restless", "shy", "proud"]
COLORS = ["red", "blue", "green", "grey", "golden", "silver", "brown", "white", "black", "amber"]
THINGS = ["stone", "key", "lantern", "map", "feather", "coin", "basket", "kettle", "letter", "rope", "bell", "shell"]
PLACES = ["the river", "the mill", "the old bridge", "the market", "the forest", "the hill", "the harbour",
          "the orchard", "the library", "the café", "the station", "the garden"]
TIMES = ["On a quiet morning", "Late one evening", "Before the rain came", "In the middle of winter",
         "Early on Tuesday", "After the long storm", "One summer afternoon", "At midnight"]
VERBS_PAST = ["walked", "ran", "hurried", "wandered", "climbed", "sailed", "drifted", "marched"]
WANTS = ["find", "mend", "borrow", "hide", "return", "carry", "count", "paint"]
FEELINGS = ["happy", "worried", "surprised", "sleepy", "hungry", "cheerful", "puzzled", "calm"]
SAYINGS = ["It's later than you think", "We didn't plan for this", "I'll be back before dark",
           "They're waiting by the gate", "You've done enough for today", "Let's try once more",
           "Nobody's home", "I'd rather walk"]


def character(r):
    if r.random() < 0.5:
        return f"{r.choice(NAMES)} the {r.choice(ADJ)} {r.choice(ANIMALS)}"
    return f"the {r.choice(ADJ)} {r.choice(ANIMALS)}"


def thing(r):
    return f"a {r.choice(COLORS)} {r.choice(THINGS)}"


def sentence(r, who):
    k = r.randrange(7)
    if k == 0:
        return f"{r.choice(TIMES)}, {who} {r.choice(VERBS_PAST)} to {r.choice(PLACES)}."
    if k == 1:
        return f"{who[0].upper() + who[1:]} wanted to {r.choice(WANTS)} {thing(r)}."
    if k == 2:
        return f"\"{r.choice(SAYINGS)},\" said {who}."
    if k == 3:
        n = r.randrange(2, 40)
        return f"There were {n} {r.choice(THINGS)}s near {r.choice(PLACES)}, and {r.randrange(1, n)} of them were {r.choice(COLORS)}."
    if k == 4:
        return f"{who[0].upper() + who[1:]} felt {r.choice(FEELINGS)}, because {character(r)} had taken {thing(r)}!"
    if k == 5:
        h, m = r.randrange(1, 13), r.randrange(0, 60)
        return f"At {h}:{m:02d} the {r.choice(THINGS)} was still at {r.choice(PLACES)}; nobody knew why."
    return f"Was it {thing(r)}, or {thing(r)}? {who[0].upper() + who[1:]} could not tell."


def paragraph(r):
    who = character(r)
    return " ".join(sentence(r, who) for _ in range(r.randrange(3, 8)))


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "test-data/text/stories.txt"
    target = int(sys.argv[2]) if len(sys.argv) > 2 else 200_000
    r = random.Random(20261130)
    paras, size = [], 0
    while size < target:
        p = paragraph(r)
        paras.append(p)
        size += len(p.encode("utf-8")) + 2
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n\n".join(paras) + "\n")


if __name__ == "__main__":
    main()
